import type { User } from '../../../../shared/api/index.ts';

/** What the search box looks in: id, name, phone number, extension and email, lower-cased. */
export function searchTextOf(user: User): string {
  // Concatenated, not joined from an array: this runs for every user as pages arrive.
  let text = `${user.id}\n${user.firstName} ${user.lastName}`;
  if (user.phoneNumber !== undefined && user.phoneNumber !== '') text += `\n${user.phoneNumber}`;
  if (user.extension !== undefined && user.extension !== '') text += `\n${user.extension}`;
  if (user.email !== null && user.email !== '') text += `\n${user.email}`;
  return text.toLowerCase();
}

/** The words of a search, lower-cased; empty when there is nothing to search for. */
export function searchWords(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/u)
    .filter((word) => word !== '');
}

/** A search text matches when every word of the search appears in it. */
export function textMatches(text: string, words: readonly string[]): boolean {
  for (const word of words) if (!text.includes(word)) return false;
  return true;
}
