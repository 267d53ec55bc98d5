import { describe, expect, it, vi } from 'vitest';
import { naturalKey } from '../../../electron/main/services/users-table/sort-keys.ts';
import { createTableNames } from '../../../electron/main/services/users-table/table-names.ts';
import {
  createUsersTable,
  type UsersTableDeps,
} from '../../../electron/main/services/users-table/users-table.ts';
import type { User, UsersPage } from '../../../shared/api/index.ts';
import {
  fail,
  ok,
  SelectionSummary,
  SUMMARY_FIRST,
  type Result,
  type SortKey,
  type UsersList,
  type UsersLoad,
} from '../../../shared/ipc/index.ts';

const user = (id: string, fields: Partial<User> = {}): User => ({
  id,
  firstName: 'Ann',
  lastName: 'Smith',
  email: null,
  locationId: 'loc-a',
  intercepted: false,
  licenses: [],
  ...fields,
});

/** A backend of these users, `pageSize` a page, failing the pages listed in `failing`. */
function backend(users: User[], pageSize = 2) {
  const asked: { list: UsersList; cursor: string | undefined }[] = [];
  const failing = new Set<number>();
  const readPage = (list: UsersList, cursor: string | undefined): Promise<Result<UsersPage>> => {
    asked.push({ list, cursor });
    const start = cursor === undefined ? 0 : Number(cursor);
    if (failing.has(start / pageSize))
      return Promise.resolve(fail('backend-unavailable', 'No answer.'));
    const matching = users.filter((u) => list === null || u.locationId === list);
    const next = start + pageSize;
    return Promise.resolve(
      ok({
        users: matching.slice(start, next).map((u) => ({ ...u })),
        nextCursor: next < matching.length ? String(next) : null,
        total: matching.length,
      }),
    );
  };
  return {
    users,
    asked,
    failing,
    readPage,
  };
}

function table(users: User[], options: Partial<UsersTableDeps> & { pageSize?: number } = {}) {
  const source = backend(users, options.pageSize);
  const names = createTableNames(() => []);
  const events: UsersLoad[] = [];
  const users$ = createUsersTable({
    readPage: source.readPage,
    context: names.context,
    onChange: (load) => events.push(load),
    ...options,
  });
  return { table: users$, source, names, events };
}

/** Waits until the list's read has ended (done or failed). */
async function settled(t: ReturnType<typeof createUsersTable>, list: UsersList = null) {
  await vi.waitFor(() => expect(t.load(list).state).not.toBe('loading'));
  return t.load(list);
}

const view = (search = '', sort: SortKey[] = [], list: UsersList = null) => ({
  list,
  search,
  sort,
});
const idsOf = (users: readonly User[]) => users.map((u) => u.id);

