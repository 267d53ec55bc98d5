import { API_METHODS } from '../../shared/ipc/index.ts';
import { describeRules } from '../../shared/rules/index.ts';
import { expect, test } from './support/fixtures.ts';

test.describe('the app shell', () => {
  test('loads the window with name and version from app:info', async ({ app }) => {
    const { page } = app;
    await expect(page).toHaveTitle('PassDesk');
    await expect(page.getByRole('heading', { level: 1, name: 'PassDesk' })).toBeVisible();
    await expect(page.locator('.app-header__version')).toHaveText(/^v\d+\.\d+\.\d+$/);
    await expect(page.getByRole('region', { name: 'Users' })).toBeVisible();
    const info = await page.evaluate(() => window.api?.getAppInfo());
    expect(info).toEqual({
      ok: true,
      data: {
        name: 'PassDesk',
        version: expect.any(String),
        backend: { kind: 'built-in', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
      },
    });
    await expect(page.getByText('Built-in demo backend')).toBeVisible();
  });

  test('gives the page no Node.js, and exactly the contract as window.api', async ({ app }) => {
    const { page } = app;
    const seen = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      module: typeof (globalThis as { module?: unknown }).module,
      apiKeys: Object.keys(window.api ?? {}),
      frozen: Object.isFrozen(window.api),
    }));
    expect(seen).toEqual({
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      apiKeys: [...API_METHODS],
      frozen: true,
    });
  });

  test('refuses bad input across IPC with a readable message', async ({ app }) => {
    const result = await app.page.evaluate(() =>
      (window.api?.getRules as unknown as (input: unknown) => Promise<unknown>)({ all: true }),
    );
    expect(result).toMatchObject({ ok: false, code: 'invalid-input', message: /rules:get/ });
  });

  test('blocks inline script by its content security policy', async ({ app }) => {
    app.allowConsole(/violates the following Content Security Policy directive 'script-src/u);
    const ran = await app.page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (window as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
  });

  test('shows the passcode rules on hover and on keyboard focus', async ({ app }, testInfo) => {
    const { page } = app;
    await page.getByRole('button', { name: 'Password rules' }).click();
    const hint = page.getByRole('button', { name: 'Voice Portal Passcode rules' });
    await hint.hover();
    const tooltip = page.getByRole('tooltip');
    await expect(tooltip).toBeVisible();
    for (const line of describeRules('voicePortalPasscode'))
      await expect(tooltip).toContainText(line);
    await page.screenshot({ path: testInfo.outputPath('shell-rules-tooltip.png') });
    await page.screenshot({ path: 'test-results/screenshots/shell-rules-tooltip.png' });

    await page.mouse.move(0, 0);
    await expect(tooltip).toBeHidden();
    await hint.focus();
    await expect(page.getByRole('tooltip')).toContainText('Digits only (0-9)');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('tooltip')).toBeHidden();
  });

  test('checks a tried value live, rule by rule', async ({ app }) => {
    const { page } = app;
    await page.getByRole('button', { name: 'Password rules' }).click();
    const field = page.getByLabel('Voice Portal Passcode', { exact: true });
    await field.fill('123');
    const card = page.locator('[data-kind="voicePortalPasscode"]');
    await expect(card.locator('[data-rule="max-sequence"]')).toHaveAttribute('data-state', 'unmet');
    await expect(card.locator('[data-rule="min-length"]')).toHaveAttribute('data-state', 'unmet');
    await expect(
      page.getByRole('button', { name: 'Voice Portal Passcode rules (not met)' }),
    ).toBeVisible();
    await field.fill('975311');
    await expect(card.locator('[data-state="unmet"]')).toHaveCount(0);
  });
});
