import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAt, statusesOf } from './from-address.ts';
import { startTestBackend, type TestBackend } from './harness.ts';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.close());

const WRONG = 'wrong-admin-token-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789';

interface SecurityLine {
  level: string;
  message: string;
  event: string;
  client: string;
  [field: string]: unknown;
}

const securityLines = (): SecurityLine[] =>
  backend.logLines
    .map((line) => JSON.parse(line) as SecurityLine)
    .filter((line) => line.message === 'security event');

describe('wrong admin tokens', () => {
  it('are answered 401 twenty times a window per client, then 429 with Retry-After, even with the right token', async () => {
    const guesser = clientAt('127.0.0.2', backend.url);
    const statuses = await statusesOf(500, (i) => guesser('/api/v1/locations', `${WRONG}${i}`));
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(480);

    const locked = await guesser('/api/v1/locations', backend.token);
    expect(locked.status).toBe(429);
    expect(locked.json).toMatchObject({ error: { code: 'rate-limited' } });
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Unknown addresses under the API are throttled alike, so nothing there can be probed.
    expect((await guesser('/api/v1/no-such-thing', `${WRONG}x`)).status).toBe(429);
  });

  it('do not slow another client, whose right token works and whose own failures count apart', async () => {
    const operator = clientAt('127.0.0.3', backend.url);
    expect((await operator('/api/v1/locations', backend.token)).status).toBe(200);
    expect((await operator('/api/v1/locations', WRONG)).status).toBe(401);
    expect((await operator('/api/v1/locations', backend.token)).status).toBe(200);
    // The test harness's own client (127.0.0.1) is another client again.
    expect((await backend.api('GET', '/api/v1/locations')).status).toBe(200);
  });

  it('count only tokens: requests with none are answered 401 and lock nobody', async () => {
    const anonymous = clientAt('127.0.0.4', backend.url);
    const statuses = await statusesOf(60, () => anonymous('/api/v1/locations'));
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect((await anonymous('/api/v1/locations', backend.token)).status).toBe(200);
  });

  it('are logged as security events at info level, a few lines per client and window, without any token', () => {
    const lines = securityLines().filter((line) => line.client === '127.0.0.2');
    expect(lines.map((line) => line.event)).toEqual(['admin-auth-failure', 'admin-auth-locked']);
    expect(lines[0]).toMatchObject({ level: 'info', failures: 1 });
    expect(lines[1]).toMatchObject({ level: 'info', failures: 20 });
    expect(lines[1]?.retryAfterSeconds).toBeGreaterThan(0);
    expect(securityLines().filter((line) => line.client === '127.0.0.3')).toMatchObject([
      { event: 'admin-auth-failure', failures: 1 },
    ]);
    const logs = backend.logLines.join('\n');
    expect(logs).not.toContain(WRONG);
    expect(logs).not.toContain(backend.token);
  });
});
