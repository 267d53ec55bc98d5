import type { User } from '../../../../../shared/api/index.ts';

const searchTexts = new WeakMap<User, string>();

/** What the search box looks in: id, name, phone number, extension and email, lower-cased. */
export function searchTextOf(user: User): string {
  let text = searchTexts.get(user);
  if (text === undefined) {
    text = [
      user.id,
      `${user.firstName} ${user.lastName}`,
      user.phoneNumber,
      user.extension,
      user.email,
    ]
      .filter((part) => part != null && part !== '')
      .join('\n')
      .toLowerCase();
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
