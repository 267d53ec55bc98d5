import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, describeRules, type RuleSet } from '../../../shared/rules/index.ts';

describe('describeRules', () => {
  it('describes the passcode rules of the seed', () => {
    expect(describeRules('voicePortalPasscode')).toEqual([
      'Exactly 6 characters long',
      'Digits only (0-9)',
      'No character more than 2 times in a row',
      'No run of more than 2 consecutive characters up or down, such as 123 or cba',
      'Not the same as the previous passcode',
    ]);
  });

  it('describes the password rules of the seed', () => {
    expect(describeRules('applicationPassword')).toEqual([
      '8 to 40 characters long',
      'Only 0-9, A-Z, a-z and / # @ - ! _ ~ . ^ & * % $ + =',
      'At least 1 digit, 1 capital letter, 1 lower-case letter and 1 special character',
      'No character more than 2 times in a row',
      'No run of more than 2 consecutive characters up or down, such as 123 or cba',
      'Not the same as the previous password',
    ]);
  });

  it('follows the numbers in the set', () => {
    const rules: RuleSet = {
      ...DEFAULT_RULES.applicationPassword,
      minLength: 12,
      maxLength: 64,
      minCount: { digits: 2, uppercase: 1, lowercase: 0, special: 3 },
      maxRepeat: 1,
      maxAscendingSequence: 3,
      maxDescendingSequence: null,
      historyCount: 5,
      specialCharacters: '!#',
    };
    expect(describeRules('applicationPassword', rules)).toEqual([
      '12 to 64 characters long',
      'Only 0-9, A-Z, a-z and ! #',
      'At least 2 digits, 1 capital letter and 3 special characters',
      'No character twice in a row',
      'No ascending run longer than 3 (such as 1234 or abcd)',
      'Not any of the last 5 passwords',
    ]);
  });

  it('leaves out the rules a set switches off', () => {
    const rules: RuleSet = {
      ...DEFAULT_RULES.voicePortalPasscode,
      minLength: 4,
      maxLength: 8,
      maxRepeat: null,
      maxAscendingSequence: null,
      maxDescendingSequence: null,
      historyCount: 0,
    };
    expect(describeRules('voicePortalPasscode', rules)).toEqual([
      '4 to 8 characters long',
      'Digits only (0-9)',
    ]);
  });
});
