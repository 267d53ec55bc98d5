/**
 * PassDesk against a remote backend, as a help desk would run it: the standalone backend in its
 * own process (its production password hashing, its own SMTP), set up from the Settings view
 * with its URL and API token; passwords reset and recovery links emailed through it. What the
 * job cards and PassDesk's journal say must be what the backend's own audit says it did.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Locator, Page } from '@playwright/test';
import { startBackendProcess, type BackendProcess } from '../support/backend-process.ts';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher.ts';
import { expect, test } from './support/fixtures.ts';

const TOKEN = 'e2e-remote-admin-token-5f0c2a9e7b1d4c38';
const SHOTS = 'test-results/screenshots';

const cell = (page: Page, row: number, column = 'id') =>
  page.locator(`.ag-row[row-index="${row}"] .ag-cell[col-id="${column}"]`);

async function menu(page: Page, item: string): Promise<void> {
  await cell(page, 0).click({ button: 'right' });
  await page.getByRole('menu', { name: 'Users' }).getByRole('menuitem', { name: item }).click();
}

/** Each user's outcome in one job, as PassDesk's journal keeps it. */
function journalOutcomes(
  dataDir: string,
  kind: string,
): { backend: string; byUser: Map<string, string> } {
  const db = new DatabaseSync(path.join(dataDir, 'journal', 'journal.sqlite'), { readOnly: true });
  try {
    const job = db
      .prepare('SELECT id, backend FROM jobs WHERE kind = ? ORDER BY created_at DESC LIMIT 1')
      .get(kind) as { id: string; backend: string };
    const rows = db
      .prepare('SELECT user_id AS userId, outcome FROM job_users WHERE job_id = ?')
      .all(job.id) as { userId: string; outcome: string }[];
    return { backend: job.backend, byUser: new Map(rows.map((r) => [r.userId, r.outcome])) };
  } finally {
    db.close();
  }
}

/** The backend's own audit: who it did `action` for, with what outcome, and in whose name. */
function backendAudit(
  dataDir: string,
  action: string,
): { userId: string; outcome: string; actor: string }[] {
  const db = new DatabaseSync(path.join(dataDir, 'passdesk-backend.sqlite'), { readOnly: true });
  try {
    return db
      .prepare('SELECT user_id AS userId, outcome, actor FROM audit WHERE action LIKE ?')
      .all(`${action}%`) as { userId: string; outcome: string; actor: string }[];
  } finally {
    db.close();
  }
}

const usersWith = (byUser: Map<string, string>, outcome: string): string[] =>
  [...byUser]
    .filter(([, o]) => o === outcome)
    .map(([userId]) => userId)
    .sort();

/** Every file under `dir`, read as text (to look for a secret in any of them). */
function everyFile(dir: string): string {
  let text = '';
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    text += statSync(file).isDirectory() ? everyFile(file) : readFileSync(file).toString('latin1');
  }
  return text;
}

const OPERATOR = 'Dana Okafor';

/** Settings → the operator's name, Remote, this URL and token; Test connection, then Save. */
async function connectTo(page: Page, url: string, token: string): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Your name').fill(OPERATOR);
  await dialog.getByRole('radio', { name: 'Remote' }).check();
  await dialog.getByLabel('Base URL').fill(url);
  await dialog.getByLabel('API token', { exact: true }).fill(token);
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByTestId('connection-verdict')).toContainText('Connected to', {
    timeout: 15_000,
  });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden({ timeout: 15_000 });
  await expect(page.locator('.app-header__backend')).toContainText(`Backend: ${new URL(url).host}`);
  await expect(page.getByTestId('connection-state')).toHaveText(/^(Connected|Slow)/u, {
    timeout: 15_000,
  });
}

async function finished(card: Locator, progress: string): Promise<void> {
  await expect(card).toHaveAttribute('data-state', 'completed', { timeout: 200_000 });
  await expect(card.getByTestId('job-progress')).toHaveText(progress);
}

