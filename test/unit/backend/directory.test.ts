import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Location, User, UsersPage } from '../../../shared/api/index.ts';
import { startTestBackend, type TestBackend } from './harness.ts';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.close());

describe('GET /locations and /users', () => {
  it('lists the demo locations with their user counts', async () => {
    const locations = (await backend.api('GET', '/api/v1/locations')).json as Location[];
    expect(locations).toHaveLength(5);
    expect(locations.reduce((sum, l) => sum + l.userCount, 0)).toBe(1500);
  });

  it('pages through every user once, in a stable order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let total: number | undefined;
    do {
      const query: string = cursor === null ? 'limit=400' : `limit=400&cursor=${cursor}`;
      const page = (await backend.api('GET', `/api/v1/users?${query}`)).json as UsersPage;
      seen.push(...page.users.map((u) => u.id));
      cursor = page.nextCursor;
      total = page.total;
    } while (cursor !== null);
    expect(total).toBe(1500);
    expect(seen).toHaveLength(1500);
    expect(new Set(seen).size).toBe(1500);
    expect([...seen].sort()).toEqual(seen);
  });

  it('filters by location and gives that location’s total', async () => {
    const page = (await backend.api('GET', '/api/v1/users?locationId=loc-11635&limit=5000'))
      .json as UsersPage;
    expect(page.total).toBe(300);
    expect(page.users.every((u) => u.locationId === 'loc-11635')).toBe(true);
    expect(page.nextCursor).toBeNull();
    expect((await backend.api('GET', '/api/v1/users?locationId=loc-nowhere')).status).toBe(404);
  });

  it('has users shaped like the contract, with seed-style ids', async () => {
    const page = (await backend.api('GET', '/api/v1/users?limit=5000')).json as UsersPage;
    const ids = page.users.map((u) => u.id);
    expect(ids.some((id) => /^\d{10}\.\d{3}$/u.test(id))).toBe(true);
    expect(ids.some((id) => /^11635-\d{2}$/u.test(id))).toBe(true);
    expect(ids.some((id) => /^11635-sanity-\d{2}$/u.test(id))).toBe(true);
  });
});

describe('the demo seed', () => {
  it('is a realistic mix', async () => {
    const users = ((await backend.api('GET', '/api/v1/users?limit=5000')).json as UsersPage).users;
    const withoutEmail = users.filter((u) => u.email === null).length / users.length;
    expect(withoutEmail).toBeGreaterThan(0.12);
    expect(withoutEmail).toBeLessThan(0.22);
    const intercepted = users.filter((u) => u.intercepted).length;
    expect(intercepted).toBeGreaterThan(0);
    expect(intercepted).toBeLessThan(60);
    const licenses = new Set(users.flatMap((u) => u.licenses));
    expect([...licenses].sort()).toEqual(['cc-agent', 'uc-one', 'webex']);
  });
});

describe('PATCH /users/{id}', () => {
  it('sets, validates and clears an email address', async () => {
    const set = await backend.api('PATCH', '/api/v1/users/11635-03', {
      email: 'new.person@example.org',
    });
    expect(set.status).toBe(200);
    expect((set.json as User).email).toBe('new.person@example.org');

    const bad = await backend.api('PATCH', '/api/v1/users/11635-03', { email: 'not an email' });
    expect(bad.status).toBe(400);
    expect((bad.json as { error: { message: string } }).error.message).toMatch(/^body: email: /);

    const cleared = await backend.api('PATCH', '/api/v1/users/11635-03', { email: null });
    expect((cleared.json as User).email).toBeNull();
    expect((await backend.api('PATCH', '/api/v1/users/nobody-here', { email: null })).status).toBe(
      404,
    );
  });
});

describe('POST /intercepts', () => {
  it('turns intercept on per user and reports each', async () => {
    const first = await backend.api('POST', '/api/v1/intercepts', {
      userIds: ['11635-04', 'nobody-here'],
      intercepted: true,
    });
    expect(first.json).toEqual({
      results: [
        { userId: '11635-04', outcome: 'updated' },
        { userId: 'nobody-here', outcome: 'not-found' },
      ],
    });
    const again = await backend.api('POST', '/api/v1/intercepts', {
      userIds: ['11635-04'],
      intercepted: true,
    });
    expect(again.json).toEqual({ results: [{ userId: '11635-04', outcome: 'unchanged' }] });
  });
});

describe('licenses', () => {
  it('lists totals and assignments, and refuses to assign past the total', async () => {
    const before = (await backend.api('GET', '/api/v1/licenses')).json as {
      id: string;
      total: number;
      assigned: number;
    }[];
    const agent = before.find((l) => l.id === 'cc-agent');
    expect(agent).toBeDefined();
    const left = (agent?.total ?? 0) - (agent?.assigned ?? 0);
    const page = (await backend.api('GET', '/api/v1/users?locationId=loc-hq&limit=5000'))
      .json as UsersPage;
    const candidates = page.users
      .filter((u) => !u.licenses.includes('cc-agent'))
      .slice(0, left + 1)
      .map((u) => u.id);
    const answer = (
      await backend.api('POST', '/api/v1/license-assignments', {
        userIds: candidates,
        add: ['cc-agent'],
      })
    ).json as { results: { userId: string; outcome: string }[] };
    expect(answer.results.filter((r) => r.outcome === 'updated')).toHaveLength(left);
    expect(answer.results.at(-1)).toEqual({
      userId: candidates.at(-1),
      outcome: 'no-license-left',
      licenseId: 'cc-agent',
    });

    const unknown = await backend.api('POST', '/api/v1/license-assignments', {
      userIds: ['11635-01'],
      add: ['gold'],
    });
    expect(unknown.json).toEqual({
      results: [{ userId: '11635-01', outcome: 'unknown-license', licenseId: 'gold' }],
    });
    const both = await backend.api('POST', '/api/v1/license-assignments', {
      userIds: ['11635-01'],
      add: ['webex'],
      remove: ['webex'],
    });
    expect(both.status).toBe(400);
  });
});
