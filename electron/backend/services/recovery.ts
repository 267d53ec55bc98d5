import pMap from 'p-map';
import type {
  RecoveryEmailResponse,
  RecoveryEmailResult,
  SelfServiceSession,
} from '../../../shared/api/index.ts';
import {
  checkSecret,
  failedRuleIds,
  generateSecret,
  type RuleSets,
} from '../../../shared/rules/index.ts';
import type { Clock } from '../clock.ts';
import type { SecretHasher } from '../crypto/secret-hasher.ts';
import { newToken, tokenHash, TOKEN_PATTERN } from '../crypto/tokens.ts';
import { transaction } from '../db/database.ts';
import type { RecordsStore } from '../db/records-store.ts';
import type { SecretsStore } from '../db/secrets-store.ts';
import type { TokenRow, TokensStore } from '../db/tokens-store.ts';
import type { UsersStore } from '../db/users-store.ts';
import { ApiFailure } from '../errors.ts';
import type { IdempotencyStore } from '../db/records-store.ts';
import type { Mailer, PreparedEmail } from '../mail/mailer.ts';
import { changeConfirmationEmail, recoveryEmail } from '../mail/templates.ts';
import type { Logger } from '../../../shared/log/index.ts';
import type { Commit, RequestContext } from './context.ts';
import type { LinkSweep } from './link-sweep.ts';
import { isReused } from './password-resets.ts';
import { linkName, logSecurityEvent, operatorOf, type SecurityEvent } from './security-events.ts';
import type { DatabaseSync } from 'node:sqlite';

export interface RecoveryDeps {
  db: DatabaseSync;
  users: UsersStore;
  secrets: SecretsStore;
  tokens: TokensStore;
  records: RecordsStore;
  hasher: SecretHasher;
  mailer: Mailer;
  /** Where a request's stored answer is corrected after SMTP delivery. */
  idempotency: Pick<IdempotencyStore, 'replaceResponse'>;
  rules: () => RuleSets;
  clock: Clock;
  commit: Commit;
  /** Where links point: the configured public base URL, never the request's Host. */
  publicBaseUrl: () => string;
  linkTtlMinutes: number;
  orgName: string;
  /** Run after each commit that ends links, so their outbox copies lose them at once. */
  linkSweep: Pick<LinkSweep, 'sweep'>;
  logger: Logger;
}

/** Who the audit names for what an end user does with a recovery link. */
export const SELF_SERVICE_ACTOR = 'end user (recovery link)';

export const EXPIRED = (): ApiFailure =>
  new ApiFailure(
    410,
    'link-expired',
    'This link has expired, was replaced by a newer one, or stopped working when the email address on your account changed. Ask your administrator to send you a new link.',
  );

/**
 * Recovery links: sending them (which changes nothing on the account), and what the end user
 * may do with one while it is valid — set the password once, get a temporary passcode once.
 */
