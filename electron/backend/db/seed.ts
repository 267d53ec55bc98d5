import type { DatabaseSync } from 'node:sqlite';
import { transaction } from './database.ts';
import { createUsersStore, type NewUser } from './users-store.ts';

export type SeedName = 'demo' | 'none' | `large:${number}`;

/** `demo`, `none` or `large:<n>` (1 ≤ n ≤ 1,000,000); null for anything else. */
export function parseSeed(value: string): SeedName | null {
  if (value === 'demo' || value === 'none') return value;
  const match = /^large:(\d{1,7})$/u.exec(value);
  const n = match === null ? NaN : Number(match[1]);
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? `large:${n}` : null;
}

/** A small deterministic generator, so the demo data is the same on every machine. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Alicia',
  'Ben',
  'Carmen',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jamal',
  'Kira',
  'Luis',
  'Maya',
  'Noah',
  'Olga',
  'Priya',
  'Quinn',
  'Rosa',
  'Sam',
  'Tariq',
  'Uma',
  'Victor',
  'Wen',
  'Xavier',
  'Yara',
  'Zoe',
  'Tom',
  'Anna',
  'Marco',
  'Lena',
];
const LAST = [
  'Smith',
  'Hudachek',
  'Okafor',
  'Nguyen',
  'Garcia',
  'Kowalski',
  'Haddad',
  'Jensen',
  'Rossi',
  'Tanaka',
  'Murphy',
  'Schmidt',
  'Dubois',
  'Patel',
  'Silva',
  'Novak',
  'Costa',
  'Berg',
  'Walsh',
  'Moreau',
  'Ivanova',
  'Kim',
  'Lopez',
  'Fischer',
  'Brennan',
];

export const DEMO_LOCATIONS = [
  { id: 'loc-hq', name: 'Philadelphia HQ', prefix: '4845880834', kind: 'phone' },
  { id: 'loc-wayne', name: 'Wayne Office', prefix: '6105550142', kind: 'phone' },
  { id: 'loc-cc', name: 'Contact Center', prefix: '18746527831', kind: 'phone' },
  { id: 'loc-11635', name: 'Branch 11635', prefix: '11635', kind: 'named' },
  { id: 'loc-remote', name: 'Remote Staff', prefix: '20417', kind: 'named' },
] as const;

export const DEMO_LICENSES = [
  { id: 'uc-one', name: 'UC One', total: 1600 },
  { id: 'webex', name: 'Webex', total: 900 },
  { id: 'cc-agent', name: 'Contact Center Agent', total: 260 },
] as const;

function makeUsers(count: number, random: () => number): NewUser[] {
  const users: NewUser[] = [];
  const perLocation = new Map<string, number>();
  for (let i = 0; i < count; i += 1) {
    const location = DEMO_LOCATIONS[i % DEMO_LOCATIONS.length] ?? DEMO_LOCATIONS[0];
    const n = (perLocation.get(location.id) ?? 0) + 1;
    perLocation.set(location.id, n);
    const first = FIRST[Math.floor(random() * FIRST.length)] ?? 'Alex';
    const last = LAST[Math.floor(random() * LAST.length)] ?? 'Smith';
    const extension = String(100 + n);
    let id: string;
    if (location.kind === 'phone') {
      id = `${location.prefix}.${String(n).padStart(count > 9_000 ? 6 : 3, '0')}`;
    } else if (n % 25 === 0) {
      id = `${location.prefix}-sanity-${String(n / 25).padStart(2, '0')}`;
    } else {
      id = `${location.prefix}-${String(n).padStart(count > 9_000 ? 6 : 2, '0')}`;
    }
    const hasEmail = random() >= 1 / 6;
    const handle = `${first.charAt(0)}${last}`.toLowerCase();
    const licenses = ['uc-one'];
    if (random() < 0.55) licenses.push('webex');
    if (location.id === 'loc-cc' && random() < 0.8) licenses.push('cc-agent');
    users.push({
      id,
      firstName: first,
      lastName: last,
      phoneNumber:
        location.kind === 'phone'
          ? `+1 ${location.prefix.slice(-10, -7)} ${location.prefix.slice(-7, -4)} ${String(1000 + (n % 9000))}`
          : undefined,
      extension,
      email: hasEmail ? `${handle}${n}@example.com` : null,
      locationId: location.id,
      intercepted: random() < 0.01,
      licenses: count > 9_000 ? ['uc-one'] : licenses,
    });
  }
  return users;
}

/** Fills an empty database: `demo` (5 locations, 1,500 users) or `large:<n>`. */
export function seedDatabase(db: DatabaseSync, seed: SeedName): { users: number } {
  if (seed === 'none') return { users: 0 };
  const users = createUsersStore(db);
  if (users.count() > 0) return { users: 0 };
  const count = seed === 'demo' ? 1500 : Number(seed.slice('large:'.length));
  const generated = makeUsers(count, prng(11635));
  transaction(db, () => {
    for (const location of DEMO_LOCATIONS) users.insertLocation(location.id, location.name);
    for (const license of DEMO_LICENSES) {
      users.insertLicense(license.id, license.name, count > 9_000 ? count : license.total);
    }
    for (const user of generated) users.insertUser(user);
  });
  return { users: generated.length };
}
