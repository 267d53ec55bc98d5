import { describe, expect, it } from 'vitest';
import {
  checkSecret,
  DEFAULT_RULES,
  failedRuleIds,
  RULE_IDS,
  type RuleSet,
} from '../../../shared/rules/index.ts';

const failures = (
  kind: 'applicationPassword' | 'voicePortalPasscode',
  value: string,
  rules?: RuleSet,
) => failedRuleIds(checkSecret(kind, value, rules === undefined ? {} : { rules }));

const passcode = (value: string) => failures('voicePortalPasscode', value);
const password = (value: string) => failures('applicationPassword', value);

describe('checkSecret on the seed examples', () => {
  it.each(['112233', '124578', '975311', '135792'])('passcode %s passes', (value) => {
    expect(passcode(value)).toEqual([]);
  });

  it.each([
    ['111357', ['max-repeat']],
    ['123579', ['max-sequence']],
    ['987531', ['max-sequence']],
    ['12345', ['min-length', 'max-sequence']],
    ['12a456', ['allowed-characters', 'max-sequence']],
  ])('passcode %s fails %j', (value, ids) => {
    expect(passcode(value)).toEqual(ids);
  });

  it.each(['Tr0ub4dor&3', 'Zx9/Qw8#'])('password %s passes', (value) => {
    expect(password(value)).toEqual([]);
  });

  it.each([
    ['Abc12345!', ['max-sequence']],
    ['Pass<word1', ['allowed-characters', 'needs-special']],
    ['Mn8@CbA!', ['max-sequence']],
  ])('password %s fails %j', (value, ids) => {
    expect(password(value)).toEqual(ids);
  });
});

describe('the rules of each default set', () => {
  it('reports one check per rule of the passcode set, in a stable order', () => {
    expect(checkSecret('voicePortalPasscode', '').map((c) => c.id)).toEqual([
      'min-length',
      'max-length',
      'allowed-characters',
      'max-repeat',
      'max-sequence',
      'not-previous',
    ]);
  });

  it('reports all ten rules for the password set, in RULE_IDS order', () => {
    expect(checkSecret('applicationPassword', 'x').map((c) => c.id)).toEqual([...RULE_IDS]);
  });

  it('gives every check a non-empty message', () => {
    for (const check of checkSecret('applicationPassword', '')) {
      expect(check.message.length).toBeGreaterThan(5);
    }
  });
});

describe('lengths', () => {
  it('are counted in code points, not UTF-16 units', () => {
    const rules: RuleSet = { ...DEFAULT_RULES.applicationPassword, minLength: 3, maxLength: 3 };
    // Three emoji are six UTF-16 units; they are three characters.
    const checks = checkSecret('applicationPassword', '😀😁😂', { rules });
    expect(checks.find((c) => c.id === 'min-length')?.ok).toBe(true);
    expect(checks.find((c) => c.id === 'max-length')?.ok).toBe(true);
  });

  it('hold at the password boundaries 7/8 and 40/41', () => {
    const base = 'Zx9/Qw8#';
    expect(password(base.slice(0, 7))).toContain('min-length');
    expect(password(base)).not.toContain('min-length');
    const forty = (base + 'Zx9/Qw8#Zx9/Qw8#Zx9/Qw8#Zx9/Qw8#').slice(0, 40);
    expect(password(forty)).toEqual([]);
    expect(password(forty + 'k')).toEqual(['max-length']);
  });

  it('hold at the passcode boundaries 5/6/7', () => {
    expect(passcode('13579')).toEqual(['min-length']);
    expect(passcode('135791')).toEqual([]);
    expect(passcode('1357913')).toEqual(['max-length']);
  });
});

describe('max-repeat', () => {
  const repeatOf = (value: string) =>
    checkSecret('applicationPassword', value).find((c) => c.id === 'max-repeat')?.ok;

  it('allows two identical characters in a row and refuses three', () => {
    expect(repeatOf('aa')).toBe(true);
    expect(repeatOf('aaa')).toBe(false);
    expect(repeatOf('x!!!y')).toBe(false);
  });

  it('is case-sensitive', () => {
    expect(repeatOf('aAa')).toBe(true);
    expect(repeatOf('AAa')).toBe(true);
  });

  it('follows the number in the set', () => {
    const rules = { ...DEFAULT_RULES.voicePortalPasscode, maxRepeat: 3 };
    expect(failures('voicePortalPasscode', '111357', rules)).toEqual([]);
    expect(failures('voicePortalPasscode', '111135', rules)).toEqual(['max-repeat']);
  });
});

