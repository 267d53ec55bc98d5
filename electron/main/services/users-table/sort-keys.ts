import type { User } from '../../../../shared/api/index.ts';
import type { SortColumn } from '../../../../shared/ipc/index.ts';

/** What a sort needs from outside the users: the names the table shows for their ids. */
export interface SortContext {
  locationName(locationId: string): string | undefined;
  licenseName(licenseId: string): string | undefined;
  /** The user's "Last action" as the table words it, or undefined without one. */
  lastAction(userId: string): string | undefined;
}

const DIGITS = /\d+/gu;
const MARKS = /\p{M}+/gu;

/**
 * A key that sorts the way people read: case and accents aside, and numbers by their value, so
 * 11635-2 comes before 11635-10. Keys compare with `<`, which is several times cheaper per
 * comparison than a collator and lets 100,000 users sort in tens of milliseconds. A number is
 * written as a marker below every printable character, its length, then its digits: shorter
 * numbers first, numbers before words, as a numeric collator orders them.
 */
export function naturalKey(value: string | null | undefined): string {
  if (value == null || value === '') return '';
  let key = value.toLowerCase();
  // Only text with accents pays for taking them apart.
  if (/[\u0080-\uffff]/u.test(key)) key = key.normalize('NFD').replace(MARKS, '');
  return key.replace(DIGITS, (digits) => {
    const number = digits.replace(/^0+(?=\d)/u, '');
    return `\u0001${String.fromCharCode(0x20 + Math.min(number.length, 0xffdf))}${number}`;
  });
}

/** Each user's key for one column, in list order. Missing values get '' (first, ascending). */
export function sortKeysOf(
  column: SortColumn,
  users: readonly User[],
  context: SortContext,
): string[] {
  const key = keyFunction(column, context);
  const keys: string[] = [];
  for (const user of users) keys.push(key(user));
  return keys;
}

function keyFunction(column: SortColumn, context: SortContext): (user: User) => string {
  switch (column) {
    case 'id':
      return (user) => naturalKey(user.id);
    case 'name':
      return (user) => naturalKey(`${user.firstName} ${user.lastName}`);
    case 'phoneNumber':
      return (user) => naturalKey(user.phoneNumber);
    case 'extension':
      return (user) => naturalKey(user.extension);
    case 'email':
      return (user) => naturalKey(user.email);
    case 'location':
      return (user) => naturalKey(context.locationName(user.locationId) ?? user.locationId);
    case 'intercepted':
      return (user) => (user.intercepted ? 'on' : '');
    case 'licenses':
      return (user) =>
        naturalKey(user.licenses.map((id) => context.licenseName(id) ?? id).join(', '));
    case 'lastAction':
      return (user) => naturalKey(context.lastAction(user.id));
  }
}
