import { User, type UsersPage } from '../../../../shared/api/index.ts';
import type {
  Result,
  SelectionSummary,
  UsersBlock,
  UsersList,
  UsersLoad,
  UsersView,
  ViewIds,
} from '../../../../shared/ipc/index.ts';
import { createThrottle } from '../../../../shared/timing/throttle.ts';
import { summarizeSelection } from './selection-summary.ts';
import { createUserList, type UserList } from './user-list.ts';
import { createViewOrder, type Order, type ViewContext, type ViewOrder } from './view-order.ts';

export interface UsersTableDeps {
  /** Reads one page of a list from the backend (the first for an undefined cursor). */
  readPage: (list: UsersList, cursor: string | undefined) => Promise<Result<UsersPage>>;
  /** The names sorts read (locations, licenses, last actions). */
  context: ViewContext;
  /** A list's load moved on, or its users changed. */
  onChange: (load: UsersLoad) => void;
  /** Lists kept at once (the one shown and the one before it, by default). */
  keep?: number;
}

interface Entry {
  list: UserList;
  order: ViewOrder;
}

const KEEP = 2;
/** While a list loads, its progress is told at most this often (its end, and changes, at once). */
const PROGRESS_MS = 100;

const keyOf = (list: UsersList): string => list ?? '';

/**
 * The users the table shows, kept in the main process: each list is read from the backend once
 * (its pages read ahead, see `createUsersPages`), then searched, sorted and served a block of
 * rows at a time. The window holds only the rows it draws, so loading 100,000 users costs it
 * nothing per user, and main's part of a load is about a bare read of the pages.
 *
 * Lists are kept for the last `keep` locations asked for; an older one is dropped (and its read
 * stopped), to be read again if asked for.
 *
 * Every user it holds has passed the API's strict `User` schema: the pages as the provisioning
 * client parsed them, and each patched user as it is patched.
 */
export function createUsersTable(deps: UsersTableDeps) {
  const entries = new Map<string, Entry>();
  const keep = deps.keep ?? KEEP;
  let closed = false;

  const entryOf = (list: UsersList): Entry => {
    const key = keyOf(list);
    let entry = entries.get(key);
    if (entry !== undefined) {
      // The most recently asked for is last.
      entries.delete(key);
      entries.set(key, entry);
      return entry;
    }
    const tell = createThrottle(() => {
      if (!closed && entries.get(key)?.list === read) deps.onChange(read.status());
    }, PROGRESS_MS);
    const read = createUserList(
      list,
      (cursor) => deps.readPage(list, cursor),
      () => (read.status().state === 'loading' ? tell.soon() : tell.now()),
    );
    entry = { list: read, order: createViewOrder(read, deps.context) };
    entries.set(key, entry);
    for (const [oldKey, old] of entries) {
      if (entries.size <= keep) break;
      old.list.close();
      entries.delete(oldKey);
    }
    if (!closed) read.load();
    return entry;
  };

  const orderOf = (view: UsersView): { entry: Entry; order: Order } => {
    const entry = entryOf(view.list);
    return { entry, order: entry.order.order(view.search, view.sort) };
  };

  /** The list positions of the view's rows from `start` to before `end`. */
  const positionsBetween = (order: Order, start: number, end: number): Iterable<number> => {
    const last = Math.min(end, order.count);
    if (order.positions !== null) return order.positions.slice(start, last);
    return Array.from({ length: Math.max(0, last - start) }, (_, at) => start + at);
  };

  const byIds = (userIds: readonly string[]): (User | null)[] => {
    const lists = [...entries.values()].reverse();
    return userIds.map((id) => {
      for (const { list } of lists) {
        const user = list.get(id);
        if (user !== undefined) return user;
      }
      return null;
    });
  };

  return {
    /** The list's load, started if it was not; `retry` goes on from a page that failed. */
    load(list: UsersList, retry = false): UsersLoad {
      const { list: read } = entryOf(list);
      if (retry) read.load();
      return read.status();
    },

    /** Rows `start` to `end` (exclusive) of a view, and how many rows it has now. */
    block(view: UsersView, start: number, end: number): UsersBlock {
      const { entry, order } = orderOf(view);
      const users: User[] = [];
      for (const at of positionsBetween(order, start, end)) {
        const user = entry.list.users[at];
        if (user !== undefined) users.push(user);
      }
      return { users, matching: order.count, load: entry.list.status() };
    },

    /** The ids of every row of a view, in its order. */
    ids(view: UsersView): ViewIds {
      const { entry, order } = orderOf(view);
      const { users } = entry.list;
      const ids =
        order.positions === null
          ? users.map((user) => user.id)
          : order.positions.map((at) => users[at]?.id ?? '');
      return { ids, load: entry.list.status() };
    },

    /** These users as loaded, from the list asked for last that holds each; null where none does. */
    byIds,

    /** What the dialogs about these users show of them (see `SelectionSummary`). */
    summary(userIds: readonly string[]): SelectionSummary {
      return summarizeSelection(byIds(userIds));
    },

    /**
     * Applies a change to these users in every list that holds them (a job's outcome, an edit).
     * What it makes of each user is parsed with the API's `User` schema, as the pages were, and
     * a user it would put outside that schema stays as it was: every user the table holds has
     * passed the schema (see `usersByIds` in ipc/users.ts).
     */
    patch(userIds: Iterable<string>, change: (user: User) => User): void {
      const ids = [...userIds];
      const checked = (user: User): User => {
        const next = User.safeParse(change(user));
        return next.success ? next.data : user;
      };
      for (const { list } of entries.values()) list.patch(ids, checked);
    },

    /**
     * Reads a list again from the backend, from its first page: the users read before go, and
     * the list fills again as its pages come (told at once, then as a first read is). Nothing
     * while the list is being read.
     */
    reload(list: UsersList): UsersLoad {
      const key = keyOf(list);
      const old = entries.get(key);
      if (old?.list.status().state === 'loading') return old.list.status();
      old?.list.close();
      entries.delete(key);
      const status = entryOf(list).list.status();
      if (!closed) deps.onChange(status);
      return status;
    },

    /** The backend answers again: lists whose read failed go on from where they stopped. */
    resume(): void {
      for (const { list } of entries.values()) if (list.status().state === 'failed') list.load();
    },

    /** Drops every list (their reads stop): the next ask reads it from the backend again. */
    forget(): void {
      for (const { list } of entries.values()) list.close();
      entries.clear();
    },

    close(): void {
      closed = true;
      for (const { list } of entries.values()) list.close();
      entries.clear();
    },
  };
}

export type UsersTable = ReturnType<typeof createUsersTable>;
