import type { RuleSet } from './rule-set.ts';

export const CHARACTER_CLASSES = ['digits', 'uppercase', 'lowercase', 'special'] as const;
export type CharacterClass = (typeof CHARACTER_CLASSES)[number];

const ALPHABETS = {
  digits: '0123456789',
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
} as const;

/** The characters of one class under a rule set, as an array of code points. */
export function alphabetOf(cls: CharacterClass, rules: RuleSet): readonly string[] {
  return cls === 'special' ? Array.from(rules.specialCharacters) : Array.from(ALPHABETS[cls]);
}

/** Which class a code point belongs to under a rule set, or null when it is in none. */
export function classOf(ch: string, rules: RuleSet): CharacterClass | null {
  if (ch.length === 1) {
    if (ch >= '0' && ch <= '9') return 'digits';
    if (ch >= 'A' && ch <= 'Z') return 'uppercase';
    if (ch >= 'a' && ch <= 'z') return 'lowercase';
  }
  return rules.specialCharacters.includes(ch) && ch !== '' ? 'special' : null;
}

/**
 * Where a code point sits in a sequence: digits step 0–9, letters step a–z case-insensitively.
 * Anything else is not part of any sequence and breaks a run.
 */
export function sequencePosition(ch: string): { group: 'digit' | 'letter'; index: number } | null {
  if (ch.length !== 1) return null;
  const code = ch.charCodeAt(0);
  if (code >= 48 && code <= 57) return { group: 'digit', index: code - 48 };
  if (code >= 65 && code <= 90) return { group: 'letter', index: code - 65 };
  if (code >= 97 && code <= 122) return { group: 'letter', index: code - 97 };
  return null;
}

/** +1 or −1 when `next` directly follows `prev` in a sequence, else 0. No wrap-around. */
export function sequenceStep(prev: string, next: string): 1 | -1 | 0 {
  const a = sequencePosition(prev);
  const b = sequencePosition(next);
  if (a === null || a.group !== b?.group) return 0;
  if (b.index === a.index + 1) return 1;
  if (b.index === a.index - 1) return -1;
  return 0;
}

/** The longest runs found in a string of code points. */
export interface RunLengths {
  repeat: number;
  ascending: number;
  descending: number;
}

export function longestRuns(chars: readonly string[]): RunLengths {
  const longest: RunLengths = { repeat: 0, ascending: 0, descending: 0 };
  let repeat = 0;
  let ascending = 0;
  let descending = 0;
  let prev: string | undefined;
  for (const ch of chars) {
    const inSequence = sequencePosition(ch) !== null;
    const step = prev === undefined ? 0 : sequenceStep(prev, ch);
    repeat = ch === prev ? repeat + 1 : 1;
    ascending = step === 1 ? ascending + 1 : inSequence ? 1 : 0;
    descending = step === -1 ? descending + 1 : inSequence ? 1 : 0;
    longest.repeat = Math.max(longest.repeat, repeat);
    longest.ascending = Math.max(longest.ascending, ascending);
    longest.descending = Math.max(longest.descending, descending);
    prev = ch;
  }
  return longest;
}
