import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, RuleSet, RuleSets } from '../../../shared/rules/index.ts';

const password = DEFAULT_RULES.applicationPassword;

describe('RuleSet', () => {
  it('accepts both default sets', () => {
    expect(RuleSets.parse(DEFAULT_RULES)).toEqual(DEFAULT_RULES);
  });

  it('keeps DEFAULT_RULES frozen all the way down', () => {
    expect(Object.isFrozen(DEFAULT_RULES.applicationPassword.minCount)).toBe(true);
  });

  it.each([
    ['minLength above maxLength', { minLength: 41 }, 'minLength'],
    ['required counts above maxLength', { maxLength: 3 }, 'minCount'],
    [
      'a count for a class that is not allowed',
      { allowed: { ...password.allowed, special: false } },
      'minCount.special',
    ],
    [
      'no class allowed',
      {
        allowed: { digits: false, uppercase: false, lowercase: false, special: false },
        minCount: { digits: 0, uppercase: 0, lowercase: 0, special: 0 },
      },
      'allowed',
    ],
    ['letters in the special set', { specialCharacters: '!a' }, 'specialCharacters'],
    ['a special listed twice', { specialCharacters: '!!' }, 'specialCharacters'],
    ['an empty special set with specials allowed', { specialCharacters: '' }, 'specialCharacters'],
    ['a zero repeat limit', { maxRepeat: 0 }, 'maxRepeat'],
    ['an unknown field', { colour: 'blue' }, ''],
  ])('refuses %s, naming the field', (_name, change, field) => {
    const result = RuleSet.safeParse({ ...password, ...change });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.')) ?? [];
    expect(paths).toContain(field);
  });
});
