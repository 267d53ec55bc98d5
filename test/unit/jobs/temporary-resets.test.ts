import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createJobsHandlers } from '../../../electron/main/ipc/jobs.ts';
import { operationOf } from '../../../electron/main/services/jobs/operations.ts';
import { REASONS } from '../../../electron/main/services/jobs/reasons.ts';
import { API_VERSION } from '../../../shared/api/index.ts';
import { DEFAULT_RULES } from '../../../shared/rules/index.ts';
import { startJobWorld, type JobWorld } from './job-harness.ts';

const PASSWORD = 'Ex9#portQ!';

let world: JobWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** The body a backend of API 1.0 took: strict, so any field added since is refused. */
const BodyOfApi10 = z.strictObject({
  userIds: z.array(z.string()),
  applicationPassword: z.string().optional(),
  voicePortalPasscode: z.string().optional(),
});

describe('a reset job that sets temporary secrets', () => {
  it('asks the backend for temporary secrets, and its results and CSV say they are', async () => {
    world = await startJobWorld({ users: 10, apiVersion: () => API_VERSION });
    const handlers = createJobsHandlers({ session: () => ({ jobs: world!.runner }) });
    const userIds = world.userIds.slice(0, 4);
    const started = await handlers.startJob({
      kind: 'password-reset',
      userIds,
      applicationPassword: PASSWORD,
      temporary: true,
    });
    if (!started.ok) throw new Error(started.message);
    await world.runner.idle(started.data.jobId);

    expect(world.runner.job(started.data.jobId)?.params).toEqual({
      kind: 'password-reset',
      secretKinds: ['applicationPassword'],
      temporary: true,
    });
    const results = world.runner.results(started.data.jobId) ?? [];
    expect(results.map((r) => [r.outcome, r.reason])).toEqual(
      userIds.map(() => ['changed', REASONS.setTemporary]),
    );
    // The backend's own record of what it did.
    const audit = await world.backendAudit();
    expect(
      audit.filter((e) => e.action.startsWith('password-reset')).map((e) => [e.action, e.outcome]),
    ).toEqual(userIds.map(() => ['password-reset (applicationPassword, temporary)', 'changed']));

    const exported = await handlers.exportJobCsv({ jobId: started.data.jobId });
    if (!exported.ok) throw new Error(exported.message);
    expect(exported.data.csv).not.toContain(PASSWORD);
    const rows = Papa.parse<Record<string, string>>(exported.data.csv, { header: true }).data;
    expect(rows[0]).toMatchObject({
      outcome: 'changed',
      reason: REASONS.setTemporary,
      action: 'password-reset (applicationPassword, temporary)',
    });
  });

  it('refuses to start for a backend of API 1.0, or one not heard from yet, saying why', async () => {
    let version: string | null = '1.0';
    world = await startJobWorld({ users: 5, apiVersion: () => version });
    const input = {
      kind: 'password-reset' as const,
      userIds: world.userIds.slice(0, 2),
      applicationPassword: PASSWORD,
      temporary: true,
    };
    const old = world.runner.start(input);
    expect(old).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(old.ok ? '' : old.message).toContain('API 1.0, which cannot mark secrets temporary');
    version = null;
    const unknown = world.runner.start(input);
    expect(unknown.ok ? '' : unknown.message).toContain('has not heard from the backend yet');
    expect(world.runner.list()).toEqual([]);
    // Without Temporary, a 1.0 backend is fine.
    version = '1.0';
    expect(world.runner.start({ ...input, temporary: false }).ok).toBe(true);
  });

  it('sends a 1.0 backend exactly the body it knows unless Temporary is asked for', () => {
    const operation = operationOf('password-reset');
    const plain = operation.body(
      ['a', 'b'],
      { kind: 'password-reset', secretKinds: ['applicationPassword'] },
      { applicationPassword: PASSWORD },
    );
    expect(BodyOfApi10.safeParse(plain).success).toBe(true);
    const temporary = operation.body(
      ['a'],
      { kind: 'password-reset', secretKinds: ['applicationPassword'], temporary: true },
      { applicationPassword: PASSWORD },
    );
    expect(temporary).toEqual({ userIds: ['a'], applicationPassword: PASSWORD, temporary: true });
  });

  it('says so when the backend changed a user without confirming the secret is temporary', () => {
    const read = operationOf('password-reset').read(
      { results: [{ userId: 'a', outcome: 'changed' }] },
      DEFAULT_RULES,
      { kind: 'password-reset', secretKinds: ['applicationPassword'], temporary: true },
    );
    expect(read?.get('a')).toEqual({ outcome: 'changed', reason: REASONS.notMarkedTemporary });
  });

  it('retries only the same way: a retry cannot drop or add Temporary', async () => {
    world = await startJobWorld({ users: 5, apiVersion: () => API_VERSION });
    const first = world.runner.start({
      kind: 'password-reset',
      userIds: world.userIds.slice(0, 2),
      applicationPassword: PASSWORD,
      temporary: true,
    });
    if (!first.ok) throw new Error(first.message);
    await world.runner.idle(first.data.jobId);
    const retry = {
      kind: 'password-reset' as const,
      userIds: world.userIds.slice(0, 2),
      applicationPassword: 'Ot8#herQ!z',
      retryOf: first.data.jobId,
    };
    expect(world.runner.start(retry)).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(world.runner.start({ ...retry, temporary: true }).ok).toBe(true);
  });
});
