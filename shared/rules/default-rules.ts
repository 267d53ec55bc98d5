import type { RuleSets } from './rule-set.ts';

/** The rules of the vendor article: a 6-digit passcode and an 8–40 character password. */
export const DEFAULT_RULES: RuleSets = deepFreeze({
  voicePortalPasscode: {
    minLength: 6,
    maxLength: 6,
    allowed: { digits: true, uppercase: false, lowercase: false, special: false },
    specialCharacters: '',
    minCount: { digits: 0, uppercase: 0, lowercase: 0, special: 0 },
    maxRepeat: 2,
    maxAscendingSequence: 2,
    maxDescendingSequence: 2,
    historyCount: 1,
  },
  applicationPassword: {
    minLength: 8,
    maxLength: 40,
    allowed: { digits: true, uppercase: true, lowercase: true, special: true },
    specialCharacters: '/#@-!_~.^&*%$+=',
    minCount: { digits: 1, uppercase: 1, lowercase: 1, special: 1 },
    maxRepeat: 2,
    maxAscendingSequence: 2,
    maxDescendingSequence: 2,
    historyCount: 1,
  },
});

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}
