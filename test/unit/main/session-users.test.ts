import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createProvisioningClient } from '../../../electron/main/services/provisioning-client.ts';
import { followJobs } from '../../../electron/main/services/users-table/job-outcomes.ts';
import { openSessionUsers } from '../../../electron/main/services/users-table/session-users.ts';
import type { ConnectionStatus, JobSummary, UsersLoad } from '../../../shared/ipc/index.ts';
import { API_VERSION, type User } from '../../../shared/api/index.ts';
import { startTestBackend, type TestBackend } from '../backend/harness.ts';
import { startFaultProxy, type FaultProxy } from '../jobs/fault-proxy.ts';

const connected: ConnectionStatus = {
  state: 'connected',
  since: '2026-12-01T00:00:00.000Z',
  checkedAt: null,
  latencyMs: 1,
  message: '',
  backend: { kind: 'remote', url: 'http://127.0.0.1' },
  apiVersion: API_VERSION,
};
const answering = { status: () => connected, checkNow: () => Promise.resolve(connected) };
const noJobs = { lastActions: () => ({ entries: [], asOf: '' }), results: () => null };
const everyone = { list: null, search: '', sort: [] };

describe('the users table read from a real backend through the fault proxy', () => {
  let backend: TestBackend;
  let proxy: FaultProxy;
  let allIds: string[];
  beforeAll(async () => {
    backend = await startTestBackend();
    proxy = await startFaultProxy(backend.url);
    allIds = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = (await backend.api('GET', `/api/v1/users?limit=5000${query}`)).json as {
        users: User[];
        nextCursor: string | null;
      };
      allIds.push(...page.users.map((u) => u.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
  });
  afterAll(async () => {
    await proxy.close();
    await backend.close();
  });

  const open = () => {
    const events: UsersLoad[] = [];
    const client = createProvisioningClient(
      { kind: 'remote', url: proxy.url, token: backend.token },
      { retries: 1 },
    );
    const users = openSessionUsers({
      client,
      connection: answering,
      jobs: () => noJobs,
      onChange: (load) => events.push(load),
      pageSize: 400,
    });
    return { users, events, table: users.table };
  };
  const isPage = (path: string) => path.startsWith('/api/v1/users?');

  it('fills while a slow backend answers, page by page, and ends with every user once', async () => {
    // Each page takes 300 ms to come, in pieces: a slow link or a busy backend.
    proxy.setPlan((seen) => (isPage(seen.path) ? { kind: 'trickle', ms: 300 } : { kind: 'pass' }));
    const { table, events } = open();
    table.load(null);
    await vi.waitFor(() => expect(table.load(null).loaded).toBeGreaterThan(0), {
      timeout: 5000,
    });
    const part = table.block(everyone, 0, 50);
    expect(part.load.state).toBe('loading');
    expect(part.matching).toBe(part.load.loaded);
    expect(part.users.map((u) => u.id)).toEqual(allIds.slice(0, part.users.length));
    await vi.waitFor(() => expect(table.load(null).state).toBe('done'), { timeout: 10_000 });
    expect(table.ids(everyone).ids).toEqual(allIds);
    expect(events.at(-1)).toMatchObject({ state: 'done', loaded: allIds.length });
    expect(events.filter((e) => e.state === 'loading').length).toBeGreaterThan(1);
    table.close();
  });

  it('stops with the reason at a page the backend keeps refusing, and goes on from it', async () => {
    let refusing = true;
    proxy.setPlan((seen) =>
      isPage(seen.path) && seen.path.includes('cursor=') && refusing
        ? { kind: 'status', status: 503, message: 'Down for maintenance' }
        : { kind: 'pass' },
    );
    const { table } = open();
    table.load(null);
    await vi.waitFor(() => expect(table.load(null).state).toBe('failed'), { timeout: 10_000 });
    const failed = table.load(null);
    expect(failed.loaded).toBe(400);
    // The backend's own words, as the table's banner shows them.
    expect(failed.error).toBe('Down for maintenance');
    refusing = false;
    table.resume();
    await vi.waitFor(() => expect(table.load(null).state).toBe('done'), { timeout: 10_000 });
    expect(table.ids(everyone).ids).toEqual(allIds);
    table.close();
  });

  it('reads every page again on reload from a slow backend, with what changed on it meanwhile', async () => {
    proxy.setPlan(() => ({ kind: 'pass' }));
    const { table } = open();
    table.load(null);
    await vi.waitFor(() => expect(table.load(null).state).toBe('done'), { timeout: 10_000 });
    const [first] = allIds;
    if (first === undefined) throw new Error('no users');
    const email = `moved-${Date.now()}@example.com`;
    const edit = await backend.api('PATCH', `/api/v1/users/${first}`, { email });
    expect(edit.status).toBe(200);
    expect(table.byIds([first])[0]?.email).not.toBe(email);

    proxy.setPlan((seen) => (isPage(seen.path) ? { kind: 'trickle', ms: 300 } : { kind: 'pass' }));
    table.reload(null);
    // The users read before are served while every page is read again.
    expect(table.load(null)).toMatchObject({ state: 'done', loaded: allIds.length });
    expect(table.load(null).rereading).toMatchObject({ loaded: 0 });
    await vi.waitFor(() => expect(table.load(null).rereading?.loaded).toBeGreaterThan(0), {
      timeout: 15_000,
    });
    expect(table.load(null).rereading).not.toBeNull();
    expect(table.ids(everyone).ids).toEqual(allIds);
    expect(table.byIds([first])[0]?.email).not.toBe(email);
    await vi.waitFor(() => expect(table.load(null).rereading).toBeNull(), { timeout: 15_000 });
    expect(table.ids(everyone).ids).toEqual(allIds);
    expect(table.byIds([first])[0]?.email).toBe(email);
    table.close();
  });
});

describe('jobs into the table', () => {
  const job = (state: JobSummary['state'], params: JobSummary['params']) =>
    ({ id: 'job-1', state, params }) as JobSummary;

  it('patches what a settled intercept or license job did, once it settles', () => {
    const patched: { ids: string[]; sample: User }[] = [];
    const changes: number[] = [];
    const base: User = {
      id: 'u1',
      firstName: 'A',
      lastName: 'B',
      email: null,
      locationId: 'l',
      intercepted: false,
      licenses: ['webex'],
    };
    const follow = followJobs(
      {
        patch: (ids, change) => {
          patched.push({ ids: [...ids], sample: change(base) });
        },
      },
      { lastActionsChanged: () => changes.push(1) },
      () => [
        { userId: 'u1', outcome: 'changed', reason: null },
        { userId: 'u2', outcome: 'unchanged', reason: null },
        { userId: 'u3', outcome: 'failed', reason: 'No answer' },
      ],
    );
    const intercept = { kind: 'intercept', intercepted: true } as JobSummary['params'];
    follow(job('running', intercept));
    follow(job('running', intercept));
    expect(patched).toEqual([]);
    expect(changes).toHaveLength(1);
    follow(job('completed', intercept));
    expect(patched).toEqual([{ ids: ['u1', 'u2'], sample: { ...base, intercepted: true } }]);

    const license = { kind: 'license', add: ['uc-one'], remove: ['webex'] } as never;
    follow({ ...job('completed', license), id: 'job-2' });
    expect(patched[1]?.sample.licenses).toEqual(['uc-one']);
    // A reset changes nothing the table shows.
    follow({ ...job('completed', { kind: 'password-reset' } as never), id: 'job-3' });
    expect(patched).toHaveLength(2);
  });
});
