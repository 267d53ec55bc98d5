import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSecret,
  DEFAULT_RULES,
  failedRuleIds,
  generateSecret,
  SECRET_KINDS,
  type RuleId,
  type SecretKind,
} from '../../../shared/rules/index.ts';
import { oracleFailures } from './oracle.ts';

const ALPHABET = {
  voicePortalPasscode: '0123456789',
  applicationPassword:
    '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/#@-!_~.^&*%$+=',
} as const;

/** Strings that mix the kind's own characters with arbitrary Unicode, so every rule is hit. */
function candidates(kind: SecretKind) {
  const own = fc.constantFrom(...ALPHABET[kind]);
  const near = fc.constantFrom('<', ' ', 'é', '😀', '\uD800', 'a', 'Z', '0', '9');
  return fc.oneof(
    fc.string({
      unit: fc.oneof({ weight: 8, arbitrary: own }, { weight: 1, arbitrary: near }),
      maxLength: 48,
    }),
    fc.string({ unit: 'binary', maxLength: 48 }),
    fc.string({ unit: 'grapheme', maxLength: 16 }),
  );
}

/** Values that pass every rule: random strings of the kind's characters, kept when valid. */
function validValues(kind: SecretKind) {
  const rules = DEFAULT_RULES[kind];
  const length = kind === 'voicePortalPasscode' ? 6 : 16;
  return fc
    .string({ unit: fc.constantFrom(...ALPHABET[kind]), minLength: length, maxLength: length })
    .filter((value) => oracleFailures(value, rules).length === 0);
}

describe.each(SECRET_KINDS)('%s', (kind) => {
  const rules = DEFAULT_RULES[kind];

  it('never throws and agrees with a naive reading of the rules, on any string', () => {
    fc.assert(
      fc.property(
        candidates(kind),
        fc.array(candidates(kind), { maxLength: 2 }),
        (value, previous) => {
          const checks = checkSecret(kind, value, { previous });
          expect(failedRuleIds(checks)).toEqual(oracleFailures(value, rules, previous));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('generates values that pass every rule (10,000 runs)', () => {
    fc.assert(
      fc.property(fc.integer(), () => {
        const value = generateSecret(kind);
        expect(failedRuleIds(checkSecret(kind, value, { previous: [] }))).toEqual([]);
        expect(oracleFailures(value, rules)).toEqual([]);
      }),
      { numRuns: 10_000 },
    );
  });

  /** Ways to break exactly one rule of a valid value; `at` picks where. */
  const breakers: Partial<Record<RuleId, (value: string, at: number) => string>> = {
    'min-length': (value) => [...value].slice(0, rules.minLength - 1).join(''),
    'max-length': (value, at) => {
      const filler = kind === 'voicePortalPasscode' ? '5' : (['k', 'Q', '7', '#'][at % 4] ?? 'k');
      let out = value;
      while ([...out].length <= rules.maxLength) out += [...out].length % 2 === 0 ? filler : '0';
      return out;
    },
    'allowed-characters': (value, at) => replaceAt(value, at, ['<', 'é', ' ', '😀'][at % 4] ?? '<'),
    'needs-digit': (value) => value.replace(/[0-9]/g, 'k'),
    'needs-uppercase': (value) => value.toLowerCase(),
    'needs-lowercase': (value) => value.toUpperCase(),
    'needs-special': (value) => value.replace(/[^0-9A-Za-z]/g, '5'),
    'max-repeat': (value, at) => {
      const i = at % ([...value].length - 2);
      const ch = [...value][i] ?? '';
      return replaceAt(replaceAt(value, i + 1, ch), i + 2, ch);
    },
    'max-sequence': (value, at) => {
      const chars = [...value];
      const i = at % (chars.length - 2);
      const start =
        kind === 'voicePortalPasscode' ? String(at % 8) : (['1', 'a', 'K', '7'][at % 4] ?? '1');
      const next = String.fromCharCode(start.charCodeAt(0) + 1);
      const third = String.fromCharCode(start.charCodeAt(0) + 2);
      chars.splice(i, 3, start, next, third);
      return chars.join('');
    },
  };

  const ruleIds = checkSecret(kind, '').map((c) => c.id);
  const breakable = ruleIds.filter((id) => id !== 'not-previous');

  it.each(breakable)('a valid value changed to break %s fails exactly that rule', (target) => {
    const breakIt = breakers[target];
    if (breakIt === undefined) throw new Error(`no breaker for ${target}`);
    let checked = 0;
    fc.assert(
      fc.property(validValues(kind), fc.nat(1000), (value, at) => {
        const broken = breakIt(value, at);
        // Keep only changes that, by the naive reading, break this rule alone.
        fc.pre(JSON.stringify(oracleFailures(broken, rules)) === JSON.stringify([target]));
        checked += 1;
        expect(failedRuleIds(checkSecret(kind, broken))).toEqual([target]);
      }),
      { numRuns: 200 },
    );
    expect(checked).toBeGreaterThanOrEqual(100);
  });

  it('a valid value given as a previous one fails exactly not-previous', () => {
    fc.assert(
      fc.property(validValues(kind), (value) => {
        expect(failedRuleIds(checkSecret(kind, value, { previous: [value] }))).toEqual([
          'not-previous',
        ]);
      }),
      { numRuns: 200 },
    );
  });
});

function replaceAt(value: string, index: number, ch: string): string {
  const chars = [...value];
  if (index < chars.length) chars[index] = ch;
  return chars.join('');
}
