import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { createUserList } from '../../../electron/main/services/users-table/user-list.ts';
import * as search from '../../../electron/main/services/users-table/user-search.ts';
import type { User, UsersPage } from '../../../shared/api/index.ts';
import { ok, type Result } from '../../../shared/ipc/index.ts';

vi.mock('../../../electron/main/services/users-table/user-search.ts', async (original) => {
  const real = await original<typeof search>();
  return { ...real, searchTextOf: vi.fn(real.searchTextOf) };
});

const user = (id: string): User => ({
  id,
  firstName: 'Ann',
  lastName: id,
  email: null,
  locationId: 'loc-a',
  intercepted: false,
  licenses: [],
});

const turns = async (n: number) => {
  for (let k = 0; k < n; k += 1) await nextTurn();
};

describe("a list's index and search texts", () => {
  it('are made for each page while the next one is on its way, once per user', async () => {
    let answerSecond: (page: Result<UsersPage>) => void = () => undefined;
    const second = new Promise<Result<UsersPage>>((resolve) => (answerSecond = resolve));
    const readPage = (cursor: string | undefined) =>
      cursor === undefined
        ? Promise.resolve(ok({ users: [user('u1'), user('u2')], nextCursor: '2', total: 3 }))
        : second;
    const textOf = vi.mocked(search.searchTextOf);
    textOf.mockClear();
    const list = createUserList('loc-a', readPage, () => undefined);
    list.load();
    await turns(3);
    // The first page is made while the second is still awaited: no search waits for it later.
    expect(list.status().state).toBe('loading');
    expect(textOf.mock.calls.map(([u]) => u.id)).toEqual(['u1', 'u2']);

    answerSecond(ok({ users: [user('u3')], nextCursor: null, total: 3 }));
    await turns(3);
    expect(list.status().state).toBe('done');
    expect(textOf.mock.calls.map(([u]) => u.id)).toEqual(['u1', 'u2', 'u3']);
    expect(list.searchTexts()).toHaveLength(3);
    expect(list.get('u3')?.lastName).toBe('u3');
    expect(textOf).toHaveBeenCalledTimes(3);
  });
});

describe('a large list that meets a user twice', () => {
  it('keeps the user once, with the data read last, at 250,000 users', async () => {
    const first = Array.from({ length: 150_000 }, (_, k) => user(`u${k}`));
    const moved = { ...user('u5'), firstName: 'Moved' };
    const second = [moved, ...Array.from({ length: 99_999 }, (_, k) => user(`v${k}`))];
    const readPage = (cursor: string | undefined) =>
      Promise.resolve(
        cursor === undefined
          ? ok({ users: first, nextCursor: 'second', total: 250_000 })
          : ok({ users: second, nextCursor: null, total: 250_000 }),
      );
    const versions: number[] = [];
    const list = createUserList(null, readPage, () => versions.push(list.version));
    list.load();
    await vi.waitFor(() => expect(list.status().state).toBe('done'));

    const texts = list.searchTexts();
    expect(list.size).toBe(249_999);
    expect(texts).toHaveLength(249_999);
    expect(list.get('u5')?.firstName).toBe('Moved');
    expect(list.users[5]?.id).toBe('u5');
    expect(texts[5]).toContain('moved');
    expect(list.users[150_000]?.id).toBe('v0');
    expect(texts[150_000]).toContain('v0');
    // Rows made from either page are stale: the list was rewritten after both came.
    expect(list.rewrittenAt).toBe(list.version);
    expect(list.rewrittenAt).toBeGreaterThan(versions[1] ?? Infinity);
  });
});
