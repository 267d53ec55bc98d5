import { describe, expect, it } from 'vitest';
import { createProvisioningClient } from '../../../electron/main/services/provisioning-client.ts';
import { startPageBackend } from '../../support/misbehaving-servers.ts';
import { startTestBackend } from '../backend/harness.ts';
import { startFaultProxy } from '../jobs/fault-proxy.ts';
import type { ProvisioningClient } from '../../../electron/main/services/provisioning-client.ts';
import { createUsersPages, nextCursorIn } from '../../../electron/main/services/users-pages.ts';
import type { UsersPage } from '../../../shared/api/index.ts';
import { fail, ok, type Result } from '../../../shared/ipc/index.ts';

/** A client whose writes a test moves, and a backend of `pages` pages of one user each. */
function world(pages = 3) {
  const writes = { inFlight: 0, epoch: 0 };
  const client = { writes: () => ({ ...writes }) } as unknown as ProvisioningClient;
  const reads: string[] = [];
  /** Pages whose next read fails (once). */
  const failing = new Set<string>();
  const read = (_client: ProvisioningClient, query: { cursor?: string }) => {
    const at = Number(query.cursor ?? 0);
    reads.push(String(at));
    if (failing.delete(String(at))) {
      return Promise.resolve(fail('backend-unavailable', 'No answer.') as Result<UsersPage>);
    }
    return Promise.resolve(
      ok({
        users: [],
        nextCursor: at + 1 < pages ? String(at + 1) : null,
        total: pages,
      }) as Result<UsersPage>,
    );
  };
  return { writes, client, reads, read, failing };
}