test.describe('a remote backend in its own process', () => {
  let backend: BackendProcess;
  let backendDir: string;
  let smtp: SmtpCatcher;

  test.beforeAll(async () => {
    smtp = await startSmtpCatcher();
    const smtpPort = smtp.port;
    backendDir = mkdtempSync(path.join(tmpdir(), 'passdesk-e2e-standalone-'));
    // Its production hashing: no --test-hashing.
    backend = await startBackendProcess({
      dataDir: backendDir,
      adminToken: TOKEN,
      args: ['--seed', 'demo', '--smtp-host', '127.0.0.1', '--smtp-port', String(smtpPort)],
    });
  });
  test.afterAll(async () => {
    await backend.stop();
    await smtp.close();
    rmSync(backendDir, { recursive: true, force: true });
  });

  test('resets passwords and emails recovery links through it; the journal and its audit agree', async ({
    app,
  }, testInfo) => {
    test.setTimeout(300_000);
    const { page } = app;
    await expect(page.getByTestId('shown-count')).toHaveText('1,500 shown of 1,500 users');
    await connectTo(page, backend.url, TOKEN);
    // The remote backend's users, not the built-in one's; no Outbox (its emails really go).
    await expect(page.getByTestId('shown-count')).toHaveText('1,500 shown of 1,500 users');
    await expect(page.getByRole('button', { name: 'Outbox' })).toHaveCount(0);

    const select = page.getByLabel('Location');
    const labels = await select.locator('option').allTextContents();
    await select.selectOption({
      label: labels.find((l) => /^Branch 11635 \(300\)$/u.test(l)) ?? '',
    });
    await expect(page.getByTestId('shown-count')).toHaveText('300 shown of 300 users');

    // Both secrets of 300 users, at the backend's production cost.
    await menu(page, 'Select All (300)');
    await menu(page, 'Reset Password(s)');
    const reset = page.getByRole('dialog', { name: 'Reset passwords' });
    await reset.getByLabel('Application Password', { exact: true }).fill('Tr0ub4dor&3');
    await reset.getByLabel('Voice Portal Passcode', { exact: true }).fill('975311');
    await reset.getByRole('button', { name: 'Save' }).click();
    await expect(reset).toBeHidden();
    const resetCard = page
      .locator('.job-card')
      .filter({ hasText: 'Reset Application Password + Voice Portal Passcode · 300 users' });
    await finished(resetCard, '300 of 300 changed');
    await expect(resetCard).toHaveAttribute('data-tone', 'success');
    await page.screenshot({ path: `${SHOTS}/remote-reset-finished.png` });

    const resets = journalOutcomes(app.dataDir, 'password-reset');
    expect(resets.backend).toBe(`remote:${backend.url}`);
    expect(usersWith(resets.byUser, 'changed')).toHaveLength(300);
    const resetAudit = backendAudit(backendDir, 'password-reset');
    expect(resetAudit.map((r) => r.userId).sort()).toEqual(usersWith(resets.byUser, 'changed'));
    expect(new Set(resetAudit.map((r) => r.outcome))).toEqual(new Set(['changed']));
    // The audit names the operator at the help desk.
    expect(new Set(resetAudit.map((r) => r.actor))).toEqual(new Set([OPERATOR]));

    // Recovery links for the same 300: those with email get one by the backend's SMTP.
    await menu(page, 'Select All (300)');
    await menu(page, 'Forgot Password(s)');
    const forgot = page.getByRole('dialog', { name: 'Email password recovery links' });
    await forgot.getByRole('button', { name: 'Save' }).click();
    await expect(forgot).toBeHidden();
    const sentCard = page
      .locator('.job-card')
      .filter({ hasText: 'Email password recovery links · 300 users' });
    await expect(sentCard).toHaveAttribute('data-state', 'completed', { timeout: 60_000 });
    const sends = journalOutcomes(app.dataDir, 'recovery-email');
    // A sent email is "changed" in the journal (the card says "sent").
    const sent = usersWith(sends.byUser, 'changed');
    expect(sent.length).toBeGreaterThan(0);
    await expect(sentCard.getByTestId('job-progress')).toHaveText(`${sent.length} of 300 sent`);
    const sendAudit = backendAudit(backendDir, 'recovery-email');
    expect(
      sendAudit
        .filter((r) => r.outcome === 'sent')
        .map((r) => r.userId)
        .sort(),
    ).toEqual(sent);
    // The SMTP server also got the earlier reset's notices to its users: count the recovery
    // emails apart.
    const recoveryEmails = () =>
      smtp.received.filter((mail) => /^Subject: Reset your telephony passwords/mu.test(mail.data));
    await expect.poll(() => recoveryEmails().length, { timeout: 30_000 }).toBe(sent.length);
    // Each of them was told of the reset, without the secrets.
    const notices = smtp.received.filter((mail) =>
      // Headers unfolded: a long Subject goes on over several lines.
      /^Subject: Your Application Password and Voice Portal Passcode were reset by the help desk/mu.test(
        mail.data.replace(/\r?\n[ \t]+/gu, ' '),
      ),
    );
    expect(notices).toHaveLength(sent.length);
    for (const notice of notices) expect(notice.data).not.toMatch(/Tr0ub4dor&3|975311/u);

    // A recipient's link opens the backend's own 20-minute page.
    const unfolded = (recoveryEmails()[0]?.data ?? '').replace(/=\r?\n/gu, '');
    const link = /https?:\/\/[^\s"<>]+\/reset\/[A-Za-z0-9_-]{43}/u.exec(unfolded)?.[0];
    expect(link?.startsWith(backend.url)).toBe(true);
    const enduser = await page.context().newPage();
    await enduser.goto(link ?? '');
    await expect(enduser.getByRole('timer', { name: 'Time left to use this link' })).toContainText(
      /(20m 0s|19m \d+s)/u,
    );
    await enduser.close();
    await page.screenshot({ path: testInfo.outputPath('remote-recovery-finished.png') });

    // The API token is nowhere PassDesk writes: not in its journal, settings or logs.
    expect(everyFile(app.dataDir)).not.toContain(TOKEN);
  });
});