describe('max-sequence', () => {
  const sequenceOf = (value: string) =>
    checkSecret('applicationPassword', value).find((c) => c.id === 'max-sequence')?.ok;

  it.each(['12', '8901', '90', 'za', 'ab1', 'a1b2', '1a2b', 'ac', '135'])('%s passes', (value) => {
    expect(sequenceOf(value)).toBe(true);
  });

  it.each(['123', '321', 'abc', 'CbA', 'xyz', 'zyx', 'aBc', 'x789', '!456!'])(
    '%s fails',
    (value) => {
      expect(sequenceOf(value)).toBe(false);
    },
  );

  it('does not wrap around 9→0 or z→a', () => {
    expect(sequenceOf('890')).toBe(true);
    expect(sequenceOf('yza')).toBe(true);
    expect(sequenceOf('10' + '9')).toBe(true);
  });

  it('treats any other character as breaking a run', () => {
    expect(sequenceOf('12-3')).toBe(true);
    expect(sequenceOf('ab_c')).toBe(true);
  });

  it('does not count digits and letters as one class', () => {
    // "9" and "a" are not neighbours.
    expect(sequenceOf('89a')).toBe(true);
  });

  it('applies separate ascending and descending limits', () => {
    const rules: RuleSet = {
      ...DEFAULT_RULES.voicePortalPasscode,
      maxAscendingSequence: 3,
      maxDescendingSequence: 2,
    };
    expect(failures('voicePortalPasscode', '123975', rules)).toEqual([]);
    expect(failures('voicePortalPasscode', '123497', rules)).toEqual(['max-sequence']);
    expect(failures('voicePortalPasscode', '321975', rules)).toEqual(['max-sequence']);
  });

  it('is left out when both limits are off', () => {
    const rules: RuleSet = {
      ...DEFAULT_RULES.voicePortalPasscode,
      maxAscendingSequence: null,
      maxDescendingSequence: null,
    };
    const checks = checkSecret('voicePortalPasscode', '123456', { rules });
    expect(checks.map((c) => c.id)).not.toContain('max-sequence');
  });
});

describe('character classes', () => {
  it('accept exactly the special set of the seed', () => {
    for (const ch of '/#@-!_~.^&*%$+=') {
      expect(password(`Zx9${ch}Qw8k`)).toEqual([]);
    }
  });

  it.each([
    '<',
    '>',
    ' ',
    '"',
    "'",
    '(',
    ')',
    ',',
    ';',
    ':',
    '?',
    '[',
    ']',
    '{',
    '}',
    '|',
    '\\',
    '`',
    'é',
    'Ω',
    '٣',
    '😀',
    '\u0000',
    '\u200b',
  ])('refuse %j outside the set', (ch) => {
    expect(password(`Zx9/Qw8#${ch}`)).toEqual(['allowed-characters']);
  });

  it('count each class for the needs-* rules', () => {
    expect(password('zx9/qw8#')).toEqual(['needs-uppercase']);
    expect(password('ZX9/QW8#')).toEqual(['needs-lowercase']);
    expect(password('Zxa/Qwk#')).toEqual(['needs-digit']);
    expect(password('Zx9kQw8m')).toEqual(['needs-special']);
  });

  it('follow minimum counts above one', () => {
    const rules: RuleSet = {
      ...DEFAULT_RULES.applicationPassword,
      minCount: { digits: 2, uppercase: 1, lowercase: 1, special: 2 },
    };
    expect(failures('applicationPassword', 'Zx9/Qw8#', rules)).toEqual([]);
    expect(failures('applicationPassword', 'Zx9/Qwk#', rules)).toEqual(['needs-digit']);
    expect(failures('applicationPassword', 'Zx9/Qw8k', rules)).toEqual(['needs-special']);
  });

  it('treat passcode letters as not allowed', () => {
    expect(passcode('13579a')).toEqual(['allowed-characters']);
  });
});

describe('not-previous', () => {
  it('passes without previous values and says it is checked when saved', () => {
    const check = checkSecret('voicePortalPasscode', '135792').find((c) => c.id === 'not-previous');
    expect(check?.ok).toBe(true);
    expect(check?.message).toMatch(/checked when saved/i);
  });

  it('fails when the candidate equals one of the previous values', () => {
    const checks = checkSecret('voicePortalPasscode', '135792', { previous: ['975311', '135792'] });
    expect(failedRuleIds(checks)).toEqual(['not-previous']);
    expect(checks.find((c) => c.id === 'not-previous')?.message).not.toMatch(/when saved/i);
  });

  it('compares exactly (case and every character count)', () => {
    expect(
      failedRuleIds(checkSecret('applicationPassword', 'Zx9/Qw8#', { previous: ['zx9/qw8#'] })),
    ).toEqual([]);
  });

  it('is left out when the history count is zero', () => {
    const rules = { ...DEFAULT_RULES.voicePortalPasscode, historyCount: 0 };
    const ids = checkSecret('voicePortalPasscode', '135792', { rules, previous: ['135792'] }).map(
      (c) => c.id,
    );
    expect(ids).not.toContain('not-previous');
  });
});

describe('robustness', () => {
  it.each(['', ' ', '\uD800', '\uDFFF\uD800', 'a'.repeat(10_000), '\u0000\u0001', '𝟘𝟙𝟚'])(
    'never throws on %j',
    (value) => {
      expect(() => checkSecret('applicationPassword', value)).not.toThrow();
      expect(() => checkSecret('voicePortalPasscode', value)).not.toThrow();
    },
  );

  it('does not change what it is given', () => {
    const value = '  Zx9/Qw8#  ';
    expect(password(value)).toEqual(['allowed-characters']);
  });
});