/** Lets the reads ahead that a page started run (they go on as each read answers). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('pages of users, read two ahead', () => {
  it('reads the next two pages while this one is taken in, and gives them without reading again', async () => {
    const w = world(5);
    const page = createUsersPages(w.read);
    await page(w.client, {});
    await settle();
    expect(w.reads).toEqual(['0', '1', '2']); // two held, no more
    await page(w.client, { cursor: '1' });
    await settle();
    expect(w.reads).toEqual(['0', '1', '2', '3']);
    await page(w.client, { cursor: '2' });
    await page(w.client, { cursor: '3' });
    await settle();
    const last = await page(w.client, { cursor: '4' });
    expect(last).toMatchObject({ ok: true, data: { nextCursor: null } });
    await settle();
    expect(w.reads).toEqual(['0', '1', '2', '3', '4']); // each once, nothing after the last
  });

  it('reads again when a write was sent since, or was out when it read ahead', async () => {
    const w = world();
    const page = createUsersPages(w.read);
    await page(w.client, {});
    await settle();
    w.writes.epoch += 2; // an email edit, sent and answered
    await page(w.client, { cursor: '1' });
    await settle();
    expect(w.reads).toEqual(['0', '1', '2', '1', '2']);
    w.writes.inFlight = 1;
    w.writes.epoch += 1;
    await page(w.client, {}); // read while a write is out: nothing read ahead
    await settle();
    expect(w.reads).toEqual(['0', '1', '2', '1', '2', '0']);
  });

  it('gives a page read ahead only to the request it was read for, from the same backend', async () => {
    const w = world();
    const page = createUsersPages(w.read);
    await page(w.client, {});
    await settle();
    await page(w.client, { cursor: '1', locationId: 'loc-b' }); // another location
    await settle();
    const other = world();
    await page(other.client, { cursor: '2' }); // another backend's client
    expect(w.reads).toEqual(['0', '1', '2', '1', '2', '2']);
  });

  it('reads a page again when reading it ahead failed, and drops what came after', async () => {
    const w = world();
    const page = createUsersPages(w.read);
    w.failing.add('1');
    await page(w.client, {}); // page 0, then page 1 ahead, which fails (so no page 2)
    await settle();
    expect(w.reads).toEqual(['0', '1']);
    const answer = await page(w.client, { cursor: '1' });
    expect(answer.ok).toBe(true);
    await settle();
    expect(w.reads).toEqual(['0', '1', '1', '2']);
  });
});

describe('pages of users, read on as each arrives', () => {
  /** Pages of one user each whose cursor is told on arrival, each answered only when let go. */
  function arriving(pages: number) {
    const client = { writes: () => ({ inFlight: 0, epoch: 0 }) } as unknown as ProvisioningClient;
    const reads: string[] = [];
    const answers = new Map<string, (result: Result<UsersPage>) => void>();
    const read = (
      _client: ProvisioningClient,
      query: { cursor?: string; locationId?: string },
      onNextCursor: (cursor: string | null) => void,
    ) => {
      const at = Number(query.cursor ?? 0);
      const name = `${query.locationId === undefined ? '' : `${query.locationId}:`}${at}`;
      reads.push(name);
      const next = at + 1 < pages ? String(at + 1) : null;
      // The answer is there (its cursor told), but not checked yet.
      onNextCursor(next);
      return new Promise<Result<UsersPage>>((resolve) => answers.set(name, resolve));
    };
    const page = (at: number) =>
      ok({ users: [], nextCursor: at + 1 < pages ? String(at + 1) : null, total: pages });
    return { client, reads, read, answers, page };
  }

  /** The first of 5 pages asked for: nothing checked yet, the two after it already asked for. */
  function started() {
    const a = arriving(5);
    const page = createUsersPages(a.read);
    const first = page(a.client, {});
    expect(a.reads).toEqual(['0', '1', '2']);
    return { a, page, first };
  }

  it('reads the next pages as soon as each one has arrived, before it is checked', async () => {
    const { a, page, first } = started();
    a.answers.get('0')?.(a.page(0));
    await expect(first).resolves.toMatchObject({ ok: true });
    a.answers.get('1')?.(a.page(1));
    const second = await page(a.client, { cursor: '1' });
    expect(second).toMatchObject({ ok: true, data: { nextCursor: '2' } });
    expect(a.reads).toEqual(['0', '1', '2', '3']);
  });

  it('drops what it read on from a page that then fails its check', async () => {
    const { a, page, first } = started();
    // Page 1 arrived, its cursor was used, and then it did not fit the contract.
    a.answers.get('0')?.(a.page(0));
    await first;
    a.answers.get('1')?.(fail('backend-error', 'JSON that does not fit the PassDesk API'));
    await settle();
    // Asked for again, it is read now, and what comes after it is read again from there: the
    // page 2 read ahead from page 1's unchecked cursor is gone.
    const again = page(a.client, { cursor: '1' });
    await settle();
    expect(a.reads).toEqual(['0', '1', '2', '1', '2', '3']);
    a.answers.get('1')?.(a.page(1));
    await expect(again).resolves.toMatchObject({ ok: true });
    const after = page(a.client, { cursor: '2' });
    a.answers.get('2')?.(a.page(2));
    await expect(after).resolves.toMatchObject({ ok: true });
  });
  it('keeps what is held for the list now shown when a page of the one before fails', async () => {
    const a = arriving(5);
    const page = createUsersPages(a.read);
    void page(a.client, { locationId: 'a' });
    const shown = page(a.client, { locationId: 'b' }); // another location, picked at once
    expect(a.reads).toEqual(['a:0', 'a:1', 'a:2', 'b:0', 'b:1', 'b:2']);
    a.answers.get('a:0')?.(fail('backend-unavailable', 'No answer.'));
    a.answers.get('b:0')?.(a.page(0));
    await shown;
    await settle();
    a.answers.get('b:1')?.(a.page(1));
    // Location b's next page is the one held, not read again.
    await expect(page(a.client, { locationId: 'b', cursor: '1' })).resolves.toMatchObject({
      ok: true,
    });
    expect(a.reads.filter((name) => name === 'b:1')).toHaveLength(1);
  });
});

describe('the client’s writes', () => {
  it('counts each write out and back, and no read', async () => {
    const backend = await startTestBackend();
    try {
      const client = createProvisioningClient({
        kind: 'remote',
        url: backend.url,
        token: backend.token,
      });
      await client.request('users', { query: { limit: 5 } });
      expect(client.writes()).toEqual({ inFlight: 0, epoch: 0 });
      const edit = client.request('updateUser', {
        params: { id: '11635-01' },
        body: { email: 'new@example.com' },
        idempotencyKey: 'passdesk-user-test-1',
      });
      expect(client.writes()).toEqual({ inFlight: 1, epoch: 1 });
      await edit;
      expect(client.writes()).toEqual({ inFlight: 0, epoch: 2 });
    } finally {
      await backend.close();
    }
  });
});

