import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerRoutes,
  type RouteHandlers,
} from '../../../electron/backend/http/register-routes.ts';
import type { RouteScope } from '../../../electron/backend/http/route-scopes.ts';
import { apiRoutes, API_PREFIX, type User } from '../../../shared/api/index.ts';
import { latestLink, startTestBackend, tokenOf, type TestBackend } from './harness.ts';

let backend: TestBackend;
let recoveryToken: string;
beforeAll(async () => {
  backend = await startTestBackend();
  await backend.api('PATCH', '/api/v1/users/11635-40', { email: 'routes.test@example.org' });
  await backend.api('POST', '/api/v1/recovery-emails', { userIds: ['11635-40'] });
  recoveryToken = tokenOf(await latestLink(backend, 'routes.test@example.org'));
});
afterAll(() => backend.close());

const routes = Object.entries(apiRoutes);
const byAuth = (auth: string) => routes.filter(([, route]) => route.auth === auth);
const concrete = (path: string) => `${API_PREFIX}${path.replace(/\{\w+\}/gu, '1')}`;
const call = (route: { method: string; path: string }, authorization?: string) =>
  backend.raw(route.method.toUpperCase(), concrete(route.path), {
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });

/** The router's own 404: no route at this method and path. */
const NOTHING_HERE = {
  error: { code: 'not-found', message: 'There is nothing at this address.' },
};

describe('every route of shared/api is served with the auth its spec names', () => {
  it('has routes of each kind to check', () => {
    expect(byAuth('admin').length).toBeGreaterThan(10);
    expect(byAuth('recovery')).toHaveLength(3);
    expect(byAuth('none')).toHaveLength(1);
  });

  it.each(byAuth('admin'))(
    'admin route %s: 401 without the admin token or with a recovery token, served with it',
    async (_name, route) => {
      for (const authorization of [undefined, `Bearer ${recoveryToken}`]) {
        const refused = await call(route, authorization);
        expect(refused.status).toBe(401);
        expect(refused.json).toEqual({
          error: { code: 'unauthorized', message: 'A valid admin token is required.' },
        });
      }
      const served = await call(route, `Bearer ${backend.token}`);
      expect(served.status).not.toBe(401);
      expect(served.json).not.toEqual(NOTHING_HERE);
    },
  );

  // A recovery route refuses every credential that is not a live link's token with the answer
  // an expired link gets (410), not 401: the reset page shows it as "This link has expired",
  // and a missing or malformed token was already answered so before routes came from the specs.
  it.each(byAuth('recovery'))(
    'recovery route %s: refused without a live link’s token, even the admin token; served with one',
    async (_name, route) => {
      for (const authorization of [undefined, 'Bearer', `Bearer ${backend.token}`]) {
        const refused = await call(route, authorization);
        expect(refused.status).toBe(410);
        expect(refused.json).toMatchObject({ error: { code: 'link-expired' } });
      }
      const served = await call(route, `Bearer ${recoveryToken}`);
      expect([401, 410]).not.toContain(served.status);
      expect(served.json).not.toEqual(NOTHING_HERE);
    },
  );

  it.each(byAuth('none'))('open route %s: 200 with no credential at all', async (_name, route) => {
    for (const authorization of [undefined, 'Bearer wrong-token']) {
      expect((await call(route, authorization)).status).toBe(200);
    }
  });

  it('answers an unknown path with the JSON 404 (after the admin token, under the API)', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/nowhere'],
      ['DELETE', '/api/v1/users'],
      ['GET', '/api/v1/self-service/nowhere'],
    ] as const) {
      expect((await backend.raw(method, path)).status, path).toBe(401);
      const answer = await backend.api(method, path);
      expect(answer.status, path).toBe(404);
      expect(answer.json, path).toEqual(NOTHING_HERE);
    }
    const outside = await backend.raw('GET', '/nowhere');
    expect(outside.status).toBe(404);
    expect(outside.json).toEqual(NOTHING_HERE);
  });
});

describe('Idempotency-Key on a route with a path parameter', () => {
  const patch = (id: string, email: string) =>
    backend.api('PATCH', `/api/v1/users/${id}`, { email }, { 'Idempotency-Key': 'patch-key' });

  it('replays for the same user, and refuses the same key and body for another user', async () => {
    const first = await patch('11635-41', 'same.body@example.org');
    expect((first.json as User).email).toBe('same.body@example.org');
    const replay = await patch('11635-41', 'same.body@example.org');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json).toEqual(first.json);

    const other = await patch('11635-42', 'same.body@example.org');
    expect(other.status).toBe(422);
    expect(other.json).toMatchObject({ error: { code: 'idempotency-key-reused' } });
    const users = (await backend.api('GET', '/api/v1/users?limit=5000')).json as {
      users: User[];
    };
    expect(users.users.find((u) => u.id === '11635-42')?.email).not.toBe('same.body@example.org');

    const record = await backend.api('GET', '/api/v1/idempotency-keys/patch-key');
    expect(record.json).toMatchObject({ route: 'PATCH /users/11635-41', status: 200 });
  });
});

describe('registerRoutes', () => {
  const open: RouteScope = { guards: [], actorOf: () => 'test' };
  const appAnswering = (answer: unknown, checkResponses: boolean) => {
    const app = new Hono();
    app.onError((error, c) => c.text(error.message, 500));
    // Every handler gives the same answer, whatever its route's response schema says.
    const handlers = new Proxy({}, { get: () => () => answer }) as RouteHandlers;
    registerRoutes(app, handlers, {
      scopes: { admin: open, recovery: open, none: open },
      idempotent: () => Promise.reject(new Error('not called for GET routes')),
      checkResponses,
    });
    return app;
  };

  it('checks answers against the spec’s response schema when asked to', async () => {
    const wrong = await appAnswering({ status: 'fine' }, true).request('/api/v1/health');
    expect(wrong.status).toBe(500);
    expect(await wrong.text()).toMatch(/^health answered outside its response schema: status: /);
    const right = await appAnswering(
      { status: 'ok', version: '1', apiVersion: '1.0' },
      true,
    ).request('/api/v1/health');
    expect(right.status).toBe(200);
    const unchecked = await appAnswering({ status: 'fine' }, false).request('/api/v1/health');
    expect(await unchecked.json()).toEqual({ status: 'fine' });
  });

  it('takes a handler map that names every route of shared/api and nothing else', () => {
    const handlers = {} as RouteHandlers;
    const withoutHealth: Omit<RouteHandlers, 'health'> = handlers;
    // @ts-expect-error: health has no handler.
    const missing: RouteHandlers = withoutHealth;
    const extra: RouteHandlers = {
      ...handlers,
      // @ts-expect-error: shared/api has no route of this name.
      deleteEverything: () => ({}),
    };
    const wrongAnswer: RouteHandlers = {
      ...handlers,
      // @ts-expect-error: health answers { status: 'ok', version }.
      health: () => ({ status: 'fine' }),
    };
    expect([missing, extra, wrongAnswer]).toHaveLength(3);
  });
});
