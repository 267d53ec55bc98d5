import type { JobSummary } from '../../shared/ipc/index.ts';

/** A job's counts: these, and 0 for every other outcome. */
export function jobCounts(counts: Partial<JobSummary['counts']> = {}): JobSummary['counts'] {
  return {
    pending: 0,
    changed: 0,
    rejected: 0,
    'not-found': 0,
    failed: 0,
    'not-sent': 0,
    unconfirmed: 0,
    unknown: 0,
    unchanged: 0,
    skipped: 0,
    ...counts,
  };
}

/**
 * A job as main lists it: by default a password reset of one user that has just completed with
 * it changed, with each field a test names in its place.
 */
export function jobSummary(fields: Partial<JobSummary> = {}): JobSummary {
  return {
    id: 'job-1',
    params: { kind: 'password-reset', secretKinds: ['applicationPassword'] },
    actor: 'Renée',
    createdAt: '2026-11-27T10:00:00.000Z',
    finishedAt: '2026-11-27T10:01:00.000Z',
    state: 'completed',
    total: 1,
    done: 1,
    inFlight: 0,
    lastCheck: null,
    stoppedBecause: null,
    waiting: null,
    counts: jobCounts({ changed: 1 }),
    ratePerSecond: null,
    etaSeconds: null,
    retryOf: null,
    ...fields,
  };
}