describe('the cursor of a page not checked yet', () => {
  it('is taken only when it can be one, and the page is still refused when it does not fit', async () => {
    const page = (fields: Record<string, unknown>) => JSON.stringify({ users: [], ...fields });
    expect(nextCursorIn(page({ nextCursor: 'abc', total: 1 }))).toBe('abc');
    expect(nextCursorIn(page({ total: 1, nextCursor: null }))).toBeNull();
    // First, pretty-printed, or with escapes, as another backend may write it.
    const first = JSON.stringify({ nextCursor: 'a"b\\c', total: 1, users: [] }, null, 2);
    expect(nextCursorIn(first)).toBe('a"b\\c');
    // A user's field that looks like the cursor, inside a string, is never taken for it.
    const named = (firstName: string) => ({ id: 'u1', firstName, lastName: 'x' });
    const forged = page({ nextCursor: 'real', total: 1, users: [named('","nextCursor":"evil"}')] });
    expect(nextCursorIn(forged)).toBe('real');
    const tail = JSON.stringify({ users: [named('"nextCursor":"evil",')] });
    expect(nextCursorIn(tail)).toBeUndefined();
    // Not at either end (the page is parsed first, then read on from), or not a cursor.
    const long = 'x'.repeat(600);
    const middle = JSON.stringify({ users: [named(long)], nextCursor: 'c', more: long, total: 1 });
    for (const text of [
      middle,
      'text',
      '',
      page({ nextCursor: 5 }),
      page({ nextCursor: 'x'.repeat(201) }),
      '{"nextCursor":"\\q"}',
    ])
      expect(nextCursorIn(text)).toBeUndefined();

    // A backend whose page carries a field the contract does not have (a secret, say).
    const server = await startPageBackend({
      users: [],
      nextCursor: 'c2',
      total: 1,
      secret: 'hunter2',
    });
    try {
      const client = createProvisioningClient({ kind: 'remote', url: server.url, token: 't' });
      const arrived: unknown[] = [];
      const result = await client.request('users', {
        query: { limit: 5 },
        onArrival: (text) => arrived.push(nextCursorIn(text)),
      });
      expect(arrived).toEqual(['c2']);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain('hunter2');
    } finally {
      await server.close();
    }
  });
});

describe('pages of users from a slow backend', () => {
  it('loads every user once, in order, when each page comes late and one comes malformed', async () => {
    const backend = await startTestBackend({ seed: 'large:1200' });
    const proxy = await startFaultProxy(backend.url);
    try {
      // Every page 80 ms late. The first answer, and the fifth (a page read ahead), are not
      // pages: they carry a field the contract does not have, and a cursor.
      let pageRequests = 0;
      proxy.setPlan((request) => {
        if (!request.path.startsWith('/api/v1/users?')) return { kind: 'pass' };
        pageRequests += 1;
        return pageRequests === 1 || pageRequests === 5
          ? { kind: 'malformed', body: '{"users":[],"nextCursor":"zz","total":1,"token":"s3"}' }
          : { kind: 'delay', ms: 80 };
      });
      const client = createProvisioningClient({
        kind: 'remote',
        url: proxy.url,
        token: backend.token,
      });
      // The cursors seen in each page's text before it was parsed.
      const early: (string | null | undefined)[] = [];
      const page = createUsersPages((c, query, onNextCursor) =>
        c.request('users', {
          query: { limit: 100, cursor: query.cursor },
          onArrival: (text) => {
            const cursor = nextCursorIn(text);
            early.push(cursor);
            if (cursor !== undefined) onNextCursor(cursor);
          },
        }),
      );
      // As the window does: page after page, a failed one asked for again.
      const ids: string[] = [];
      const failures: string[] = [];
      let cursor: string | undefined;
      for (let asked = 0; asked < 40; asked += 1) {
        const answer = await page(client, { limit: 100, cursor });
        if (!answer.ok) {
          failures.push(answer.message);
          continue;
        }
        ids.push(...answer.data.users.map((user) => user.id));
        if (answer.data.nextCursor === null) break;
        cursor = answer.data.nextCursor;
      }
      // The first is refused to the window, which asks again; the one read ahead is read again
      // when asked for. What was read on from their unchecked cursor never reaches the window.
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(/does not fit the PassDesk API/u);
      expect(JSON.stringify(failures)).not.toContain('s3');
      expect(proxy.seen.filter((r) => r.path.includes('cursor=zz')).length).toBeGreaterThan(0);
      expect(ids).toHaveLength(1200);
      expect(new Set(ids).size).toBe(1200);
      // The built-in backend's pages show their cursor before they are parsed: every one, the
      // last one's null included.
      expect(early.every((cursor) => cursor !== undefined)).toBe(true);
      expect(early).toContain(null);
      // The same users in the same order as one plain read of them all.
      const all: string[] = [];
      for (let next: string | null | undefined = undefined; next !== null;) {
        const direct = await backend.api(
          'GET',
          `/api/v1/users?limit=5000${next === undefined ? '' : `&cursor=${next}`}`,
        );
        const body = direct.json as { users: { id: string }[]; nextCursor: string | null };
        all.push(...body.users.map((user) => user.id));
        next = body.nextCursor;
      }
      expect(ids).toEqual(all);
    } finally {
      await proxy.close();
      await backend.close();
    }
  }, 30_000);
});
