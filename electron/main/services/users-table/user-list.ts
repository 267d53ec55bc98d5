import type { User, UsersPage } from '../../../../shared/api/index.ts';
import type { Result, UsersList, UsersLoad } from '../../../../shared/ipc/index.ts';
import { searchTextOf } from './user-search.ts';

/** Reads one page of a list: the first for `undefined`, else the one at that cursor. */
export type ReadListPage = (cursor: string | undefined) => Promise<Result<UsersPage>>;

/** Users indexed per turn of main's event loop as a list is read (about 10 ms of work). */
const USERS_PER_TURN = 10_000;

/** Versions only grow, across every list of the process: a newer list is never taken for an older one. */
let lastVersion = 0;
const nextVersion = (): number => {
  lastVersion += 1;
  return lastVersion;
};

/**
 * One list's users (a location's, or every location's), read from the backend page by page
 * and kept in the backend's order. A page that fails stops the load with its reason and keeps
 * what came, and `load()` goes on from that page. A job's outcome or an edit replaces the users
 * it changed, in place.
 *
 * The read itself only appends each page: each user's search text and the index by id are
 * made a slice per turn of main's event loop, after the page's turn (the next page is asked for
 * by then, so this fills the wait for it); whatever needs them before (a search, a lookup)
 * makes the rest at once.
 */
export function createUserList(list: UsersList, readPage: ReadListPage, onChange: () => void) {
  const users: User[] = [];
  /** Search texts of the users before `texts.length`, kept current as users change. */
  const texts: string[] = [];
  /** Positions by id of the users before `indexedUpTo`. */
  const positions = new Map<string, number>();
  let indexedUpTo = 0;
  let total: number | null = null;
  let readAt: string | null = null;
  let state: UsersLoad['state'] = 'loading';
  let error: string | null = null;
  /** The cursor of the next page: undefined for the first, null when none is left. */
  let next: string | null | undefined = undefined;
  let running = false;
  let closed = false;
  /** Read after each await, where the list may have been closed meanwhile. */
  const stopped = (): boolean => closed;
  let version = nextVersion();
  /**
   * The version of the last change that was not an addition: orders (and rows) made before it
   * are stale. A new list starts there: nothing made from another list is its.
   */
  let rewrittenAt = version;

  const changed = (): void => {
    version = nextVersion();
    onChange();
  };

  const makeTexts = (upTo: number): void => {
    for (let at = texts.length; at < upTo; at += 1) {
      const user = users[at];
      if (user !== undefined) texts.push(searchTextOf(user));
    }
  };

  /**
   * Indexes the users up to `upTo`. A user met twice (moved between pages while the list was
   * read, as the backend's order changed) is kept once, where first seen, with the data read
   * last; the later copy goes, and orders made before are stale.
   */
  const index = (upTo: number): void => {
    let twice: number[] | null = null;
    for (; indexedUpTo < upTo; indexedUpTo += 1) {
      const user = users[indexedUpTo];
      if (user === undefined) continue;
      const first = positions.get(user.id);
      if (first === undefined) positions.set(user.id, indexedUpTo);
      else {
        users[first] = user;
        if (first < texts.length) texts[first] = searchTextOf(user);
        (twice ??= []).push(indexedUpTo);
      }
    }
    if (twice === null) return;
    // In place, in one pass: spreading every user into push() overflows the stack past about
    // 100,000 users.
    const drop = new Set(twice);
    let keptUsers = 0;
    let keptTexts = 0;
    for (let at = 0; at < users.length; at += 1) {
      const user = users[at];
      if (user === undefined || drop.has(at)) continue;
      users[keptUsers] = user;
      keptUsers += 1;
      const text = texts[at];
      if (text === undefined) continue;
      texts[keptTexts] = text;
      keptTexts += 1;
    }
    users.length = keptUsers;
    texts.length = keptTexts;
    positions.clear();
    users.forEach((user, at) => positions.set(user.id, at));
    indexedUpTo = users.length;
    rewrittenAt = nextVersion();
    version = rewrittenAt;
    onChange();
  };

  let making = false;
  const makeInTurns = (): void => {
    making = false;
    if (closed) return;
    const upTo = Math.min(users.length, Math.max(indexedUpTo, texts.length) + USERS_PER_TURN);
    index(upTo);
    makeTexts(Math.min(upTo, users.length));
    if (indexedUpTo < users.length || texts.length < users.length) makeSoon();
  };
  /** Makes the rest in later turns (once: one chain of turns at a time). */
  const makeSoon = (): void => {
    if (making) return;
    making = true;
    setImmediate(makeInTurns);
  };

  const run = async (): Promise<void> => {
    running = true;
    try {
      while (!closed && next !== null) {
        const result = await readPage(next);
        if (stopped()) return;
        if (!result.ok) {
          state = 'failed';
          error = result.message;
          changed();
          return;
        }
        for (const user of result.data.users) users.push(user);
        total = result.data.total;
        next = result.data.nextCursor;
        if (next === null) {
          state = 'done';
          readAt = new Date().toISOString();
        }
        makeSoon();
        changed();
      }
    } finally {
      running = false;
    }
  };

  return {
    list,
    users: users as readonly User[],
    /** Every user's search text, in list order (those not made yet are made now). */
    searchTexts(): readonly string[] {
      index(users.length);
      makeTexts(users.length);
      return texts;
    },
    get size(): number {
      return users.length;
    },
    get version(): number {
      return version;
    },
    /** Orders made at or after this version hold the users' current values and places. */
    get rewrittenAt(): number {
      return rewrittenAt;
    },
    status(): UsersLoad {
      const rereading = null;
      return {
        list,
        loaded: users.length,
        total,
        state,
        error,
        version,
        rewrittenAt,
        readAt,
        rereading,
      };
    },
    /** Starts reading, or goes on from the page that failed; does nothing while it reads. */
    load(): void {
      if (running || closed || next === null) return;
      if (state === 'failed') {
        state = 'loading';
        error = null;
        changed();
      }
      void run();
    },
    /** The user with this id, if loaded. */
    get(id: string): User | undefined {
      index(users.length);
      const at = positions.get(id);
      return at === undefined ? undefined : users[at];
    },
    /** Replaces these users (those loaded) with what `change` makes of each. */
    patch(ids: Iterable<string>, change: (user: User) => User): void {
      index(users.length);
      let any = false;
      for (const id of ids) {
        const at = positions.get(id);
        const user = at === undefined ? undefined : users[at];
        if (at === undefined || user === undefined) continue;
        users[at] = change(user);
        if (at < texts.length) texts[at] = searchTextOf(users[at]);
        any = true;
      }
      if (!any) return;
      rewrittenAt = nextVersion();
      version = rewrittenAt;
      onChange();
    },
    /**
     * Marks every user as changed (a new version, nothing made before it current): for a list
     * read again that takes the place of the one before, whose later versions may be higher.
     */
    takeOver(): void {
      rewrittenAt = nextVersion();
      version = rewrittenAt;
    },
    /** Stops reading; what was read stays readable. */
    close(): void {
      closed = true;
    },
  };
}

export type UserList = ReturnType<typeof createUserList>;