export function createRecovery(deps: RecoveryDeps) {
  const busy = new Set<string>();

  /** The token's row if it is well-formed, known, not replaced and not expired; else 410. */
  function validToken(token: string): TokenRow {
    const row = TOKEN_PATTERN.test(token) ? deps.tokens.find(tokenHash(token)) : null;
    if (row?.voidedAt !== null) throw EXPIRED();
    if (deps.clock.now().getTime() >= Date.parse(row.expiresAt)) throw EXPIRED();
    return row;
  }

  /** One action at a time per link, so "once" holds even for two clicks at once. */
  async function exclusive<T>(row: TokenRow, work: () => Promise<T>): Promise<T> {
    if (busy.has(row.tokenHash)) {
      throw new ApiFailure(409, 'busy', 'This link is already being used in another window.');
    }
    busy.add(row.tokenHash);
    try {
      return await work();
    } finally {
      busy.delete(row.tokenHash);
    }
  }

  /**
   * After a link's use is committed: logged, and its outbox copy loses it (the link still
   * works for the other action in the page that holds it, but is no longer readable at rest).
   */
  function used(row: TokenRow, action: 'password-changed' | 'passcode-generated'): void {
    logSecurityEvent(deps.logger, {
      event: 'link-used',
      userId: row.userId,
      link: linkName(row.tokenHash),
      action,
    });
    deps.linkSweep.sweep();
  }

  async function confirm(
    userId: string,
    what: 'applicationPassword' | 'voicePortalPasscode',
    at: Date,
  ) {
    const user = deps.users.get(userId);
    if (user?.email == null) return;
    await deps.mailer.send({
      kind: 'change-confirmation',
      to: user.email,
      toName: `${user.firstName} ${user.lastName}`.trim(),
      ...changeConfirmationEmail({ firstName: user.firstName, what, at, orgName: deps.orgName }),
    });
  }

  return {
    /**
     * The self-service routes' credential check, run before the request is parsed: 410 unless
     * `token` is a live link's. Each action checks again when it writes, as a link can be
     * replaced or voided while the action awaits its hash.
     */
    checkLink(token: string): void {
      validToken(token);
    },

    /**
     * Emails a recovery link to each user with an email address. Every link, outbox copy and
     * audit row is written in one transaction together with the answer stored under the
     * request's Idempotency-Key: if the request dies part-way, nothing of it happened, and a
     * lookup of its key tells the truth. SMTP delivery comes after the commit (mail cannot be
     * taken back); a message SMTP refuses is marked in the outbox and in the stored answer.
     */
    async sendEmails(
      userIds: readonly string[],
      context: RequestContext,
    ): Promise<RecoveryEmailResponse> {
      // Composed first (composition is asynchronous); stored only inside the transaction.
      const plans = await pMap(
        userIds,
        async (userId) => {
          const user = deps.users.get(userId);
          if (user?.email == null)
            return {
              userId,
              outcome: user === null ? ('not-found' as const) : ('no-email' as const),
            };
          const token = newToken();
          const address = user.email;
          const email = (link: string | { removed: string }) =>
            recoveryEmail({
              firstName: user.firstName,
              email: address,
              link,
              validMinutes: deps.linkTtlMinutes,
              orgName: deps.orgName,
            });
          const prepared = await deps.mailer.prepare({
            kind: 'recovery-link',
            to: address,
            toName: `${user.firstName} ${user.lastName}`.trim(),
            secrets: [token],
            withoutSecrets: (note) => email({ removed: note }),
            ...email(`${deps.publicBaseUrl()}/reset/${token}`),
          });
          return { userId, outcome: 'sent' as const, token, prepared, email: user.email };
        },
        { concurrency: 8 },
      );
      const stored: { id: number; prepared: PreparedEmail; userId: string }[] = [];
      const events: SecurityEvent[] = [];
      const answer = deps.commit(context, () => {
        const at = deps.clock.now();
        const expiresAt = new Date(at.getTime() + deps.linkTtlMinutes * 60_000);
        const results = plans.map((plan): RecoveryEmailResult => {
          let outcome: RecoveryEmailResult['outcome'] = plan.outcome;
          if (plan.outcome === 'sent') {
            // The address it was composed for must still be the user's: a link must never go
            // to an address that was just replaced (that change voids its links).
            const now = deps.users.get(plan.userId);
            if (now?.email === plan.email) {
              const id = deps.mailer.store(plan.prepared);
              const hash = tokenHash(plan.token);
              const voided = deps.tokens.issue(hash, plan.userId, at, expiresAt, id);
              stored.push({ id, prepared: plan.prepared, userId: plan.userId });
              if (voided > 0)
                events.push({
                  event: 'link-voided',
                  userId: plan.userId,
                  reason: 'newer-link',
                  links: voided,
                  ...operatorOf(context),
                });
              events.push({
                event: 'link-issued',
                userId: plan.userId,
                link: linkName(hash),
                expiresAt: expiresAt.toISOString(),
                ...operatorOf(context),
              });
            } else
              outcome =
                now === null ? 'not-found' : now.email === null ? 'no-email' : 'send-failed';
          }
          deps.records.audit({
            at,
            actor: context.actor,
            action: 'recovery-email',
            userId: plan.userId,
            outcome,
          });
          return { userId: plan.userId, outcome };
        });
        return { results };
      });
      for (const event of events) logSecurityEvent(deps.logger, event);
      deps.linkSweep.sweep();
      const refused = new Set<string>();
      for (const { id, prepared, userId } of stored) {
        if ((await deps.mailer.deliver(id, prepared)) === 'failed') refused.add(userId);
      }
      if (refused.size === 0) return answer;
      const corrected = {
        results: answer.results.map((result) =>
          refused.has(result.userId) ? { ...result, outcome: 'send-failed' as const } : result,
        ),
      };
      if (context.idempotency !== null)
        deps.idempotency.replaceResponse(context.idempotency.key, JSON.stringify(corrected));
      return corrected;
    },

    session(token: string): SelfServiceSession {
      const row = validToken(token);
      const user = deps.users.get(row.userId);
      if (user === null) throw EXPIRED();
      return {
        displayName: `${user.firstName} ${user.lastName}`.trim() || user.id,
        expiresAt: row.expiresAt,
        serverTime: deps.clock.now().toISOString(),
        rules: deps.rules(),
        passwordChanged: row.passwordChangedAt !== null,
        passcodeGenerated: row.passcodeGeneratedAt !== null,
        temporary: {
          applicationPassword: deps.secrets.isTemporary(user.id, 'applicationPassword'),
          voicePortalPasscode: deps.secrets.isTemporary(user.id, 'voicePortalPasscode'),
        },
      };
    },

    async changePassword(token: string, password: string, confirmation: string) {
      const row = validToken(token);
      if (row.passwordChangedAt !== null) {
        throw new ApiFailure(
          409,
          'already-used',
          'The password was already changed with this link.',
        );
      }
      if (password !== confirmation) {
        throw new ApiFailure(400, 'confirmation-mismatch', 'The two passwords are not the same.');
      }
      return exclusive(row, async () => {
        const rules = deps.rules().applicationPassword;
        const ruleIds = failedRuleIds(checkSecret('applicationPassword', password, { rules }));
        if (
          ruleIds.length === 0 &&
          (await isReused(deps, row.userId, 'applicationPassword', password, rules.historyCount))
        ) {
          ruleIds.push('not-previous');
        }
        const at = deps.clock.now();
        if (ruleIds.length > 0) {
          deps.records.audit({
            at,
            actor: SELF_SERVICE_ACTOR,
            action: 'self-service password',
            userId: row.userId,
            outcome: `rejected: ${ruleIds.join(' ')}`,
          });
          return { outcome: 'rejected' as const, ruleIds };
        }
        const hash = await deps.hasher.hash(password);
        validToken(token);
        transaction(deps.db, () => {
          deps.secrets.add({
            userId: row.userId,
            kind: 'applicationPassword',
            hash,
            temporary: false,
            at,
            by: SELF_SERVICE_ACTOR,
          });
          deps.tokens.markPasswordChanged(row.tokenHash, at);
          deps.records.audit({
            at,
            actor: SELF_SERVICE_ACTOR,
            action: 'self-service password',
            userId: row.userId,
            outcome: 'changed',
          });
        });
        used(row, 'password-changed');
        await confirm(row.userId, 'applicationPassword', at);
        return { outcome: 'changed' as const, ruleIds: [] };
      });
    },

    async generatePasscode(token: string) {
      const row = validToken(token);
      if (row.passcodeGeneratedAt !== null) {
        throw new ApiFailure(
          409,
          'already-used',
          'A temporary passcode was already generated with this link.',
        );
      }
      return exclusive(row, async () => {
        const rules = deps.rules().voicePortalPasscode;
        let passcode = generateSecret('voicePortalPasscode', { rules });
        while (
          await isReused(deps, row.userId, 'voicePortalPasscode', passcode, rules.historyCount)
        ) {
          passcode = generateSecret('voicePortalPasscode', { rules });
        }
        const hash = await deps.hasher.hash(passcode);
        const at = deps.clock.now();
        validToken(token);
        transaction(deps.db, () => {
          deps.secrets.add({
            userId: row.userId,
            kind: 'voicePortalPasscode',
            hash,
            temporary: true,
            at,
            by: SELF_SERVICE_ACTOR,
          });
          deps.tokens.markPasscodeGenerated(row.tokenHash, at);
          deps.records.audit({
            at,
            actor: SELF_SERVICE_ACTOR,
            action: 'self-service passcode',
            userId: row.userId,
            outcome: 'temporary passcode set',
          });
        });
        used(row, 'passcode-generated');
        await confirm(row.userId, 'voicePortalPasscode', at);
        return { passcode, temporary: true as const };
      });
    },
  };
}
export type Recovery = ReturnType<typeof createRecovery>;
