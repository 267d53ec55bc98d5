import { describe, expect, it } from 'vitest';
import {
  searchTextOf,
  searchWords,
  textMatches,
} from '../../../electron/main/services/users-table/user-search.ts';
import type { User } from '../../../shared/api/index.ts';

const alicia: User = {
  id: '11635-05',
  firstName: 'Alicia',
  lastName: 'Hudachek',
  phoneNumber: '+14845880834',
  extension: '305',
  email: 'ahudachek@example.com',
  locationId: 'loc-branch',
  intercepted: false,
  licenses: ['webex'],
};
const matches = (user: User, query: string) => textMatches(searchTextOf(user), searchWords(query));

describe('the users search', () => {
  it('looks in the id, name, phone number, extension and email, ignoring case', () => {
    for (const query of [
      '11635-05',
      'ALICIA',
      'hudachek',
      'alicia hud',
      '4845880834',
      '305',
      'example.com',
    ])
      expect(matches(alicia, query), query).toBe(true);
  });

  it('needs every word to match somewhere, but not across two fields', () => {
    expect(matches(alicia, 'alicia 305')).toBe(true);
    expect(matches(alicia, 'alicia smith')).toBe(false);
    expect(matches(alicia, 'hudachek+1484')).toBe(false);
    expect(matches(alicia, 'loc-branch')).toBe(false);
  });

  it('takes blank input as no search, and copes with a user without email or phone', () => {
    expect(searchWords('   ')).toEqual([]);
    expect(searchWords(' Alicia   Hudachek ')).toEqual(['alicia', 'hudachek']);
    const bare: User = { ...alicia, email: null, phoneNumber: undefined, extension: undefined };
    expect(matches(bare, 'hudachek')).toBe(true);
    expect(matches(bare, 'null')).toBe(false);
    expect(matches(bare, 'undefined')).toBe(false);
  });

  it("makes a changed user's text from its own fields", () => {
    const renamed = { ...alicia, lastName: 'Novak', email: 'anovak@example.com' };
    expect(matches(renamed, 'novak')).toBe(true);
    expect(matches(renamed, 'hudachek')).toBe(false);
  });
});
