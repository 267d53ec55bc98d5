import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  globalSetup: './global-setup.ts',
  outputDir: '../../test-results/e2e-artifacts',
  fullyParallel: true,
  workers: 2,
  // One more run for a failed test; `npm test` counts it as passed only when the first run
  // failed because its worker process died (scripts/test.ts): any other flaky test fails.
  retries: 1,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['json', { outputFile: '../../test-results/e2e.json' }]],
  use: { trace: 'retain-on-failure' },
});
