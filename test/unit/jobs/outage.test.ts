import { afterEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../shared/ipc/index.ts';
import { slowBackend, type Fault, type SeenRequest } from './fault-proxy.ts';
import { expectExactlyOnce, startJobWorld, type JobWorld } from './job-harness.ts';

let world: JobWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const PASSWORD = 'Jb7#kQ2!mx';

const start = (w: JobWorld, userIds: string[]): string => {
  const started = w.runner.startReset(userIds, { applicationPassword: PASSWORD });
  if (!started.ok) throw new Error(started.message);
  return started.data.jobId;
};

const until = async (check: () => boolean, ms = 20_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const summaries = (w: JobWorld, jobId: string): JobSummary[] =>
  w.updates.filter((u) => u.id === jobId);
const changedSoFar = (w: JobWorld, jobId: string): number => w.journal.counts(jobId).changed;

describe('a job when the backend stops answering', () => {
  it('waits while the backend is down, says since when, and goes on by itself when it is back', async () => {
    world = await startJobWorld({
      users: 3000,
      gate: true,
      client: { retries: 2, maxDelayMs: 200 },
      planner: { batchSize: 200, concurrency: 2 },
    });
    const w = world;
    w.proxy.setPlan(slowBackend({ msPerUser: 0.2, fixedMs: 20, lanes: 2 }));
    const jobId = start(w, w.userIds);
    await until(() => changedSoFar(w, jobId) >= 600);
    await w.proxy.goDown();
    await until(() => summaries(w, jobId).at(-1)?.waiting?.reason === 'unreachable');
    const waiting = summaries(w, jobId).at(-1);
    expect(waiting?.state).toBe('running');
    expect(Date.parse(waiting?.waiting?.since ?? '')).toBeGreaterThan(Date.now() - 20_000);
    expect(w.connection?.status()).toMatchObject({
      state: 'unreachable',
      // Refused once the port is closed; reset if a kept-alive connection was cut first.
      message: expect.stringMatching(
        /the connection was refused|failed \(ECONNRESET\)/u,
      ) as unknown,
    });
    // Nothing is given up while it is down, however long that lasts.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(w.runner.results(jobId)?.some((r) => r.outcome === 'not-sent')).toBe(false);
    await w.proxy.comeBack();
    await w.runner.idle(jobId);

    const outcomes = await expectExactlyOnce(w, jobId);
    expect([...outcomes.values()].every((o) => o === 'changed')).toBe(true);
    const last = summaries(w, jobId).at(-1);
    expect(last).toMatchObject({ state: 'completed', waiting: null, stoppedBecause: null });
    expect(w.connectionStates.map((s) => s.state)).toEqual(
      expect.arrayContaining(['connected', 'unreachable']) as unknown,
    );
    expect(w.connectionStates.at(-1)?.state).toBe('connected');
  }, 60_000);

  it('can be cancelled while it waits; what was out is settled by Check again once the backend is back', async () => {
    world = await startJobWorld({
      users: 2000,
      gate: true,
      client: { retries: 2, maxDelayMs: 200 },
      planner: { batchSize: 200, concurrency: 2 },
    });
    const w = world;
    w.proxy.setPlan(slowBackend({ msPerUser: 0.5, fixedMs: 20, lanes: 2 }));
    const jobId = start(w, w.userIds);
    await until(() => changedSoFar(w, jobId) >= 400);
    await w.proxy.goDown();
    await until(() => summaries(w, jobId).at(-1)?.waiting !== null);
    expect(w.runner.cancel(jobId)).toBe(true);
    await w.runner.idle(jobId);
    const cancelled = summaries(w, jobId).at(-1);
    expect(cancelled?.waiting).toBeNull();
    expect(cancelled?.counts['not-sent']).toBeGreaterThan(0);
    // Batches that were out when it went down may have been done: not confirmed, never failed.
    expect(cancelled?.counts.failed).toBe(0);

    await w.proxy.comeBack();
    if (w.runner.checkAgain(jobId)) await w.runner.idle(jobId);
    const outcomes = await expectExactlyOnce(w, jobId);
    const notSent = [...outcomes.values()].filter((o) => o === 'not-sent').length;
    const changed = [...outcomes.values()].filter((o) => o === 'changed').length;
    expect(notSent + changed).toBe(2000);
  }, 60_000);

  it('waits while the backend refuses the API token, and goes on once it takes it again', async () => {
    world = await startJobWorld({
      users: 1200,
      gate: true,
      client: { retries: 2, maxDelayMs: 200 },
      planner: { batchSize: 200, concurrency: 2 },
    });
    const w = world;
    let refusing = false;
    w.proxy.setPlan((request: SeenRequest): Fault => {
      if (refusing && request.path.startsWith('/api/v1/') && !request.path.endsWith('/health'))
        return { kind: 'status', status: 401, message: 'Invalid token.' };
      return request.method === 'POST' ? { kind: 'delay', ms: 30 } : { kind: 'pass' };
    });
    const jobId = start(w, w.userIds);
    await until(() => w.proxy.seen.filter((r) => r.method === 'POST').length >= 2);
    refusing = true;
    await until(() => summaries(w, jobId).at(-1)?.waiting?.reason === 'token-refused');
    expect(w.connection?.status().state).toBe('token-refused');
    refusing = false;
    await w.runner.idle(jobId);
    const outcomes = await expectExactlyOnce(w, jobId);
    expect([...outcomes.values()].every((o) => o === 'changed')).toBe(true);
    expect(summaries(w, jobId).at(-1)).toMatchObject({ state: 'completed', waiting: null });
  }, 60_000);
});

describe('answers that are not the backend’s', () => {
  it.each<[string, Fault]>([
    ['malformed JSON', { kind: 'malformed', body: '{"results": [' }],
    ['JSON of the wrong shape', { kind: 'malformed', body: '{"results": [{"userId": 1}]}' }],
    ['text that is not JSON', { kind: 'malformed', body: '<html>Bad gateway</html>' }],
    ['a truncated answer', { kind: 'truncate' }],
    ['a slow answer', { kind: 'trickle', ms: 600 }],
  ])(
    'never turn %s into a wrong outcome',
    async (_name, fault) => {
      world = await startJobWorld({
        users: 600,
        gate: true,
        planner: { batchSize: 100, concurrency: 2 },
      });
      const w = world;
      // Every other batch is answered with the fault, after the backend has acted on it.
      w.proxy.setPlan((request, index) =>
        request.method === 'POST' && request.idempotencyKey !== undefined && index % 2 === 0
          ? fault
          : { kind: 'pass' },
      );
      const jobId = start(w, w.userIds);
      await w.runner.idle(jobId);
      const outcomes = await expectExactlyOnce(w, jobId);
      expect([...outcomes.values()].every((o) => o === 'changed')).toBe(true);
      expect(w.proxy.seen.some((r) => r.fault === fault.kind)).toBe(true);
    },
    30_000,
  );
});
