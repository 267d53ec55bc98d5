import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { createManualClock, type ManualClock } from '../../electron/backend/clock.ts';
import { startBackend, type RunningBackend } from '../../electron/backend/index.ts';
import { ROOT } from './support/choose-host.ts';
import { launchPlainBrowser } from './support/browser.ts';
import { expectRulesUnmet } from './support/rule-checks.ts';

interface ResetFixture {
  backend: RunningBackend;
  clock: ManualClock;
  /** Sends a recovery email to the user and returns the link in it. */
  linkFor(userId: string): Promise<string>;
  /** GET, or POST with `body`, an admin route of the backend. */
  admin(pathname: string, body?: unknown): Promise<unknown>;
}

const test = base.extend<{ reset: ResetFixture; page: Page }, { plainBrowser: Browser }>({
  plainBrowser: [
    async ({}, use) => {
      const browser = await launchPlainBrowser();
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  page: async ({ plainBrowser }, use) => {
    const context = await plainBrowser.newContext({ viewport: { width: 1200, height: 860 } });
    await use(await context.newPage());
    await context.close();
  },
  reset: async ({}, use) => {
    const clock = createManualClock(new Date('2026-03-02T10:00:00Z'));
    const backend = await startBackend({
      dataDir: mkdtempSync(path.join(tmpdir(), 'passdesk-reset-e2e-')),
      seed: 'demo',
      hashCost: 'test',
      clock,
      staticDir: path.join(ROOT, 'out', 'renderer'),
    });
    const admin = async (pathname: string, body?: unknown) => {
      const response = await fetch(`${backend.url}${pathname}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          Authorization: `Bearer ${backend.adminToken}`,
          'Content-Type': 'application/json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return response.json() as Promise<unknown>;
    };
    const linkFor = async (userId: string) => {
      await admin('/api/v1/recovery-emails', { userIds: [userId] });
      const outbox = (await admin('/api/v1/outbox')) as {
        messages: { id: number; kind: string }[];
      };
      const newest = outbox.messages.find((m) => m.kind === 'recovery-link');
      const message = (await admin(`/api/v1/outbox/${newest?.id}`)) as { text: string };
      const link = /http:\/\/\S+\/reset\/[A-Za-z0-9_-]+/u.exec(message.text)?.[0];
      if (link === undefined) throw new Error('no link in the recovery email');
      return link;
    };
    await use({ backend, clock, linkFor, admin });
    await backend.close();
  },
});

test.describe('the end user’s reset page', () => {
  test('shows the countdown and live rules, sets a password and a temporary passcode', async ({
    page,
    reset,
  }, testInfo) => {
    const link = await reset.linkFor('11635-01');
    await page.goto(link);
    const timer = page.getByRole('timer', { name: 'Time left to use this link' });
    await expect(timer).toContainText(/(20m 0s|19m 5\ds)/u);
    // The token leaves the address bar (and the history) once the page has it.
    expect(new URL(page.url()).pathname).toBe('/reset/opened');
    await expect(page.getByLabel('New password')).toHaveAttribute('autocomplete', 'new-password');
    await expect(page.getByLabel('Confirm password')).toHaveAttribute(
      'autocomplete',
      'new-password',
    );
    await expect(timer).toContainText('19m 5', { timeout: 3000 });

    const password = page.getByLabel('New password');
    await password.fill('Abc12345');
    const checks = page
      .locator('section', { hasText: 'Application Password' })
      .getByRole('list', { name: 'Rule checks' });
    await expectRulesUnmet(checks, ['max-sequence', 'needs-special']);
    await expect(page.getByRole('button', { name: 'Reset password' })).toBeDisabled();
    await page.getByRole('button', { name: 'Application Password rules' }).hover();
    await expect(page.getByRole('tooltip')).toContainText('8 to 40 characters long');
    await page.mouse.move(0, 0);

    await password.fill('Tr0ub4dor&3');
    await expect(checks.locator('[data-state="unmet"]')).toHaveCount(0);
    await page.getByLabel('Confirm password').fill('Tr0ub4dor&');
    await expect(page.getByText('✗ The passwords do not match yet.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Reset password' })).toBeDisabled();
    await page.getByLabel('Confirm password').fill('Tr0ub4dor&3');
    await page.screenshot({ path: testInfo.outputPath('reset-page-typing.png') });
    await page.getByRole('button', { name: 'Reset password' }).click();
    await expect(page.getByText('Your Application Password has been changed.')).toBeVisible();

    await page.getByRole('button', { name: 'Generate temporary passcode' }).click();
    const digits = page.getByRole('status').getByLabel('Temporary passcode');
    await expect(digits).toHaveText(/^\d{6}$/u);
    await expect(page.getByText('It is shown only this once.')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('reset-page-done.png') });
    await page.screenshot({ path: 'test-results/screenshots/reset-page-done.png' });

    // A reload has no token to use: it says to open the link again, which then says what is done.
    await page.reload();
    await expect(
      page.getByRole('heading', { name: 'Open the link from your email again' }),
    ).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/reset-page-reopen.png' });
    await page.goto(link);
    await expect(page.getByText('The password was already changed with this link.')).toBeVisible();
    await expect(
      page.getByText('A temporary passcode was already generated with this link.'),
    ).toBeVisible();
    const audit = (await reset.admin('/api/v1/audit')) as {
      entries: { action: string; outcome: string }[];
    };
    expect(
      audit.entries
        .slice(0, 2)
        .map((e) => e.action)
        .sort(),
    ).toEqual(['self-service passcode', 'self-service password']);
  });

  test('refuses a password from the user’s history, saying why', async ({ page, reset }) => {
    await fetch(`${reset.backend.url}/api/v1/password-resets`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${reset.backend.adminToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ userIds: ['11635-02'], applicationPassword: 'Zx9/Qw8#' }),
    });
    await page.goto(await reset.linkFor('11635-02'));
    await page.getByLabel('New password').fill('Zx9/Qw8#');
    await page.getByLabel('Confirm password').fill('Zx9/Qw8#');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await expect(page.getByRole('alert')).toHaveText(
      'You have used this password before. Choose a different one.',
    );
    const checks = page.getByRole('list', { name: 'Rule checks' });
    await expect(checks.locator('[data-rule="not-previous"]')).toHaveAttribute(
      'data-state',
      'unmet',
    );
  });

  test('says which secrets the help desk set as temporary, until the user chooses their own', async ({
    page,
    reset,
  }, testInfo) => {
    const answer = (await reset.admin('/api/v1/password-resets', {
      userIds: ['11635-02'],
      applicationPassword: 'Zx9/Qw8#',
      voicePortalPasscode: '975311',
      temporary: true,
    })) as { results: { temporary?: boolean }[] };
    expect(answer.results[0]?.temporary).toBe(true);
    await page.goto(await reset.linkFor('11635-02'));
    const passwordNote = page.getByText(
      'Your Application Password was set by the help desk as temporary: choose your own here.',
    );
    const passcodeNote = page.getByText(
      'Your Voice Portal Passcode is temporary: enter it at your voice portal, which asks you to choose your own.',
      { exact: false },
    );
    await expect(passwordNote).toBeVisible();
    await expect(passcodeNote).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('reset-page-temporary.png') });
    await page.screenshot({ path: 'test-results/screenshots/reset-page-temporary.png' });

    await page.getByLabel('New password').fill('Tr0ub4dor&3');
    await page.getByLabel('Confirm password').fill('Tr0ub4dor&3');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await expect(page.getByText('Your Application Password has been changed.')).toBeVisible();
    await expect(passwordNote).toHaveCount(0);
    await expect(passcodeNote).toBeVisible();
  });

  test('says nothing is temporary after a reset that did not ask', async ({ page, reset }) => {
    await reset.admin('/api/v1/password-resets', {
      userIds: ['11635-02'],
      applicationPassword: 'Zx9/Qw8#',
    });
    await page.goto(await reset.linkFor('11635-02'));
    await expect(page.getByLabel('New password')).toBeVisible();
    await expect(page.locator('.reset-panel__temporary')).toHaveCount(0);
  });

  test('shows the expired page once the clock has moved past 20 minutes', async ({
    page,
    reset,
  }, testInfo) => {
    const link = await reset.linkFor('11635-03');
    reset.clock.advance(20 * 60_000 + 1000);
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText(
      'Ask your administrator to send you a new link.',
    );
    await page.screenshot({ path: testInfo.outputPath('reset-page-expired.png') });
  });

  test('turns into the expired page when the countdown runs out', async ({ page, reset }) => {
    const link = await reset.linkFor('11635-04');
    reset.clock.advance(20 * 60_000 - 2000);
    await page.goto(link);
    await expect(page.getByRole('timer')).toContainText(/0m [12]s/u);
    await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible({
      timeout: 5000,
    });
  });

  test('says a replaced link has expired', async ({ page, reset }) => {
    const older = await reset.linkFor('11635-05');
    await reset.linkFor('11635-05');
    await page.goto(older);
    await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible();
  });
  test('says in words how long to wait when bogus links from the same network locked it', async ({
    page,
    reset,
  }) => {
    const link = await reset.linkFor('11635-08');
    // 20 tokens that open nothing, from this machine: the browser below shares its address.
    for (let i = 0; i < 20; i += 1) {
      const bogus = await fetch(`${reset.backend.url}/api/v1/self-service/session`, {
        headers: { Authorization: `Bearer ${'x'.repeat(42)}${i % 10}` },
      });
      expect(bogus.status).toBe(410);
    }
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'Too many attempts' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText(
      /Too many attempts were made in a short time, so this page has to pause\. Please wait \d+ seconds, then try again\./u,
    );
    await expect(page.getByRole('alert')).not.toContainText('{');
    const retry = page.getByRole('button', { name: 'Try again' });
    await expect(retry).toBeDisabled();
    await expect(retry).toContainText(/Try again in \d+ seconds/u);
    await page.screenshot({ path: 'test-results/screenshots/reset-page-rate-limited.png' });
  });

  test('answers a page in words when it was loaded too often from one network', async ({
    page,
    reset,
  }) => {
    const link = await reset.linkFor('11635-07');
    for (let i = 0; i < 60; i += 1) {
      expect((await fetch(`${reset.backend.url}/reset/opened`)).status).toBe(200);
    }
    const answer = await page.goto(link);
    expect(answer?.status()).toBe(429);
    await expect(page.getByRole('heading', { name: 'Please wait a moment' })).toBeVisible();
    await expect(
      page.getByText(/Wait \d+ seconds: the page then opens again by itself\./u),
    ).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/reset-page-loaded-too-often.png' });
  });
});
