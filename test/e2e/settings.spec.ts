import { mkdtempSync, rmSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { startBackend, type RunningBackend } from '../../electron/backend/index.ts';
import { createLogger } from '../../shared/log/index.ts';
import { expect, test } from './support/fixtures.ts';

const SHOTS = 'test-results/screenshots';

/** A port on 127.0.0.1 where nothing listens: bound once to find it free, then closed. */
async function refusedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByLabel('Your name')).toBeVisible();
  return dialog;
}

/** Chooses Remote and types a backend's URL and token (not saved). */
async function typeRemote(dialog: Locator, url: string, token: string): Promise<void> {
  await dialog.getByRole('radio', { name: 'Remote' }).check();
  await dialog.getByLabel('Base URL').fill(url);
  await dialog.getByLabel('API token', { exact: true }).fill(token);
}

/** The element shows all of its text: nothing cut off, inside the dialog's width. */
async function expectWhole(element: Locator, dialog: Locator): Promise<void> {
  const fits = await element.evaluate((node) => ({
    width: node.scrollWidth <= node.clientWidth + 1,
    height: node.scrollHeight <= node.clientHeight + 1,
  }));
  expect(fits).toEqual({ width: true, height: true });
  const box = await element.boundingBox();
  const frame = await dialog.boundingBox();
  expect(box !== null && frame !== null).toBe(true);
  if (box === null || frame === null) return;
  expect(box.x).toBeGreaterThanOrEqual(frame.x);
  expect(box.x + box.width).toBeLessThanOrEqual(frame.x + frame.width);
}

/** The top-most element at the middle of `element` is it (or inside it): nothing covers it. */
async function expectOnTop(element: Locator): Promise<void> {
  const onTop = await element.evaluate((node) => {
    const box = node.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && (hit === node || node.contains(hit));
  });
  expect(onTop).toBe(true);
}

