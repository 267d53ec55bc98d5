import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, API_PREFIX, API_VERSION } from '../../../shared/api/index.ts';
import { HSTS } from '../../../electron/backend/http/security-headers.ts';
import { startTestBackend, type TestBackend } from './harness.ts';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend({ maxBodyBytes: 64 * 1024 });
});
afterAll(() => backend.close());

const adminRoutes = Object.entries(apiRoutes).filter(([, route]) => route.auth === 'admin');
const concrete = (path: string) => `${API_PREFIX}${path.replace('{id}', '1')}`;

describe('authentication', () => {
  it('leaves health and the OpenAPI document open', async () => {
    const health = await backend.raw('GET', '/api/v1/health');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({
      status: 'ok',
      version: expect.any(String),
      apiVersion: API_VERSION,
    });
    expect((await backend.raw('GET', '/api/v1/openapi.json')).status).toBe(200);
  });

  it.each(adminRoutes)(
    '%s answers 401 and nothing else without the admin token',
    async (_name, route) => {
      for (const authorization of [
        undefined,
        'Bearer wrong-token',
        `Basic ${backend.token}`,
        'Bearer',
      ]) {
        const answer = await backend.raw(route.method.toUpperCase(), concrete(route.path), {
          headers: authorization === undefined ? {} : { Authorization: authorization },
        });
        expect(answer.status).toBe(401);
        expect(answer.json).toEqual({
          error: { code: 'unauthorized', message: 'A valid admin token is required.' },
        });
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      }
    },
  );

  it('answers 401 for unknown admin paths too, so nothing can be probed', async () => {
    expect((await backend.raw('GET', '/api/v1/secret-things')).status).toBe(401);
    expect((await backend.api('GET', '/api/v1/secret-things')).status).toBe(404);
  });
});

describe('the OpenAPI 3.1 document', () => {
  it('describes every route with its schemas and security', async () => {
    const doc = (await backend.raw('GET', '/api/v1/openapi.json')).json as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { security: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }
        >
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const [name, route] of Object.entries(apiRoutes)) {
      const operation = doc.paths[`${API_PREFIX}${route.path}`]?.[route.method];
      expect(operation, name).toBeDefined();
      expect(operation?.responses['200']).toBeDefined();
      expect(operation?.security.length).toBe(route.auth === 'none' ? 0 : 1);
      expect(operation?.requestBody !== undefined).toBe('body' in route);
    }
  });
});

describe('bad input gets 400 naming the field, and changes nothing', () => {
  const post = (body: unknown, headers?: Record<string, string>) =>
    backend.api('POST', '/api/v1/password-resets', body, headers);

  it.each([
    ['bad JSON', '{"userIds": [', /^body: not valid JSON$/],
    ['a wrong type', { userIds: '11635-01', applicationPassword: 'Zx9/Qw8#' }, /userIds/],
    [
      'an unknown field',
      { userIds: ['11635-01'], applicationPassword: 'Zx9/Qw8#', admin: true },
      /Unrecognized key: "admin"/,
    ],
    [
      'no secret at all',
      { userIds: ['11635-01'] },
      /applicationPassword: give applicationPassword, voicePortalPasscode or both/,
    ],
    ['an empty id list', { userIds: [], voicePortalPasscode: '135792' }, /userIds/],
    [
      'too many ids',
      { userIds: Array.from({ length: 1001 }, (_, i) => `u-${i}`), voicePortalPasscode: '135792' },
      /userIds: Too big/,
    ],
    [
      'a repeated id',
      { userIds: ['11635-01', '11635-01'], voicePortalPasscode: '135792' },
      /userIds: lists a user more than once/,
    ],
    ['a malformed id', { userIds: ['../etc'], voicePortalPasscode: '135792' }, /userIds\.0/],
    [
      'an over-long secret',
      { userIds: ['11635-01'], applicationPassword: 'x'.repeat(257) },
      /applicationPassword/,
    ],
  ])('refuses %s', async (_name, body, message) => {
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect((answer.json as { error: { message: string } }).error.message).toMatch(message);
  });

  it('refuses a body that is not JSON by its type', async () => {
    const answer = await post('userIds=1', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(answer.status).toBe(400);
    expect((answer.json as { error: { message: string } }).error.message).toMatch(
      /Content-Type: application\/json/,
    );
  });

  it('refuses an oversize body', async () => {
    const answer = await post({
      userIds: ['11635-01'],
      applicationPassword: 'Zx9/Qw8#',
      pad: 'x'.repeat(70 * 1024),
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'body-too-large', message: /^body: / } });
  });

  it('refuses bad query parameters', async () => {
    for (const query of ['limit=0', 'limit=5001', 'limit=ten', 'colour=blue', 'cursor=not-ours']) {
      const answer = await backend.api('GET', `/api/v1/users?${query}`);
      expect(answer.status, query).toBe(400);
      expect((answer.json as { error: { message: string } }).error.message).toMatch(
        /^query: |^cursor: /,
      );
    }
  });

  it('leaves the data as it was', async () => {
    const audit = (await backend.api('GET', '/api/v1/audit')).json as { entries: unknown[] };
    expect(audit.entries).toEqual([]);
  });
});

describe('every response', () => {
  it('carries no-referrer, no-store and a strict CSP', async () => {
    for (const path of ['/api/v1/health', '/api/v1/users', '/reset/abc', '/nowhere']) {
      const answer = await backend.api('GET', path);
      expect(answer.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(answer.headers.get('cache-control'), path).toBe('no-store');
      expect(answer.headers.get('content-security-policy'), path).toMatch(/default-src 'none'/);
      expect(answer.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(answer.headers.get('x-frame-options'), path).toBe('DENY');
      expect(answer.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(answer.headers.get('permissions-policy'), path).toMatch(
        /(^|, )camera=\(\)(,|$).*microphone=\(\).*geolocation=\(\)/u,
      );
      // Served over http (no https public address): no HSTS, which would break it.
      expect(answer.headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('sends HSTS when end users reach it over https (behind a TLS proxy)', async () => {
    const behindTls = await startTestBackend({ publicBaseUrl: 'https://reset.example.com' });
    try {
      for (const path of ['/api/v1/health', '/reset/abc']) {
        const answer = await behindTls.api('GET', path);
        expect(answer.headers.get('strict-transport-security'), path).toBe(HSTS);
      }
    } finally {
      await behindTls.close();
    }
  });

  it('has one error shape', async () => {
    const answer = await backend.api('GET', '/nowhere');
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ error: { code: 'not-found', message: expect.any(String) } });
  });
});
