import type { Locator, Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';

/**
 * Where the tooltip is drawn, seen from the page: whether the element under its centre and under
 * each corner (4 px in, clear of the rounded corners) is the tooltip or inside it — so nothing
 * covers it and nothing clips it — and whether its box lies inside the window.
 */
async function drawnOnTop(tooltip: Locator) {
  return tooltip.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const inset = 4;
    const points = {
      centre: [box.left + box.width / 2, box.top + box.height / 2],
      topLeft: [box.left + inset, box.top + inset],
      topRight: [box.right - inset, box.top + inset],
      bottomLeft: [box.left + inset, box.bottom - inset],
      bottomRight: [box.right - inset, box.bottom - inset],
    } as const;
    const hits = Object.fromEntries(
      Object.entries(points).map(([name, [x, y]]) => {
        const hit = document.elementFromPoint(x, y);
        return [name, hit !== null && element.contains(hit)];
      }),
    );
    const inWindow =
      box.left >= 0 &&
      box.top >= 0 &&
      box.right <= window.innerWidth &&
      box.bottom <= window.innerHeight;
    return { hits, inWindow };
  });
}

async function expectDrawnOnTop(tooltip: Locator) {
  await expect(tooltip).toBeVisible();
  expect(await drawnOnTop(tooltip)).toEqual({
    hits: { centre: true, topLeft: true, topRight: true, bottomLeft: true, bottomRight: true },
    inWindow: true,
  });
}

async function openResetDialog(page: Page) {
  const firstRow = page.locator('.ag-row[row-index="0"] .ag-cell[col-id="id"]');
  await firstRow.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Reset Password(s)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset passwords' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test.describe('the rules tooltip inside dialogs', () => {
  test('is drawn above the Reset Password(s) dialog, on hover, on focus and as a warning', async ({
    app,
  }) => {
    const { page } = app;
    const dialog = await openResetDialog(page);
    const tooltip = page.getByRole('tooltip');

    await dialog.getByRole('button', { name: 'Application Password rules' }).hover();
    await expect(tooltip).toContainText('Application Password rules');
    await expectDrawnOnTop(tooltip);
    await page.screenshot({ path: 'test-results/screenshots/rules-tooltip-reset-dialog.png' });

    await dialog.getByRole('heading', { name: /^Current selection/u }).hover();
    await expect(tooltip).toBeHidden();
    await dialog.getByRole('button', { name: 'Voice Portal Passcode rules' }).focus();
    await expect(tooltip).toContainText('Digits only (0-9)');
    await expectDrawnOnTop(tooltip);
    await page.keyboard.press('Tab');
    await expect(tooltip).toBeHidden();

    await dialog.getByLabel('Application Password', { exact: true }).fill('abc');
    const warning = dialog.getByRole('button', { name: 'Application Password rules (not met)' });
    await expect(warning).toHaveText('!');
    await warning.hover();
    await expect(tooltip).toContainText('At least 1 digit');
    await expectDrawnOnTop(tooltip);
    await page.screenshot({
      path: 'test-results/screenshots/rules-tooltip-reset-dialog-warning.png',
    });
  });

  test('is drawn above the Password rules dialog', async ({ app }) => {
    const { page } = app;
    await page.getByRole('button', { name: 'Password rules' }).click();
    const dialog = page.getByRole('dialog', { name: 'Password rules' });
    await expect(dialog).toBeVisible();
    const tooltip = page.getByRole('tooltip');

    for (const name of ['Application Password rules', 'Voice Portal Passcode rules']) {
      await dialog.getByRole('button', { name, exact: true }).hover();
      await expect(tooltip).toContainText(name);
      await expectDrawnOnTop(tooltip);
      await dialog.getByRole('heading', { name: 'Password rules in effect' }).hover();
      await expect(tooltip).toBeHidden();
    }

    await dialog.getByLabel('Voice Portal Passcode', { exact: true }).fill('123');
    await dialog.getByRole('button', { name: 'Voice Portal Passcode rules (not met)' }).hover();
    await expect(tooltip).toContainText('Digits only (0-9)');
    await expectDrawnOnTop(tooltip);
    await page.screenshot({ path: 'test-results/screenshots/rules-tooltip-rules-dialog.png' });
  });

  test('stays inside a small window, above the dialog', async ({ app }) => {
    const { page } = app;
    await page.setViewportSize({ width: 640, height: 420 });
    await page.getByRole('button', { name: 'Password rules' }).click();
    const dialog = page.getByRole('dialog', { name: 'Password rules' });
    const tooltip = page.getByRole('tooltip');
    const hint = dialog.getByRole('button', { name: 'Voice Portal Passcode rules' });
    await hint.scrollIntoViewIfNeeded();
    await hint.hover();
    await expectDrawnOnTop(tooltip);
    await page.screenshot({ path: 'test-results/screenshots/rules-tooltip-small-window.png' });
  });
});
