import pMap from 'p-map';
import type { z } from 'zod';
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
import type { Mailer, PreparedEmail } from '../mail/mailer.ts';
import { adminResetNoticeEmail } from '../mail/templates.ts';
import type { Logger } from '../../../shared/log/index.ts';
import type { Commit, RequestContext } from './context.ts';
import type { LinkSweep } from './link-sweep.ts';
import { logSecurityEvent, operatorOf, type SecurityEvent } from './security-events.ts';

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
  /**
   * Where the notice of an admin reset goes (the outbox, and SMTP when set), signed with the
   * backend's `orgName`. Without it no notice can be sent (said once in the log).
   */
  mail?: { mailer: Pick<Mailer, 'prepare' | 'store' | 'deliver'>; orgName: string };
  /**
   * Email each user whose secrets an administrator reset, if they have an address on file
   * (default true). A backend setting, not a request's: a token holder cannot reset quietly.
   */
  notifyOnAdminReset?: boolean;
  logger: Logger;
}

/** A reset as requested: `temporary` may be left out (false). */
export type PasswordResetRequest = z.input<typeof PasswordResetBody>;

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

/** A notice composed before the commit, for the address the user had then. */
interface Notice {
  userId: string;
  to: string;
  prepared: PreparedEmail;
}

/** Deliveries of notices at once (each may be an SMTP round trip). */
const NOTICE_DELIVERY_CONCURRENCY = 4;

/**
 * Sets the given secrets for each user, as the authority on the rules: every value is checked
 * with `shared/rules`, then against that user's own history; only salted hashes are stored,
 * marked temporary when the request says so. A user gets all the given secrets or none of them.
 * Each user changed who has an email address is told, in one notice per request that names
 * what was reset and never its value; the notice is stored with the reset, in its transaction,
 * and delivered after it: a notice that cannot be sent never fails or undoes a reset.
 */
