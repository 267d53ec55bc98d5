import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';

const SHOTS = 'test-results/screenshots';
const cell = (page: Page, row: number, column = 'id') =>
  page.locator(`.ag-row[row-index="${row}"] .ag-cell[col-id="${column}"]`);
const jobsPanel = (page: Page) => page.getByRole('region', { name: 'Jobs' });
const splitter = (page: Page) => page.getByRole('separator', { name: 'Resize the jobs panel' });

/** Table rows shown whole, between the column headers and the bottom of the grid. */
function rowsShown(page: Page): Promise<number> {
  return page.evaluate(() => {
    const top = document.querySelector('.ag-header')?.getBoundingClientRect().bottom ?? 0;
    const bottom = document.querySelector('.ag-grid-viewport')?.getBoundingClientRect().bottom ?? 0;
    const indexes = new Set<string>();
    for (const row of document.querySelectorAll('.ag-row[row-index]')) {
      const box = row.getBoundingClientRect();
      if (box.height > 0 && box.top >= top - 1 && box.bottom <= bottom + 1)
        indexes.add(row.getAttribute('row-index') ?? '');
    }
    return indexes.size;
  });
}

const jobsHeight = async (page: Page) => (await jobsPanel(page).boundingBox())?.height ?? 0;

async function pickLocation(page: Page, name: RegExp): Promise<void> {
  const select = page.getByLabel('Location');
  await expect(select.locator('option', { hasText: name })).toHaveCount(1);
  const labels = await select.locator('option').allTextContents();
  await select.selectOption({ label: labels.find((label) => name.test(label)) ?? '' });
}

async function loaded(page: Page): Promise<void> {
  await expect(page.getByTestId('shown-count')).toHaveText('1,500 shown of 1,500 users');
}

