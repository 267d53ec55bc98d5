import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { createJobsHandlers } from '../../../electron/main/ipc/jobs.ts';
import { startJobWorld, type JobWorld } from './job-harness.ts';

let world: JobWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('jobs:export-csv', () => {
  it('writes one row per user with outcome and reason, and no secret', async () => {
    world = await startJobWorld({ users: 20 });
    const { runner } = world;
    const handlers = createJobsHandlers({ session: () => ({ jobs: runner }) });
    const first = await handlers.startJob({
      kind: 'password-reset',
      userIds: world.userIds.slice(0, 5),
      applicationPassword: 'Ex9#portQ!',
    });
    if (!first.ok) throw new Error(first.message);
    await world.runner.idle(first.data.jobId);
    const second = await handlers.startJob({
      kind: 'password-reset',
      userIds: [...world.userIds.slice(0, 8), 'nobody-here'],
      applicationPassword: 'Ex9#portQ!',
    });
    if (!second.ok) throw new Error(second.message);
    await world.runner.idle(second.data.jobId);

    const exported = await handlers.exportJobCsv({ jobId: second.data.jobId });
    if (!exported.ok) throw new Error(exported.message);
    expect(exported.data.fileName).toMatch(
      /^passdesk-password-reset-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.csv$/u,
    );
    expect(exported.data.csv).not.toContain('Ex9#portQ!');
    const rows = Papa.parse<Record<string, string>>(exported.data.csv, { header: true }).data;
    expect(rows).toHaveLength(9);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'user_id',
      'outcome',
      'result',
      'reason',
      'job',
      'started',
      'operator',
      'action',
      'backend',
    ]);
    expect(rows.filter((r) => r.outcome === 'rejected')).toHaveLength(5);
    expect(rows.find((r) => r.user_id === 'nobody-here')).toMatchObject({ outcome: 'not-found' });
    expect(rows[0]).toMatchObject({
      operator: 'Job Tester',
      action: 'password-reset (applicationPassword)',
      backend: 'built-in',
    });
    expect(rows[0]?.reason).toBe(
      'The Application Password breaks a rule: not the same as the previous password. Nothing was changed.',
    );
    expect((await handlers.exportJobCsv({ jobId: 'no-such-job' })).ok).toBe(false);
  });
});
