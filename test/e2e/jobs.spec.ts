import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';

const cell = (page: Page, row: number, column = 'id') =>
  page.locator(`.ag-row[row-index="${row}"] .ag-cell[col-id="${column}"]`);

async function pickLocation(page: Page, name: RegExp): Promise<void> {
  const select = page.getByLabel('Location');
  await expect(select.locator('option', { hasText: name })).toHaveCount(1);
  const labels = await select.locator('option').allTextContents();
  await select.selectOption({ label: labels.find((label) => name.test(label)) ?? '' });
}

async function openResetForAll(page: Page, count: string): Promise<Locator> {
  await cell(page, 0).click({ button: 'right' });
  await page.getByRole('menuitem', { name: `Select All (${count})` }).click();
  await cell(page, 0).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Reset Password(s)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset passwords' });
  await expect(dialog.getByRole('heading', { name: `Current selection (${count})` })).toBeVisible();
  return dialog;
}

/** What the built-in backend's own audit says it did, per outcome, for password resets. */
function backendOutcomes(dataDir: string): Record<string, number> {
  const db = new DatabaseSync(path.join(dataDir, 'backend', 'passdesk-backend.sqlite'), {
    readOnly: true,
  });
  try {
    const rows = db
      .prepare(
        `SELECT CASE WHEN outcome LIKE 'rejected%' THEN 'rejected' ELSE outcome END AS outcome,
                count(*) AS n
         FROM audit WHERE action LIKE 'password-reset%' GROUP BY 1`,
      )
      .all() as { outcome: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.outcome, row.n]));
  } finally {
    db.close();
  }
}

/** The finished job card's "N of M changed", "N rejected"… as numbers. */
async function cardCounts(card: Locator): Promise<Record<string, number>> {
  const number = (text: string) => Number(text.replace(/,/gu, ''));
  const words = await card.getByTestId('job-summary').locator('b').allTextContents();
  const counts = Object.fromEntries(
    words.map((text) => {
      const [, n = '0', what = ''] = /^([\d,]+) (.+)$/u.exec(text) ?? [];
      return [what, number(n)];
    }),
  );
  const progress = (await card.getByTestId('job-progress').textContent()) ?? '';
  const [, changed = 'NaN'] = /^([\d,]+) of [\d,]+ changed$/u.exec(progress) ?? [];
  return { ...counts, changed: number(changed) };
}

test.describe('bulk jobs at the backend’s real cost', () => {
  test.use({ hashing: 'production' });

  test('a reset with production hashing ends with the card’s counts equal to the backend’s', async ({
    app,
  }, testInfo) => {
    test.setTimeout(240_000);
    const { page } = app;
    await pickLocation(page, /^Branch 11635 \(300\)$/u);
    await expect(page.getByTestId('shown-count')).toHaveText('300 shown of 300 users');
    const dialog = await openResetForAll(page, '300');
    await dialog.getByLabel('Application Password', { exact: true }).fill('Tr0ub4dor&3');
    await dialog.getByLabel('Voice Portal Passcode', { exact: true }).fill('975311');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();

    const card = page.locator('.job-card').first();
    // At production cost the job takes a while: it shows what is out with the backend.
    await expect(card.getByTestId('job-in-flight')).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: 'test-results/screenshots/jobs-production-running.png' });
    await expect(card).toHaveAttribute('data-state', 'completed', { timeout: 200_000 });
    await expect(card.getByTestId('job-progress')).toHaveText('300 of 300 changed');
    await expect(card).toHaveAttribute('data-tone', 'success');
    await expect(card.getByTestId('job-badge')).toHaveText('Finished');

    const shown = await cardCounts(card);
    const backend = backendOutcomes(app.dataDir);
    expect(shown.changed).toBe(300);
    expect(backend.changed ?? 0).toBe(shown.changed);
    // The card shows only counts that are not zero.
    expect(backend.rejected ?? 0).toBe(shown.rejected ?? 0);
    expect(shown.failed ?? 0).toBe(0);
    expect(shown['not sent'] ?? 0).toBe(0);
    await page.screenshot({ path: testInfo.outputPath('jobs-production-finished.png') });
    await page.screenshot({ path: 'test-results/screenshots/jobs-production-finished.png' });
  });
});

