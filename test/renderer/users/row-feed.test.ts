import { describe, expect, it } from 'vitest';
import type { User } from '../../../shared/api/index.ts';
import {
  createRowFeed,
  type FeedGrid,
} from '../../../renderer/src/features/users/model/row-feed.ts';

const user = (id: string, email: string | null = null): User => ({
  id,
  firstName: 'Ana',
  lastName: id,
  email,
  locationId: 'loc-a',
  intercepted: false,
  licenses: [],
});
const page = (from: number, count: number): User[] =>
  Array.from({ length: count }, (_, i) => user(`u-${from + i}`));

/** A grid that records what it was given, and how many rows it holds. */
function fakeGrid() {
  const calls: { kind: 'set' | 'add'; add: string[]; update: string[] }[] = [];
  let rows = 0;
  const grid = {
    setGridOption: (key: string, value: unknown) => {
      if (key !== 'rowData') throw new Error(`unexpected option ${key}`);
      const all = value as User[];
      rows = all.length;
      calls.push({ kind: 'set', add: all.map((u) => u.id), update: [] });
    },
    applyTransaction: (t: { add?: User[]; update?: User[] }) => {
      rows += t.add?.length ?? 0;
      calls.push({
        kind: 'add',
        add: (t.add ?? []).map((u) => u.id),
        update: (t.update ?? []).map((u) => u.id),
      });
      return null;
    },
  };
  return { grid: grid as unknown as FeedGrid, calls, rows: () => rows };
}

describe('the row feed', () => {
  it('adds the first page at once, then pages once they double the rows, and all at the end', () => {
    const { grid, calls, rows } = fakeGrid();
    const feed = createRowFeed(grid);
    const pages = [page(0, 100)];
    feed.show([...pages], false);
    expect(calls).toHaveLength(1);
    expect(rows()).toBe(100);
    pages.push(page(100, 60));
    feed.show([...pages], false);
    expect(calls).toHaveLength(1); // 60 % more: held back
    pages.push(page(160, 40));
    feed.show([...pages], false);
    expect(calls.at(-1)?.add).toHaveLength(100); // both waiting pages: twice the rows
    expect(rows()).toBe(200);
    pages.push(page(200, 5));
    feed.show([...pages], true); // the load ended: nothing waits
    expect(rows()).toBe(205);
    expect(calls.every((c) => c.kind === 'add')).toBe(true);
  });

  it('updates only the users that changed in a page, at once', () => {
    const { grid, calls } = fakeGrid();
    const feed = createRowFeed(grid);
    const first = page(0, 50);
    const second = page(50, 50);
    feed.show([first, second], true);
    const patched = first.map((u) => (u.id === 'u-7' ? { ...u, email: 'a@b.c' } : u));
    feed.show([patched, second], true);
    expect(calls.at(-1)).toEqual({ kind: 'add', add: [], update: ['u-7'] });
    feed.show([patched, second], true);
    expect(calls).toHaveLength(2); // nothing changed: nothing to do
  });

  it('sets the rows anew when the list is not the one shown any more', () => {
    const { grid, calls, rows } = fakeGrid();
    const feed = createRowFeed(grid);
    const first = page(0, 10);
    feed.show([first, page(10, 10)], true);
    feed.show([first], true); // a refetch from the start
    expect(calls.at(-1)?.kind).toBe('set');
    expect(rows()).toBe(10);
    feed.show([page(100, 10)], true); // other users in the page
    expect(calls.at(-1)).toMatchObject({ kind: 'set', add: page(100, 10).map((u) => u.id) });
  });

  it('costs the grid about 2n in all, however many pages there are', () => {
    for (const users of [10_000, 100_000, 1_000_000]) {
      const { grid, calls } = fakeGrid();
      const feed = createRowFeed(grid);
      const pages: User[][] = [];
      // Each transaction makes the grid walk every row it then holds: count those walks.
      let walked = 0;
      let held = 0;
      for (let from = 0; from < users; from += 5000) {
        pages.push(page(from, Math.min(5000, users - from)));
        const before = calls.length;
        feed.show([...pages], from + 5000 >= users);
        for (const call of calls.slice(before)) {
          held += call.add.length;
          walked += held;
        }
      }
      expect(held).toBe(users);
      expect(walked).toBeLessThanOrEqual(3 * users);
    }
  });
});
