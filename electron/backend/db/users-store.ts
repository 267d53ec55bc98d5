import type { DatabaseSync } from 'node:sqlite';
import type { License, Location, User } from '../../../shared/api/index.ts';

interface UserRow {
  id: string;
  first_name: string;
  last_name: string;
  phone_number: string | null;
  extension: string | null;
  email: string | null;
  location_id: string;
  intercepted: number;
  licenses: string | null;
}

// Licenses in id order: the primary key's order, so SQLite sorts nothing to keep it.
const USER_COLUMNS = `u.id, u.first_name, u.last_name, u.phone_number, u.extension, u.email, u.location_id,
  u.intercepted, (SELECT group_concat(license_id, ',' ORDER BY license_id) FROM user_licenses WHERE user_id = u.id) AS licenses`;

/** A row of USER_COLUMNS as an array, in that order (what a page's statements return). */
type UserCells = [
  id: string,
  firstName: string,
  lastName: string,
  phoneNumber: string | null,
  extension: string | null,
  email: string | null,
  locationId: string,
  intercepted: number,
  licenses: string | null,
];

/**
 * A page's row as the API's user, in one object literal: every user of a page then has the same
 * shape, which halves what building a page costs. A missing phone number or extension is
 * `undefined`, which the page's JSON leaves out as if the field were not there.
 */
function userOfCells(cells: UserCells): User {
  return {
    id: cells[0],
    firstName: cells[1],
    lastName: cells[2],
    phoneNumber: cells[3] ?? undefined,
    extension: cells[4] ?? undefined,
    email: cells[5],
    locationId: cells[6],
    intercepted: cells[7] === 1,
    licenses: cells[8] === null ? [] : cells[8].split(','),
  };
}

/** The cells of a row read as an object (Node before 24 cannot return arrays). */
const cellsOf = (row: UserRow): UserCells => [
  row.id,
  row.first_name,
  row.last_name,
  row.phone_number,
  row.extension,
  row.email,
  row.location_id,
  row.intercepted,
  row.licenses,
];

/**
 * A row as the API's user. Built field by field, not with spreads: a page maps thousands of
 * rows, and spreading the optional fields tripled the cost of a page (about 2 µs a row).
 */
function toUser(row: UserRow): User {
  const user: User = {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    locationId: row.location_id,
    intercepted: row.intercepted === 1,
    licenses: row.licenses === null ? [] : row.licenses.split(','),
  };
  if (row.phone_number !== null) user.phoneNumber = row.phone_number;
  if (row.extension !== null) user.extension = row.extension;
  return user;
}

export interface NewUser {
  id: string;
  firstName: string;
  lastName: string;
  phoneNumber?: string | undefined;
  extension?: string | undefined;
  email: string | null;
  locationId: string;
  intercepted?: boolean | undefined;
  licenses?: readonly string[] | undefined;
}

/**
 * The key users are listed by: their id in natural order (runs of digits compared as numbers,
 * so 11635-2 comes before 11635-10), then the id itself, so that every key is unique.
 */
export function naturalKey(id: string): string {
  const natural = id.replace(
    /\d+/gu,
    (digits) => `${String(digits.length).padStart(3, '0')}${digits}`,
  );
  return `${natural}\u0000${id}`;
}

