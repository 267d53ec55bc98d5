import { afterEach, describe, expect, it } from 'vitest';
import { slowBackend } from './fault-proxy.ts';
import { expectExactlyOnce, startJobWorld, type JobWorld } from './job-harness.ts';

let world: JobWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const PASSWORD = 'Jb7#kQ2!mx';

async function run(w: JobWorld, userIds: string[]): Promise<string> {
  const started = w.runner.startReset(userIds, { applicationPassword: PASSWORD });
  if (!started.ok) throw new Error(started.message);
  await w.runner.idle(started.data.jobId);
  return started.data.jobId;
}

const resets = (w: JobWorld) =>
  w.proxy.seen.filter((r) => r.method === 'POST' && r.path.startsWith('/api/v1/password-resets'));
/** Users per batch, in the order the batches were first sent. */
const batchSizes = (w: JobWorld): number[] => {
  const first = new Map<string, number>();
  for (const request of resets(w))
    if (request.idempotencyKey !== undefined && !first.has(request.idempotencyKey))
      first.set(request.idempotencyKey, request.users ?? 0);
  return [...first.values()];
};

/** Every user changed exactly once, as the backend's own audit says, and the job finished. */
async function expectAllChangedOnce(w: JobWorld, jobId: string, users: number): Promise<void> {
  const outcomes = await expectExactlyOnce(w, jobId);
  expect([...outcomes.values()].filter((o) => o === 'changed')).toHaveLength(users);
  const final = w.updates.filter((u) => u.id === jobId).at(-1);
  expect(final).toMatchObject({ state: 'completed', done: users, inFlight: 0 });
  expect(final?.counts.changed).toBe(users);
}

describe('jobs against a slow backend', () => {
  it('sizes batches by time: a backend at 2 ms per user gets batches of about the target time', async () => {
    world = await startJobWorld({ users: 1500, planner: { adaptive: { targetMs: 200 } } });
    world.proxy.setPlan(slowBackend({ msPerUser: 2, lanes: 1 }));
    const jobId = await run(world, world.userIds);
    await expectAllChangedOnce(world, jobId, 1500);
    const sizes = batchSizes(world);
    // Small first batches, then grown towards 200 ms of work (100 users): far below the 500
    // cap, far above 10. On a busy machine a batch now and then comes out larger (a request
    // that waited behind another reads as a slow one), so the typical batch is what counts.
    expect(sizes[0]).toBe(10);
    const later = sizes.slice(Math.floor(sizes.length / 2)).sort((x, y) => x - y);
    const typical = later[Math.floor(later.length / 2)] ?? 0;
    expect(typical).toBeLessThan(200);
    expect(typical).toBeGreaterThan(20);
    expect(Math.max(...sizes)).toBeLessThan(500);
    expect(world.proxy.maxInFlight()).toBeGreaterThanOrEqual(2);
  });

  it('fills 500-user batches at once for a fast backend (1 ms per user takes 0.5 s)', async () => {
    world = await startJobWorld({ users: 3000, planner: { adaptive: {} } });
    world.proxy.setPlan(slowBackend({ msPerUser: 1, lanes: 2 }));
    const jobId = await run(world, world.userIds);
    await expectAllChangedOnce(world, jobId, 3000);
    const sizes = batchSizes(world);
    expect(sizes.slice(0, 3)).toEqual([10, 10, 80]);
    expect(sizes).toContain(500);
  });

  it('runs a backend that takes 1 s per user to completion, a few users per request', async () => {
    world = await startJobWorld({ users: 12, planner: { adaptive: { firstBatch: 2 } } });
    world.proxy.setPlan(slowBackend({ msPerUser: 1000, lanes: 4 }));
    const jobId = await run(world, world.userIds);
    await expectAllChangedOnce(world, jobId, 12);
    expect(Math.max(...batchSizes(world))).toBeLessThanOrEqual(4);
  }, 30_000);

  it('keeps a batch slower than the request timeout "in progress", never failed, until the backend answers', async () => {
    world = await startJobWorld({
      users: 40,
      client: { retries: 1, maxDelayMs: 20 },
      planner: { adaptive: { minTimeoutMs: 150, firstBatch: 20 } },
    });
    // 20 users × 40 ms = 0.8 s of work, the first request gives up after 150 ms.
    world.proxy.setPlan(slowBackend({ msPerUser: 40, lanes: 1 }));
    const jobId = await run(world, world.userIds);
    await expectAllChangedOnce(world, jobId, 40);
    // The backend said "still running" while it worked, and the job kept asking.
    expect(world.proxy.seen.some((r) => r.fault === 'busy')).toBe(true);
    expect(world.proxy.seen.some((r) => r.path.startsWith('/api/v1/idempotency-keys/'))).toBe(true);
    // No user was ever reported failed or not sent along the way.
    for (const update of world.updates.filter((u) => u.id === jobId)) {
      expect(update.counts.failed).toBe(0);
      expect(update.counts['not-sent']).toBe(0);
    }
  });

  it('says "not confirmed yet" past the limit, is not finished, and Check again settles it', async () => {
    world = await startJobWorld({
      users: 10,
      planner: { adaptive: { firstBatch: 10, startConcurrency: 1, minTimeoutMs: 100 } },
      sending: { pollMs: 50, stillRunningLimitMs: 300 },
    });
    world.proxy.setPlan(slowBackend({ msPerUser: 150, lanes: 1 })); // 1.5 s of work
    const jobId = await run(world, world.userIds);
    expect(world.runner.job(jobId)?.state).toBe('unconfirmed');
    const open = world.runner.results(jobId) ?? [];
    expect(open).toHaveLength(10);
    for (const result of open) {
      expect(result.outcome).toBe('unconfirmed');
      expect(result.reason).toMatch(/still working on it .* not confirmed yet\. Use Check again/u);
      expect(result.reason).not.toMatch(/Idempotency|it will check/u);
    }
    const last = world.updates.at(-1);
    expect(last).toMatchObject({ id: jobId, state: 'unconfirmed', done: 10 });
    expect(last?.counts.unconfirmed).toBe(10);

    // The backend finishes (it has answered, and its audit shows all ten changed); the
    // operator checks again.
    const w = world;
    await expect.poll(() => w.proxy.holding(), { timeout: 10_000, interval: 50 }).toBe(0);
    expect((await w.changesByUser()).size).toBe(10);
    expect(world.runner.checkAgain(jobId)).toBe(true);
    await world.runner.idle(jobId);
    await expectAllChangedOnce(world, jobId, 10);
    // One request: the job asked, it never sent the batch a second time.
    expect(new Set(resets(world).map((r) => r.idempotencyKey)).size).toBe(1);
    expect(resets(world).filter((r) => r.fault !== 'busy')).toHaveLength(1);
  });

  it('stops sending when the backend cannot be reached at all, and says nothing was changed', async () => {
    world = await startJobWorld({
      users: 100,
      client: { retries: 1, maxDelayMs: 20 },
      planner: { adaptive: {} },
    });
    await world.proxy.close(); // nothing listens on the proxy's port any more
    const jobId = await run(world, world.userIds);
    const results = world.runner.results(jobId) ?? [];
    expect(results).toHaveLength(100);
    for (const result of results) {
      expect(result.outcome).toBe('not-sent');
      expect(result.reason).toMatch(
        /^(The backend could not be reached; nothing was changed\.|PassDesk stopped sending after an earlier batch failed \(the backend could not be reached\); nothing was changed\.)$/u,
      );
    }
    expect(world.runner.job(jobId)?.state).toBe('completed');
    expect([...(await world.changesByUser()).values()]).toEqual([]);
  });
});
