import { z } from 'zod';
import { LicenseId, LocationId, User, UserId } from '../api/schemas.ts';

/**
 * The users table, served by the main process. Main reads a location's users from the backend
 * and keeps them; the table asks for the rows it draws (a block at a time), and for the ids of
 * the users it shows when a selection needs them. So the window never holds all users, and
 * loading 100,000 costs it nothing per user.
 */

/** Which users: one location's, or (null) every location's. */
export const UsersList = LocationId.nullable();
export type UsersList = z.infer<typeof UsersList>;

/** The columns the table can be sorted by (the grid's column ids). */
export const SORT_COLUMNS = [
  'id',
  'name',
  'phoneNumber',
  'extension',
  'email',
  'location',
  'intercepted',
  'licenses',
  'lastAction',
] as const;
export const SortColumn = z.enum(SORT_COLUMNS);
export type SortColumn = z.infer<typeof SortColumn>;

export const SortKey = z.strictObject({ column: SortColumn, direction: z.enum(['asc', 'desc']) });
export type SortKey = z.infer<typeof SortKey>;

/** The users a table shows: a list, searched and sorted as the table is. */
export const UsersView = z.strictObject({
  list: UsersList,
  /** What the search box holds (every word must appear in the id, name, numbers or email). */
  search: z.string().max(200),
  /** First key first; empty: the backend's order. */
  sort: z.array(SortKey).max(SORT_COLUMNS.length),
});
export type UsersView = z.infer<typeof UsersView>;

/** How far the list's load has got. */
export const UsersLoad = z.strictObject({
  list: UsersList,
  /** Users read so far. */
  loaded: z.int().min(0),
  /** What the backend says there are; null before its first page. */
  total: z.int().min(0).nullable(),
  state: z.enum(['loading', 'done', 'failed']),
  /** Why the load stopped (`failed`); the users read so far stay. */
  error: z.string().nullable(),
  /** Changes whenever the list's users do (a page, a job's outcome, an edit). */
  version: z.int().min(0),
  /**
   * The version of the last change that was not an addition (users changed, or a user read
   * twice dropped): rows read at or after it are current, and since it the list only grew.
   */
  rewrittenAt: z.int().min(0),
  /** When the list's last page came; null until then. */
  readAt: z.iso.datetime().nullable(),
  /**
   * A read of the list again (Reload) while the users read before are still served; null when
   * none is under way. They are replaced when its last page comes (a new `version` and
   * `readAt`); if a page fails, `error` says why and Retry goes on from it.
   */
  rereading: z
    .strictObject({
      loaded: z.int().min(0),
      total: z.int().min(0).nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
});
export type UsersLoad = z.infer<typeof UsersLoad>;

/** Most rows one block may ask for. */
export const MAX_BLOCK_ROWS = 1000;

export const UsersBlockInput = z
  .strictObject({
    view: UsersView,
    /** First row, counted in the view's order (0-based). */
    start: z.int().min(0),
    /** Row after the last. */
    end: z.int().min(0),
  })
  .refine((input) => input.end >= input.start && input.end - input.start <= MAX_BLOCK_ROWS, {
    error: `must ask for 0 to ${MAX_BLOCK_ROWS} rows (end ≥ start)`,
    path: ['end'],
  });

export const UsersBlock = z.strictObject({
  users: z.array(User).max(MAX_BLOCK_ROWS),
  /** Users in the view: those loaded so far that match the search. */
  matching: z.int().min(0),
  load: UsersLoad,
});
export type UsersBlock = z.infer<typeof UsersBlock>;

/** Most ids one answer holds: a selection of every user of the largest list. */
export const MAX_VIEW_IDS = 2_000_000;

/** The ids of the users a view shows, in its order: for Select All, ranges and the selection. */
export const ViewIds = z.strictObject({
  ids: z.array(z.string()).max(MAX_VIEW_IDS),
  load: UsersLoad,
});
export type ViewIds = z.infer<typeof ViewIds>;

/** Users by id, as loaded (null where no list holds one): what a dialog lists. */
export const UsersByIdsInput = z.strictObject({
  userIds: z.array(UserId).max(MAX_VIEW_IDS),
});
export const UsersByIds = z.strictObject({ users: z.array(User.nullable()) });

/** Users a selection summary gives in full of each group: the first, in the selection's order. */
export const SUMMARY_FIRST = 50;

/** Some of a selection's users: how many, and the first `SUMMARY_FIRST` of them. */
const SummaryGroup = z.strictObject({
  count: z.int().min(0),
  first: z.array(User).max(SUMMARY_FIRST),
});

/**
 * What the dialogs about a selection show of it, made in main from the users it has loaded,
 * so that a dialog for 100,000 users opens at once instead of carrying each of them to the
 * window: who has an email, who is intercepted, who holds which licenses.
 */
export const SelectionSummary = z.strictObject({
  /** Selected users no list holds: nothing is known of them here. */
  notLoaded: z.int().min(0),
  withEmail: SummaryGroup,
  /** With the ids of all of them, to select them in the table. */
  withoutEmail: SummaryGroup.extend({ ids: z.array(UserId).max(MAX_VIEW_IDS) }),
  /** Loaded users whose calls are intercepted now. */
  intercepted: z.int().min(0),
  /**
   * The loaded users by the set of licenses each holds (ids sorted; empty: none), one entry per
   * set, in the order of each set's first holder in the selection.
   */
  licenseSets: z.array(
    z.strictObject({
      licenses: z.array(LicenseId),
      count: z.int().min(1),
      firstIds: z.array(UserId).max(SUMMARY_FIRST),
    }),
  ),
});
export type SelectionSummary = z.infer<typeof SelectionSummary>;