test.describe('the window layout', () => {
  test('leaves the table 12 rows and one job card by default; collapsing gives it more, and is remembered', async ({
    app,
  }) => {
    const { page } = app;
    await loaded(page);
    await expect(page.getByText(/^No jobs yet\. Right-click/u)).toBeVisible();
    expect(await rowsShown(page)).toBeGreaterThanOrEqual(12);
    const expandedRows = await rowsShown(page);
    await page.screenshot({ path: `${SHOTS}/layout-expanded-1280.png` });

    await jobsPanel(page).getByRole('button', { name: 'Collapse' }).click();
    await expect(page.getByText(/^No jobs yet\. Right-click/u)).toBeHidden();
    await expect(splitter(page)).toHaveCount(0);
    await expect(jobsPanel(page)).toContainText('No jobs yet');
    await expect.poll(() => rowsShown(page)).toBeGreaterThan(expandedRows);
    expect(await jobsHeight(page)).toBeLessThan(48);
    await page.screenshot({ path: `${SHOTS}/layout-collapsed-1280.png` });

    await page.reload();
    await loaded(page);
    const expand = jobsPanel(page).getByRole('button', { name: 'Expand' });
    await expect(expand).toHaveAttribute('aria-expanded', 'false');
    await expect.poll(() => rowsShown(page)).toBeGreaterThan(expandedRows);

    await page.setViewportSize({ width: 1024, height: 640 });
    await expect.poll(() => rowsShown(page)).toBeGreaterThanOrEqual(11);
    await page.screenshot({ path: `${SHOTS}/layout-collapsed-1024.png` });
    await expand.click();
    await expect(page.getByText(/^No jobs yet\. Right-click/u)).toBeVisible();
    await expect.poll(() => rowsShown(page)).toBeGreaterThanOrEqual(10);
    await page.screenshot({ path: `${SHOTS}/layout-expanded-1024.png` });
  });

  test('names the newest job in the collapsed header, also one started while collapsed', async ({
    app,
  }) => {
    const { page } = app;
    await pickLocation(page, /^Wayne Office/u);
    await expect(page.getByTestId('shown-count')).toHaveText('300 shown of 300 users');
    await jobsPanel(page).getByRole('button', { name: 'Collapse' }).click();

    await cell(page, 0).click();
    await cell(page, 2).click({ modifiers: ['Shift'] });
    await cell(page, 0).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Reset Password(s)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset passwords' });
    await dialog.getByLabel('Application Password', { exact: true }).fill('Tr0ub4dor&3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();

    // Still collapsed; the header says what the job did.
    await expect(jobsPanel(page).getByRole('button', { name: 'Expand' })).toBeVisible();
    await expect(jobsPanel(page).getByTestId('jobs-newest')).toHaveText(
      'Finished: Reset Application Password · 3 of 3 changed',
      { timeout: 20_000 },
    );
    await expect(page.locator('.job-card')).toBeHidden();
    await page.screenshot({ path: `${SHOTS}/layout-collapsed-job-1280.png` });
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.screenshot({ path: `${SHOTS}/layout-collapsed-job-1024.png` });

    // Expanded at its smallest, the card is cut: the header keeps the line about it.
    await jobsPanel(page).getByRole('button', { name: 'Expand' }).click();
    await expect(page.locator('.job-card')).toBeVisible();
    await expect(jobsPanel(page).getByTestId('jobs-newest')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/layout-expanded-job-1024.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${SHOTS}/layout-expanded-job-1280.png` });
    // Made tall enough for the whole card, the header has no need of it.
    await splitter(page).focus();
    await page.keyboard.press('PageUp');
    await expect(jobsPanel(page).getByTestId('jobs-newest')).toBeHidden();
    await page.screenshot({ path: `${SHOTS}/layout-expanded-job-taller-1280.png` });
  });

  test('resizes the jobs panel with the splitter, by mouse and by keyboard, and remembers it', async ({
    app,
  }) => {
    const { page } = app;
    await loaded(page);
    const bar = splitter(page);
    await expect(bar).toHaveAttribute('aria-orientation', 'horizontal');
    const before = Number(await bar.getAttribute('aria-valuenow'));
    const rowsBefore = await rowsShown(page);
    const box = (await bar.boundingBox()) ?? { x: 0, y: 0, width: 0, height: 0 };
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 160, { steps: 8 });
    await page.mouse.up();
    await expect(bar).toHaveAttribute('aria-valuenow', String(before + 160));
    await expect.poll(() => jobsHeight(page)).toBeCloseTo(before + 160, 0);
    expect(await rowsShown(page)).toBeLessThan(rowsBefore);
    await page.screenshot({ path: `${SHOTS}/layout-resized-1280.png` });

    // The drag left the focus on the bar: the keys carry on from there.
    await expect(bar).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(bar).toHaveAttribute('aria-valuenow', String(before + 160 - 64));
    await page.keyboard.press('End');
    const max = Number(await bar.getAttribute('aria-valuemax'));
    await expect(bar).toHaveAttribute('aria-valuenow', String(max));
    // The table keeps its toolbar, headers, three rows and status bar.
    expect(await rowsShown(page)).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: `${SHOTS}/layout-resized-largest-1280.png` });
    await page.keyboard.press('Home');
    await expect(bar).toHaveAttribute(
      'aria-valuenow',
      (await bar.getAttribute('aria-valuemin')) ?? '',
    );
    await expect(page.getByText(/^No jobs yet\. Right-click/u)).toBeVisible();
    await page.keyboard.press('PageUp');
    const chosen = await bar.getAttribute('aria-valuenow');

    await page.reload();
    await loaded(page);
    await expect(splitter(page)).toHaveAttribute('aria-valuenow', chosen ?? '');

    // A smaller window: the remembered size gives way so the table keeps its minimum.
    await splitter(page).focus();
    await page.keyboard.press('End');
    const largest = Number(await splitter(page).getAttribute('aria-valuenow'));
    await page.setViewportSize({ width: 1024, height: 640 });
    await expect
      .poll(async () => Number(await splitter(page).getAttribute('aria-valuemax')))
      .toBeLessThan(largest);
    await expect(splitter(page)).toHaveAttribute(
      'aria-valuenow',
      (await splitter(page).getAttribute('aria-valuemax')) ?? '',
    );
    expect(await rowsShown(page)).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: `${SHOTS}/layout-resized-1024.png` });
  });

  test('sorts user ids by the numbers in them', async ({ app }) => {
    const { page } = app;
    await pickLocation(page, /^Branch 11635 \(300\)$/u);
    await expect(page.getByTestId('shown-count')).toHaveText('300 shown of 300 users');
    const header = page.locator('.ag-header-cell[col-id="id"]');
    const ids = () => page.locator('.ag-row .ag-cell[col-id="id"]').allTextContents();
    const shownIds = async () => {
      const rows = await page.locator('.ag-row[row-index]').evaluateAll((elements) =>
        elements
          .map((row) => ({
            index: Number(row.getAttribute('row-index')),
            id: row.querySelector('.ag-cell[col-id="id"]')?.textContent ?? '',
          }))
          .sort((a, b) => a.index - b.index),
      );
      return rows.map((row) => row.id).slice(0, 14);
    };
    expect((await ids()).length).toBeGreaterThan(0);

    await header.click();
    await expect(header).toHaveAttribute('aria-sort', 'ascending');
    const first = Array.from({ length: 14 }, (_, i) => `11635-${String(i + 1).padStart(2, '0')}`);
    await expect.poll(shownIds).toEqual(first);

    await header.click();
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    // Words after numbers: the 12 "sanity" ids, then 299 (300 is the 12th of them).
    const last = [
      ...Array.from({ length: 12 }, (_, i) => `11635-sanity-${String(12 - i).padStart(2, '0')}`),
      '11635-299',
      '11635-298',
    ];
    await expect.poll(shownIds).toEqual(last);
    await page.screenshot({ path: `${SHOTS}/layout-sorted-1280.png` });
  });

  test('a search that matches nobody shows the app’s empty state; Clear search undoes it', async ({
    app,
  }) => {
    const { page } = app;
    await loaded(page);
    const search = page.getByRole('searchbox');
    await search.fill('xyz-nobody');
    const empty = page.getByRole('region', { name: 'No users match “xyz-nobody”' });
    await expect(empty).toBeVisible();
    await expect(empty).toContainText('Searched 1,500 users in all locations');
    await expect(page.getByTestId('shown-count')).toHaveText('0 shown of 1,500 users');
    await expect(page.getByText(/No Matching Rows|No Rows To Show/u)).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/layout-empty-search-1280.png` });
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.screenshot({ path: `${SHOTS}/layout-empty-search-1024.png` });

    await empty.getByRole('button', { name: 'Clear search' }).click();
    await expect(search).toHaveValue('');
    await expect(search).toBeFocused();
    await loaded(page);
    await expect(empty).toBeHidden();

    // A location with users, all hidden by the search: the same.
    await pickLocation(page, /^Wayne Office/u);
    await expect(page.getByTestId('shown-count')).toHaveText('300 shown of 300 users');
    await search.fill('11635');
    await expect(page.getByRole('region', { name: 'No users match “11635”' })).toContainText(
      'Searched 300 users in this location',
    );
    await page.getByRole('button', { name: 'Clear search' }).click();
    await expect(page.getByTestId('shown-count')).toHaveText('300 shown of 300 users');
  });

  test('shows the full value of a cut-off cell on hover and on keyboard focus', async ({ app }) => {
    const { page } = app;
    await loaded(page);
    const tip = page.getByTestId('overflow-tip');
    /** The row index of the first email shown cut off with an ellipsis. */
    const cutOffRow = () =>
      page.locator('.ag-cell[col-id="email"]').evaluateAll((cells) => {
        const cut = cells.find((c) => c.scrollWidth > c.clientWidth);
        return Number(cut?.closest('.ag-row')?.getAttribute('row-index') ?? -1);
      });
    const row = await cutOffRow();
    expect(row).toBeGreaterThanOrEqual(0);
    const email = cell(page, row, 'email');
    const full = (await email.textContent()) ?? '';
    expect(full).toMatch(/@example\.com$/u);

    await email.hover();
    await expect(tip).toHaveText(full);
    await page.screenshot({ path: `${SHOTS}/layout-hover-1280.png` });
    await cell(page, row, 'location').hover();
    await expect(tip).toBeHidden();

    // From the keyboard: a click on the row's phone cell, then to the email cell.
    await cell(page, row, 'phoneNumber').click();
    await expect(tip).toBeHidden();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(email).toBeFocused();
    await expect(tip).toHaveText(full);
    await page.keyboard.press('Escape');
    await expect(tip).toBeHidden();
    await page.keyboard.press('ArrowRight');
    await expect(tip).toBeHidden();

    await page.setViewportSize({ width: 1024, height: 640 });
    const narrowRow = await cutOffRow();
    const narrow = cell(page, narrowRow, 'email');
    await narrow.hover();
    await expect(tip).toHaveText((await narrow.textContent()) ?? '');
    await page.screenshot({ path: `${SHOTS}/layout-hover-1024.png` });
  });
});
