import { describe, expect, it } from 'vitest';
import {
  checkSecret,
  DEFAULT_RULES,
  failedRuleIds,
  generateSecret,
  type RuleSet,
} from '../../../shared/rules/index.ts';

describe('generateSecret', () => {
  it('makes 6-digit passcodes and 16-character passwords by default', () => {
    expect(generateSecret('voicePortalPasscode')).toMatch(/^[0-9]{6}$/);
    expect([...generateSecret('applicationPassword')]).toHaveLength(16);
  });

  it('clamps a wanted length to the set', () => {
    expect([...generateSecret('applicationPassword', { length: 3 })]).toHaveLength(8);
    expect([...generateSecret('applicationPassword', { length: 99 })]).toHaveLength(40);
  });

  it('draws different values each time', () => {
    const values = new Set(
      Array.from({ length: 200 }, () => generateSecret('applicationPassword')),
    );
    expect(values.size).toBe(200);
  });

  it('never returns a previous value', () => {
    const rules: RuleSet = { ...DEFAULT_RULES.voicePortalPasscode, minLength: 1, maxLength: 1 };
    const previous = ['0', '1', '2', '3', '4', '5', '6', '7', '8'];
    for (let i = 0; i < 50; i += 1) {
      expect(generateSecret('voicePortalPasscode', { rules, previous })).toBe('9');
    }
  });

  it('meets strict custom sets', () => {
    const rules: RuleSet = {
      ...DEFAULT_RULES.applicationPassword,
      minLength: 20,
      maxLength: 20,
      minCount: { digits: 5, uppercase: 5, lowercase: 5, special: 5 },
      specialCharacters: '!#',
      maxRepeat: 1,
      maxAscendingSequence: 1,
      maxDescendingSequence: 1,
    };
    for (let i = 0; i < 200; i += 1) {
      const value = generateSecret('applicationPassword', { rules });
      expect(failedRuleIds(checkSecret('applicationPassword', value, { rules }))).toEqual([]);
    }
  });

  it('fills a set with a single special character without repeating it', () => {
    const rules: RuleSet = {
      ...DEFAULT_RULES.applicationPassword,
      allowed: { digits: false, uppercase: false, lowercase: true, special: true },
      minCount: { digits: 0, uppercase: 0, lowercase: 0, special: 4 },
      specialCharacters: '!',
      minLength: 8,
      maxLength: 8,
      maxRepeat: 1,
    };
    const value = generateSecret('applicationPassword', { rules });
    expect(failedRuleIds(checkSecret('applicationPassword', value, { rules }))).toEqual([]);
  });

  it('throws a clear error when no value can exist', () => {
    const rules: RuleSet = {
      ...DEFAULT_RULES.voicePortalPasscode,
      allowed: { digits: false, uppercase: false, lowercase: false, special: true },
      specialCharacters: '!',
      minLength: 3,
      maxLength: 3,
      maxRepeat: 1,
    };
    expect(() => generateSecret('voicePortalPasscode', { rules })).toThrow(
      'No passcode of 3 characters can satisfy these rules',
    );
  });
});