/** Users, locations and licenses. Users come back in one stable order: natural, by id. */
export function createUsersStore(db: DatabaseSync) {
  const statements = {
    locations: db.prepare(
      `SELECT l.id, l.name, (SELECT count(*) FROM users WHERE location_id = l.id) AS userCount
       FROM locations l ORDER BY l.name, l.id`,
    ),
    pageAll: db.prepare(
      `SELECT ${USER_COLUMNS} FROM users u WHERE u.sort_key > ? ORDER BY u.sort_key LIMIT ?`,
    ),
    pageAt: db.prepare(
      `SELECT ${USER_COLUMNS} FROM users u
       WHERE u.location_id = ? AND u.sort_key > ? ORDER BY u.sort_key LIMIT ?`,
    ),
    unsorted: db.prepare("SELECT id FROM users WHERE sort_key = ''"),
    setSortKey: db.prepare('UPDATE users SET sort_key = ? WHERE id = ?'),
    countAll: db.prepare('SELECT count(*) AS n FROM users'),
    countAt: db.prepare('SELECT count(*) AS n FROM users WHERE location_id = ?'),
    one: db.prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`),
    setEmail: db.prepare('UPDATE users SET email = ? WHERE id = ?'),
    setIntercepted: db.prepare('UPDATE users SET intercepted = ? WHERE id = ?'),
    locationExists: db.prepare('SELECT 1 AS found FROM locations WHERE id = ?'),
    insertLocation: db.prepare('INSERT INTO locations (id, name) VALUES (?, ?)'),
    insertUser: db.prepare(
      `INSERT INTO users (id, first_name, last_name, phone_number, extension, email, location_id, intercepted, sort_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    licenses: db.prepare(
      `SELECT l.id, l.name, l.total, (SELECT count(*) FROM user_licenses WHERE license_id = l.id) AS assigned
       FROM licenses l ORDER BY l.name`,
    ),
    license: db.prepare(
      `SELECT l.id, l.name, l.total, (SELECT count(*) FROM user_licenses WHERE license_id = l.id) AS assigned
       FROM licenses l WHERE l.id = ?`,
    ),
    insertLicense: db.prepare('INSERT INTO licenses (id, name, total) VALUES (?, ?, ?)'),
    addLicense: db.prepare(
      'INSERT OR IGNORE INTO user_licenses (user_id, license_id) VALUES (?, ?)',
    ),
    removeLicense: db.prepare('DELETE FROM user_licenses WHERE user_id = ? AND license_id = ?'),
    userCount: db.prepare('SELECT count(*) AS n FROM users'),
    changes: db.prepare('SELECT total_changes() AS n'),
    /** Changes when another connection (another process, a tool) commits to the file. */
    othersChanges: db.prepare('PRAGMA data_version'),
  };

  // A page's rows as arrays, where this Node can: SQLite then makes no object per row.
  const arrays = typeof statements.pageAll.setReturnArrays === 'function';
  if (arrays) {
    statements.pageAll.setReturnArrays(true);
    statements.pageAt.setReturnArrays(true);
  }
  const usersOf = (rows: unknown[]): User[] =>
    arrays
      ? (rows as UserCells[]).map(userOfCells)
      : (rows as UserRow[]).map((row) => userOfCells(cellsOf(row)));

  /**
   * How many users there are (in a location): counted once and kept while nothing has written
   * to the database since, neither this connection nor another. A count walks a whole index
   * (23 ms at a million users), and every page of a listing reports the total: counted each
   * time, a listing of n users cost O(n²).
   */
  const totals = new Map<string, number>();
  let totalsAt = '';
  const totalOf = (locationId: string | undefined): number => {
    const { n: own } = statements.changes.get() as { n: number };
    const { data_version: others } = statements.othersChanges.get() as { data_version: number };
    const changes = `${own}/${others}`;
    if (changes !== totalsAt) {
      totals.clear();
      totalsAt = changes;
    }
    const key = locationId ?? '';
    let total = totals.get(key);
    if (total === undefined) {
      total = (
        (locationId === undefined
          ? statements.countAll.get()
          : statements.countAt.get(locationId)) as { n: number }
      ).n;
      totals.set(key, total);
    }
    return total;
  };

  return {
    locations(): Location[] {
      return statements.locations.all() as unknown as Location[];
    },
    locationExists(id: string): boolean {
      return statements.locationExists.get(id) !== undefined;
    },
    /**
     * One page after the user whose id is `afterId` (exclusive; '' for the first), in natural
     * order, plus the total matching the filter.
     */
    page(
      locationId: string | undefined,
      afterId: string,
      limit: number,
    ): { users: User[]; total: number } {
      const after = afterId === '' ? '' : naturalKey(afterId);
      const rows =
        locationId === undefined
          ? statements.pageAll.all(after, limit)
          : statements.pageAt.all(locationId, after, limit);
      return { users: usersOf(rows), total: totalOf(locationId) };
    },
    get(id: string): User | null {
      const row = statements.one.get(id) as UserRow | undefined;
      return row === undefined ? null : toUser(row);
    },
    setEmail(id: string, email: string | null): void {
      statements.setEmail.run(email, id);
    },
    setIntercepted(id: string, intercepted: boolean): void {
      statements.setIntercepted.run(intercepted ? 1 : 0, id);
    },
    licenses(): License[] {
      return statements.licenses.all() as unknown as License[];
    },
    license(id: string): License | null {
      return (statements.license.get(id) as License | undefined) ?? null;
    },
    addLicense(userId: string, licenseId: string): void {
      statements.addLicense.run(userId, licenseId);
    },
    removeLicense(userId: string, licenseId: string): void {
      statements.removeLicense.run(userId, licenseId);
    },
    /** Gives users from before natural order their key (once, after the migration). */
    fillSortKeys(): void {
      for (const { id } of statements.unsorted.all() as { id: string }[])
        statements.setSortKey.run(naturalKey(id), id);
    },
    insertLocation(id: string, name: string): void {
      statements.insertLocation.run(id, name);
    },
    insertLicense(id: string, name: string, total: number): void {
      statements.insertLicense.run(id, name, total);
    },
    insertUser(user: NewUser): void {
      statements.insertUser.run(
        user.id,
        user.firstName,
        user.lastName,
        user.phoneNumber ?? null,
        user.extension ?? null,
        user.email,
        user.locationId,
        user.intercepted === true ? 1 : 0,
        naturalKey(user.id),
      );
      for (const license of user.licenses ?? []) statements.addLicense.run(user.id, license);
    },
    count(): number {
      return (statements.userCount.get() as { n: number }).n;
    },
  };
}

export type UsersStore = ReturnType<typeof createUsersStore>;
