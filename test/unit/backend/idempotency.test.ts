import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from './harness.ts';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.close());

/** The user's resets in the audit (an admin reset's notice to the user has a row of its own). */
const auditCount = async (userId: string) => {
  const audit = (await backend.api('GET', '/api/v1/audit')).json as {
    entries: { userId: string; action: string }[];
  };
  return audit.entries.filter((e) => e.userId === userId && e.action.startsWith('password-reset'))
    .length;
};

const post = (key: string, body: unknown) =>
  backend.api('POST', '/api/v1/password-resets', body, { 'Idempotency-Key': key });

describe('Idempotency-Key', () => {
  it('replays the stored answer for the same key and body without acting again', async () => {
    const body = { userIds: ['11635-20'], applicationPassword: 'Zx9/Qw8#' };
    const first = await post('batch-1', body);
    expect(first.json).toEqual({ results: [{ userId: '11635-20', outcome: 'changed' }] });
    const replay = await post('batch-1', body);
    expect(replay.status).toBe(200);
    // Acting again would have been refused as a reuse of the previous password.
    expect(replay.json).toEqual(first.json);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await auditCount('11635-20')).toBe(1);
  });

  it('answers 422 for the same key with a different body', async () => {
    await post('batch-2', { userIds: ['11635-21'], voicePortalPasscode: '135792' });
    const other = await post('batch-2', { userIds: ['11635-21'], voicePortalPasscode: '975311' });
    expect(other.status).toBe(422);
    expect(other.json).toMatchObject({ error: { code: 'idempotency-key-reused' } });
    const otherRoute = await backend.api(
      'POST',
      '/api/v1/intercepts',
      { userIds: ['11635-21'], intercepted: true },
      {
        'Idempotency-Key': 'batch-2',
      },
    );
    expect(otherRoute.status).toBe(422);
  });

  it('answers 409 while the first request with that key is still running', async () => {
    const userIds = Array.from(
      { length: 300 },
      (_, i) => `11635-${String(i + 1).padStart(2, '0')}`,
    ).filter((id) => /^11635-\d+$/u.test(id));
    const body = { userIds, voicePortalPasscode: '246813' };
    const [a, b] = await Promise.all([post('batch-3', body), post('batch-3', body)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((a.status === 409 ? a : b).json).toMatchObject({
      error: { code: 'idempotency-key-in-use' },
    });
    expect((await post('batch-3', body)).headers.get('idempotent-replayed')).toBe('true');
  });

  it('answers 409 to a lookup while the request is running', async () => {
    const userIds = Array.from(
      { length: 280 },
      (_, i) => `11635-${String(i + 1).padStart(2, '0')}`,
    );
    const running = post('batch-6', { userIds, voicePortalPasscode: '864213' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const during = await backend.api('GET', '/api/v1/idempotency-keys/batch-6');
    await running;
    expect([409, 200]).toContain(during.status);
    expect((await backend.api('GET', '/api/v1/idempotency-keys/batch-6')).status).toBe(200);
  });

  it('refuses a malformed key', async () => {
    const answer = await post('has spaces in it', {
      userIds: ['11635-22'],
      voicePortalPasscode: '135792',
    });
    expect(answer.status).toBe(400);
  });

  it('keeps answers across a restart', async () => {
    const body = { userIds: ['11635-23'], voicePortalPasscode: '135792' };
    const first = await post('batch-4', body);
    await backend.close();
    backend = await startTestBackend({ dataDir: backend.dataDir });
    const replay = await post('batch-4', body);
    expect(replay.json).toEqual(first.json);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('tells a client that lost the answer what it was, by key alone', async () => {
    const body = { userIds: ['11635-26', 'nobody-here'], voicePortalPasscode: '135792' };
    const first = await post('batch-5', body);
    const record = await backend.api('GET', '/api/v1/idempotency-keys/batch-5');
    expect(record.json).toEqual({
      route: 'POST /password-resets',
      status: 200,
      response: first.json,
    });
    expect((await backend.api('GET', '/api/v1/idempotency-keys/never-sent')).status).toBe(404);
    expect((await backend.raw('GET', '/api/v1/idempotency-keys/batch-5')).status).toBe(401);
  });

  it('retires a key a lookup found nothing under: a late copy is refused, not applied', async () => {
    const lookup = await backend.api('GET', '/api/v1/idempotency-keys/late-copy');
    expect(lookup.status).toBe(404);
    expect(lookup.json).toMatchObject({ error: { code: 'idempotency-key-retired' } });
    // The copy that was still on its way arrives: it does nothing.
    const late = await post('late-copy', { userIds: ['11635-27'], voicePortalPasscode: '135792' });
    expect(late.status).toBe(409);
    expect(late.json).toMatchObject({ error: { code: 'idempotency-key-retired' } });
    expect(await auditCount('11635-27')).toBe(0);
    // Asked again, the key still proves nothing was done; the retirement survives a restart.
    await backend.close();
    backend = await startTestBackend({ dataDir: backend.dataDir });
    expect((await backend.api('GET', '/api/v1/idempotency-keys/late-copy')).json).toMatchObject({
      error: { code: 'idempotency-key-retired' },
    });
    expect(
      (await post('late-copy', { userIds: ['11635-27'], voicePortalPasscode: '135792' })).status,
    ).toBe(409);
  });

  it('either retires a key or does its request, never both, when a lookup races the request', async () => {
    const sent = post('raced-key', { userIds: ['11635-28'], applicationPassword: 'Zx9/Qw8#' });
    const looked = await backend.api('GET', '/api/v1/idempotency-keys/raced-key');
    const done = await sent;
    const changed = await auditCount('11635-28');
    if (looked.status === 404) expect([done.status, changed]).toEqual([409, 0]);
    else expect([done.status, changed]).toEqual([200, 1]);
  });

  it('works for PATCH too', async () => {
    const patch = (email: string) =>
      backend.api('PATCH', '/api/v1/users/11635-24', { email }, { 'Idempotency-Key': 'patch-1' });
    expect((await patch('a@example.org')).status).toBe(200);
    expect((await patch('a@example.org')).headers.get('idempotent-replayed')).toBe('true');
    expect((await patch('b@example.org')).status).toBe(422);
  });
});

describe('the admin rate limit', () => {
  it('answers 429 with Retry-After past the configured rate', async () => {
    const limited = await startTestBackend({ adminRateLimit: { points: 3, windowSeconds: 30 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1)
        statuses.push((await limited.api('GET', '/api/v1/locations')).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const answer = await limited.api('GET', '/api/v1/locations');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(30);
      expect(answer.json).toMatchObject({ error: { code: 'rate-limited' } });
      expect((await limited.raw('GET', '/api/v1/health')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
