import type { z } from 'zod';
import {
  PasswordResetResponse,
  RecoveryEmailResponse,
  UpdateResponse,
  type RouteName,
} from '../../../../shared/api/index.ts';
import type { JobKind, JobOutcome, JobParams } from '../../../../shared/ipc/index.ts';
import { SECRET_KINDS, type RuleSets, type SecretKind } from '../../../../shared/rules/index.ts';
import { REASONS, reasonFor } from './reasons.ts';

export type JobSecrets = Partial<Record<SecretKind, string>>;

/** One user's outcome in a backend's answer, in the job's words. */
export interface UserOutcome {
  outcome: JobOutcome;
  reason: string | null;
}

/**
 * What one kind of bulk job sends and how it reads the answers. The runner, the journal and the
 * results view are the same for every kind; only this differs.
 */
export interface JobOperation<K extends JobKind = JobKind> {
  kind: K;
  /** The shared/api route a batch goes to. */
  route: RouteName & ('passwordResets' | 'recoveryEmails' | 'intercepts' | 'licenseAssignments');
  /** The request body for a batch of these users. */
  body(
    userIds: readonly string[],
    params: Extract<JobParams, { kind: K }>,
    secrets: JobSecrets,
  ): unknown;
  /** Each user's outcome in an answer of this route, or null if it is not one. */
  read(
    response: unknown,
    rules: RuleSets,
    params: Extract<JobParams, { kind: K }>,
  ): Map<string, UserOutcome> | null;
  /** The audit trail's words for what the job does. */
  action(params: Extract<JobParams, { kind: K }>): string;
  /**
   * Whether a user an earlier job (of this kind, with `earlier`) changed needs nothing from a
   * retry with `later`: such users are skipped, never changed twice.
   */
  covers(earlier: Extract<JobParams, { kind: K }>, later: Extract<JobParams, { kind: K }>): boolean;
}

function readWith<S extends z.ZodType<{ results: { userId: string }[] }>>(
  schema: S,
  response: unknown,
  each: (result: z.infer<S>['results'][number]) => UserOutcome,
): Map<string, UserOutcome> | null {
  const parsed = schema.safeParse(response);
  if (!parsed.success) return null;
  return new Map(parsed.data.results.map((result) => [result.userId, each(result)]));
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item) => b.includes(item));

const passwordReset: JobOperation<'password-reset'> = {
  kind: 'password-reset',
  route: 'passwordResets',
  // `temporary` only when asked: a backend of API 1.0 refuses the field (start() checks the
  // backend's version before a job asks for it).
  body: (userIds, params, secrets) => ({
    userIds: [...userIds],
    ...secrets,
    ...(params.temporary === true ? { temporary: true } : {}),
  }),
  read: (response, rules, params) =>
    readWith(PasswordResetResponse, response, (result) => ({
      outcome: result.outcome,
      reason:
        result.outcome === 'changed' && params.temporary === true
          ? result.temporary === true
            ? REASONS.setTemporary
            : REASONS.notMarkedTemporary
          : reasonFor(result, rules),
    })),
  action: (params) =>
    `password-reset (${[...params.secretKinds, ...(params.temporary === true ? ['temporary'] : [])].join(', ')})`,
  // Setting at least the same secrets, the same way: the earlier change already did what this
  // one would.
  covers: (earlier, later) =>
    (earlier.temporary ?? false) === (later.temporary ?? false) &&
    later.secretKinds.every((kind) => earlier.secretKinds.includes(kind)),
};

const recoveryEmail: JobOperation<'recovery-email'> = {
  kind: 'recovery-email',
  route: 'recoveryEmails',
  body: (userIds) => ({ userIds: [...userIds] }),
  read: (response) =>
    readWith(RecoveryEmailResponse, response, (result) => {
      switch (result.outcome) {
        case 'sent':
          return { outcome: 'changed', reason: null };
        case 'no-email':
          return { outcome: 'skipped', reason: REASONS.noEmail };
        case 'not-found':
          return { outcome: 'not-found', reason: REASONS.notFound };
        case 'send-failed':
          return { outcome: 'failed', reason: REASONS.mailRefused };
      }
    }),
  action: () => 'recovery-email',
  covers: () => true,
};

/** The answer of the intercepts and license-assignments routes. */
function readUpdates(
  response: unknown,
  names: Readonly<Record<string, string>> = {},
): Map<string, UserOutcome> | null {
  const name = (id: string | undefined) => (id === undefined ? '' : (names[id] ?? id));
  return readWith(UpdateResponse, response, (result) => {
    switch (result.outcome) {
      case 'updated':
        return { outcome: 'changed', reason: null };
      case 'unchanged':
        return { outcome: 'unchanged', reason: null };
      case 'not-found':
        return { outcome: 'not-found', reason: REASONS.notFound };
      case 'no-license-left':
        return { outcome: 'rejected', reason: REASONS.noLicenseLeft(name(result.licenseId)) };
      case 'unknown-license':
        return { outcome: 'rejected', reason: REASONS.unknownLicense(name(result.licenseId)) };
    }
  });
}

const intercept: JobOperation<'intercept'> = {
  kind: 'intercept',
  route: 'intercepts',
  body: (userIds, params) => ({ userIds: [...userIds], intercepted: params.intercepted }),
  read: (response) => readUpdates(response),
  action: (params) => `intercept (${params.intercepted ? 'on' : 'off'})`,
  covers: (earlier, later) => earlier.intercepted === later.intercepted,
};

const license: JobOperation<'license'> = {
  kind: 'license',
  route: 'licenseAssignments',
  body: (userIds, params) => ({ userIds: [...userIds], add: params.add, remove: params.remove }),
  read: (response, _rules, params) => readUpdates(response, params.names),
  action: (params) =>
    `license (${[...params.add.map((id) => `+${id}`), ...params.remove.map((id) => `-${id}`)].join(
      ', ',
    )})`,
  covers: (earlier, later) =>
    sameList(earlier.add, later.add) && sameList(earlier.remove, later.remove),
};

const OPERATIONS: { [K in JobKind]: JobOperation<K> } = {
  'password-reset': passwordReset,
  'recovery-email': recoveryEmail,
  intercept,
  license,
};

/** The operation of a job's kind, typed loosely: params are checked to match the kind. */
export function operationOf(kind: JobKind): JobOperation {
  return OPERATIONS[kind] as unknown as JobOperation;
}

/** The secret kinds a reset sets, in their order; none for other kinds. */
export const secretKindsOf = (secrets: JobSecrets): SecretKind[] =>
  SECRET_KINDS.filter((kind) => secrets[kind] !== undefined);
