import type { GridApi } from 'ag-grid-community';
import type { User } from '../../../../../shared/api/index.ts';

/** The users as they arrived: one array per page, each kept as the cache holds it. */
export type UserPages = readonly (readonly User[])[];

/** What the feed needs of the grid. */
export type FeedGrid = Pick<GridApi<User>, 'setGridOption' | 'applyTransaction'>;

/** New pages wait until they add at least this share of the rows shown (or the load ends). */
const GROWTH = 1;

/**
 * Gives the grid its rows page by page, so that loading n users costs the grid O(n), not
 * O(n²):
 *
 * - New pages are *added* by a transaction: the grid diffs nothing it already has. Each
 *   transaction still costs the grid a pass over every row it shows (its flattened row list),
 *   so after the first page, new pages are added once they at least double the rows, and when
 *   the load ends. The passes then add up to about 2n, whatever n is.
 * - A page whose users changed (a job's outcome, an edit) *updates* just those users, at once.
 * - Only a list that is no longer the one shown (fewer pages, or other users in a page) is set
 *   anew.
 *
 * Pages and users are compared by identity: the query cache keeps an unchanged page, and an
 * unchanged user, as the same object.
 */
export function createRowFeed(grid: FeedGrid) {
  let shown: readonly (readonly User[])[] = [];
  let rows = 0;

  /** Same users in the same places (their data may differ). */
  const sameIds = (a: readonly User[], b: readonly User[]): boolean =>
    a.length === b.length && a.every((user, index) => user.id === b[index]?.id);

  return {
    /**
     * Brings the grid to these pages, with as little work as it can. `settled`: no more pages
     * are coming (the load ended or stopped), so none may wait.
     */
    show(pages: UserPages, settled: boolean): void {
      const kept = Math.min(pages.length, shown.length);
      let reset = pages.length < shown.length;
      const update: User[] = [];
      for (let index = 0; index < kept && !reset; index += 1) {
        const before = shown[index] ?? [];
        const now = pages[index] ?? [];
        if (before === now) continue;
        if (!sameIds(before, now)) reset = true;
        else
          for (let at = 0; at < now.length; at += 1) {
            const user = now[at];
            if (user !== undefined && user !== before[at]) update.push(user);
          }
      }
      if (reset) {
        shown = pages;
        rows = pages.reduce((sum, page) => sum + page.length, 0);
        grid.setGridOption('rowData', pages.flat());
        return;
      }
      const waiting = pages.slice(shown.length);
      const adding = waiting.reduce((sum, page) => sum + page.length, 0);
      const addNow = settled || rows === 0 || adding >= rows * GROWTH;
      const add = addNow ? waiting.flat() : [];
      if (add.length > 0 || update.length > 0) grid.applyTransaction({ add, update });
      // Pages held back stay out of `shown`, to be added with the next ones.
      shown = addNow ? pages : pages.slice(0, shown.length);
      rows += add.length;
    },
  };
}

export type RowFeed = ReturnType<typeof createRowFeed>;
