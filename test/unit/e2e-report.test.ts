import { describe, expect, it } from 'vitest';
import { passedAfterWorkerCrash, type PlaywrightSuite } from '../../scripts/e2e-report.ts';

/** A spec as Playwright's JSON report gives it, with each run's status and first error. */
const spec = (title: string, status: string, runs: [string, string?][]) => ({
  title,
  tests: [
    {
      status: status as 'flaky',
      results: runs.map(([result, error]) => ({
        status: result,
        errors: error === undefined ? [] : [{ message: error }],
      })),
    },
  ],
});

describe("npm test's reading of the end-to-end report", () => {
  it('passes a test that failed only because its worker process died, and passed again', () => {
    // As Playwright 1.6x wrote it for a worker killed by SIGTRAP, and for a test flaky on its own.
    const suites: PlaywrightSuite[] = [
      {
        title: 'crash.spec.ts',
        specs: [
          spec('dies once', 'flaky', [
            ['failed', 'Error: worker process exited unexpectedly (code=null, signal=SIGTRAP)'],
            ['passed'],
          ]),
          spec('flaky for real', 'flaky', [
            ['failed', 'Error: expect(received).toBe(expected)'],
            ['passed'],
          ]),
          spec('fails twice', 'unexpected', [
            ['failed', 'Error: worker process exited unexpectedly (code=null, signal=SIGTRAP)'],
            ['failed', 'Error: worker process exited unexpectedly (code=null, signal=SIGTRAP)'],
          ]),
          spec('passes', 'expected', [['passed']]),
        ],
        suites: [
          {
            title: 'nested',
            specs: [
              spec('timed out, then passed', 'flaky', [
                ['timedOut', 'Test timeout of 30000ms exceeded.'],
                ['passed'],
              ]),
            ],
          },
        ],
      },
    ];
    expect(passedAfterWorkerCrash(suites)).toEqual(['crash.spec.ts › dies once']);
  });
});
