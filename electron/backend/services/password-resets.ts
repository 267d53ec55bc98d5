import pMap from 'p-map';
import type {
  PasswordResetBody,
  PasswordResetResponse,
  PasswordResetResult,
} from '../../../shared/api/index.ts';
import {
  checkSecret,
  failedRuleIds,
  SECRET_KINDS,
  type RuleId,
  type RuleSets,
  type SecretKind,
} from '../../../shared/rules/index.ts';
import type { Clock } from '../clock.ts';
import type { SecretHasher } from '../crypto/secret-hasher.ts';
import type { RecordsStore } from '../db/records-store.ts';
import type { SecretsStore } from '../db/secrets-store.ts';
import type { TokensStore } from '../db/tokens-store.ts';
import type { UsersStore } from '../db/users-store.ts';
import type { Logger } from '../../../shared/log/index.ts';
import type { Commit, RequestContext } from './context.ts';
import type { LinkSweep } from './link-sweep.ts';
import { logSecurityEvent, type SecurityEvent } from './security-events.ts';

export interface PasswordResetDeps {
  users: UsersStore;
  secrets: SecretsStore;
  records: RecordsStore;
  /** The recovery links, voided when an administrator sets a secret they would set. */
  tokens: TokensStore;
  hasher: SecretHasher;
  rules: () => RuleSets;
  clock: Clock;
  commit: Commit;
  /** Run after a commit that voided links, so their outbox copies lose them at once. */
  linkSweep: Pick<LinkSweep, 'sweep'>;
  logger: Logger;
}

const SECRET_NAMES: Record<SecretKind, string> = {
  applicationPassword: 'Application Password',
  voicePortalPasscode: 'Voice Portal Passcode',
};

/** Whether `value` is one of the user's last `historyCount` values of this kind. */
export async function isReused(
  deps: Pick<PasswordResetDeps, 'secrets' | 'hasher'>,
  userId: string,
  kind: SecretKind,
  value: string,
  historyCount: number,
): Promise<boolean> {
  for (const hash of deps.secrets.recentHashes(userId, kind, historyCount)) {
    if (await deps.hasher.verify(value, hash)) return true;
  }
  return false;
}

type Plan =
  | { userId: string; result: PasswordResetResult; hashes?: undefined }
  | { userId: string; result: PasswordResetResult; hashes: { kind: SecretKind; hash: string }[] };

/**
 * Sets the given secrets for each user, as the authority on the rules: every value is checked
 * with `shared/rules`, then against that user's own history; only salted hashes are stored.
 * A user gets all the given secrets or none of them.
 */
export function createPasswordResets(deps: PasswordResetDeps) {
  return {
    async reset(body: PasswordResetBody, context: RequestContext): Promise<PasswordResetResponse> {
      const rules = deps.rules();
      const given = SECRET_KINDS.flatMap((kind) => {
        const value = body[kind];
        return value === undefined ? [] : [{ kind, value }];
      });
      // The rules other than history are the same for every user: check them once.
      const shared = given.map(({ kind, value }) => ({
        kind,
        ruleIds: failedRuleIds(checkSecret(kind, value, { rules: rules[kind] })),
      }));
      const sharedRejections = shared.filter((entry) => entry.ruleIds.length > 0);

      const plans = await pMap(
        body.userIds,
        async (userId): Promise<Plan> => {
          if (deps.users.get(userId) === null)
            return { userId, result: { userId, outcome: 'not-found' } };
          if (sharedRejections.length > 0) {
            return {
              userId,
              result: {
                userId,
                outcome: 'rejected',
                rejected: sharedRejections.map(({ kind, ruleIds }) => ({ secret: kind, ruleIds })),
              },
            };
          }
          const reused: { secret: SecretKind; ruleIds: RuleId[] }[] = [];
          for (const { kind, value } of given) {
            if (await isReused(deps, userId, kind, value, rules[kind].historyCount)) {
              reused.push({ secret: kind, ruleIds: ['not-previous'] });
            }
          }
          if (reused.length > 0)
            return { userId, result: { userId, outcome: 'rejected', rejected: reused } };
          const hashes = await Promise.all(
            given.map(async ({ kind, value }) => ({ kind, hash: await deps.hasher.hash(value) })),
          );
          return { userId, result: { userId, outcome: 'changed' }, hashes };
        },
        // As many users at once as the hasher has threads: enough to keep every core busy,
        // and few enough that another request's hashes (an end user's page, the next batch)
        // queue behind this request's handful, not behind all of its users.
        { concurrency: Math.max(1, deps.hasher.parallelism) },
      );

      const events: SecurityEvent[] = [];
      const answer = deps.commit(context, () => {
        const at = deps.clock.now();
        for (const plan of plans) {
          for (const { kind, hash } of plan.hashes ?? []) {
            deps.secrets.add({
              userId: plan.userId,
              kind,
              hash,
              temporary: false,
              at,
              by: context.actor,
            });
          }
          const outcome =
            plan.result.outcome === 'rejected'
              ? `rejected: ${(plan.result.rejected ?? []).map((r) => `${r.secret} ${r.ruleIds.join(' ')}`).join('; ')}`
              : plan.result.outcome;
          deps.records.audit({
            at,
            actor: context.actor,
            action: `password-reset (${given.map((g) => g.kind).join(', ')})`,
            userId: plan.userId,
            outcome,
          });
          // A link the user still holds would undo what the administrator just set: it dies (a
          // link sets both secrets, so it goes whichever one was reset).
          const voided = plan.hashes === undefined ? 0 : deps.tokens.voidLive(plan.userId, at);
          if (plan.hashes !== undefined)
            events.push({
              event: 'admin-reset',
              userId: plan.userId,
              reset: plan.hashes.map((h) => h.kind),
              actor: context.actor,
            });
          if (voided > 0) {
            events.push({
              event: 'link-voided',
              userId: plan.userId,
              reason: 'admin-reset',
              links: voided,
              actor: context.actor,
            });
            deps.records.audit({
              at,
              actor: context.actor,
              action: 'recovery-link void',
              userId: plan.userId,
              outcome: `${voided} voided: an administrator reset the ${given.map((g) => SECRET_NAMES[g.kind]).join(' and ')}`,
            });
          }
        }
        return { results: plans.map((plan) => plan.result) };
      });
      for (const event of events) logSecurityEvent(deps.logger, event);
      if (events.some((e) => e.event === 'link-voided')) deps.linkSweep.sweep();
      return answer;
    },
  };
}
export type PasswordResets = ReturnType<typeof createPasswordResets>;
