import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { resetLinkHandedOver } from './support/reset-links.ts';

const cell = (page: Page, row: number, column = 'id') =>
  page.locator(`.ag-row[row-index="${row}"] .ag-cell[col-id="${column}"]`);

/** The first row of the table whose user has an email: its row index and address. */
async function rowWithEmail(page: Page): Promise<{ row: number; email: string }> {
  await expect(cell(page, 0)).toBeVisible();
  for (let row = 0; row < 20; row += 1) {
    const email = ((await cell(page, row, 'email').textContent()) ?? '').trim();
    if (email.includes('@')) return { row, email };
  }
  throw new Error('none of the first 20 users has an email');
}

/** Forgot Password(s) for one user, as the help desk does it; waits for the job to finish. */
async function sendRecoveryEmail(page: Page, row: number): Promise<void> {
  await cell(page, row).click();
  await cell(page, row).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Forgot Password(s)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Email password recovery links' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const card = page.locator('.job-card').first();
  await expect(card).toHaveAttribute('data-state', 'completed', { timeout: 20_000 });
}

async function openOutbox(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Outbox', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Outbox' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test.describe('the Outbox', () => {
  test('shows a sent recovery email as its recipient sees it and opens its Reset link', async ({
    app,
  }) => {
    const { page } = app;
    let dialog = await openOutbox(page);
    await expect(dialog.getByRole('region', { name: 'No emails sent yet' })).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/outbox-empty.png' });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    const { row, email } = await rowWithEmail(page);
    const firstName = ((await cell(page, row, 'name').textContent()) ?? '').split(' ')[0] ?? '';
    await sendRecoveryEmail(page, row);

    dialog = await openOutbox(page);
    const sent = dialog.getByRole('list', { name: 'Sent emails' }).getByRole('button');
    await expect(sent).toHaveCount(1);
    await expect(sent.first()).toContainText(email);
    await expect(sent.first()).toContainText('Reset your telephony passwords');
    await expect(sent.first()).toContainText('Outbox only');
    await page.screenshot({ path: 'test-results/screenshots/outbox-list.png' });

    await sent.first().click();
    const message = dialog.getByRole('region', { name: 'Email: Reset your telephony passwords' });
    await expect(message.getByText(email, { exact: true })).toBeVisible();
    const iframe = message.locator('iframe');
    // Nothing in the frame may run: no scripts, no origin of its own, no popups.
    await expect(iframe).toHaveAttribute('sandbox', '');
    // Playwright's own probes into the frame are refused and say so: the sandbox at work.
    app.allowConsole(
      /^error: Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed and the 'allow-scripts' permission is not set\.$/u,
    );
    const inFrame = iframe.contentFrame();
    await expect(inFrame.getByText(`Hello ${firstName},`)).toBeVisible();
    await expect(
      inFrame.getByText('Someone asked to reset the Application Password'),
    ).toBeVisible();
    await expect(inFrame.locator('script')).toHaveCount(0);
    // Its own styles apply (the page's policy allows exactly these by hash); its link is inert.
    const reset = inFrame.getByText('Reset', { exact: true });
    await expect(reset).toHaveCSS('background-color', 'rgb(47, 111, 237)');
    await expect(reset).not.toHaveAttribute('href');
    // The app's page cannot reach into the frame, as the frame cannot reach out.
    expect(await iframe.evaluate((frame: HTMLIFrameElement) => frame.contentDocument)).toBeNull();
    await page.screenshot({ path: 'test-results/screenshots/outbox-message.png' });

    await message.getByRole('button', { name: 'Open the Reset link in the browser' }).click();
    await expect(message.getByRole('status')).toHaveText('Opened in your browser.');

    const link = await resetLinkHandedOver(page, app.dataDir);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/reset\/[A-Za-z0-9_-]{43}$/u);
    const browser = await page.context().newPage();
    await browser.goto(link);
    await expect(browser.getByRole('timer', { name: 'Time left to use this link' })).toContainText(
      /(20m 0s|19m \d+s)/u,
    );
    await browser.screenshot({ path: 'test-results/screenshots/outbox-reset-page.png' });
    await browser.close();
  });

  test('keeps a recovery email whose link was used, with words where the link was', async ({
    app,
  }) => {
    const { page } = app;
    app.allowConsole(
      /^error: Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed and the 'allow-scripts' permission is not set\.$/u,
    );
    await sendRecoveryEmail(page, (await rowWithEmail(page)).row);
    let dialog = await openOutbox(page);
    const recoveryEmail = () =>
      dialog.getByRole('list', { name: 'Sent emails' }).getByRole('button', {
        name: /Reset your telephony passwords/u,
      });
    await recoveryEmail().click();
    let message = dialog.getByRole('region', { name: 'Email: Reset your telephony passwords' });
    await message.getByRole('button', { name: 'Open the Reset link in the browser' }).click();
    await expect(message.getByRole('status')).toHaveText('Opened in your browser.');
    const link = await resetLinkHandedOver(page, app.dataDir);
    expect(link).toMatch(/\/reset\/[A-Za-z0-9_-]{43}$/u);
    const enduser = await page.context().newPage();
    await enduser.goto(link);
    await enduser.getByRole('button', { name: 'Generate temporary passcode' }).click();
    await expect(enduser.getByRole('status').getByLabel('Temporary passcode')).toHaveText(
      /^\d{6}$/u,
    );
    await enduser.close();
    await dialog.getByRole('button', { name: 'Close' }).click();

    dialog = await openOutbox(page);
    await recoveryEmail().click();
    message = dialog.getByRole('region', { name: 'Email: Reset your telephony passwords' });
    const inFrame = message.locator('iframe').contentFrame();
    await expect(
      inFrame.getByText(/^\[Link removed: it was used, replaced by a newer link/u),
    ).toBeVisible();
    await expect(inFrame.getByText('Reset', { exact: true })).toHaveCount(0);
    await expect(message.getByRole('button', { name: /Open the Reset link/u })).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/outbox-link-used.png' });
  });

  test('shows the backend’s failure to read an email instead of hiding it', async ({ app }) => {
    test.setTimeout(60_000);
    const { page } = app;
    await sendRecoveryEmail(page, (await rowWithEmail(page)).row);
    const dialog = await openOutbox(page);
    const sent = dialog.getByRole('list', { name: 'Sent emails' }).getByRole('button');
    await expect(sent).toHaveCount(1);

    // The built-in backend loses its outbox table: its answers become errors.
    const db = new DatabaseSync(path.join(app.dataDir, 'backend', 'passdesk-backend.sqlite'));
    try {
      db.exec('ALTER TABLE outbox RENAME TO outbox_lost');
    } finally {
      db.close();
    }
    await sent.first().click();
    await expect(dialog.getByRole('alert')).toContainText('The server hit an internal error.', {
      timeout: 30_000,
    });
    await page.screenshot({ path: 'test-results/screenshots/outbox-error.png' });
  });
});
