/**
 * The vendor article's paths, walked end to end as a help-desk operator would: one test each.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';

const cell = (page: Page, row: number, column = 'id') =>
  page.locator(`.ag-row[row-index="${row}"] .ag-cell[col-id="${column}"]`);

async function pickLocation(page: Page, name: RegExp): Promise<void> {
  const select = page.getByLabel('Location');
  await expect(select.locator('option', { hasText: name })).toHaveCount(1);
  const labels = await select.locator('option').allTextContents();
  await select.selectOption({ label: labels.find((label) => name.test(label)) ?? '' });
}

async function search(page: Page, text: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search' }).fill(text);
}

async function menu(page: Page, row: number, item: string | RegExp): Promise<void> {
  await cell(page, row).click({ button: 'right' });
  await page.getByRole('menu', { name: 'Users' }).getByRole('menuitem', { name: item }).click();
}

const newestJob = (page: Page) => page.locator('.job-card').first();

test.describe('the article, end to end', () => {
  test('a user without email gets their password reset by the help desk (the FAQ)', async ({
    app,
  }) => {
    const { page } = app;
    await pickLocation(page, /^Branch 11635/u);
    await search(page, '11635-06');
    await expect(page.getByTestId('shown-count')).toHaveText(/^1 shown of 300 users$/u);
    await expect(cell(page, 0, 'email')).toHaveText('no email');
    await menu(page, 0, 'Reset Password(s)');
    const dialog = page.getByRole('dialog', { name: 'Reset passwords' });
    await dialog.getByLabel('Application Password', { exact: true }).fill('Tr0ub4dor&3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(newestJob(page)).toHaveAttribute('data-state', 'completed', { timeout: 20_000 });
    await expect(newestJob(page).getByTestId('job-progress')).toHaveText('1 of 1 changed');
    await expect(cell(page, 0, 'lastAction')).toHaveText('Reset: changed');
  });

  test('Intercept selected and Update Licenses, including a license that runs out', async ({
    app,
  }, testInfo) => {
    const { page } = app;
    await pickLocation(page, /^Contact Center/u);
    await expect(page.getByTestId('shown-count')).toHaveText('300 shown of 300 users');

    // Intercept: five users, on.
    await cell(page, 0).click();
    await cell(page, 4).click({ modifiers: ['Shift'] });
    await menu(page, 0, 'Intercept selected (5)');
    const intercept = page.getByRole('dialog', { name: 'Intercept selected users' });
    await intercept.getByLabel('Turn intercept on').check();
    await intercept.getByRole('button', { name: 'Save' }).click();
    await expect(intercept).toBeHidden();
    await expect(newestJob(page)).toHaveAttribute('data-state', 'completed', { timeout: 20_000 });
    await expect(newestJob(page)).toContainText('Turn intercept on · 5 users');
    for (let row = 0; row < 5; row += 1)
      await expect(cell(page, row, 'intercepted')).toHaveText('On');

    // Licenses: everyone in the location gets a Contact Center Agent license; 260 exist.
    await menu(page, 0, 'Select All (300)');
    await menu(page, 0, 'Update Licenses (300)');
    const licenses = page.getByRole('dialog', { name: 'Update licenses' });
    await expect(licenses.getByRole('rowheader', { name: 'Contact Center Agent' })).toBeVisible();
    await licenses.getByLabel('Change for Contact Center Agent').selectOption('add');
    const preview = licenses.getByTestId('license-preview');
    await expect(preview).toContainText(
      /^Contact Center Agent: \d+ of the selected users need one/u,
    );
    await page.screenshot({ path: 'test-results/screenshots/licenses-preview.png' });
    const [, short = '0'] =
      /so ([\d,]+) users? would not get it/u.exec((await preview.textContent()) ?? '') ?? [];
    await licenses.getByRole('button', { name: 'Save' }).click();
    await expect(licenses).toBeHidden();
    const job = newestJob(page);
    await expect(job).toHaveAttribute('data-state', 'completed', { timeout: 20_000 });
    await expect(job.getByTestId('job-badge')).toHaveText('Finished with problems');
    await expect(job.getByTestId('job-summary')).toContainText(`${short} rejected`);
    await job.getByRole('button', { name: 'Results' }).click();
    const results = page.getByRole('dialog', { name: 'Job results' });
    await expect(results.locator('tr[data-outcome="rejected"]').first()).toContainText(
      'No cc-agent license is left to assign; nothing was changed for this user.',
    );
    await page.screenshot({ path: testInfo.outputPath('licenses-results.png') });
  });
});
