import type { PasswordResetResult } from '../../../../shared/api/index.ts';
import {
  checkSecret,
  SECRET_NOUNS,
  type RuleId,
  type RuleSets,
  type SecretKind,
} from '../../../../shared/rules/index.ts';

/** "the backend failed" → "The backend failed". */
const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Every reason a job gives for a user's outcome, in an operator's words. The outcome itself is
 * shown beside it ("Not sent", "Not confirmed yet"…), so a reason says why, and what can be done
 * where something can; it never promises what PassDesk will do later, and never names protocol
 * details (keys, addresses, error codes) the operator cannot act on — those go to the log.
 */
export const REASONS = {
  cancelled: 'Cancelled before it was sent; nothing was changed.',
  quit: 'PassDesk was closed before this user’s turn; nothing was changed.',
  crashed: 'PassDesk stopped before this user’s turn; nothing was changed.',
  noRecord:
    'The backend has no record of this user’s batch and will not act on it; nothing was changed.',
  changedByEarlier:
    'The job this retries (or another retry of it) had changed this user after all, as the backend confirmed.',
  unconfirmedEarlier:
    'The job this retries (or another retry of it) may have changed this user, and the backend has not confirmed it yet. Use Check again on that job, then retry.',
  notInAnswer: 'The backend’s answer left this user out; check this user in the backend.',
  notFound: 'The backend has no such user.',
  setTemporary: 'Set as temporary: the user is to choose their own.',
  notMarkedTemporary:
    'Set, but the backend did not confirm it as temporary: the user may keep it. Check this user in the backend.',
  noEmail:
    'No email address: nothing was sent. Add one with Edit user, or reset the password yourself.',
  mailRefused:
    'The link is in the backend’s outbox, but the mail server did not take the email; send it again later.',
  noLicenseLeft: (license: string) =>
    `No ${license} license is left to assign; nothing was changed for this user.`,
  unknownLicense: (license: string) =>
    `The backend has no ${license} license; nothing was changed for this user.`,
  notTaken:
    'PassDesk could not send this user because of an error of its own; nothing was changed.',
  refused: (why: string) => `${sentence(why)}. Nothing was changed.`,
  unreachable: (why: string) => `${sentence(why)}; nothing was changed.`,
  stoppedSending: (why: string) =>
    `PassDesk stopped sending after an earlier batch failed (${why}); nothing was changed.`,
  stillRunning: (minutes: number) =>
    `Sent; the backend was still working on it after ${minutes} min, so it is not confirmed yet. Use Check again to ask the backend.`,
  answerLost: (why: string) =>
    `Sent, but the answer was lost and the backend could not be asked what it did (${why}). Use Check again to ask the backend.`,
  unknown: (why: string) =>
    `Sent, but PassDesk cannot learn what the backend did: ${why}. Check this user in the backend.`,
  tooOld: (hours: number) =>
    `Sent over ${hours} hours ago and never confirmed; the backend no longer keeps the answer. Check this user in the backend.`,
} as const;

/** Each rule id in words, from the rules in effect. */
function ruleWords(kind: SecretKind, rules: RuleSets): Map<RuleId, string> {
  const words = new Map<RuleId, string>();
  for (const check of checkSecret(kind, '', { rules: rules[kind], previous: [] }))
    words.set(check.id, check.message);
  return words;
}

const lower = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/** Why the backend did not change a user (null when it did). */
export function reasonFor(result: PasswordResetResult, rules: RuleSets): string | null {
  if (result.outcome === 'not-found') return REASONS.notFound;
  if (result.outcome !== 'rejected') return null;
  const broken = (result.rejected ?? []).map(({ secret, ruleIds }) => {
    const words = ruleWords(secret, rules);
    const list = ruleIds.map((id) => lower(words.get(id) ?? id)).join('; ');
    return `The ${SECRET_NOUNS[secret].title} breaks ${ruleIds.length === 1 ? 'a rule' : 'these rules'}: ${list}.`;
  });
  return `${broken.join(' ')} Nothing was changed.`;
}