describe('the users table main keeps', () => {
  it('reads every page in order, once, and serves blocks of rows with their count', async () => {
    const users = Array.from({ length: 7 }, (_, i) => user(`u${i + 1}`));
    const { table: t, source, events } = table(users);
    expect(t.load(null)).toMatchObject({ state: 'loading', loaded: 0, total: null });
    const load = await settled(t);
    expect(load).toMatchObject({ state: 'done', loaded: 7, total: 7, error: null });
    expect(source.asked.map((a) => a.cursor)).toEqual([undefined, '2', '4', '6']);
    // Progress is told as it goes (at most every 100 ms), and the end at once.
    expect(events.at(-1)).toEqual(load);
    expect(events.map((e) => e.version)).toEqual([...events.map((e) => e.version)].sort());

    const block = t.block(view(), 2, 5);
    expect(idsOf(block.users)).toEqual(['u3', 'u4', 'u5']);
    expect(block.matching).toBe(7);
    expect(idsOf(t.block(view(), 5, 100).users)).toEqual(['u6', 'u7']);
    expect(t.block(view(), 50, 60).users).toEqual([]);
    expect(t.ids(view()).ids).toEqual(users.map((u) => u.id));
  });

  it('stops at a page that fails, keeps what came, and goes on from that page', async () => {
    const users = Array.from({ length: 6 }, (_, i) => user(`u${i + 1}`));
    const { table: t, source } = table(users);
    source.failing.add(1);
    expect(await settled(t)).toMatchObject({
      state: 'failed',
      loaded: 2,
      total: 6,
      error: 'No answer.',
    });
    expect(t.block(view(), 0, 10).matching).toBe(2);
    source.failing.clear();
    t.resume();
    expect(await settled(t)).toMatchObject({ state: 'done', loaded: 6, error: null });
    expect(source.asked.map((a) => a.cursor)).toEqual([undefined, '2', '2', '4']);
    expect(t.ids(view()).ids).toEqual(users.map((u) => u.id));
  });

  it('searches in main: every word somewhere in the id, name, numbers or email', async () => {
    const users = [
      user('11635-01', { firstName: 'Alicia', lastName: 'Hudachek', email: 'ah@example.com' }),
      user('11635-02', { firstName: 'Ben', lastName: 'Okafor', extension: '305' }),
      user('11635-03', { firstName: 'Carmen', lastName: 'Hudachek', phoneNumber: '+1484588' }),
    ];
    const { table: t } = table(users);
    await settled(t);
    expect(idsOf(t.block(view('hudachek'), 0, 10).users)).toEqual(['11635-01', '11635-03']);
    expect(idsOf(t.block(view('HUDACHEK  alicia'), 0, 10).users)).toEqual(['11635-01']);
    expect(t.block(view('305'), 0, 10).matching).toBe(1);
    expect(t.block(view('+1484'), 0, 10).matching).toBe(1);
    expect(t.block(view('example.com'), 0, 10).matching).toBe(1);
    expect(t.block(view('alicia okafor'), 0, 10).matching).toBe(0);
    expect(t.ids(view('hudachek')).ids).toEqual(['11635-01', '11635-03']);
  });

  it('finds the users of pages that came after a search was made', async () => {
    const users = Array.from({ length: 6 }, (_, i) =>
      user(`u${i + 1}`, { lastName: i % 2 === 0 ? 'Smith' : 'Jones' }),
    );
    const { table: t, source } = table(users);
    source.failing.add(1);
    expect(await settled(t)).toMatchObject({ loaded: 2 });
    expect(t.block(view('smith'), 0, 10).matching).toBe(1);
    source.failing.clear();
    t.resume();
    await settled(t);
    expect(idsOf(t.block(view('smith'), 0, 10).users)).toEqual(['u1', 'u3', 'u5']);
  });

  it('sorts as people read: numbers by value, case and accents aside, ties in list order', async () => {
    const users = [
      user('11635-10', { firstName: 'émile', lastName: 'Zola', extension: '1000' }),
      user('11635-2', { firstName: 'Emile', lastName: 'Adam', extension: '5' }),
      user('11635-101', { firstName: 'ann', lastName: 'Smith' }),
      user('11635-1', { firstName: 'Ann', lastName: 'Smith', extension: '20' }),
    ];
    const { table: t } = table(users);
    await settled(t);
    const ids = (sort: SortKey[]) => t.ids(view('', sort)).ids;
    expect(ids([{ column: 'id', direction: 'asc' }])).toEqual([
      '11635-1',
      '11635-2',
      '11635-10',
      '11635-101',
    ]);
    expect(ids([{ column: 'id', direction: 'desc' }])[0]).toBe('11635-101');
    // No extension first; then 5, 20, 1000 by value.
    expect(ids([{ column: 'extension', direction: 'asc' }])).toEqual([
      '11635-101',
      '11635-2',
      '11635-1',
      '11635-10',
    ]);
    // "ann Smith" and "Ann Smith" tie: list order, in both directions.
    expect(ids([{ column: 'name', direction: 'asc' }])).toEqual([
      '11635-101',
      '11635-1',
      '11635-2',
      '11635-10',
    ]);
    expect(ids([{ column: 'name', direction: 'desc' }])).toEqual([
      '11635-10',
      '11635-2',
      '11635-101',
      '11635-1',
    ]);
    // A second key orders what the first leaves tied.
    expect(
      ids([
        { column: 'name', direction: 'asc' },
        { column: 'id', direction: 'desc' },
      ]).slice(0, 2),
    ).toEqual(['11635-101', '11635-1']);
    expect(naturalKey('A9') < naturalKey('a10')).toBe(true);
    expect(naturalKey('Émile')).toBe(naturalKey('emile'));
  });

  it('sorts a list sorted early in its read again once it has grown by 200,000 users', async () => {
    const users = Array.from({ length: 200_001 }, (_, i) =>
      user(`u${String(i).padStart(6, '0')}`, { lastName: i === 200_000 ? 'Aaron' : 'Smith' }),
    );
    let rest: (value: Result<UsersPage>) => void = () => undefined;
    const t = createUsersTable({
      readPage: (_, cursor) =>
        cursor === undefined
          ? Promise.resolve(ok({ users: users.slice(0, 1), nextCursor: '1', total: users.length }))
          : new Promise((resolve) => (rest = resolve)),
      context: createTableNames(() => []).context,
      onChange: () => undefined,
    });
    t.load(null);
    await vi.waitFor(() => expect(t.load(null).loaded).toBe(1));
    const byName = [{ column: 'name' as const, direction: 'asc' as const }];
    expect(t.ids(view('', byName)).ids).toEqual(['u000000']);
    // The rest in one page: the sort keys kept are extended by 200,000 at once.
    rest(ok({ users: users.slice(1), nextCursor: null, total: users.length }));
    await settled(t);
    expect(t.ids(view('', byName)).ids.slice(0, 2)).toEqual(['u200000', 'u000000']);
  });

  it('sorts by the names the table shows: locations, licenses and last actions', async () => {
    const users = [
      user('u1', { locationId: 'loc-z', licenses: ['w'] }),
      user('u2', { locationId: 'loc-a', licenses: ['u'] }),
    ];
    const actions = [
      { userId: 'u1', kind: 'password-reset' as const, outcome: 'changed' as const, at: '' },
      { userId: 'u2', kind: 'intercept' as const, outcome: 'changed' as const, at: '' },
    ];
    const names = createTableNames(() => actions);
    const source = backend(users);
    const t = createUsersTable({
      readPage: source.readPage,
      context: names.context,
      onChange: () => undefined,
    });
    await settled(t);
    const first = (column: SortKey['column']) =>
      t.ids(view('', [{ column, direction: 'asc' }])).ids[0];
    names.locationsSeen([
      { id: 'loc-z', name: 'Austin', userCount: 1 },
      { id: 'loc-a', name: 'Zurich', userCount: 1 },
    ]);
    expect(first('location')).toBe('u1');
    names.licensesSeen([
      { id: 'w', name: 'Webex', total: 1, assigned: 1 },
      { id: 'u', name: 'UC One', total: 1, assigned: 1 },
    ]);
    expect(first('licenses')).toBe('u2');
    // "Intercept: …" before "Reset: …"; a job that moves on is read again.
    expect(first('lastAction')).toBe('u2');
    actions[1] = { ...actions[1], kind: 'recovery-email', outcome: 'changed' } as never;
    actions[0] = { ...actions[0], kind: 'license', outcome: 'changed' } as never;
    expect(first('lastAction')).toBe('u2');
    names.lastActionsChanged();
    expect(first('lastAction')).toBe('u1');
  });

  it('patches users in every list that holds them, and searches and sorts them anew', async () => {
    const users = [
      user('u1', { email: 'zed@example.com' }),
      user('u2', { email: 'amy@example.com', locationId: 'loc-b' }),
    ];
    const { table: t, events } = table(users);
    await settled(t, null);
    await settled(t, 'loc-b');
    const byEmail = [{ column: 'email' as const, direction: 'asc' as const }];
    expect(t.ids(view('', byEmail)).ids).toEqual(['u2', 'u1']);
    expect(t.block(view('new@'), 0, 10).matching).toBe(0);
    const before = events.length;
    t.patch(['u2', 'nobody'], (u) => ({ ...u, email: 'new@example.com' }));
    expect(events.length).toBeGreaterThan(before);
    expect(t.block(view('new@'), 0, 10).matching).toBe(1);
    expect(t.block(view('new@', [], 'loc-b'), 0, 10).users[0]?.email).toBe('new@example.com');
    expect(t.ids(view('', byEmail)).ids).toEqual(['u2', 'u1']);
    t.patch(['u1'], (u) => ({ ...u, email: 'aaa@example.com' }));
    expect(t.ids(view('', byEmail)).ids).toEqual(['u1', 'u2']);
    expect(t.byIds(['u2', 'nobody', 'u1']).map((u) => u?.email ?? null)).toEqual([
      'new@example.com',
      null,
      'aaa@example.com',
    ]);
  });

  it('keeps every user inside the API schema: a patch that would break it changes nothing', async () => {
    const { table: t } = table([user('u1', { email: 'ann@example.com' })]);
    await settled(t);
    t.patch(['u1'], (u) => ({ ...u, email: 'not an address' }));
    t.patch(['u1'], (u) => ({ ...u, voicePortalPasscode: '904417' }) as User);
    expect(t.byIds(['u1'])).toEqual([user('u1', { email: 'ann@example.com' })]);
    expect(JSON.stringify(t.block(view(), 0, 10))).not.toContain('904417');
  });

  it('keeps a user met on two pages once, with what was read last', async () => {
    const users = [user('u1'), user('u2'), user('u3')];
    const { table: t, source } = table(users);
    // The backend's order changed during the read: u2 comes again on the second page.
    const readPage = source.readPage;
    const t2 = createUsersTable({
      readPage: async (list, cursor) => {
        const page = await readPage(list, cursor);
        if (cursor === '2' && page.ok)
          return ok({
            ...page.data,
            users: [user('u2', { lastName: 'Moved' }), ...page.data.users],
          });
        return page;
      },
      context: createTableNames(() => []).context,
      onChange: () => undefined,
    });
    await settled(t2);
    expect(t2.ids(view()).ids).toEqual(['u1', 'u2', 'u3']);
    expect(t2.byIds(['u2'])[0]?.lastName).toBe('Moved');
    expect(t2.block(view(), 0, 10).matching).toBe(3);
    await settled(t);
  });

  it('keeps the last two lists asked for, and forgets on demand', async () => {
    const users = [
      user('a1'),
      user('b1', { locationId: 'loc-b' }),
      user('c1', { locationId: 'loc-c' }),
    ];
    const { table: t, source } = table(users);
    await settled(t, null);
    await settled(t, 'loc-b');
    await settled(t, 'loc-c');
    const reads = source.asked.length;
    // loc-b and loc-c are kept: asking again reads nothing.
    t.load('loc-b');
    expect(source.asked).toHaveLength(reads);
    // All locations was dropped: it is read again.
    t.load(null);
    expect(source.asked).toHaveLength(reads + 1);
    await settled(t, null);
    const before = source.asked.length;
    t.forget();
    t.load(null);
    expect(source.asked).toHaveLength(before + 1);
  });

  it('reads a list again beside the one it serves on reload, and serves it once it is read', async () => {
    const users = [user('a1'), user('a2'), user('a3')];
    const { table: t, source, events } = table(users);
    const first = await settled(t);
    expect(first).toMatchObject({ rereading: null });
    expect(first.readAt).not.toBeNull();
    const held = t.block(view(), 0, 10);
    // The backend changes meanwhile: a user goes, one comes, one is renamed.
    users.splice(0, 1);
    users.push(user('a4'));
    users[0] = user('a2', { firstName: 'Bea' });
    source.failing.add(1);

    const asked = source.asked.length;
    const told = events.length;
    const again = t.reload(null);
    // Told at once, from the first page, beside the users read before.
    expect(events.length).toBe(told + 1);
    expect(events.at(-1)).toEqual(again);
    expect(source.asked[asked]).toEqual({ list: null, cursor: undefined });
    expect(again).toMatchObject({ ...first, rereading: { loaded: 0, total: null, error: null } });

    // Its second page fails: the users read before are still served, whole and unchanged.
    await vi.waitFor(() => expect(t.load(null).rereading?.error).toBe('No answer.'));
    const stopped = t.load(null);
    expect(stopped).toMatchObject({ state: 'done', loaded: 3, readAt: first.readAt });
    expect(stopped.rereading).toEqual({ loaded: 2, total: 3, error: 'No answer.' });
    expect(t.block(view(), 0, 10)).toEqual({ ...held, load: stopped });
    expect(t.ids(view()).ids).toEqual(['a1', 'a2', 'a3']);
    // A reload meanwhile starts nothing; Retry goes on from the page that failed.
    t.reload(null);
    expect(source.asked).toHaveLength(asked + 2);
    source.failing.clear();
    t.load(null, true);
    expect(source.asked.at(-1)).toEqual({ list: null, cursor: '2' });

    await vi.waitFor(() => expect(t.load(null).rereading).toBeNull());
    const done = t.load(null);
    expect(done).toMatchObject({ loaded: 3, total: 3, state: 'done' });
    expect(events.at(-1)).toEqual(done);
    // Rows served from the list before are not current in the new one.
    expect(done.rewrittenAt).toBeGreaterThan(stopped.version);
    expect(done.version).toBeGreaterThan(stopped.version);
    const block = t.block(view(), 0, 10);
    expect(idsOf(block.users)).toEqual(['a2', 'a3', 'a4']);
    expect(block.users[0]?.firstName).toBe('Bea');
    expect(t.byIds(['a1', 'a4']).map((u) => u?.id ?? null)).toEqual([null, 'a4']);
    expect(t.block(view('bea'), 0, 10).matching).toBe(1);
  });

  it('patches both the users served and those read again while a list is read again', async () => {
    const users = [user('a1'), user('a2'), user('a3')];
    const { table: t, source } = table(users);
    await settled(t);
    source.failing.add(1);
    t.reload(null);
    await vi.waitFor(() => expect(t.load(null).rereading?.error).not.toBeNull());
    // The first page (a1, a2) has been read again; a3 has not.
    t.patch(['a2', 'a3'], (u) => ({ ...u, lastName: 'Patched' }));
    const served = t.byIds(['a1', 'a2', 'a3']).map((u) => u?.lastName);
    expect(served).toEqual(['Smith', 'Patched', 'Patched']);
    source.failing.clear();
    t.resume();
    await vi.waitFor(() => expect(t.load(null).rereading).toBeNull());
    // a2 as patched in the list read again; a3 as the backend has it (the patch came before it).
    const read = t.byIds(['a1', 'a2', 'a3']).map((u) => u?.lastName);
    expect(read).toEqual(['Smith', 'Patched', 'Smith']);
  });

  it('reads a list whose read failed part way again from nothing, and leaves a read under way alone', async () => {
    const users = [user('a1'), user('a2'), user('a3')];
    const { table: t, source, events } = table(users);
    source.failing.add(1);
    expect(await settled(t)).toMatchObject({ state: 'failed', loaded: 2 });
    source.failing.clear();
    const told = events.length;
    const again = t.reload(null);
    expect(again).toMatchObject({ state: 'loading', loaded: 0, rereading: null });
    // Told at once, as a list of its own.
    expect(events.slice(told)).toEqual([again]);
    // A reload while the list is being read starts nothing.
    const reading = source.asked.length;
    t.reload(null);
    expect(source.asked).toHaveLength(reading);
    expect(await settled(t)).toMatchObject({ state: 'done', loaded: 3, rereading: null });
  });
});

