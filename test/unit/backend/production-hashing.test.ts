import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PasswordResetResponse } from '../../../shared/api/index.ts';
import { latestLink, startTestBackend, tokenOf, type TestBackend } from './harness.ts';

// The backend as deployed: argon2id at OWASP's cost, on a pool of two worker threads. Every
// hash and verify below, the idempotency fingerprints included, goes through that pool.
let backend: TestBackend;
let users: { id: string; email: string | null }[];
beforeAll(async () => {
  backend = await startTestBackend({ hashCost: 'production', hashThreads: 2 });
  users = (
    (await backend.api('GET', '/api/v1/users?limit=5000')).json as {
      users: { id: string; email: string | null }[];
    }
  ).users;
});
afterAll(() => backend.close());

/** The next `n` users no test has used yet, each with an email. */
let used = 0;
const take = (n: number): string[] => {
  const ids = users
    .filter((u) => u.email !== null)
    .slice(used, used + n)
    .map((u) => u.id);
  used += n;
  return ids;
};

const reset = async (body: unknown, headers: Record<string, string> = {}) =>
  (await backend.api('POST', '/api/v1/password-resets', body, headers))
    .json as PasswordResetResponse;

async function recoveryToken(userId: string): Promise<string> {
  await backend.api('POST', '/api/v1/recovery-emails', { userIds: [userId] });
  return tokenOf(await latestLink(backend, users.find((u) => u.id === userId)?.email ?? ''));
}

const changeOwnPassword = (token: string, password: string) =>
  backend.raw('POST', '/api/v1/self-service/password', {
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ password, confirmation: password }),
  });

describe('production hashing', { timeout: 30_000 }, () => {
  it('resets, replays by Idempotency-Key and refuses a reused password', async () => {
    const ids = take(3);
    const body = { userIds: ids, applicationPassword: 'Tr0ub4dor&3' };
    const changed = { results: ids.map((userId) => ({ userId, outcome: 'changed' })) };
    expect(await reset(body, { 'Idempotency-Key': 'prod-1' })).toEqual(changed);
    expect(backend.everythingOnDisk()).toContain('$argon2id$v=19$m=19456,t=2,p=1$');
    // The replay verifies the stored fingerprint; acting again would have refused the reuse.
    expect(await reset(body, { 'Idempotency-Key': 'prod-1' })).toEqual(changed);
    expect((await reset(body)).results.map((r) => r.rejected)).toEqual(
      ids.map(() => [{ secret: 'applicationPassword', ruleIds: ['not-previous'] }]),
    );
  });

  it('checks an end user’s new password against their history', async () => {
    const [userId = ''] = take(1);
    await reset({ userIds: [userId], applicationPassword: 'Zx9/Qw8#' });
    const token = await recoveryToken(userId);
    expect((await changeOwnPassword(token, 'Zx9/Qw8#')).json).toEqual({
      outcome: 'rejected',
      ruleIds: ['not-previous'],
    });
    expect((await changeOwnPassword(token, 'Qw8#Zx9/kk')).json).toEqual({
      outcome: 'changed',
      ruleIds: [],
    });
  });

  it('answers an end user while a bulk reset is still hashing', async () => {
    const [userId = ''] = take(1);
    const token = await recoveryToken(userId);
    const order: string[] = [];
    // 40 users is 20 hash-times on two threads; the bulk request keeps only about two of its
    // hashes queued at a time, so the end user's two (history, then the new hash) wait behind
    // a handful, not behind the other 38.
    const bulk = reset({ userIds: take(40), applicationPassword: 'Tr0ub4dor&3' }).then((a) => {
      order.push('bulk');
      return a;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const own = changeOwnPassword(token, 'Qw8#Zx9/kk').then((a) => {
      order.push('end user');
      return a;
    });
    const [bulkAnswer, ownAnswer] = await Promise.all([bulk, own]);
    expect(bulkAnswer.results.every((r) => r.outcome === 'changed')).toBe(true);
    expect(ownAnswer.json).toEqual({ outcome: 'changed', ruleIds: [] });
    expect(order).toEqual(['end user', 'bulk']);
  });
});
