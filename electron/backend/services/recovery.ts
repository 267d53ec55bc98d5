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
import type { Mailer } from '../mail/mailer.ts';
import { changeConfirmationEmail, recoveryEmail } from '../mail/templates.ts';
import type { Commit, RequestContext } from './context.ts';
import { isReused } from './password-resets.ts';
import type { DatabaseSync } from 'node:sqlite';

export interface RecoveryDeps {
  db: DatabaseSync;
  users: UsersStore;
  secrets: SecretsStore;
  tokens: TokensStore;
  records: RecordsStore;
  hasher: SecretHasher;
  mailer: Mailer;
  rules: () => RuleSets;
  clock: Clock;
  commit: Commit;
  /** Where links point: the configured public base URL, never the request's Host. */
  publicBaseUrl: () => string;
  linkTtlMinutes: number;
  orgName: string;
}

/** Who the audit names for what an end user does with a recovery link. */
export const SELF_SERVICE_ACTOR = 'end user (recovery link)';

export const EXPIRED = (): ApiFailure =>
  new ApiFailure(
    410,
    'link-expired',
    'This link has expired or was replaced by a newer one. Ask your administrator to send you a new link.',
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

    async sendEmails(
      userIds: readonly string[],
      context: RequestContext,
    ): Promise<RecoveryEmailResponse> {
      const results: RecoveryEmailResult[] = [];
      for (const userId of userIds) {
        const user = deps.users.get(userId);
        const at = deps.clock.now();
        if (user?.email == null) {
          const outcome = user === null ? 'not-found' : 'no-email';
          results.push({ userId, outcome });
          deps.records.audit({
            at,
            actor: context.actor,
            action: 'recovery-email',
            userId,
            outcome,
          });
          continue;
        }
        const token = newToken();
        const expiresAt = new Date(at.getTime() + deps.linkTtlMinutes * 60_000);
        transaction(deps.db, () => deps.tokens.issue(tokenHash(token), userId, at, expiresAt));
        const delivery = await deps.mailer.send({
          kind: 'recovery-link',
          to: user.email,
          toName: `${user.firstName} ${user.lastName}`.trim(),
          secrets: [token],
          ...recoveryEmail({
            firstName: user.firstName,
            email: user.email,
            link: `${deps.publicBaseUrl()}/reset/${token}`,
            validMinutes: deps.linkTtlMinutes,
            orgName: deps.orgName,
          }),
        });
        const outcome = delivery === 'failed' ? 'send-failed' : 'sent';
        results.push({ userId, outcome });
        deps.records.audit({ at, actor: context.actor, action: 'recovery-email', userId, outcome });
      }
      return deps.commit(context, () => ({ results }));
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
        await confirm(row.userId, 'voicePortalPasscode', at);
        return { passcode, temporary: true as const };
      });
    },
  };
}
export type Recovery = ReturnType<typeof createRecovery>;
