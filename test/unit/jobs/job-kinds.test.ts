import { afterEach, describe, expect, it } from 'vitest';
import type { StartJobInput } from '../../../shared/ipc/index.ts';
import { slowBackend } from './fault-proxy.ts';
import { startJobWorld, type JobWorld } from './job-harness.ts';

let world: JobWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

interface BackendUser {
  id: string;
  email: string | null;
  intercepted: boolean;
  licenses: string[];
}

async function users(w: JobWorld): Promise<Map<string, BackendUser>> {
  const page = (await w.admin('/api/v1/users?limit=5000')) as { users: BackendUser[] };
  return new Map(page.users.map((user) => [user.id, user]));
}

async function run(w: JobWorld, input: StartJobInput): Promise<string> {
  const started = w.runner.start(input);
  if (!started.ok) throw new Error(started.message);
  await w.runner.idle(started.data.jobId);
  return started.data.jobId;
}

const outcomesOf = (w: JobWorld, jobId: string) =>
  new Map((w.runner.results(jobId) ?? []).map((r) => [r.userId, r]));

describe('jobs of every kind, through the one runner', () => {
  it('emails recovery links to the users with an email, and says why the others got none', async () => {
    world = await startJobWorld({ users: 60, planner: { adaptive: {} } });
    world.proxy.setPlan(slowBackend({ msPerUser: 5, lanes: 1 }));
    const before = await users(world);
    const jobId = await run(world, { kind: 'recovery-email', userIds: world.userIds });
    const outcomes = outcomesOf(world, jobId);
    for (const [id, user] of before) {
      const result = outcomes.get(id);
      if (user.email === null) {
        expect(result).toMatchObject({ outcome: 'skipped' });
        expect(result?.reason).toMatch(/^No email address: nothing was sent\./u);
      } else expect(result).toMatchObject({ outcome: 'changed', reason: null });
    }
    // Each user with an email got exactly one message, as the backend's own records say.
    const outbox = (await world.admin('/api/v1/outbox')) as { messages: { to: string }[] };
    const withEmail = [...before.values()].filter((u) => u.email !== null);
    expect(outbox.messages).toHaveLength(withEmail.length);
    expect(world.runner.list()[0]).toMatchObject({
      state: 'completed',
      params: { kind: 'recovery-email' },
    });
    const audit = (await world.backendAudit()).filter((a) => a.action === 'recovery-email');
    expect(audit.filter((a) => a.outcome === 'sent')).toHaveLength(withEmail.length);
  });

  it('turns intercept on: updated, or already so, as the backend has it after', async () => {
    world = await startJobWorld({ users: 200, planner: { adaptive: {} } });
    const before = await users(world);
    const jobId = await run(world, {
      kind: 'intercept',
      userIds: world.userIds,
      intercepted: true,
    });
    const after = await users(world);
    const outcomes = outcomesOf(world, jobId);
    for (const id of world.userIds) {
      expect(after.get(id)?.intercepted).toBe(true);
      expect(outcomes.get(id)?.outcome).toBe(before.get(id)?.intercepted ? 'unchanged' : 'changed');
    }
    expect(world.journal.audit()[0]?.action).toBe('intercept (on)');
  });

  it('adds a license to users while there are some left, and rejects the rest, saying why', async () => {
    world = await startJobWorld({ users: 1500, planner: { adaptive: {} } });
    const jobId = await run(world, {
      kind: 'license',
      userIds: world.userIds,
      add: ['cc-agent'],
      remove: [],
    });
    const licenses = (await world.admin('/api/v1/licenses')) as {
      id: string;
      total: number;
      assigned: number;
    }[];
    const ccAgent = licenses.find((l) => l.id === 'cc-agent');
    expect(ccAgent?.assigned).toBe(ccAgent?.total);
    const results = world.runner.results(jobId) ?? [];
    const rejected = results.filter((r) => r.outcome === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]?.reason).toBe(
      'No cc-agent license is left to assign; nothing was changed for this user.',
    );
    const after = await users(world);
    for (const result of results) {
      const has = after.get(result.userId)?.licenses.includes('cc-agent');
      expect(has).toBe(result.outcome !== 'rejected');
    }
  });

  it('retries only what failed, doing what the first job did', async () => {
    world = await startJobWorld({ users: 40, planner: { batchSize: 20, concurrency: 1 } });
    let posts = 0;
    world.proxy.setPlan((request) => {
      if (!request.path.startsWith('/api/v1/intercepts')) return { kind: 'pass' };
      posts += 1;
      return posts === 1 ? { kind: 'status', status: 400 } : { kind: 'pass' };
    });
    const first = await run(world, {
      kind: 'intercept',
      userIds: world.userIds,
      intercepted: true,
    });
    const failed = (world.runner.results(first) ?? []).filter((r) => r.outcome === 'failed');
    expect(failed).toHaveLength(20);
    // "Retry failed" for everyone: those the first job changed are skipped, never sent again.
    const retry = await run(world, {
      kind: 'intercept',
      userIds: world.userIds,
      intercepted: true,
      retryOf: first,
    });
    const again = outcomesOf(world, retry);
    for (const result of world.runner.results(first) ?? []) {
      expect(again.get(result.userId)?.outcome).toBe(
        result.outcome === 'failed' ? 'changed' : 'skipped',
      );
    }
    expect(posts).toBe(3);
    const otherValue = world.runner.start({
      kind: 'intercept',
      userIds: world.userIds,
      intercepted: false,
      retryOf: first,
    });
    expect(otherValue).toMatchObject({ ok: false, code: 'invalid-input' });
    const wrongKind = world.runner.start({
      kind: 'recovery-email',
      userIds: world.userIds,
      retryOf: first,
    });
    expect(wrongKind).toMatchObject({ ok: false, code: 'invalid-input' });
  });
});
