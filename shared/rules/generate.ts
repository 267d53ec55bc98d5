import { alphabetOf, CHARACTER_CLASSES, classOf, sequenceStep } from './characters.ts';
import { checkSecret } from './check.ts';
import { DEFAULT_RULES } from './default-rules.ts';
import { SECRET_NOUNS } from './describe.ts';
import { randomIndex } from './random.ts';
import type { RuleSet, SecretKind } from './rule-set.ts';

export interface GenerateOptions {
  /** The rule set to satisfy; the kind's `DEFAULT_RULES` when absent. */
  rules?: RuleSet;
  /** Values the result must not equal. */
  previous?: readonly string[];
  /** Wanted length, clamped to the set's limits. */
  length?: number;
}

/** Passwords default to 16 characters; passcodes to their shortest length (typed on a keypad). */
function targetLength(kind: SecretKind, rules: RuleSet, wanted: number | undefined): number {
  const required = CHARACTER_CLASSES.reduce((sum, cls) => sum + rules.minCount[cls], 0);
  const preferred = wanted ?? (kind === 'voicePortalPasscode' ? rules.minLength : 16);
  return Math.max(required, Math.min(rules.maxLength, Math.max(rules.minLength, preferred)));
}

interface Tail {
  repeat: number;
  ascending: number;
  descending: number;
}

const SEARCH_BUDGET = 200_000;

/**
 * Builds one value of the given length that meets the set's character, count, repeat and
 * sequence rules and is none of `forbidden`: a depth-first search that tries characters in
 * CSPRNG order, so it nearly never backtracks yet cannot miss a solution that exists.
 */
function search(rules: RuleSet, length: number, forbidden: ReadonlySet<string>): string | null {
  const classes = CHARACTER_CLASSES.filter((cls) => rules.allowed[cls]);
  const alphabet = classes.flatMap((cls) => alphabetOf(cls, rules));
  const deficit = { ...rules.minCount };
  const out: string[] = [];
  let budget = SEARCH_BUDGET;

  const fits = (ch: string, tail: Tail): Tail | null => {
    const prev = out.at(-1);
    const step = prev === undefined ? 0 : sequenceStep(prev, ch);
    const next: Tail = {
      repeat: ch === prev ? tail.repeat + 1 : 1,
      ascending: step === 1 ? tail.ascending + 1 : 1,
      descending: step === -1 ? tail.descending + 1 : 1,
    };
    if (rules.maxRepeat !== null && next.repeat > rules.maxRepeat) return null;
    if (rules.maxAscendingSequence !== null && next.ascending > rules.maxAscendingSequence) {
      return null;
    }
    if (rules.maxDescendingSequence !== null && next.descending > rules.maxDescendingSequence) {
      return null;
    }
    return next;
  };

  const place = (tail: Tail): boolean => {
    const remaining = length - out.length;
    if (remaining === 0) return !forbidden.has(out.join(''));
    if (--budget <= 0) return false;
    const needed = CHARACTER_CLASSES.reduce((sum, cls) => sum + Math.max(0, deficit[cls]), 0);
    const pool =
      needed >= remaining
        ? alphabet.filter((ch) => {
            const cls = classOf(ch, rules);
            return cls !== null && deficit[cls] > 0;
          })
        : [...alphabet];
    // Draw candidates without replacement (a lazy Fisher–Yates shuffle).
    for (let left = pool.length; left > 0; left -= 1) {
      const pick = randomIndex(left);
      const ch = pool[pick];
      pool[pick] = pool[left - 1] ?? '';
      const cls = ch === undefined ? null : classOf(ch, rules);
      const nextTail = ch === undefined || cls === null ? null : fits(ch, tail);
      if (ch === undefined || cls === null || nextTail === null) continue;
      out.push(ch);
      deficit[cls] -= 1;
      if (place(nextTail)) return true;
      out.pop();
      deficit[cls] += 1;
      if (budget <= 0) return false;
    }
    return false;
  };

  return place({ repeat: 0, ascending: 0, descending: 0 }) ? out.join('') : null;
}

/**
 * A new random value that passes every rule of the set, drawn from the CSPRNG
 * (`crypto.getRandomValues`). Throws only when the set cannot be satisfied at all.
 */
export function generateSecret(kind: SecretKind, options: GenerateOptions = {}): string {
  const rules = options.rules ?? DEFAULT_RULES[kind];
  const length = targetLength(kind, rules, options.length);
  const previous = options.previous ?? [];
  const value = search(rules, length, new Set(previous));
  if (value !== null && checkSecret(kind, value, { rules, previous }).every((c) => c.ok)) {
    return value;
  }
  throw new Error(
    `No ${SECRET_NOUNS[kind].singular} of ${length} characters can satisfy these rules`,
  );
}
