import type { CharacterClass } from './characters.ts';
import { DEFAULT_RULES } from './default-rules.ts';
import type { RuleSet, SecretKind } from './rule-set.ts';

/** The words every message uses for a kind of secret. */
export const SECRET_NOUNS: Record<SecretKind, { singular: string; title: string }> = {
  applicationPassword: { singular: 'password', title: 'Application Password' },
  voicePortalPasscode: { singular: 'passcode', title: 'Voice Portal Passcode' },
};

const CLASS_WORDS: Record<CharacterClass, [one: string, many: string]> = {
  digits: ['digit', 'digits'],
  uppercase: ['capital letter', 'capital letters'],
  lowercase: ['lower-case letter', 'lower-case letters'],
  special: ['special character', 'special characters'],
};

const CLASS_RANGES: Record<Exclude<CharacterClass, 'special'>, string> = {
  digits: '0-9',
  uppercase: 'A-Z',
  lowercase: 'a-z',
};

export function countOf(n: number, cls: CharacterClass): string {
  const [one, many] = CLASS_WORDS[cls];
  return `${n} ${n === 1 ? one : many}`;
}

function joinWithAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`;
}

export function allowedCharactersText(rules: RuleSet): string {
  const { allowed } = rules;
  if (allowed.digits && !allowed.uppercase && !allowed.lowercase && !allowed.special) {
    return 'Digits only (0-9)';
  }
  const parts: string[] = [];
  for (const cls of ['digits', 'uppercase', 'lowercase'] as const) {
    if (allowed[cls]) parts.push(CLASS_RANGES[cls]);
  }
  if (allowed.special) parts.push(Array.from(rules.specialCharacters).join(' '));
  return `Only ${joinWithAnd(parts)}`;
}

export function lengthText(rules: RuleSet): string {
  if (rules.minLength === rules.maxLength) return `Exactly ${rules.minLength} characters long`;
  return `${rules.minLength} to ${rules.maxLength} characters long`;
}

export function repeatText(maxRepeat: number): string {
  return maxRepeat === 1
    ? 'No character twice in a row'
    : `No character more than ${maxRepeat} times in a row`;
}

const DIGIT_RUN = '123456789';
const LETTER_RUN = 'abcdefghijklmnopqrstuvwxyz';

/** An example run one longer than the limit: digits going up, letters going down. */
function examples(limit: number, direction: 'up' | 'down' | 'both'): string {
  const up = DIGIT_RUN.slice(0, Math.min(limit + 1, DIGIT_RUN.length));
  const down = Array.from(LETTER_RUN.slice(0, Math.min(limit + 1, LETTER_RUN.length)))
    .reverse()
    .join('');
  if (direction === 'up') return `${up} or ${LETTER_RUN.slice(0, limit + 1)}`;
  if (direction === 'down') return `${Array.from(up).reverse().join('')} or ${down}`;
  return `${up} or ${down}`;
}

export function sequenceText(rules: RuleSet): string {
  const asc = rules.maxAscendingSequence;
  const desc = rules.maxDescendingSequence;
  if (asc !== null && asc === desc) {
    return `No run of more than ${asc} consecutive characters up or down, such as ${examples(asc, 'both')}`;
  }
  const parts: string[] = [];
  if (asc !== null)
    parts.push(`no ascending run longer than ${asc} (such as ${examples(asc, 'up')})`);
  if (desc !== null) {
    parts.push(`no descending run longer than ${desc} (such as ${examples(desc, 'down')})`);
  }
  const text = parts.join(' and ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function historyText(kind: SecretKind, historyCount: number): string {
  const noun = SECRET_NOUNS[kind].singular;
  return historyCount === 1
    ? `Not the same as the previous ${noun}`
    : `Not any of the last ${historyCount} ${noun}s`;
}

/**
 * The lines of the rules tooltip, written from the numbers in the set: change a number and
 * the text follows. Used by the admin dialogs and the end user's page alike.
 */
export function describeRules(kind: SecretKind, rules?: RuleSet): string[] {
  const set = rules ?? DEFAULT_RULES[kind];
  const lines = [lengthText(set), allowedCharactersText(set)];
  const required = (['digits', 'uppercase', 'lowercase', 'special'] as const)
    .filter((cls) => set.minCount[cls] > 0)
    .map((cls) => countOf(set.minCount[cls], cls));
  if (required.length > 0) lines.push(`At least ${joinWithAnd(required)}`);
  if (set.maxRepeat !== null) lines.push(repeatText(set.maxRepeat));
  if (set.maxAscendingSequence !== null || set.maxDescendingSequence !== null) {
    lines.push(sequenceText(set));
  }
  if (set.historyCount > 0) lines.push(historyText(kind, set.historyCount));
  return lines;
}
