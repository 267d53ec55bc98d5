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
  /** The list served. */
  list: UserList;
  order: ViewOrder;
  /** The list read again (Reload) while `list` is still served; it takes `list`'s place when read. */
  fresh: UserList | null;
  /** Tells the entry's status: at once, or soon while a list loads (see `PROGRESS_MS`). */
  tell: (read: UserList) => void;
}

const KEEP = 2;
/** While a list loads, its progress is told at most this often (its end, and changes, at once). */
const PROGRESS_MS = 100;

const keyOf = (list: UsersList): string => list ?? '';

/** The served list's status, with the progress of its read again if one is under way. */
const statusOf = (entry: Entry): UsersLoad => {
  const status = entry.list.status();
  if (entry.fresh === null) return status;
  const { loaded, total, error } = entry.fresh.status();
  return { ...status, rereading: { loaded, total, error } };
};

/**
 * The users the table shows, kept in the main process: each list is read from the backend once
 * (its pages read ahead, see `createUsersPages`), then searched, sorted and served a block of
 * rows at a time. The window holds only the rows it draws, so loading 100,000 users costs it
 * nothing per user, and main's part of a load is about a bare read of the pages.
 *
 * Lists are kept for the last `keep` locations asked for; an older one is dropped (and its read
 * stopped), to be read again if asked for. A list read again (Reload) is read beside the one
 * served, which it replaces once its last page has come: the table keeps its rows meanwhile.
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
    const entry = entries.get(key);
    if (entry !== undefined) {
      // The most recently asked for is last.
      entries.delete(key);
      entries.set(key, entry);
      return entry;
    }
    const throttle = createThrottle(() => {
      const current = entries.get(key);
      if (!closed && current === created) deps.onChange(statusOf(current));
    }, PROGRESS_MS);
    const read = readList(list, () => created.tell(read));
    const created: Entry = {
      list: read,
      order: createViewOrder(read, deps.context),
      fresh: null,
      tell: (changed) => (changed.status().state === 'loading' ? throttle.soon() : throttle.now()),
    };
    entries.set(key, created);
    for (const [oldKey, old] of entries) {
      if (entries.size <= keep) break;
      closeEntry(old);
      entries.delete(oldKey);
    }
    if (!closed) read.load();
    return created;
  };

  const readList = (list: UsersList, onChange: () => void): UserList =>
    createUserList(list, (cursor) => deps.readPage(list, cursor), onChange);

  const closeEntry = (entry: Entry): void => {
    entry.list.close();
    entry.fresh?.close();
  };

  /**
   * A list read again moved on: its progress is told, and once it is read it is served in place
   * of the list before (and told as that was).
   */
  const freshChanged = (entry: Entry, fresh: UserList): void => {
    if (entry.fresh === fresh && fresh.status().state === 'done') {
      entry.list.close();
      fresh.takeOver();
      entry.list = fresh;
      entry.order = createViewOrder(fresh, deps.context);
      entry.fresh = null;
    }
    if (entry.list === fresh || entry.fresh === fresh) entry.tell(fresh);
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
      const entry = entryOf(list);
      if (retry) {
        entry.list.load();
        entry.fresh?.load();
      }
      return statusOf(entry);
    },

    /** Rows `start` to `end` (exclusive) of a view, and how many rows it has now. */
    block(view: UsersView, start: number, end: number): UsersBlock {
      const { entry, order } = orderOf(view);
      const users: User[] = [];
      for (const at of positionsBetween(order, start, end)) {
        const user = entry.list.users[at];
        if (user !== undefined) users.push(user);
      }
      return { users, matching: order.count, load: statusOf(entry) };
    },

    /** The ids of every row of a view, in its order. */
    ids(view: UsersView): ViewIds {
      const { entry, order } = orderOf(view);
      const { users } = entry.list;
      const ids =
        order.positions === null
          ? users.map((user) => user.id)
          : order.positions.map((at) => users[at]?.id ?? '');
      return { ids, load: statusOf(entry) };
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
      for (const { list, fresh } of entries.values()) {
        list.patch(ids, checked);
        fresh?.patch(ids, checked);
      }
    },

    /**
     * Reads a list again from the backend, from its first page (told at once, then as a first
     * read is, in `rereading`). A list read whole is still served meanwhile and replaced when
     * the last page comes; one whose read failed part way goes, and fills again as its pages
     * come. Nothing while the list is being read, or read again.
     */
    reload(list: UsersList): UsersLoad {
      const key = keyOf(list);
      const old = entries.get(key);
      // Not read yet, or its read failed part way: read from nothing, as a first read.
      const fromNothing = old === undefined || old.list.status().state === 'failed';
      if (old !== undefined && fromNothing) {
        closeEntry(old);
        entries.delete(key);
      }
      const entry = entryOf(list);
      if (!fromNothing) {
        if (entry.fresh !== null || entry.list.status().state === 'loading') {
          return statusOf(entry);
        }
        const fresh: UserList = readList(list, () => freshChanged(entry, fresh));
        entry.fresh = fresh;
        if (!closed) fresh.load();
      }
      const status = statusOf(entry);
      if (!closed) deps.onChange(status);
      return status;
    },

    /** The backend answers again: lists whose read failed go on from where they stopped. */
    resume(): void {
      for (const { list, fresh } of entries.values()) {
        if (list.status().state === 'failed') list.load();
        if (fresh?.status().state === 'failed') fresh.load();
      }
    },

    /** Drops every list (their reads stop): the next ask reads it from the backend again. */
    forget(): void {
      for (const entry of entries.values()) closeEntry(entry);
      entries.clear();
    },

    close(): void {
      closed = true;
      for (const entry of entries.values()) closeEntry(entry);
      entries.clear();
    },
  };
}

export type UsersTable = ReturnType<typeof createUsersTable>;
