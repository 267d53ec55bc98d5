import type { SortColumn, SortKey } from '../../../../shared/ipc/index.ts';
import { sortKeysOf, type SortContext } from './sort-keys.ts';
import type { UserList } from './user-list.ts';
import { searchWords, textMatches } from './user-search.ts';

/** What a sort reads besides the users, with a number that changes when any of it does. */
export interface ViewContext extends SortContext {
  version(): number;
}

/** The columns whose sort reads names from outside the users (see `SortContext`). */
const NAMED: ReadonlySet<SortColumn> = new Set(['location', 'licenses', 'lastAction']);

/** Where the view's rows are in the list: `null` for all of them, in list order. */
export interface Order {
  positions: readonly number[] | null;
  count: number;
}

interface Kept {
  key: string;
  /** The list's size and version, and the context's, when it was made. */
  size: number;
  version: number;
  context: number;
  /** Matching positions in list order (before sorting). */
  matched: number[] | null;
  order: Order;
}

interface Keys {
  size: number;
  version: number;
  context: number;
  keys: string[];
}

/**
 * The order of one list's rows for a search and a sort, made in the main process and kept for
 * the next ask, which is most often the same view (the grid asks block after block). While a
 * list loads, a search extends the matches it kept by the rows added since, and sort keys are
 * made for those rows only; a patch or a change of what sorts read (names, last actions) makes
 * them again.
 */
export function createViewOrder(list: UserList, context: ViewContext) {
  let kept: Kept | null = null;
  const keysByColumn = new Map<SortColumn, Keys>();

  /**
   * Only rows were added since (same users in the same places), and, where they are read,
   * the same names: a job that moves on changes last actions, not how ids sort.
   */
  const onlyAdded = (made: { version: number; context: number }, readsNames: boolean): boolean =>
    list.rewrittenAt <= made.version && (!readsNames || made.context === context.version());

  const keysOf = (column: SortColumn): string[] => {
    const have = keysByColumn.get(column);
    const extendable = have !== undefined && onlyAdded(have, NAMED.has(column));
    if (extendable && have.size === list.size) return have.keys;
    let keys: string[];
    if (extendable) {
      keys = have.keys;
      // One at a time: a spread of a million arguments would overflow the stack.
      for (const key of sortKeysOf(column, list.users.slice(have.size), context)) keys.push(key);
    } else keys = sortKeysOf(column, list.users, context);
    keysByColumn.set(column, {
      size: list.size,
      version: list.version,
      context: context.version(),
      keys,
    });
    return keys;
  };

  const match = (words: readonly string[], from: number, into: number[]): number[] => {
    const texts = list.searchTexts();
    for (let at = from; at < texts.length; at += 1)
      if (textMatches(texts[at] ?? '', words)) into.push(at);
    return into;
  };

  const sorted = (positions: number[], sort: readonly SortKey[]): number[] => {
    const columns = sort.map((key) => ({
      keys: keysOf(key.column),
      after: key.direction === 'asc' ? 1 : -1,
    }));
    // Equal keys keep the list's order, whichever the direction.
    return positions.sort((a, b) => {
      for (const { keys, after } of columns) {
        const x = keys[a] ?? '';
        const y = keys[b] ?? '';
        if (x !== y) return x < y ? -after : after;
      }
      return a - b;
    });
  };

  return {
    order(search: string, sort: readonly SortKey[]): Order {
      const words = searchWords(search);
      const key = JSON.stringify([words, sort]);
      const now = { size: list.size, version: list.version, context: context.version() };
      const readsNames = sort.some((by) => NAMED.has(by.column));
      if (kept?.key === key && kept.size === now.size && onlyAdded(kept, readsNames))
        return kept.order;
      if (words.length === 0 && sort.length === 0) {
        kept = { key, ...now, matched: null, order: { positions: null, count: list.size } };
        return kept.order;
      }
      let matched: number[] | null;
      if (words.length === 0) matched = null;
      else if (kept?.key === key && kept.matched !== null && onlyAdded(kept, false))
        matched = match(words, kept.size, kept.matched);
      else matched = match(words, 0, []);
      let positions: readonly number[];
      if (sort.length === 0) positions = matched ?? [];
      else
        positions = sorted(matched === null ? list.users.map((_, at) => at) : [...matched], sort);
      kept = { key, ...now, matched, order: { positions, count: positions.length } };
      return kept.order;
    },
  };
}

export type ViewOrder = ReturnType<typeof createViewOrder>;
