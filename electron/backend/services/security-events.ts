import type { Logger } from '../../../shared/log/index.ts';
import type { SecretKind } from '../../../shared/rules/index.ts';
import type { RequestContext } from './context.ts';

/**
 * Who an administrator's request acted for, in each event it causes: `actor`, the operator it
 * named (X-PassDesk-Actor, claimed, as in the audit), and `verifiedAs`, the admin token's name
 * as verified (a key named like "token" would be redacted). No `verifiedAs`: no admin token was
 * checked.
 */
export const operatorOf = (context: RequestContext): { actor: string; verifiedAs?: string } =>
  context.tokenName === undefined
    ? { actor: context.actor }
    : { actor: context.actor, verifiedAs: context.tokenName };

/** Why a live recovery link was voided. */
export type VoidReason = 'newer-link' | 'admin-reset' | 'email-changed';

/**
 * What the backend logs about recovery links, administrators' resets and admin tokens, at info
 * level, as
 * `logger.info('security event', { event, ...fields })`. The fields are closed: no event can
 * carry a token, password or passcode (and none is named like a secret, which the logger would
 * redact). `link` names one link across its events: the first 12
 * hex digits of its token's SHA-256 (the database keeps the whole hash; neither gives the token).
 */
export type SecurityEvent =
  | {
      event: 'link-issued';
      userId: string;
      link: string;
      expiresAt: string;
      actor: string;
      verifiedAs?: string;
    }
  | {
      event: 'link-used';
      userId: string;
      link: string;
      action: 'password-changed' | 'passcode-generated';
    }
  | { event: 'link-expired'; userId: string; link: string; expiredAt: string }
  | {
      event: 'link-voided';
      userId: string;
      reason: VoidReason;
      links: number;
      actor: string;
      verifiedAs?: string;
    }
  | {
      event: 'admin-reset';
      userId: string;
      reset: SecretKind[];
      actor: string;
      verifiedAs?: string;
    }
  /** The named admin tokens file was read (at start, and after each change): who may sign in. */
  | { event: 'admin-tokens-loaded'; file: string; names: string[] };

export function logSecurityEvent(logger: Logger, event: SecurityEvent): void {
  logger.info('security event', event);
}

/** How a link is named in the log: a prefix of its token's hash. */
export const linkName = (tokenHash: string): string => tokenHash.slice(0, 12);
