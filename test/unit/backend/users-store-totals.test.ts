import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../electron/backend/db/migrations.ts';
import { migrate, openSqlite } from '../../../electron/backend/db/sqlite.ts';
import { createUsersStore, naturalKey } from '../../../electron/backend/db/users-store.ts';

function storeWith(users: number) {
  const db = new DatabaseSync(':memory:');
  migrate(db, MIGRATIONS, 'users-store-totals');
  const store = createUsersStore(db);
  store.insertLocation('loc-a', 'A');
  store.insertLocation('loc-b', 'B');
  for (let n = 1; n <= users; n += 1)
    store.insertUser({
      id: `u-${n}`,
      firstName: 'F',
      lastName: `L${n}`,
      email: null,
      locationId: n % 2 === 0 ? 'loc-a' : 'loc-b',
    });
  return { db, store };
}

describe('the users store’s totals', () => {
  it('gives each page the total, kept between pages, and counts again after any write', () => {
    const { db, store } = storeWith(10);
    expect(store.page(undefined, '', 3).total).toBe(10);
    expect(store.page('loc-a', '', 3).total).toBe(5);
    store.insertUser({
      id: 'u-11',
      firstName: 'F',
      lastName: 'L',
      email: null,
      locationId: 'loc-a',
    });
    expect(store.page(undefined, 'u-3', 3).total).toBe(11);
    expect(store.page('loc-a', '', 3).total).toBe(6);
    // A write the store did not make itself, on the same connection, counts too.
    db.exec("DELETE FROM users WHERE id IN ('u-1', 'u-2')");
    expect(store.page(undefined, '', 3).total).toBe(9);
    expect(store.page('loc-a', '', 3).total).toBe(5);
    expect(store.page('loc-b', '', 3).total).toBe(4);
    db.close();
  });

  it('counts again after another connection wrote to the file (another process, a tool)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'users-store-totals-'));
    const file = path.join(dir, 'backend.sqlite');
    const db = openSqlite(file, MIGRATIONS);
    const other = new DatabaseSync(file);
    try {
      const store = createUsersStore(db);
      store.insertLocation('loc-a', 'A');
      store.insertUser({
        id: 'u-1',
        firstName: 'F',
        lastName: 'L',
        email: null,
        locationId: 'loc-a',
      });
      expect(store.page(undefined, '', 10).total).toBe(1);
      other
        .prepare(
          "INSERT INTO users (id, first_name, last_name, location_id, sort_key) VALUES (?, 'G', 'M', 'loc-a', ?)",
        )
        .run('u-2', naturalKey('u-2'));
      const page = store.page(undefined, '', 10);
      expect(page.users.map((u) => u.id)).toEqual(['u-1', 'u-2']);
      expect(page.total).toBe(2);
    } finally {
      other.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps a row with and without its optional fields', () => {
    const { db, store } = storeWith(0);
    const ada = {
      id: 'x-1',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phoneNumber: '+1 555 0100',
      extension: '100',
      email: 'ada@example.com',
      locationId: 'loc-a',
      intercepted: true,
      licenses: [],
    };
    store.insertUser(ada);
    store.insertUser({
      id: 'x-2',
      firstName: 'Bo',
      lastName: 'B',
      email: null,
      locationId: 'loc-a',
    });
    const [full, bare] = store.page(undefined, '', 10).users;
    expect(full).toEqual(ada);
    expect(bare).toEqual({
      id: 'x-2',
      firstName: 'Bo',
      lastName: 'B',
      email: null,
      locationId: 'loc-a',
      intercepted: false,
      licenses: [],
    });
    // What goes out is JSON: a missing phone number or extension is no field at all.
    expect(Object.keys(JSON.parse(JSON.stringify(bare)) as object)).not.toContain('phoneNumber');
    expect(Object.keys(JSON.parse(JSON.stringify(bare)) as object)).not.toContain('extension');
    db.close();
  });
});
