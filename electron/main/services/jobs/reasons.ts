import type { PasswordResetResult } from '../../../../shared/api/index.ts';
import {
  checkSecret,
  SECRET_NOUNS,
  type RuleId,
  type RuleSets,
  type SecretKind,
} from '../../../../shared/rules/index.ts';

/**
 * Every reason a job gives for a user's outcome, in an operator's words. A reason says what
 * happened and, where something can be done, what; it never promises what PassDesk will do
 * later, and never names protocol details (keys, status codes) the operator cannot act on.
 */
export const REASONS = {
  cancelled: 'Cancelled before it was sent; nothing was changed.',
  quit: 'Not sent: PassDesk was closed before this user’s turn; nothing was changed.',
  crashed: 'Not sent: PassDesk stopped before this user’s turn; nothing was changed.',
  noRecord: 'Not changed: the backend has no record of receiving this user’s batch.',
  changedByEarlier:
    'Skipped: an earlier job of this retry had changed this user after all (confirmed with the backend).',
  unconfirmedEarlier:
    'Not sent: an earlier job of this retry may have changed this user and the backend has not confirmed it yet. Use Check again on that job, then retry.',
  notTaken: 'Not sent: PassDesk could not send this user (its log says why); nothing was changed.',
  notInAnswer: 'The backend’s answer left this user out; check this user in the backend.',
  notFound: 'The backend has no such user.',
  refused: (why: string) => `${why} Nothing was changed.`,
  unreachable: (why: string) => `Not sent: ${why} Nothing was changed.`,
  stoppedSending: (why: string) =>
    `Not sent: PassDesk stopped sending after this failure: ${why} Nothing was changed.`,
  stillRunning: (minutes: number) =>
    `Sent; the backend was still working on it after ${minutes} min, so it is not confirmed yet. Use Check again to ask the backend.`,
  answerLost: (why: string) =>
    `Sent, but the answer was lost and the backend could not be asked what it did (${why}). Use Check again to ask the backend.`,
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

/** Why the backend did not change a user (null when it did). */
export function reasonFor(result: PasswordResetResult, rules: RuleSets): string | null {
  if (result.outcome === 'not-found') return REASONS.notFound;
  if (result.outcome !== 'rejected') return null;
  return (result.rejected ?? [])
    .map(({ secret, ruleIds }) => {
      const words = ruleWords(secret, rules);
      return `${SECRET_NOUNS[secret].title}: ${ruleIds.map((id) => words.get(id) ?? id).join('; ')}`;
    })
    .join(' | ');
}
