/** Reading Playwright's JSON report for `npm test` (scripts/test.ts). */

export interface PlaywrightSuite {
  title: string;
  specs?: {
    title: string;
    tests: {
      status: 'expected' | 'unexpected' | 'flaky' | 'skipped';
      results: { status: string; errors?: { message?: string }[] }[];
    }[];
  }[];
  suites?: PlaywrightSuite[];
}

export interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  suites?: PlaywrightSuite[];
}

/** What Playwright says of a test whose worker process died under it. */
const WORKER_CRASH = 'worker process exited unexpectedly';

/**
 * The flaky tests that failed only because their worker process died, and passed when run again:
 * Node 24's V8 has twice aborted a worker here ("Check failed: jit_page.has_value()") before its
 * test began. Any other flaky test still counts as failed.
 */
export function passedAfterWorkerCrash(suites: readonly PlaywrightSuite[]): string[] {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? [])
      .filter((spec) =>
        spec.tests.some(
          (test) =>
            test.status === 'flaky' &&
            test.results
              .filter((result) => result.status !== 'passed')
              .every((result) =>
                (result.errors ?? []).some((error) => error.message?.includes(WORKER_CRASH)),
              ),
        ),
      )
      .map((spec) => `${suite.title} › ${spec.title}`),
    ...passedAfterWorkerCrash(suite.suites ?? []),
  ]);
}
