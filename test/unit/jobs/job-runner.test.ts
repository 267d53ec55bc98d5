import { afterEach, describe, expect, it } from 'vitest';
import { slowBackend } from './fault-proxy.ts';
import { expectExactlyOnce, startJobWorld, type JobWorld } from './job-harness.ts';

let world: JobWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const PASSWORD = 'Jb7#kQ2!mx';
const PASSCODE = '580264';

async function run(w: JobWorld, userIds: string[], secrets = { applicationPassword: PASSWORD }) {
  const started = w.runner.startReset(userIds, secrets);
  if (!started.ok) throw new Error(started.message);
  await w.runner.idle(started.data.jobId);
  return started.data.jobId;
}

describe('the job runner', () => {
  it('splits into batches of 500 with their own keys, 2 to 4 at a time, and reports progress', async () => {
    world = await startJobWorld({ users: 2000 });
    // 100 ms per batch on one worker: the job lasts long enough to report a rate and time left.
    world.proxy.setPlan(slowBackend({ msPerUser: 0.2, lanes: 1 }));
    const jobId = await run(world, world.userIds, {
      applicationPassword: PASSWORD,
      voicePortalPasscode: PASSCODE,
    } as never);
    const resets = world.proxy.seen.filter((r) => r.path.startsWith('/api/v1/password-resets'));
    // Counted by key: a copy sent again after a timeout on a loaded machine is the same batch.
    expect(new Set(resets.map((r) => r.idempotencyKey)).size).toBe(4);
    expect(resets.every((r) => r.users === 500)).toBe(true);
    expect(world.proxy.maxInFlight()).toBeGreaterThanOrEqual(2);
    expect(world.proxy.maxInFlight()).toBeLessThanOrEqual(4);
    const outcomes = await expectExactlyOnce(world, jobId);
    expect([...outcomes.values()].every((o) => o === 'changed')).toBe(true);

    const final = world.updates.at(-1);
    expect(final).toMatchObject({ id: jobId, state: 'completed', total: 2000, done: 2000 });
    expect(final?.counts.changed).toBe(2000);
    const dones = world.updates.filter((u) => u.id === jobId).map((u) => u.done);
    expect([...dones].sort((a, b) => a - b)).toEqual(dones);
    expect(world.updates.some((u) => u.ratePerSecond !== null && u.etaSeconds !== null)).toBe(true);
    expect(world.journal.audit().filter((a) => a.outcome === 'changed')).toHaveLength(2000);
    expect(world.journal.audit()[0]).toMatchObject({
      actor: 'Job Tester',
      action: 'password-reset (applicationPassword, voicePortalPasscode)',
    });
  });

  it('refuses secrets that break the rules before creating a job', async () => {
    world = await startJobWorld({ users: 10 });
    const started = world.runner.startReset(world.userIds, {
      applicationPassword: 'Abc12345!',
    });
    expect(started).toEqual({
      ok: false,
      code: 'invalid-input',
      message: expect.stringMatching(/^The password breaks these rules: No run of more than 2/),
    });
    expect(world.runner.list()).toEqual([]);
    expect(world.proxy.seen).toHaveLength(0);
  });

  it('gives rejections and unknown users their reasons in words', async () => {
    world = await startJobWorld({ users: 10 });
    await run(world, world.userIds.slice(0, 2));
    const jobId = await run(world, [...world.userIds.slice(0, 3), 'nobody-here']);
    expect(world.runner.results(jobId)).toEqual([
      {
        userId: world.userIds[0],
        outcome: 'rejected',
        reason:
          'The Application Password breaks a rule: not the same as the previous password. Nothing was changed.',
      },
      {
        userId: world.userIds[1],
        outcome: 'rejected',
        reason:
          'The Application Password breaks a rule: not the same as the previous password. Nothing was changed.',
      },
      { userId: world.userIds[2], outcome: 'changed', reason: null },
      { userId: 'nobody-here', outcome: 'not-found', reason: 'The backend has no such user.' },
    ]);
  });

  it('retries 503s and connection resets, and changes nobody twice', async () => {
    world = await startJobWorld({ users: 2000, client: { maxDelayMs: 100 } });
    world.proxy.setPlan((request, index) => {
      if (!request.path.startsWith('/api/v1/password-resets')) return { kind: 'pass' };
      return index % 3 === 0
        ? { kind: 'status', status: 503 }
        : index % 3 === 1
          ? { kind: 'reset-before' }
          : { kind: 'pass' };
    });
    const jobId = await run(world, world.userIds);
    const outcomes = await expectExactlyOnce(world, jobId);
    expect([...outcomes.values()].filter((o) => o === 'changed')).toHaveLength(2000);
    expect(world.proxy.seen.filter((r) => r.fault !== 'pass').length).toBeGreaterThan(3);
  });

  it('honours Retry-After on 429, beyond the cap of its own backoff', async () => {
    world = await startJobWorld({ users: 20, client: { maxDelayMs: 50 } });
    const times: number[] = [];
    world.proxy.setPlan((request) => {
      if (!request.path.startsWith('/api/v1/password-resets')) return { kind: 'pass' };
      times.push(Date.now());
      return times.length === 1 ? { kind: 'status', status: 429, retryAfter: 1 } : { kind: 'pass' };
    });
    const jobId = await run(world, world.userIds);
    expect(times).toHaveLength(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(950);
    await expectExactlyOnce(world, jobId);
  });

  it('replays, not repeats, a batch whose answer was lost after the backend acted', async () => {
    world = await startJobWorld({ users: 1500 });
    let dropped = 0;
    world.proxy.setPlan((request) => {
      if (!request.path.startsWith('/api/v1/password-resets') || dropped >= 2)
        return { kind: 'pass' };
      dropped += 1;
      return { kind: 'reset-after' };
    });
    const jobId = await run(world, world.userIds);
    const outcomes = await expectExactlyOnce(world, jobId);
    expect([...outcomes.values()].every((o) => o === 'changed')).toBe(true);
  });

  it('settles a batch that timed out while the backend went on to finish it', async () => {
    world = await startJobWorld({ users: 1000, client: { timeoutMs: 300, retries: 0 } });
    world.proxy.setPlan((request, index) =>
      request.path.startsWith('/api/v1/password-resets') && index === 0
        ? { kind: 'delay', ms: 600 }
        : { kind: 'pass' },
    );
    const jobId = await run(world, world.userIds);
    // Let the late copy reach the backend: it must be replayed, not applied again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const outcomes = await expectExactlyOnce(world, jobId);
    expect([...outcomes.values()].every((o) => o === 'changed')).toBe(true);
    expect(world.proxy.seen.some((r) => r.path.startsWith('/api/v1/idempotency-keys/'))).toBe(true);
  });

  it('survives the backend restarting mid-job', async () => {
    world = await startJobWorld({ users: 3000, planner: { concurrency: 2 } });
    const w = world;
    let restarted = false;
    w.proxy.setPlan((request, index) => {
      if (!restarted && request.path.startsWith('/api/v1/password-resets') && index === 2) {
        restarted = true;
        void w.restartBackend();
        return { kind: 'reset-before' };
      }
      return { kind: 'pass' };
    });
    const jobId = await run(w, w.userIds);
    const outcomes = await expectExactlyOnce(w, jobId);
    expect([...outcomes.values()].filter((o) => o === 'changed')).toHaveLength(3000);
  });

  it('never retries a 4xx, and says why those users failed', async () => {
    world = await startJobWorld({ users: 600 });
    world.proxy.setPlan((request) =>
      request.path.startsWith('/api/v1/password-resets')
        ? { kind: 'status', status: 400 }
        : { kind: 'pass' },
    );
    const jobId = await run(world, world.userIds);
    expect(
      world.proxy.seen.filter((r) => r.path.startsWith('/api/v1/password-resets')),
    ).toHaveLength(2);
    const results = world.runner.results(jobId) ?? [];
    expect(
      results.every(
        (r) => r.outcome === 'failed' && r.reason === 'Injected 400. Nothing was changed.',
      ),
    ).toBe(true);
    await expectExactlyOnce(world, jobId);
  });

  it('sends once to a backend without the endpoint (404), and says nothing was changed', async () => {
    world = await startJobWorld({ users: 20 });
    world.proxy.setPlan((request) =>
      request.path.startsWith('/api/v1/password-resets')
        ? { kind: 'status', status: 404 }
        : { kind: 'pass' },
    );
    const jobId = await run(world, world.userIds);
    expect(
      world.proxy.seen.filter((r) => r.path.startsWith('/api/v1/password-resets')),
    ).toHaveLength(1);
    const results = world.runner.results(jobId) ?? [];
    expect(results).toHaveLength(20);
    for (const result of results) {
      expect(result.outcome).toBe('failed');
      expect(result.reason).toMatch(/does not offer this operation\. Nothing was changed\.$/u);
    }
    expect(world.journal.batches(jobId).map((b) => b.state)).toEqual(['not-sent']);
  });

  it('audits every user of a job, whatever the outcome, with who and what', async () => {
    world = await startJobWorld({ users: 2000, planner: { concurrency: 2 } });
    const w = world;
    let posts = 0;
    let jobId = '';
    w.proxy.setPlan((request) => {
      if (!request.path.startsWith('/api/v1/password-resets')) return { kind: 'pass' };
      posts += 1;
      if (posts === 1) return { kind: 'status', status: 400 };
      // The third batch is on its way: cancel now, so the fourth is never sent.
      if (posts === 3) queueMicrotask(() => w.runner.cancel(jobId));
      return { kind: 'delay', ms: 50 };
    });
    const started = w.runner.startReset(w.userIds, { applicationPassword: PASSWORD });
    if (!started.ok) throw new Error(started.message);
    jobId = started.data.jobId;
    await w.runner.idle(jobId);
    const audit = world.journal.audit();
    const byOutcome = (prefix: string) => audit.filter((a) => a.outcome.startsWith(prefix));
    expect(byOutcome('failed: Injected 400. Nothing was changed.')).toHaveLength(500);
    // The refused batch frees its slot at once: two more go out before the cancel.
    expect(byOutcome('changed')).toHaveLength(1000);
    expect(byOutcome('not-sent: Cancelled before it was sent')).toHaveLength(500);
    expect(new Set(audit.map((a) => a.userId)).size).toBe(2000);
    expect(
      audit.every((a) => a.actor === 'Job Tester' && a.action.startsWith('password-reset')),
    ).toBe(true);
  });

  it('a retry answers at once, settles the earlier job first, and changes nobody twice', async () => {
    world = await startJobWorld({ users: 10, client: { retries: 1, maxDelayMs: 20 } });
    // The first job acts, but its answer is lost and the key cannot be looked up.
    world.proxy.setPlan((request) =>
      request.path.startsWith('/api/v1/password-resets')
        ? { kind: 'reset-after' }
        : request.path.startsWith('/api/v1/idempotency-keys')
          ? { kind: 'status', status: 503 }
          : { kind: 'pass' },
    );
    const first = await run(world, world.userIds);
    expect((world.runner.results(first) ?? []).every((r) => r.outcome === 'unconfirmed')).toBe(
      true,
    );

    world.proxy.setPlan((request) =>
      request.path.startsWith('/api/v1/idempotency-keys')
        ? { kind: 'delay', ms: 600 }
        : { kind: 'pass' },
    );
    const posts = () =>
      world?.proxy.seen.filter((r) => r.path.startsWith('/api/v1/password-resets')).length;
    const postsBefore = posts();
    const asked = Date.now();
    const retry = world.runner.startReset(
      world.userIds,
      { applicationPassword: 'N3w&Other9x' },
      first,
    );
    expect(Date.now() - asked).toBeLessThan(300);
    if (!retry.ok) throw new Error(retry.message);
    await world.runner.idle(retry.data.jobId);

    expect((world.runner.results(first) ?? []).every((r) => r.outcome === 'changed')).toBe(true);
    const again = world.runner.results(retry.data.jobId) ?? [];
    expect(again).toHaveLength(10);
    for (const result of again) {
      expect(result.outcome).toBe('skipped');
      expect(result.reason).toMatch(/had changed this user after all/u);
    }
    expect([...(await world.changesByUser()).values()].every((n) => n === 1)).toBe(true);
    expect(posts()).toBe(postsBefore);
  });

  it('refuses to retry a job that is still running', async () => {
    world = await startJobWorld({ users: 600, planner: { concurrency: 2 } });
    world.proxy.setPlan(() => ({ kind: 'delay', ms: 100 }));
    const started = world.runner.startReset(world.userIds, { applicationPassword: PASSWORD });
    if (!started.ok) throw new Error(started.message);
    const retry = world.runner.startReset(
      world.userIds.slice(0, 1),
      { applicationPassword: PASSWORD },
      started.data.jobId,
    );
    expect(retry).toMatchObject({ ok: false, code: 'conflict' });
    await world.runner.idle(started.data.jobId);
  });

  it('marks what it could not confirm as not confirmed (never failed), and settles it later', async () => {
    world = await startJobWorld({ users: 500, client: { retries: 1, maxDelayMs: 50 } });
    world.proxy.setPlan(() => ({ kind: 'status', status: 503 }));
    const jobId = await run(world, world.userIds);
    const open = world.runner.results(jobId) ?? [];
    for (const result of open) {
      expect(result.outcome).toBe('unconfirmed');
      expect(result.reason).toMatch(/^Sent, but the answer was lost .* Use Check again/u);
    }
    expect(world.journal.batches(jobId).map((b) => b.state)).toEqual(['unresolved']);
    expect(world.runner.job(jobId)?.state).toBe('unconfirmed');
    expect(world.updates.at(-1)).toMatchObject({ id: jobId, state: 'unconfirmed' });

    // Check again while the backend still cannot be asked: nothing changes, no second audit.
    const audited = world.journal.audit().length;
    expect(world.runner.checkAgain(jobId)).toBe(true);
    await world.runner.idle(jobId);
    expect(world.runner.job(jobId)?.state).toBe('unconfirmed');
    expect(world.journal.audit()).toHaveLength(audited);

    world.proxy.setPlan(() => ({ kind: 'pass' }));
    expect(world.runner.checkAgain(jobId)).toBe(true);
    expect(world.updates.at(-1)).toMatchObject({ id: jobId, state: 'checking' });
    await world.runner.idle(jobId);
    const settled = world.runner.results(jobId) ?? [];
    expect(settled.every((r) => r.outcome === 'not-sent')).toBe(true);
    expect(world.runner.job(jobId)?.state).toBe('completed');
    expect(world.runner.checkAgain(jobId)).toBe(false);
    await expectExactlyOnce(world, jobId);
  });

  it('cancels: users not sent yet are not sent, batches in flight finish and are counted exactly', async () => {
    world = await startJobWorld({ users: 3000, planner: { concurrency: 2 } });
    const w = world;
    let posts = 0;
    let cancelled: boolean | null = null;
    let jobId = '';
    w.proxy.setPlan((request) => {
      if (!request.path.startsWith('/api/v1/password-resets')) return { kind: 'pass' };
      posts += 1;
      // Both slots are taken: cancel while they are in flight.
      if (posts === 2) queueMicrotask(() => (cancelled = w.runner.cancel(jobId)));
      return { kind: 'delay', ms: 50 };
    });
    const started = w.runner.startReset(w.userIds, { applicationPassword: PASSWORD });
    if (!started.ok) throw new Error(started.message);
    jobId = started.data.jobId;
    await w.runner.idle(jobId);
    expect(cancelled).toBe(true);
    const outcomes = await expectExactlyOnce(world, started.data.jobId);
    const values = [...outcomes.values()];
    expect(values.filter((o) => o === 'changed')).toHaveLength(1000);
    expect(values.filter((o) => o === 'not-sent')).toHaveLength(2000);
    expect(world.runner.list()[0]?.state).toBe('cancelled');
  });

  it('keeps the secrets out of the journal, its audit, every update and the log', async () => {
    world = await startJobWorld({ users: 600 });
    world.proxy.setPlan((request, index) =>
      index === 0 ? { kind: 'reset-after' } : { kind: 'pass' },
    );
    await run(world, world.userIds, {
      applicationPassword: PASSWORD,
      voicePortalPasscode: PASSCODE,
    } as never);
    await world.close();
    const everything = [
      world.journalOnDisk(),
      JSON.stringify(world.updates),
      world.logLines.join('\n'),
    ].join('\n');
    expect(everything).toContain('password-reset');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(PASSCODE);
    world = null;
  });

  describe('retries never change a user twice', () => {
    /** A first job that acted, whose answer was lost and whose key cannot be looked up. */
    async function lostAnswers(w: JobWorld): Promise<string> {
      w.proxy.setPlan((request) =>
        request.path.startsWith('/api/v1/password-resets')
          ? { kind: 'reset-after' }
          : request.path.startsWith('/api/v1/idempotency-keys')
            ? { kind: 'status', status: 503 }
            : { kind: 'pass' },
      );
      const first = await run(w, w.userIds);
      expect((w.runner.results(first) ?? []).every((r) => r.outcome === 'unconfirmed')).toBe(true);
      return first;
    }
    const retry = async (w: JobWorld, of: string, secret = 'N3w&Other9x') => {
      const started = w.runner.startReset(w.userIds, { applicationPassword: secret }, of);
      if (!started.ok) throw new Error(started.message);
      await w.runner.idle(started.data.jobId);
      return started.data.jobId;
    };
    const changesPerUser = async (w: JobWorld) => [...(await w.changesByUser()).values()];

    it('holds back users whose earlier outcome is still unknown', async () => {
      world = await startJobWorld({ users: 10, client: { retries: 1, maxDelayMs: 20 } });
      const first = await lostAnswers(world);
      const second = await retry(world, first); // the lookups still fail
      for (const result of world.runner.results(second) ?? []) {
        expect(result.outcome).toBe('not-sent');
        expect(result.reason).toMatch(
          /may have changed this user, and the backend has not confirmed/u,
        );
      }
      expect(await changesPerUser(world)).toEqual(Array.from({ length: 10 }, () => 1));
      // Once the backend answers, the first job learns what it did.
      world.proxy.setPlan(() => ({ kind: 'pass' }));
      await world.runner.recover();
      expect((world.runner.results(first) ?? []).every((r) => r.outcome === 'changed')).toBe(true);
    });

    it('follows a chain of retries', async () => {
      world = await startJobWorld({ users: 10, client: { retries: 1, maxDelayMs: 20 } });
      const first = await lostAnswers(world);
      world.proxy.setPlan(() => ({ kind: 'pass' }));
      const second = await retry(world, first);
      expect((world.runner.results(second) ?? []).every((r) => r.outcome === 'skipped')).toBe(true);
      // "Retry failed" of the retry offers the same users again: still nobody is sent twice.
      const third = await retry(world, second, 'Th1rd&Try9x');
      for (const result of world.runner.results(third) ?? []) {
        expect(result.outcome).toBe('skipped');
        expect(result.reason).toMatch(/had changed this user after all/u);
      }
      expect(await changesPerUser(world)).toEqual(Array.from({ length: 10 }, () => 1));
    });

    it('refuses a retry while another retry of the same job runs', async () => {
      world = await startJobWorld({ users: 600, planner: { concurrency: 2 } });
      world.proxy.setPlan((request) =>
        request.path.startsWith('/api/v1/password-resets')
          ? { kind: 'status', status: 400 }
          : { kind: 'pass' },
      );
      const first = await run(world, world.userIds);
      world.proxy.setPlan((request) =>
        request.path.startsWith('/api/v1/password-resets')
          ? { kind: 'delay', ms: 150 }
          : { kind: 'pass' },
      );
      const a = world.runner.startReset(world.userIds, { applicationPassword: PASSWORD }, first);
      const b = world.runner.startReset(world.userIds, { applicationPassword: PASSWORD }, first);
      expect(a.ok).toBe(true);
      expect(b).toMatchObject({ ok: false, code: 'conflict' });
      if (a.ok) await world.runner.idle(a.data.jobId);
    });

    it('checks by key before believing a refusal that followed a lost answer', async () => {
      world = await startJobWorld({ users: 10, client: { retries: 2, maxDelayMs: 20 } });
      let posts = 0;
      world.proxy.setPlan((request) => {
        if (!request.path.startsWith('/api/v1/password-resets')) return { kind: 'pass' };
        posts += 1;
        // The first copy acts and loses its answer; the automatic retry meets a gateway's 404.
        return posts === 1 ? { kind: 'reset-after' } : { kind: 'status', status: 404 };
      });
      const jobId = await run(world, world.userIds);
      expect((world.runner.results(jobId) ?? []).every((r) => r.outcome === 'changed')).toBe(true);
      expect(await changesPerUser(world)).toEqual(Array.from({ length: 10 }, () => 1));
    });
  });

  it('stops requests in flight at shutdown and settles them at the next start', async () => {
    world = await startJobWorld({ users: 500, client: { timeoutMs: 10_000 } });
    world.proxy.setPlan((request) =>
      request.path.startsWith('/api/v1/password-resets')
        ? { kind: 'delay', ms: 3000 }
        : { kind: 'pass' },
    );
    const started = world.runner.startReset(world.userIds, { applicationPassword: PASSWORD });
    if (!started.ok) throw new Error(started.message);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const asked = Date.now();
    await world.runner.shutdown();
    expect(Date.now() - asked).toBeLessThan(1000);
    expect(world.journal.batches(started.data.jobId).map((b) => b.state)).toEqual(['in-flight']);
    expect(world.runner.job(started.data.jobId)).toMatchObject({
      state: 'unconfirmed',
      stop: 'interrupted',
    });

    world.proxy.setPlan(() => ({ kind: 'pass' }));
    await new Promise((resolve) => setTimeout(resolve, 3200)); // the delayed copy arrives
    await world.runner.recover();
    expect(world.runner.job(started.data.jobId)?.state).toBe('interrupted');
    await expectExactlyOnce(world, started.data.jobId);
  });

  it('sends progress at most 4 times a second, and always the final state', async () => {
    world = await startJobWorld({ users: 3000, planner: { concurrency: 2 } });
    world.proxy.setPlan((request) =>
      request.path.startsWith('/api/v1/password-resets')
        ? { kind: 'delay', ms: 60 }
        : { kind: 'pass' },
    );
    const began = Date.now();
    const jobId = await run(world, world.userIds);
    const seconds = (Date.now() - began) / 1000;
    const mine = world.updates.filter((u) => u.id === jobId);
    expect(mine.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 2);
    expect(mine.at(-1)).toMatchObject({ state: 'completed', done: 3000 });
  });
});

describe('what the backend said, and nothing more', () => {
  const isReset = (path: string) => path.startsWith('/api/v1/password-resets');

  it('never takes a late copy for "nothing was changed": a lookup retires the key first', async () => {
    // Every attempt times out at 300 ms; its copy reaches the backend 2 s later.
    world = await startJobWorld({
      users: 10,
      client: { timeoutMs: 300, retries: 1, maxDelayMs: 20 },
      planner: { timeoutMs: 300 },
    });
    world.proxy.setPlan((r) => (isReset(r.path) ? { kind: 'delay', ms: 2000 } : { kind: 'pass' }));
    const first = await run(world, world.userIds);
    const w = world;
    // Let every late copy arrive: each meets a retired key and is refused.
    await expect
      .poll(() => w.proxy.seen.filter((r) => isReset(r.path)).length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 2300));
    expect((await world.changesByUser()).size).toBe(0);
    for (const result of world.runner.results(first) ?? []) {
      expect(result.outcome).toBe('failed');
      expect(result.reason).toBe('The backend did not answer in time. Nothing was changed.');
    }
    // So "Retry failed" changes each user exactly once.
    world.proxy.setPlan(() => ({ kind: 'pass' }));
    const retry = world.runner.startReset(
      world.userIds,
      { applicationPassword: 'N3w&Other9x' },
      first,
    );
    if (!retry.ok) throw new Error(retry.message);
    await world.runner.idle(retry.data.jobId);
    await expectExactlyOnce(world, retry.data.jobId);
    expect([...(await world.changesByUser()).values()]).toEqual(
      Array.from({ length: 10 }, () => 1),
    );
  }, 30_000);

  it('sends a batch again only under a new key, once the backend has retired the old one', async () => {
    world = await startJobWorld({ users: 20, client: { retries: 0 } });
    let posts = 0;
    world.proxy.setPlan((r) => {
      if (!isReset(r.path)) return { kind: 'pass' };
      posts += 1;
      return posts === 1 ? { kind: 'reset-before' } : { kind: 'pass' };
    });
    const jobId = await run(world, world.userIds);
    const keys = world.proxy.seen.filter((r) => isReset(r.path)).map((r) => r.idempotencyKey);
    expect(keys).toEqual([`passdesk-${jobId}-0`, `passdesk-${jobId}-0-r1`]);
    expect(world.journal.batches(jobId).map((b) => b.idempotencyKey)).toEqual([
      `passdesk-${jobId}-0-r1`,
    ]);
    await expectExactlyOnce(world, jobId);
  });

  it('stops at a refused API token: not applied, no lookups, the rest not sent', async () => {
    world = await startJobWorld({ users: 2000, planner: { batchSize: 100, concurrency: 2 } });
    world.proxy.setPlan(() => ({ kind: 'status', status: 401 }));
    const jobId = await run(world, world.userIds);
    expect(world.proxy.seen.filter((r) => r.path.startsWith('/api/v1/idempotency-keys'))).toEqual(
      [],
    );
    expect(world.proxy.seen.filter((r) => isReset(r.path)).length).toBeLessThanOrEqual(2);
    const reasons = new Set(
      (world.runner.results(jobId) ?? []).map((r) => `${r.outcome}: ${r.reason}`),
    );
    expect(reasons).toEqual(
      new Set([
        'failed: The backend refused PassDesk’s API token. Nothing was changed.',
        'not-sent: PassDesk stopped sending after an earlier batch failed (the backend refused PassDesk’s API token); nothing was changed.',
      ]),
    );
    expect(world.runner.job(jobId)).toMatchObject({
      state: 'completed',
      stoppedBecause: 'the backend refused PassDesk’s API token',
    });
    expect(world.runner.checkAgain(jobId)).toBe(false);
  });

  it('marks a retry’s earlier job as being checked, and Cancel stops the retry waiting for it', async () => {
    world = await startJobWorld({ users: 10, client: { retries: 1, maxDelayMs: 20 } });
    world.proxy.setPlan((r) =>
      isReset(r.path)
        ? { kind: 'reset-after' }
        : r.path.startsWith('/api/v1/idempotency-keys')
          ? { kind: 'status', status: 503 }
          : { kind: 'pass' },
    );
    const first = await run(world, world.userIds);
    world.proxy.setPlan((r) =>
      r.path.startsWith('/api/v1/idempotency-keys')
        ? { kind: 'delay', ms: 3000 }
        : { kind: 'pass' },
    );
    const retry = world.runner.startReset(
      world.userIds,
      { applicationPassword: 'N3w&Other9x' },
      first,
    );
    if (!retry.ok) throw new Error(retry.message);
    expect(world.runner.job(first)?.state).toBe('checking');
    expect(world.runner.checkAgain(first)).toBe(false);
    const asked = Date.now();
    expect(world.runner.cancel(retry.data.jobId)).toBe(true);
    await world.runner.idle(retry.data.jobId);
    expect(Date.now() - asked).toBeLessThan(2500);
    // One outcome and one audit row for each user of the retry: cancelled.
    const results = world.runner.results(retry.data.jobId) ?? [];
    expect(new Set(results.map((r) => r.outcome))).toEqual(new Set(['not-sent']));
    const retryAudit = world.journal
      .audit()
      .filter((a) => a.outcome.startsWith('not-sent: Cancelled'));
    expect(retryAudit).toHaveLength(10);
    expect(world.logLines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    await world.runner.idle(first);
    expect((world.runner.results(first) ?? []).every((r) => r.outcome === 'changed')).toBe(true);
  });

  it('keeps a secret a backend echoes back out of the reasons and the log', async () => {
    world = await startJobWorld({ users: 5 });
    world.proxy.setPlan((r) =>
      isReset(r.path)
        ? { kind: 'status', status: 400, message: `Bad value ${PASSWORD}` }
        : { kind: 'pass' },
    );
    const jobId = await run(world, world.userIds);
    const text = JSON.stringify([world.runner.results(jobId), world.logLines, world.updates]);
    expect(text).toContain('Bad value •••. Nothing was changed.');
    expect(text).not.toContain(PASSWORD);
  });
});

describe('each user’s last action', () => {
  it('is what the backend did last, and a job that sent nothing leaves it', async () => {
    world = await startJobWorld({ users: 10, client: { retries: 1, maxDelayMs: 20 } });
    const w = world;
    // A acts but cannot be confirmed: unconfirmed.
    w.proxy.setPlan((r) =>
      r.path.startsWith('/api/v1/password-resets')
        ? { kind: 'reset-after' }
        : r.path.startsWith('/api/v1/idempotency-keys')
          ? { kind: 'status', status: 503 }
          : { kind: 'pass' },
    );
    const first = await run(w, w.userIds);
    const outcome = (since: string | null = null) =>
      new Map(w.runner.lastActions(since).entries.map((e) => [e.userId, e.outcome]));
    expect(outcome().get(w.userIds[0] ?? '')).toBe('unconfirmed');
    // A retry holds them back (not sent): that is not an action on the user.
    const asOf = w.runner.lastActions(null).asOf;
    const second = w.runner.startReset(w.userIds, { applicationPassword: 'N3w&Other9x' }, first);
    if (!second.ok) throw new Error(second.message);
    await w.runner.idle(second.data.jobId);
    expect(w.runner.results(second.data.jobId)?.[0]?.outcome).toBe('not-sent');
    expect(outcome(asOf).size).toBe(0);
    // Check again confirms A: the users were changed, and that is their last action.
    w.proxy.setPlan(() => ({ kind: 'pass' }));
    expect(w.runner.checkAgain(first)).toBe(true);
    await w.runner.idle(first);
    expect([...outcome(asOf).values()]).toEqual(Array.from({ length: 10 }, () => 'changed'));
  });
});
