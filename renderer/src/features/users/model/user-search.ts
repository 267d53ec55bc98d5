import type { User } from '../../../../../shared/api/index.ts';

const searchTexts = new WeakMap<User, string>();

/** What the search box looks in: id, name, phone number, extension and email, lower-cased. */
export function searchTextOf(user: User): string {
  let text = searchTexts.get(user);
  if (text === undefined) {
    // Concatenated, not joined from an array: this runs for every user as pages arrive.
    text = `${user.id}\n${user.firstName} ${user.lastName}`;
    if (user.phoneNumber !== undefined && user.phoneNumber !== '') text += `\n${user.phoneNumber}`;
    if (user.extension !== undefined && user.extension !== '') text += `\n${user.extension}`;
    if (user.email !== null && user.email !== '') text += `\n${user.email}`;
    text = text.toLowerCase();
    searchTexts.set(user, text);
  }
  return text;
}

/** The words of a search, lower-cased; empty when there is nothing to search for. */
export function searchWords(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/u)
    .filter((word) => word !== '');
}

/** A user matches when every word of the search appears in one of the fields searched. */
export function matchesSearch(user: User, words: readonly string[]): boolean {
  const text = searchTextOf(user);
  for (const word of words) if (!text.includes(word)) return false;
  return true;
}