/** Whether the built-in backend holds each kind of the user's current secret as temporary. */
function temporaryAtBackend(dataDir: string, userId: string): Record<string, boolean> {
  const db = new DatabaseSync(path.join(dataDir, 'backend', 'passdesk-backend.sqlite'), {
    readOnly: true,
  });
  try {
    const rows = db
      .prepare(
        `SELECT kind, temporary FROM secret_history h WHERE user_id = ?
         AND id = (SELECT max(id) FROM secret_history WHERE user_id = h.user_id AND kind = h.kind)`,
      )
      .all(userId) as { kind: string; temporary: number }[];
    return Object.fromEntries(rows.map((row) => [row.kind, row.temporary === 1]));
  } finally {
    db.close();
  }
}

test.describe('temporary secrets', () => {
  test('a reset sets them as temporary unless unticked, and the job says so', async ({
    app,
  }, testInfo) => {
    const { page } = app;
    // The table's rows come from main a block at a time: a row drawn before its block has come
    // is empty for a moment.
    await expect(cell(page, 0)).toHaveText(/\S/u);
    const userId = (await cell(page, 0).textContent()) ?? '';
    await cell(page, 0).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Reset Password(s)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset passwords' });
    const temporary = dialog.getByRole('checkbox', {
      name: 'Temporary: the user must choose their own',
    });
    await expect(temporary).toBeChecked();
    await expect(temporary).toBeEnabled();
    await dialog.getByLabel('Application Password', { exact: true }).fill('Tr0ub4dor&3');
    await dialog.getByLabel('Voice Portal Passcode', { exact: true }).fill('975311');
    // Keyboard: off and on again with Space.
    await temporary.focus();
    await page.keyboard.press('Space');
    await expect(temporary).not.toBeChecked();
    await page.keyboard.press('Space');
    await expect(temporary).toBeChecked();
    await dialog.screenshot({ path: testInfo.outputPath('reset-dialog-temporary.png') });
    await dialog.screenshot({ path: 'test-results/screenshots/reset-dialog-temporary.png' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();

    const card = page.locator('.job-card').first();
    await expect(card).toHaveAttribute('data-state', 'completed', { timeout: 30_000 });
    await expect(card.getByTestId('job-progress')).toHaveText('1 of 1 changed');
    await expect(card).toContainText('set as temporary');
    await card.getByRole('button', { name: 'Results' }).click();
    const results = page.getByRole('dialog', { name: 'Job results' });
    await expect(results.locator('tr[data-outcome="changed"]')).toContainText(
      'Set as temporary: the user is to choose their own.',
    );
    expect(temporaryAtBackend(app.dataDir, userId)).toEqual({
      applicationPassword: true,
      voicePortalPasscode: true,
    });
  });
});

test.describe('asking before it matters', () => {
  test('names the count before a job of more than 1,000 users, then runs it', async ({ app }) => {
    const { page } = app;
    await expect(page.getByTestId('shown-count')).toHaveText('1,500 shown of 1,500 users');
    const dialog = await openResetForAll(page, '1,500');
    await dialog.getByLabel('Voice Portal Passcode', { exact: true }).fill('975311');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const question = dialog.getByRole('group', {
      name: 'Set the Voice Portal Passcode of 1,500 users as temporary? This cannot be undone.',
    });
    await expect(question).toBeVisible();
    await expect(question.getByRole('button', { name: 'Back' })).toBeFocused();
    await page.screenshot({ path: 'test-results/screenshots/reset-dialog-confirm-large.png' });
    await question.getByRole('button', { name: 'Reset 1,500 users' }).click();
    await expect(dialog).toBeHidden();
    const card = page.locator('.job-card').first();
    await expect(card).toHaveAttribute('data-state', 'completed', { timeout: 30_000 });
    await expect(card.getByTestId('job-progress')).toHaveText('1,500 of 1,500 changed');
  });

  test('asks before discarding typed values, from Escape, ✕ and Cancel', async ({ app }) => {
    const { page } = app;
    await cell(page, 0).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Reset Password(s)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset passwords' });
    const password = dialog.getByLabel('Application Password', { exact: true });
    await password.fill('Tr0ub4dor&3');

    const question = dialog.getByRole('group', { name: 'Discard the values you typed?' });
    await page.keyboard.press('Escape');
    await expect(question).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/reset-dialog-discard.png' });
    await question.getByRole('button', { name: 'Keep editing' }).click();
    await expect(password).toHaveValue('Tr0ub4dor&3');

    await dialog.getByRole('button', { name: 'Close' }).click();
    await question.getByRole('button', { name: 'Keep editing' }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await question.getByRole('button', { name: 'Discard' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('.job-card')).toHaveCount(0);
  });
});
