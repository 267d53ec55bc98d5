import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Page } from '@playwright/test';
import { naturalKey } from '../../electron/backend/db/users-store.ts';
import { expect, test } from './support/fixtures.ts';
import { expectRulesUnmet } from './support/rule-checks.ts';

const status = (page: Page) => ({
  shown: page.getByTestId('shown-count'),
  selected: page.getByTestId('selected-count'),
});

async function pickLocation(page: Page, name: RegExp) {
  // The locations arrive after the page: wait for this one before reading its label.
  await expect(page.getByLabel('Location').locator('option', { hasText: name })).toHaveCount(1);
  await page.getByLabel('Location').selectOption({ label: (await optionLabel(page, name)) ?? '' });
}

async function optionLabel(page: Page, name: RegExp): Promise<string | null> {
  const labels = await page.getByLabel('Location').locator('option').allTextContents();
  return labels.find((label) => name.test(label)) ?? null;
}

const cell = (page: Page, row: number, column = 'id') =>
  page.locator(`.ag-row[row-index="${row}"] .ag-cell[col-id="${column}"]`);

test.describe('the users table', () => {
  test('loads every user in pages and shows counts', async ({ app }) => {
    const { page } = app;
    await expect(status(page).shown).toHaveText('1,500 shown of 1,500 users');
    await expect(status(page).selected).toHaveText('0 selected');
    await expect(page.getByRole('columnheader', { name: 'Last action' })).toBeAttached();
    await expect(page.locator('.ag-cell.users-grid__muted').first()).toHaveText('no email');
    await expect(cell(page, 0, 'location')).toHaveText('Branch 11635');
  });

  test('reads the users again by Reload or F5: a user added on the backend shows', async ({
    app,
  }) => {
    const { page } = app;
    await expect(status(page).shown).toHaveText('1,500 shown of 1,500 users');
    await expect(page.getByText(/^Read at /u)).toBeVisible();
    // Another tool provisions two users on the backend meanwhile.
    const db = new DatabaseSync(path.join(app.dataDir, 'backend', 'passdesk-backend.sqlite'));
    try {
      const add = db.prepare(
        `INSERT INTO users (id, first_name, last_name, email, location_id, sort_key)
         SELECT ?, ?, 'Newhire', ?, location_id, ? FROM users ORDER BY id LIMIT 1`,
      );
      for (const [id, name] of [
        ['11635-new-01', 'Nadia'],
        ['11635-new-02', 'Noor'],
      ] as const)
        add.run(id, name, `${name.toLowerCase()}@example.com`, naturalKey(id));
    } finally {
      db.close();
    }
    const search = page.getByLabel('Search');
    await search.fill('newhire nadia');
    await expect(status(page).shown).toHaveText('0 shown of 1,500 users');

    await page.getByRole('button', { name: 'Reload' }).click();
    await expect(status(page).shown).toHaveText('1 shown of 1,502 users');
    await expect(cell(page, 0, 'name')).toContainText('Newhire');
    // The picker's counts are read again too.
    await expect(page.getByLabel('Location').locator('option').first()).toHaveText(
      'All locations (1,502)',
    );
    await page.screenshot({ path: 'test-results/screenshots/users-reloaded.png' });

    // F5 in the table reads them again as well, and does not reload the window (the search stays).
    await search.fill('newhire');
    await expect(status(page).shown).toHaveText('2 shown of 1,502 users');
    const db2 = new DatabaseSync(path.join(app.dataDir, 'backend', 'passdesk-backend.sqlite'));
    try {
      db2.prepare('DELETE FROM users WHERE id = ?').run('11635-new-02');
    } finally {
      db2.close();
    }
    await cell(page, 0, 'id').click();
    await page.keyboard.press('F5');
    await expect(status(page).shown).toHaveText('1 shown of 1,501 users');
    await expect(search).toHaveValue('newhire');
  });

  test('resets a location: Select All, an invalid value, a valid one, progress, summary', async ({
    app,
  }, testInfo) => {
    const { page } = app;
    await pickLocation(page, /^Branch 11635 \(300\)$/u);
    await expect(status(page).shown).toHaveText('300 shown of 300 users');

    await cell(page, 2).click({ button: 'right' });
    const menu = page.getByRole('menu', { name: 'Users' });
    await expect(menu).toBeVisible();
    await expect(menu.getByRole('menuitem')).toHaveText([
      'Reset Password(s)',
      'Forgot Password(s)',
      'Intercept selected (1)',
      'Update Licenses (1)',
      'Edit user',
      'Select All (300)',
      'Unselect 1 item',
      'Inverse selection',
    ]);
    await menu.getByRole('menuitem', { name: 'Select All (300)' }).click();
    await expect(status(page).selected).toHaveText('300 selected');

    await cell(page, 0).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Reset Password(s)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset passwords' });
    await expect(dialog.getByRole('heading', { name: 'Current selection (300)' })).toBeVisible();
    await expect(dialog.getByText('and 295 more')).toBeVisible();

    const save = dialog.getByRole('button', { name: 'Save' });
    await expect(save).toBeDisabled();
    const password = dialog.getByLabel('Application Password', { exact: true });
    await password.fill('Abc12345');
    await expect(
      dialog.getByRole('button', { name: 'Application Password rules (not met)' }),
    ).toBeVisible();
    const checks = dialog
      .locator('[data-kind="applicationPassword"]')
      .getByRole('list', { name: 'Rule checks' });
    await expect(checks.locator('[data-state="unmet"]')).toHaveCount(2);
    await expectRulesUnmet(checks, ['max-sequence', 'needs-special']);
    await expect(save).toBeDisabled();
    await dialog.getByRole('button', { name: 'Application Password rules (not met)' }).hover();
    await expect(page.getByRole('tooltip')).toContainText('At least 1 digit, 1 capital letter');
    await page.screenshot({ path: testInfo.outputPath('reset-dialog-invalid.png') });

    await password.fill('Tr0ub4dor&3');
    await expect(checks.locator('[data-state="unmet"]')).toHaveCount(0);
    await expect(save).toBeEnabled();
    await save.click();
    await expect(dialog).toBeHidden();

    const job = page.locator('.job-card').first();
    await expect(job.getByRole('progressbar')).toBeVisible();
    await expect(job).toHaveAttribute('data-state', 'completed', { timeout: 20_000 });
    await expect(job.getByTestId('job-progress')).toHaveText('300 of 300 changed');
    await expect(job.getByTestId('job-summary')).toHaveText('');
    await expect(cell(page, 0, 'lastAction')).toHaveText('Reset: changed');
    await page.screenshot({ path: testInfo.outputPath('job-finished.png') });
    await page.screenshot({ path: 'test-results/screenshots/users-job-finished.png' });
  });

  test('inverts and clears the selection within the users shown', async ({ app }) => {
    const { page } = app;
    await pickLocation(page, /^Wayne Office/u);
    await expect(status(page).shown).toHaveText('300 shown of 300 users');
    await cell(page, 0).click();
    await cell(page, 1).click({ modifiers: ['ControlOrMeta'] });
    await expect(status(page).selected).toHaveText('2 selected');

    await cell(page, 1).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Inverse selection' }).click();
    await expect(status(page).selected).toHaveText('298 selected');

    await cell(page, 3).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Unselect 298 items' }).click();
    await expect(status(page).selected).toHaveText('0 selected');

    await cell(page, 4).click({ button: 'right' });
    await expect(status(page).selected).toHaveText('1 selected');
    const items = page.getByRole('menu').getByRole('menuitem');
    await expect(items.filter({ hasText: 'Reset Password(s)' })).not.toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });

  test('keeps the search when the location changes', async ({ app }) => {
    const { page } = app;
    await pickLocation(page, /^Philadelphia HQ/u);
    await page.getByRole('searchbox').fill('jamal');
    await expect(status(page).shown).not.toHaveText('300 shown of 300 users');
    const shown = await status(page).shown.textContent();
    await pickLocation(page, /^Wayne Office/u);
    await pickLocation(page, /^Philadelphia HQ/u);
    await expect(page.getByRole('searchbox')).toHaveValue('jamal');
    await expect(status(page).shown).toHaveText(shown ?? '');
  });

  test('searches, then Select All takes only the users shown', async ({ app }) => {
    const { page } = app;
    await page.getByRole('searchbox').fill('hudachek');
    await expect(status(page).shown).not.toHaveText('1,500 shown of 1,500 users');
    const shown = Number(
      ((await status(page).shown.textContent()) ?? '').split(' ')[0]?.replace(',', ''),
    );
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(1500);

    await cell(page, 0).click({ button: 'right' });
    await page.getByRole('menuitem', { name: `Select All (${shown})` }).click();
    await expect(status(page).selected).toHaveText(`${shown} selected`);
    await page.getByRole('searchbox').fill('');
    await expect(status(page).shown).toHaveText('1,500 shown of 1,500 users');
    await expect(status(page).selected).toHaveText(`${shown} selected`);
    await expect(page.getByTestId('hidden-selected')).toBeHidden();
    // A search that hides some of them says so beside the count.
    await page.getByRole('searchbox').fill('olga');
    await expect(page.getByTestId('hidden-selected')).toContainText('not shown by the search');
    await page.screenshot({ path: 'test-results/screenshots/users-search-hidden.png' });
  });

  test('a first right-click on a row selects it and opens the menu on it, first item focused', async ({
    app,
  }) => {
    const { page } = app;
    await expect(status(page).shown).toHaveText('1,500 shown of 1,500 users');
    await expect(status(page).selected).toHaveText('0 selected');
    await cell(page, 3, 'name').click({ button: 'right' });
    const menu = page.getByRole('menu', { name: 'Users' });
    await expect(menu).toBeVisible();
    await expect(status(page).selected).toHaveText('1 selected');
    await expect(page.getByRole('menuitem', { name: 'Reset Password(s)' })).toBeFocused();
    await expect(page.getByRole('menuitem', { name: 'Unselect 1 item' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    // In the empty space below the rows: the menu, on the selection as it is.
    const grid = await page.getByTestId('users-grid').boundingBox();
    await page.mouse.click((grid?.x ?? 0) + 200, (grid?.y ?? 0) + (grid?.height ?? 0) - 6, {
      button: 'right',
    });
    await expect(menu).toBeVisible();
    await expect(page.getByRole('menuitem', { name: 'Unselect 1 item' })).toBeVisible();
    await page.keyboard.press('Escape');
  });

  test('opens the menu from the keyboard and keeps it keyboard-driven', async ({ app }) => {
    const { page } = app;
    await expect(status(page).shown).toHaveText('1,500 shown of 1,500 users');
    await cell(page, 1).click();
    await page.keyboard.press('Shift+F10');
    const menu = page.getByRole('menu', { name: 'Users' });
    await expect(menu).toBeVisible();
    await expect(page.getByRole('menuitem', { name: 'Reset Password(s)' })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitem', { name: 'Forgot Password(s)' })).toBeFocused();
    for (let step = 0; step < 4; step += 1) await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitem', { name: 'Select All (1,500)' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(cell(page, 1)).toBeFocused();

    await page.keyboard.press('Shift+F10');
    for (let step = 0; step < 5; step += 1) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(status(page).selected).toHaveText('1,500 selected');

    // The Menu key opens it too.
    await cell(page, 2).click({ modifiers: ['ControlOrMeta'] });
    await page.keyboard.press('ContextMenu');
    await expect(menu).toBeVisible();
    await expect(page.getByRole('menuitem', { name: 'Unselect 1,499 items' })).toBeVisible();
    await page.keyboard.press('Escape');
  });

  test('sorts by a column header and resizes columns', async ({ app }) => {
    const { page } = app;
    await pickLocation(page, /^Wayne Office/u);
    await expect(status(page).shown).toHaveText('300 shown of 300 users');
    const first = await cell(page, 0).textContent();
    const header = page.locator('.ag-header-cell[col-id="id"]');
    await header.click();
    await header.click();
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    await expect(cell(page, 0)).not.toHaveText(first ?? '');
    const ids = await page.locator('.ag-row .ag-cell[col-id="id"]').allTextContents();
    expect(ids.slice(0, 3)).toEqual([...ids.slice(0, 3)].sort().reverse());

    const phone = page.locator('.ag-header-cell[col-id="phoneNumber"]');
    const before = (await phone.boundingBox())?.width ?? 0;
    const grip = (await phone.locator('.ag-header-cell-resize').boundingBox()) ?? {
      x: 0,
      y: 0,
      width: 0,
      height: 0,
    };
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await page.mouse.down();
    await page.mouse.move(grip.x + grip.width / 2 + 60, grip.y + grip.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect
      .poll(async () => (await phone.boundingBox())?.width ?? 0)
      .toBeGreaterThan(before + 40);
  });

  test('selects with clicks, checkboxes, Shift ranges, the header checkbox and the keyboard', async ({
    app,
  }, testInfo) => {
    const { page } = app;
    await pickLocation(page, /^Philadelphia HQ/u);
    await expect(status(page).shown).toHaveText('300 shown of 300 users');
    const row = (index: number) => page.locator(`.ag-row[row-index="${index}"]`).first();
    const box = (index: number) => row(index).getByRole('checkbox');
    const header = page.getByRole('checkbox', { name: /users shown/u });

    // A plain click selects one user; Shift extends from it; Ctrl/Cmd adds one more.
    await cell(page, 1).click();
    await cell(page, 4).click({ modifiers: ['Shift'] });
    await expect(status(page).selected).toHaveText('4 selected');
    await cell(page, 7).click({ modifiers: ['ControlOrMeta'] });
    await expect(status(page).selected).toHaveText('5 selected');
    await expect(row(3)).toHaveClass(/ag-row-selected/u);
    await expect(row(5)).not.toHaveClass(/ag-row-selected/u);
    await expect(box(3)).toBeChecked();
    await expect(box(5)).not.toBeChecked();
    await expect(header).toHaveAttribute('aria-checked', 'mixed');
    await expect(row(3)).toHaveAttribute('aria-selected', 'true');
    await expect(row(5)).toHaveAttribute('aria-selected', 'false');
    await page.screenshot({ path: 'test-results/screenshots/users-selection.png' });
    await page.screenshot({ path: testInfo.outputPath('users-selection.png') });

    // A checkbox flips its row and keeps the others; Shift on a checkbox adds the range.
    await box(1).click();
    await expect(status(page).selected).toHaveText('4 selected');
    await expect(box(1)).not.toBeChecked();
    // The focus stays on the row: Space flips it back.
    await page.keyboard.press('Space');
    await expect(status(page).selected).toHaveText('5 selected');
    await expect(box(1)).toBeChecked();
    // Shift on a checkbox inside the selection adds nothing and unchecks nothing.
    await box(3).click({ modifiers: ['Shift'] });
    await expect(status(page).selected).toHaveText('5 selected');
    await expect(box(3)).toBeChecked();
    await box(1).click();
    await box(10).click();
    await box(12).click({ modifiers: ['Shift'] });
    await expect(status(page).selected).toHaveText('7 selected');

    // A plain click replaces the selection.
    await cell(page, 0).click();
    await expect(status(page).selected).toHaveText('1 selected');

    // The header checkbox takes every user shown, then clears them.
    await header.click();
    await expect(status(page).selected).toHaveText('300 selected');
    await expect(header).toBeChecked();
    await header.click();
    await expect(status(page).selected).toHaveText('0 selected');
    // From the keyboard: Space on the header cell toggles them once, and no row besides.
    await cell(page, 4).click();
    await page.locator('.ag-header-cell[col-id="select"]').focus();
    await page.keyboard.press('Space');
    await expect(status(page).selected).toHaveText('300 selected');
    await page.keyboard.press('Space');
    await expect(status(page).selected).toHaveText('0 selected');

    // Space flips the focused row; Ctrl/Cmd+A selects every user shown.
    await cell(page, 2).click({ modifiers: ['ControlOrMeta'] });
    await expect(status(page).selected).toHaveText('1 selected');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect(status(page).selected).toHaveText('2 selected');
    await expect(box(3)).toBeChecked();
    await page.keyboard.press('Space');
    await expect(status(page).selected).toHaveText('1 selected');
    await page.keyboard.press('ControlOrMeta+a');
    await expect(status(page).selected).toHaveText('300 selected');
  });

  test('never shows the native menu, and keeps the menu inside the window', async ({ app }) => {
    const { page } = app;
    const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
    await expect(status(page).shown).toHaveText('1,500 shown of 1,500 users');
    const grid = page.getByTestId('users-grid');
    const box = await grid.boundingBox();
    // Listen first (capture, on the way down); after the click, read whether the default was prevented.
    await page.evaluate(() => {
      window.addEventListener(
        'contextmenu',
        (event) => {
          setTimeout(() => {
            (window as unknown as { __prevented: boolean }).__prevented = event.defaultPrevented;
          }, 0);
        },
        { once: true, capture: true },
      );
    });
    await page.mouse.click(
      (box?.x ?? 0) + (box?.width ?? 0) - 30,
      (box?.y ?? 0) + (box?.height ?? 0) - 10,
      {
        button: 'right',
      },
    );
    await expect(page.getByRole('menu')).toBeVisible();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __prevented?: boolean }).__prevented))
      .toBe(true);
    const menu = await page.getByRole('menu').boundingBox();
    expect((menu?.x ?? 0) + (menu?.width ?? 0)).toBeLessThanOrEqual(viewport.width);
    expect((menu?.y ?? 0) + (menu?.height ?? 0)).toBeLessThanOrEqual(viewport.height);
  });
});

test.describe('job results', () => {
  test('lists each user with the reason, selects them, and runs them again', async ({ app }) => {
    const { page } = app;
    await pickLocation(page, /^Remote Staff/u);
    await expect(status(page).shown).toHaveText('300 shown of 300 users');

    const resetSelection = async (secret: string) => {
      await cell(page, 0).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Reset Password(s)' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Voice Portal Passcode', { exact: true }).fill(secret);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect(dialog).toBeHidden();
    };

    await cell(page, 0).click();
    await cell(page, 2).click({ modifiers: ['Shift'] });
    await resetSelection('975311');
    await expect(page.locator('.job-card').first()).toHaveAttribute('data-state', 'completed', {
      timeout: 20_000,
    });

    await cell(page, 0).click();
    await cell(page, 4).click({ modifiers: ['Shift'] });
    await expect(status(page).selected).toHaveText('5 selected');
    await resetSelection('975311');
    const second = page.locator('.job-card').first();
    await expect(second).toHaveAttribute('data-state', 'completed', { timeout: 20_000 });
    await expect(second.getByTestId('job-progress')).toHaveText('2 of 5 changed');
    await expect(second.getByTestId('job-summary')).toContainText('3 rejected');

    await second.getByRole('button', { name: 'Results' }).click();
    const results = page.getByRole('dialog', { name: 'Job results' });
    await expect(results.locator('tr[data-outcome="rejected"]')).toHaveCount(3);
    await expect(results.locator('tr[data-outcome="rejected"]').first()).toContainText(
      'The Voice Portal Passcode breaks a rule: not the same as the previous passcode. Nothing was changed.',
    );
    await results.getByRole('button', { name: 'Select these users (3)' }).click();
    await expect(status(page).selected).toHaveText('3 selected');
    await expect(page.getByRole('status').filter({ hasText: 'from the job' })).toHaveText(
      /Selected 3 users from the job\./u,
    );
    await expect(cell(page, 0, 'lastAction')).toHaveText('Reset: rejected');

    // The CSV has every user with outcome and reason, and never the secret.
    await second.getByRole('button', { name: 'Results' }).click();
    const download = page.waitForEvent('download');
    await results.getByRole('button', { name: 'Export CSV' }).click();
    const csv = await readFile(await (await download).path(), 'utf8');
    expect(csv.split(/\r?\n/u).filter((line) => line !== '')).toHaveLength(6);
    expect(csv).toContain('rejected');
    expect(csv).not.toContain('975311');

    // Retry failed asks for the secret again and runs exactly those users.
    await results.getByRole('button', { name: 'Retry failed (3)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset passwords' });
    await expect(dialog.getByRole('heading', { name: 'Current selection (3)' })).toBeVisible();
    await dialog.getByLabel('Voice Portal Passcode', { exact: true }).fill('860431');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    const third = page.locator('.job-card').first();
    await expect(third).toHaveAttribute('data-state', 'completed', { timeout: 20_000 });
    await expect(third.getByTestId('job-progress')).toHaveText('3 of 3 changed');
    await expect(cell(page, 0, 'lastAction')).toHaveText('Reset: changed');
  });
});