test.describe('the Settings view', () => {
  test('shows the built-in default, checks a URL as it is typed, and tests a refused port', async ({
    app,
  }, testInfo) => {
    const { page } = app;
    await expect(page.getByTestId('shown-count')).toHaveText('1,500 shown of 1,500 users');
    const dialog = await openSettings(page);
    await expect(dialog.getByRole('radio', { name: 'Built-in' })).toBeChecked();
    await expect(dialog.getByLabel('Your name')).toHaveAttribute(
      'placeholder',
      'Leave empty to use “e2e-tester”',
    );
    await page.screenshot({ path: `${SHOTS}/settings-built-in.png` });

    await dialog.getByRole('radio', { name: 'Remote' }).check();
    const url = dialog.getByLabel('Base URL');
    await url.fill('http://pbx.example.com');
    await expect(url).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByText('The backend URL must start with https://')).toBeVisible();
    await expect(dialog.getByLabel('API token', { exact: true })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/settings-remote-invalid-url.png` });

    const port = await refusedPort();
    await typeRemote(dialog, `http://127.0.0.1:${port}`, 'e2e-any-token-123');
    await expect(url).not.toHaveAttribute('aria-invalid', 'true');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const verdict = dialog.getByTestId('connection-verdict');
    await expect(verdict).toBeVisible({ timeout: 15_000 });
    await expect(verdict).toContainText(`127.0.0.1:${port}`);
    const checks = dialog.getByRole('list', { name: 'Connection checks' }).getByRole('listitem');
    await expect(checks).toHaveCount(5);
    await expect(checks.nth(0)).toHaveAttribute('data-status', 'passed');
    await expect(checks.nth(1)).toHaveAttribute('data-status', 'failed');
    await expect(checks.nth(2)).toHaveAttribute('data-status', 'skipped');
    await verdict.scrollIntoViewIfNeeded();
    await expectWhole(verdict, dialog);
    await expectWhole(checks.nth(1), dialog);
    await page.screenshot({ path: `${SHOTS}/settings-test-refused.png` });
    await page.screenshot({ path: testInfo.outputPath('settings-test-refused.png') });

    // Nothing was saved by the test: Cancel asks before dropping what was typed.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText('Built-in demo backend')).toBeVisible();
  });

  test('saves a remote backend that does not answer: the header says so, with its message', async ({
    app,
  }) => {
    const { page } = app;
    await expect(page.getByTestId('shown-count')).toHaveText('1,500 shown of 1,500 users');
    const port = await refusedPort();
    const dialog = await openSettings(page);
    await typeRemote(dialog, `http://127.0.0.1:${port}`, 'e2e-any-token-123');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden({ timeout: 15_000 });

    const state = page.locator('.app-header__backend');
    await expect(state).toContainText(`Backend: 127.0.0.1:${port}`);
    await expect(page.getByTestId('connection-state')).toHaveText(
      /^Unreachable since \d{1,2}:\d{2}/u,
      { timeout: 15_000 },
    );
    await expect(page.getByRole('button', { name: 'Outbox' })).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/header-unreachable.png` });

    await state.hover();
    const tip = page.getByRole('tooltip');
    await expect(tip).toContainText(/Backend unreachable since/u);
    await expect(tip).toContainText('Click to open Settings.');
    await expectOnTop(tip);
    await page.screenshot({ path: `${SHOTS}/header-unreachable-tooltip.png` });

    await page.mouse.move(0, 400);
    await expect(tip).toBeHidden();
    await state.focus();
    await expect(page.getByRole('tooltip')).toContainText(/Backend unreachable since/u);
    await page.keyboard.press('Enter');
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings.getByRole('radio', { name: 'Remote' })).toBeChecked();
    await expect(settings.getByRole('group', { name: 'API token' })).toContainText(
      'A token is kept for this URL (encrypted by the system keychain).',
    );
    await page.screenshot({ path: `${SHOTS}/settings-remote-token-kept.png` });

    // And back to the built-in backend: its users again, and its Outbox.
    await settings.getByRole('radio', { name: 'Built-in' }).check();
    await settings.getByRole('button', { name: 'Save' }).click();
    await expect(settings).toBeHidden({ timeout: 15_000 });
    await expect(page.getByText('Built-in demo backend')).toBeVisible();
    await expect(page.getByTestId('shown-count')).toHaveText('1,500 shown of 1,500 users');
    await expect(page.getByRole('button', { name: 'Outbox' })).toBeVisible();
  });
});

/**
 * A plain HTTP proxy in front of a backend that can be taken down (its port closed, its
 * connections cut) and brought back on the same port, with each POST held a while so that a
 * job is still sending when it goes down.
 */
async function startProxy(target: string, holdPostMs: number) {
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const forward = () => {
      if (req.socket.destroyed) return;
      const upstream = httpRequest(
        `${target}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (req.method === 'POST') setTimeout(forward, holdPostMs);
    else forward();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async down() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async up() {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
  };
}

test.describe('a job while the backend goes away', () => {
  let backend: RunningBackend;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let dataDir: string;
  test.beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'passdesk-e2e-remote-'));
    backend = await startBackend({
      dataDir,
      seed: 'demo',
      hashCost: 'test',
      logger: createLogger({ sink: () => undefined }),
    });
    proxy = await startProxy(backend.url, 1500);
  });
  test.afterEach(async () => {
    await proxy.down();
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('waits, says since when, keeps Cancel, and goes on when the backend is back', async ({
    app,
  }) => {
    test.setTimeout(90_000);
    const { page } = app;
    await expect(page.getByTestId('shown-count')).toHaveText('1,500 shown of 1,500 users');
    const dialog = await openSettings(page);
    await typeRemote(dialog, proxy.url, backend.adminToken);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(dialog.getByTestId('connection-verdict')).toContainText('Connected to', {
      timeout: 15_000,
    });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden({ timeout: 15_000 });
    await expect(page.locator('.app-header__backend')).toContainText(
      `Backend: ${new URL(proxy.url).host}`,
    );
    await expect(page.getByTestId('connection-state')).toHaveText('Connected', {
      timeout: 15_000,
    });

    // 300 users of one location: a reset of their passcodes.
    const select = page.getByLabel('Location');
    const labels = await select.locator('option').allTextContents();
    await select.selectOption({
      label: labels.find((l) => /^Branch 11635 \(300\)$/u.test(l)) ?? '',
    });
    await expect(page.getByTestId('shown-count')).toHaveText('300 shown of 300 users');
    const first = page.locator('.ag-row[row-index="0"] .ag-cell[col-id="id"]');
    await first.click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Select All (300)' }).click();
    await first.click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Reset Password(s)' }).click();
    const reset = page.getByRole('dialog', { name: 'Reset passwords' });
    await reset.getByLabel('Voice Portal Passcode', { exact: true }).fill('975311');
    await reset.getByRole('button', { name: 'Save' }).click();
    await expect(reset).toBeHidden();

    const card = page.locator('.job-card').first();
    await expect(card.getByTestId('job-in-flight')).toBeVisible({ timeout: 15_000 });
    await proxy.down();
    const waiting = card.getByTestId('job-waiting');
    await expect(waiting).toHaveText(/^Backend unreachable since \d{1,2}:\d{2}.* — retrying\.$/u, {
      timeout: 20_000,
    });
    await expect(card).toHaveAttribute('data-tone', 'warning');
    await expect(card.getByTestId('job-badge')).toHaveText('Waiting for the backend');
    await expect(card.getByRole('progressbar')).toBeVisible();
    await expect(card.getByRole('button', { name: 'Cancel' })).toBeEnabled();
    await page.screenshot({ path: `${SHOTS}/job-waiting.png` });

    await proxy.up();
    await expect(waiting).toBeHidden({ timeout: 30_000 });
    await expect(card).toHaveAttribute('data-state', 'completed', { timeout: 45_000 });
    await expect(card.getByTestId('job-progress')).toHaveText('300 of 300 changed');
  });
});
