import {
  EMAIL_MAX_LENGTH,
  EMAIL_PATTERN,
  PLAIN_ID_PATTERN,
  USER_ID_PATTERN,
  User,
  UsersPage,
} from './schemas.ts';

/**
 * A quick test of a page of users, in place: true only for a value the `UsersPage` schema
 * accepts as it is (strict objects, every field's type and format, the same patterns). It
 * makes nothing, where zod builds a copy of every user and a result for every field: at 100,000
 * users that was about 180 ms of the main process's time and most of what its garbage
 * collector then had to do, for every list read.
 *
 * False says only that the schema must decide: the schema then parses the value, and its
 * message says what is wrong. So this may refuse more than the schema does, never less;
 * `users-page-check.test.ts` compares the two on generated pages, valid and broken.
 */
export function isUsersPage(value: unknown): value is UsersPage {
  if (!isRecord(value)) return false;
  // A field missing is undefined below, which no field may be.
  for (const key in value) if (!PAGE_KEYS.has(key) || !Object.hasOwn(value, key)) return false;
  const { users, nextCursor, total } = value;
  if (nextCursor !== null && typeof nextCursor !== 'string') return false;
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) return false;
  if (!Array.isArray(users)) return false;
  for (const user of users as unknown[]) if (!isUser(user)) return false;
  return true;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields each object may have: the schema's own, so the two never differ. */
const PAGE_KEYS = new Set(Object.keys(UsersPage.shape));
const USER_KEYS = new Set(Object.keys(User.shape));

function isUser(value: unknown): boolean {
  if (!isRecord(value)) return false;
  // Own keys only, as zod's strict object: an inherited one makes for-in list it, and the
  // schema decides.
  for (const key in value) if (!USER_KEYS.has(key) || !Object.hasOwn(value, key)) return false;
  const { id, firstName, lastName, phoneNumber, extension, email, locationId, licenses } = value;
  return (
    typeof id === 'string' &&
    USER_ID_PATTERN.test(id) &&
    typeof firstName === 'string' &&
    typeof lastName === 'string' &&
    (phoneNumber === undefined || typeof phoneNumber === 'string') &&
    (extension === undefined || typeof extension === 'string') &&
    (email === null ||
      (typeof email === 'string' &&
        email.length <= EMAIL_MAX_LENGTH &&
        EMAIL_PATTERN.test(email))) &&
    typeof locationId === 'string' &&
    PLAIN_ID_PATTERN.test(locationId) &&
    typeof value.intercepted === 'boolean' &&
    Array.isArray(licenses) &&
    (licenses as unknown[]).every(
      (license) => typeof license === 'string' && PLAIN_ID_PATTERN.test(license),
    )
  );
}
