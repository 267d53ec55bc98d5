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

  it('pages through every user once, in natural order', async () => {
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
    const natural = new Intl.Collator('en', { numeric: true });
    expect([...seen].sort((a, b) => natural.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0))).toEqual(
      seen,
    );
    const branch = seen.filter((id) => /^11635-\d+$/u.test(id));
    expect(branch.slice(8, 12)).toEqual(['11635-09', '11635-10', '11635-11', '11635-12']);
  });

  it('orders ids naturally: numbers inside them as numbers', async () => {
    const { naturalKey } = await import('../../../electron/backend/db/users-store.ts');
    const ids = ['11635-101', '11635-11', '11635-2', '11635-10', '4845880834.010', '4845880834.9'];
    expect([...ids].sort((a, b) => (naturalKey(a) < naturalKey(b) ? -1 : 1))).toEqual([
      '11635-2',
      '11635-10',
      '11635-11',
      '11635-101',
      '4845880834.9',
      '4845880834.010',
    ]);
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

describe('a database from before natural order', () => {
  it('gets every user its place when the backend opens it', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { openSqlite } = await import('../../../electron/backend/db/sqlite.ts');
    const { MIGRATIONS } = await import('../../../electron/backend/db/migrations.ts');
    const { DATABASE_FILE } = await import('../../../electron/backend/db/database.ts');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'passdesk-natural-'));
    const old = openSqlite(path.join(dataDir, DATABASE_FILE), MIGRATIONS.slice(0, 1));
    old.exec(`INSERT INTO locations (id, name) VALUES ('loc', 'A');`);
    for (const id of ['u-10', 'u-2', 'u-1'])
      old
        .prepare(
          `INSERT INTO users (id, first_name, last_name, location_id, intercepted) VALUES (?, 'A', 'B', 'loc', 0)`,
        )
        .run(id);
    old.close();
    const upgraded = await startTestBackend({ dataDir, seed: 'none' });
    try {
      const page = (await upgraded.api('GET', '/api/v1/users')).json as UsersPage;
      expect(page.users.map((u) => u.id)).toEqual(['u-1', 'u-2', 'u-10']);
    } finally {
      await upgraded.close();
    }
  });
});
