import { expect, type Locator } from '@playwright/test';

/** Asserts that each of these rules shows as not met in a "Rule checks" list. */
export async function expectRulesUnmet(checks: Locator, ruleIds: readonly string[]): Promise<void> {
  for (const id of ruleIds) {
    await expect(checks.locator(`[data-rule="${id}"]`)).toHaveAttribute('data-state', 'unmet');
  }
}