export function createPasswordResets(deps: PasswordResetDeps) {
  const notify = deps.notifyOnAdminReset ?? true;
  const mail = notify ? (deps.mail ?? null) : null;
  if (notify && mail === null)
    deps.logger.warn('admin reset notices are on, but no mailer was given: none will be sent');
  /** Notices being delivered after their request answered. */
  const delivering = new Set<Promise<void>>();

  /** Composes the notice of each changed user with an address; one that fails is logged, not sent. */
  async function prepareNotices(
    plans: readonly Plan[],
    temporary: boolean,
    at: Date,
  ): Promise<Notice[]> {
    if (mail === null) return [];
    const changed = plans.flatMap((plan) =>
      plan.hashes === undefined
        ? []
        : [{ userId: plan.userId, what: plan.hashes.map((h) => h.kind) }],
    );
    const notices = await pMap(
      changed,
      async (plan): Promise<Notice | null> => {
        const user = deps.users.get(plan.userId);
        if (user?.email == null) return null;
        try {
          const prepared = await mail.mailer.prepare({
            kind: 'change-confirmation',
            to: user.email,
            toName: `${user.firstName} ${user.lastName}`.trim(),
            ...adminResetNoticeEmail({
              firstName: user.firstName,
              what: plan.what,
              temporary,
              at,
              orgName: mail.orgName,
            }),
          });
          return { userId: plan.userId, to: user.email, prepared };
        } catch (error) {
          deps.logger.error('could not compose an admin reset notice', {
            userId: plan.userId,
            error,
          });
          return null;
        }
      },
      { concurrency: 8 },
    );
    return notices.filter((notice) => notice !== null);
  }

  /** After the commit: each stored notice to its .eml file and SMTP, in the background. */
  function deliver(
    stored: readonly { id: number; notice: Notice }[],
    context: RequestContext,
  ): void {
    if (mail === null || stored.length === 0) return;
    const run = pMap(
      stored,
      async ({ id, notice }) => {
        try {
          if ((await mail.mailer.deliver(id, notice.prepared)) === 'failed')
            deps.records.audit({
              at: deps.clock.now(),
              actor: context.actor,
              tokenName: context.tokenName,
              action: 'admin-reset notice',
              userId: notice.userId,
              outcome: 'not delivered: the mail server did not take it (it is in the outbox)',
            });
        } catch (error) {
          deps.logger.error('could not deliver an admin reset notice', {
            userId: notice.userId,
            outboxId: id,
            error,
          });
        }
      },
      { concurrency: NOTICE_DELIVERY_CONCURRENCY },
    ).then(() => undefined);
    delivering.add(run);
    void run.finally(() => delivering.delete(run));
  }

  /**
   * Stores a notice in the outbox (inside the reset's transaction): its id, or why it was not
   * stored. A notice that cannot be stored is logged and left out; the reset stands.
   */
  function queue(mailer: Pick<Mailer, 'store'>, notice: Notice): number | string {
    // The address it was composed for must still be the user's: never to one just replaced.
    if (deps.users.get(notice.userId)?.email !== notice.to)
      return 'not sent: the email address changed during the reset';
    try {
      return mailer.store(notice.prepared);
    } catch (error) {
      deps.logger.error('could not queue an admin reset notice', { userId: notice.userId, error });
      return 'not sent: it could not be stored (see the log)';
    }
  }

  return {
    /**
     * Resolves when the notices of the requests answered so far have been delivered (or
     * failed): for shutdown, before the database closes, and for tests.
     */
    async noticesDelivered(): Promise<void> {
      while (delivering.size > 0) await Promise.all([...delivering]);
    },

    async reset(
      body: PasswordResetRequest,
      context: RequestContext,
    ): Promise<PasswordResetResponse> {
      const temporary = body.temporary === true;
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
          // `temporary` only when asked: an API 1.0 client reads results with a strict schema,
          // and only 1.1 clients ask.
          const result: PasswordResetResult = temporary
            ? { userId, outcome: 'changed', temporary }
            : { userId, outcome: 'changed' };
          return { userId, result, hashes };
        },
        // As many users at once as the hasher has threads: enough to keep every core busy,
        // and few enough that another request's hashes (an end user's page, the next batch)
        // queue behind this request's handful, not behind all of its users.
        { concurrency: Math.max(1, deps.hasher.parallelism) },
      );

      const at = deps.clock.now();
      // Composed first (composition is asynchronous); stored only inside the transaction.
      const notices = await prepareNotices(plans, temporary, at);
      const stored: { id: number; notice: Notice }[] = [];
      const events: SecurityEvent[] = [];
      // As the app's journal names it: the secrets, and `temporary` when they are.
      const action = `password-reset (${[...given.map((g) => g.kind), ...(temporary ? ['temporary'] : [])].join(', ')})`;
      const answer = deps.commit(context, () => {
        for (const plan of plans) {
          for (const { kind, hash } of plan.hashes ?? []) {
            deps.secrets.add({ userId: plan.userId, kind, hash, temporary, at, by: context.actor });
          }
          const outcome =
            plan.result.outcome === 'rejected'
              ? `rejected: ${(plan.result.rejected ?? []).map((r) => `${r.secret} ${r.ruleIds.join(' ')}`).join('; ')}`
              : plan.result.outcome;
          deps.records.audit({
            at,
            actor: context.actor,
            action,
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
              ...operatorOf(context),
            });
          if (voided > 0) {
            events.push({
              event: 'link-voided',
              userId: plan.userId,
              reason: 'admin-reset',
              links: voided,
              ...operatorOf(context),
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
        for (const notice of notices) {
          const outcome = mail === null ? 'not sent' : queue(mail.mailer, notice);
          if (typeof outcome === 'number') stored.push({ id: outcome, notice });
          deps.records.audit({
            at,
            actor: context.actor,
            action: 'admin-reset notice',
            userId: notice.userId,
            outcome: typeof outcome === 'number' ? 'queued' : outcome,
          });
        }
        return { results: plans.map((plan) => plan.result) };
      });
      for (const event of events) logSecurityEvent(deps.logger, event);
      if (events.some((e) => e.event === 'link-voided')) deps.linkSweep.sweep();
      if (stored.length > 0)
        deps.logger.info('admin reset notices queued', { notices: stored.length });
      deliver(stored, context);
      return answer;
    },
  };
}
export type PasswordResets = ReturnType<typeof createPasswordResets>;