describe("a selection's summary (what the dialogs about a selection show)", () => {
  it('counts emails, intercepts and license sets of the loaded users, in the selection order', async () => {
    const users = [
      user('u1', { email: 'a@example.com', licenses: ['webex', 'uc-one'] }),
      user('u2', { intercepted: true }),
      user('u3', { email: 'c@example.com', licenses: ['uc-one', 'webex'], intercepted: true }),
      user('u4', { licenses: ['uc-one'] }),
    ];
    const { table: t } = table(users);
    await settled(t);
    const summary = t.summary(['u4', 'nobody', 'u3', 'u2', 'u1']);
    expect(summary).toEqual({
      notLoaded: 1,
      withEmail: { count: 2, first: [users[2], users[0]] },
      withoutEmail: { count: 2, first: [users[3], users[1]], ids: ['u4', 'u2'] },
      intercepted: 2,
      // The same licenses in another order are the same set.
      licenseSets: [
        { licenses: ['uc-one'], count: 1, firstIds: ['u4'] },
        { licenses: ['uc-one', 'webex'], count: 2, firstIds: ['u3', 'u1'] },
        { licenses: [], count: 1, firstIds: ['u2'] },
      ],
    });
    // An edit shows in the next summary.
    t.patch(['u4'], (u) => ({ ...u, email: 'd@example.com' }));
    expect(t.summary(['u4']).withEmail.first).toEqual([{ ...users[3], email: 'd@example.com' }]);
  });

  it('gives the first SUMMARY_FIRST of each group in full, every id without an email, and counts the rest', async () => {
    const users = Array.from({ length: 3 * SUMMARY_FIRST }, (_, at) =>
      user(`u${at}`, at % 3 === 0 ? { email: `u${at}@example.com` } : {}),
    );
    const { table: t } = table(users, { pageSize: 40 });
    await settled(t);
    const summary = t.summary(users.map((u) => u.id));
    expect(summary.withEmail.count).toBe(SUMMARY_FIRST);
    expect(summary.withoutEmail.count).toBe(2 * SUMMARY_FIRST);
    expect(summary.withoutEmail.first.map((u) => u.id)).toEqual(
      users
        .filter((_, at) => at % 3 !== 0)
        .slice(0, SUMMARY_FIRST)
        .map((u) => u.id),
    );
    expect(summary.withoutEmail.ids).toHaveLength(2 * SUMMARY_FIRST);
    expect(summary.licenseSets).toEqual([
      {
        licenses: [],
        count: 3 * SUMMARY_FIRST,
        firstIds: users.slice(0, SUMMARY_FIRST).map((u) => u.id),
      },
    ]);
    // What the contract allows: the answer goes to the window as it is.
    expect(SelectionSummary.safeParse(summary).success).toBe(true);
  });
});
