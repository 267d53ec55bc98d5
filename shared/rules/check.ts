import { CHARACTER_CLASSES, classOf, longestRuns, type CharacterClass } from './characters.ts';
import { DEFAULT_RULES } from './default-rules.ts';
import {
  allowedCharactersText,
  countOf,
  historyText,
  repeatText,
  SECRET_NOUNS,
  sequenceText,
} from './describe.ts';
import type { RuleSet, SecretKind } from './rule-set.ts';

/** Every rule id, in the order checks are reported. */
export const RULE_IDS = [
  'min-length',
  'max-length',
  'allowed-characters',
  'needs-digit',
  'needs-uppercase',
  'needs-lowercase',
  'needs-special',
  'max-repeat',
  'max-sequence',
  'not-previous',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** The outcome of one rule for one candidate value. */
export interface RuleCheck {
  id: RuleId;
  ok: boolean;
  message: string;
}

export interface CheckOptions {
  /** The rule set to apply; the kind's `DEFAULT_RULES` when absent. */
  rules?: RuleSet;
  /** Values the candidate may not equal (the user's recent ones). */
  previous?: readonly string[];
}

const NEEDS_ID: Record<CharacterClass, RuleId> = {
  digits: 'needs-digit',
  uppercase: 'needs-uppercase',
  lowercase: 'needs-lowercase',
  special: 'needs-special',
};

/**
 * Checks a candidate against every rule of the set and reports each one, in `RULE_IDS` order.
 * Rules the set switches off are left out. Lengths count Unicode code points. Never throws.
 */
export function checkSecret(
  kind: SecretKind,
  candidate: string,
  options: CheckOptions = {},
): RuleCheck[] {
  const rules = options.rules ?? (DEFAULT_RULES as Partial<Record<string, RuleSet>>)[kind];
  if (rules === undefined || typeof candidate !== 'string') return [];
  const chars = Array.from(candidate);
  const checks: RuleCheck[] = [
    {
      id: 'min-length',
      ok: chars.length >= rules.minLength,
      message: `At least ${rules.minLength} characters`,
    },
    {
      id: 'max-length',
      ok: chars.length <= rules.maxLength,
      message: `No more than ${rules.maxLength} characters`,
    },
  ];

  const counts = { digits: 0, uppercase: 0, lowercase: 0, special: 0 };
  let onlyAllowed = true;
  for (const ch of chars) {
    const cls = classOf(ch, rules);
    if (cls === null || !rules.allowed[cls]) onlyAllowed = false;
    else counts[cls] += 1;
  }
  checks.push({ id: 'allowed-characters', ok: onlyAllowed, message: allowedCharactersText(rules) });

  for (const cls of CHARACTER_CLASSES) {
    const needed = rules.minCount[cls];
    if (needed > 0) {
      checks.push({
        id: NEEDS_ID[cls],
        ok: counts[cls] >= needed,
        message: `At least ${countOf(needed, cls)}`,
      });
    }
  }

  const runs = longestRuns(chars);
  if (rules.maxRepeat !== null) {
    checks.push({
      id: 'max-repeat',
      ok: runs.repeat <= rules.maxRepeat,
      message: repeatText(rules.maxRepeat),
    });
  }
  const { maxAscendingSequence: asc, maxDescendingSequence: desc } = rules;
  if (asc !== null || desc !== null) {
    checks.push({
      id: 'max-sequence',
      ok: (asc === null || runs.ascending <= asc) && (desc === null || runs.descending <= desc),
      message: sequenceText(rules),
    });
  }

  if (rules.historyCount > 0) {
    const previous = options.previous;
    checks.push(
      previous === undefined
        ? {
            id: 'not-previous',
            ok: true,
            message: `${historyText(kind, rules.historyCount)} (checked when saved)`,
          }
        : {
            id: 'not-previous',
            ok: !previous.includes(candidate),
            message: historyText(kind, rules.historyCount),
          },
    );
  }
  return checks;
}

/** The ids of the rules a candidate breaks; empty when it passes them all. */
export function failedRuleIds(checks: readonly RuleCheck[]): RuleId[] {
  return checks.filter((c) => !c.ok).map((c) => c.id);
}

/** A one-line summary of what is wrong, for error messages that name no secret. */
export function describeFailures(kind: SecretKind, checks: readonly RuleCheck[]): string {
  const failed = checks.filter((c) => !c.ok);
  if (failed.length === 0) return `The ${SECRET_NOUNS[kind].singular} meets every rule.`;
  return `The ${SECRET_NOUNS[kind].singular} breaks these rules: ${failed.map((c) => c.message).join('; ')}.`;
}
