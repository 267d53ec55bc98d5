import { z } from 'zod';

/** The two kinds of secret a telephony user has. */
export const SECRET_KINDS = ['applicationPassword', 'voicePortalPasscode'] as const;
export const SecretKind = z.enum(SECRET_KINDS);
export type SecretKind = z.infer<typeof SecretKind>;

/** Printable ASCII punctuation: the only characters a special-character set may hold. */
const PUNCTUATION = /^[!-/:-@[-`{-~]$/u;

const classFlags = z.strictObject({
  digits: z.boolean(),
  uppercase: z.boolean(),
  lowercase: z.boolean(),
  special: z.boolean(),
});

const classCounts = z.strictObject({
  digits: z.int().min(0).max(256),
  uppercase: z.int().min(0).max(256),
  lowercase: z.int().min(0).max(256),
  special: z.int().min(0).max(256),
});

const sequenceLimit = z.int().min(1).max(256).nullable();

/**
 * A password or passcode policy, as data. The fields follow the Cisco BroadWorks password and
 * portal-passcode rules: lengths, allowed character classes and special set, minimum count per
 * class, the longest run of one repeated character, the longest ascending and descending
 * sequence, and how many previous values may not be reused. `null` limits are switched off.
 */
export const RuleSet = z
  .strictObject({
    /** Fewest Unicode code points. */
    minLength: z.int().min(1).max(256),
    /** Most Unicode code points. */
    maxLength: z.int().min(1).max(256),
    /** Which character classes may appear at all. */
    allowed: classFlags,
    /** The characters of the "special" class, in display order. */
    specialCharacters: z.string().max(64),
    /** How many characters of each class must appear. */
    minCount: classCounts,
    /** Most identical characters in a row (case-sensitive); null for no limit. */
    maxRepeat: sequenceLimit,
    /** Longest run of digits or letters stepping +1 each (letters case-insensitive). */
    maxAscendingSequence: sequenceLimit,
    /** Longest run of digits or letters stepping −1 each (letters case-insensitive). */
    maxDescendingSequence: sequenceLimit,
    /** How many of the user's previous values may not be used again; 0 switches it off. */
    historyCount: z.int().min(0).max(24),
  })
  .superRefine((rules, ctx) => {
    if (rules.minLength > rules.maxLength) {
      ctx.addIssue({
        code: 'custom',
        path: ['minLength'],
        message: `minLength (${rules.minLength}) is greater than maxLength (${rules.maxLength})`,
      });
    }
    const classes = ['digits', 'uppercase', 'lowercase', 'special'] as const;
    if (!classes.some((c) => rules.allowed[c])) {
      ctx.addIssue({ code: 'custom', path: ['allowed'], message: 'allow at least one class' });
    }
    for (const c of classes) {
      if (rules.minCount[c] > 0 && !rules.allowed[c]) {
        ctx.addIssue({
          code: 'custom',
          path: ['minCount', c],
          message: `requires ${c} but ${c} are not allowed`,
        });
      }
    }
    const required = classes.reduce((sum, c) => sum + rules.minCount[c], 0);
    if (required > rules.maxLength) {
      ctx.addIssue({
        code: 'custom',
        path: ['minCount'],
        message: `the minimum counts add up to ${required}, more than maxLength (${rules.maxLength})`,
      });
    }
    const specials = Array.from(rules.specialCharacters);
    if (rules.allowed.special && specials.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['specialCharacters'],
        message: 'special characters are allowed but none are listed',
      });
    }
    if (specials.some((ch) => !PUNCTUATION.test(ch))) {
      ctx.addIssue({
        code: 'custom',
        path: ['specialCharacters'],
        message: 'only printable ASCII punctuation may be listed',
      });
    }
    if (new Set(specials).size !== specials.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['specialCharacters'],
        message: 'a special character is listed twice',
      });
    }
  });
export type RuleSet = z.infer<typeof RuleSet>;

/** The effective rules for both kinds of secret. */
export const RuleSets = z.strictObject({
  applicationPassword: RuleSet,
  voicePortalPasscode: RuleSet,
});
export type RuleSets = z.infer<typeof RuleSets>;
