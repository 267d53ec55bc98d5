import { z } from 'zod';
import { LicenseId, UserId } from '../api/schemas.ts';
import { SecretKind } from '../rules/rule-set.ts';

/** The largest selection one job may take. */
export const MAX_JOB_USERS = 200_000;

/** What a bulk job does to each of its users. One runner, one journal, one results view. */
export const JOB_KINDS = ['password-reset', 'recovery-email', 'intercept', 'license'] as const;
export const JobKind = z.enum(JOB_KINDS);
export type JobKind = z.infer<typeof JobKind>;

/** What a job does, besides to whom: kept in the journal and shown; never a secret. */
export const JobParams = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('password-reset'),
    secretKinds: z.array(SecretKind).min(1),
    /** The secrets are set as temporary (the user must choose their own); absent: not. */
    temporary: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('recovery-email') }),
  z.strictObject({ kind: z.literal('intercept'), intercepted: z.boolean() }),
  z.strictObject({
    kind: z.literal('license'),
    add: z.array(LicenseId).max(20),
    remove: z.array(LicenseId).max(20),
    /** The licenses' names when the job started, for its words (ids are what it sends). */
    names: z.record(z.string(), z.string().max(100)).optional(),
  }),
]);
export type JobParams = z.infer<typeof JobParams>;

const Targets = {
  userIds: z.array(UserId).min(1).max(MAX_JOB_USERS),
  /** Set when this runs a job again for the users an earlier one did not reach. */
  retryOf: z.string().max(64).optional(),
};

/** What the renderer asks for: a kind, its users, and what it needs (a reset: the secrets). */
export const StartJobInput = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('password-reset'),
      ...Targets,
      applicationPassword: z.string().min(1).max(256).optional(),
      voicePortalPasscode: z.string().min(1).max(256).optional(),
      /** Set them as temporary: needs a backend of API 1.1 or later. */
      temporary: z.boolean().optional(),
    })
    .refine(
      (input) => input.applicationPassword !== undefined || input.voicePortalPasscode !== undefined,
      { error: 'give applicationPassword, voicePortalPasscode or both' },
    ),
  z.strictObject({ kind: z.literal('recovery-email'), ...Targets }),
  z.strictObject({ kind: z.literal('intercept'), ...Targets, intercepted: z.boolean() }),
  z
    .strictObject({
      kind: z.literal('license'),
      ...Targets,
      add: z.array(LicenseId).max(20),
      remove: z.array(LicenseId).max(20),
      names: z.record(z.string(), z.string().max(100)).optional(),
    })
    .refine((input) => input.add.length + input.remove.length > 0, {
      error: 'give at least one license to add or remove',
    })
    .refine((input) => !input.add.some((id) => input.remove.includes(id)), {
      error: 'a license cannot be both added and removed',
    })
    .refine(
      (input) =>
        new Set([...input.add, ...input.remove]).size === input.add.length + input.remove.length,
      {
        error: 'a license is named twice',
      },
    ),
]);
export type StartJobInput = z.infer<typeof StartJobInput>;

/**
 * What became of one user in a job. `changed`: what the job was for was done (a secret set, a
 * link sent, a setting updated); `unchanged`: it was so already. `unconfirmed`: sent, but the backend has not confirmed
 * what it did (it was still working, or its answer was lost); never counted as failed.
 * `unknown`: sent, and the backend can no longer say what it did (final; check the user there).
 * `skipped`: a retry left the user out because an earlier job of the same family had changed
 * them after all.
 */
export const JOB_OUTCOMES = [
  'pending',
  'changed',
  'unchanged',
  'rejected',
  'not-found',
  'failed',
  'not-sent',
  'unconfirmed',
  'unknown',
  'skipped',
] as const;
export const JobOutcome = z.enum(JOB_OUTCOMES);
export type JobOutcome = z.infer<typeof JobOutcome>;

/**
 * The one vocabulary for outcomes, wherever the UI names one. `changed` depends on the job's
 * kind (see CHANGED_WORDS).
 */
export const OUTCOME_WORDS: Readonly<Record<JobOutcome, string>> = {
  pending: 'In progress',
  changed: 'Changed',
  unchanged: 'Already so',
  rejected: 'Rejected',
  'not-found': 'Not found',
  failed: 'Failed',
  'not-sent': 'Not sent',
  unconfirmed: 'Not confirmed yet',
  unknown: 'Unknown',
  skipped: 'Already changed',
};

/** Outcomes a new attempt can help: the user is known to the backend and was not changed. */
export const RETRYABLE_OUTCOMES: readonly JobOutcome[] = ['failed', 'rejected', 'not-sent'];

/**
 * A job's lifecycle. `checking`: asking the backend what became of batches it has not
 * confirmed. `unconfirmed`: nothing is being sent or asked, but some users are not confirmed
 * yet (Check again, or the next start, asks again). The others are final.
 */
export const JOB_STATES = [
  'running',
  'cancelling',
  'checking',
  'unconfirmed',
  'completed',
  'cancelled',
  'interrupted',
] as const;
export const JobState = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobState>;

/** How each kind of job says "changed". */
export const CHANGED_WORDS: Readonly<Record<JobKind, string>> = {
  'password-reset': 'Changed',
  'recovery-email': 'Sent',
  intercept: 'Updated',
  license: 'Updated',
};

/** How each kind of job says "skipped" (a retry's already done, or nothing to do). */
export const SKIPPED_WORDS: Readonly<Record<JobKind, string>> = {
  'password-reset': 'Already changed',
  'recovery-email': 'Skipped',
  intercept: 'Already done',
  license: 'Already done',
};

/** How each kind of job says "it was so already". */
export const UNCHANGED_WORDS: Readonly<Record<JobKind, string>> = {
  'password-reset': 'Already so',
  'recovery-email': 'Already so',
  intercept: 'Already set',
  license: 'Already had it',
};

/** The word for an outcome of a job of this kind. */
export function outcomeWord(kind: JobKind, outcome: JobOutcome): string {
  if (outcome === 'changed') return CHANGED_WORDS[kind];
  if (outcome === 'skipped') return SKIPPED_WORDS[kind];
  if (outcome === 'unchanged') return UNCHANGED_WORDS[kind];
  return OUTCOME_WORDS[outcome];
}

const KIND_WORDS: Readonly<Record<JobKind, string>> = {
  'password-reset': 'Reset',
  'recovery-email': 'Recovery link',
  intercept: 'Intercept',
  license: 'Licenses',
};

/** A user's last action as the table words it: "Reset: changed", "Recovery link: sent"… */
export function lastActionText(last: { kind: JobKind; outcome: JobOutcome }): string {
  return `${KIND_WORDS[last.kind]}: ${outcomeWord(last.kind, last.outcome).toLowerCase()}`;
}

/** A bulk job as the renderer sees it: counts and progress, never a secret. */
export const JobSummary = z.strictObject({
  id: z.string(),
  params: JobParams,
  actor: z.string(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  state: JobState,
  total: z.int(),
  /** Users with an outcome so far (a final one, or `unconfirmed`). */
  done: z.int(),
  /** Users sent to the backend whose answer is awaited now. */
  inFlight: z.int(),
  /** The last time its unconfirmed users were asked about, and what came of it (this run only). */
  lastCheck: z
    .strictObject({
      at: z.iso.datetime(),
      /** Still unconfirmed after it, and why, in words; 0 when all were settled. */
      stillUnconfirmed: z.int(),
      why: z.string().nullable(),
    })
    .nullable(),
  /** Why it stopped sending before everyone was sent (the backend refused the job). */
  stoppedBecause: z.string().nullable(),
  /**
   * Set while a running job waits for the backend: it stopped answering, or refused the API
   * token. The job goes on by itself once it answers again, and can be cancelled meanwhile.
   */
  waiting: z
    .strictObject({
      reason: z.enum(['unreachable', 'token-refused']),
      since: z.iso.datetime(),
    })
    .nullable(),
  counts: z.record(JobOutcome, z.int()),
  ratePerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  retryOf: z.string().nullable(),
});
export type JobSummary = z.infer<typeof JobSummary>;

export const JobUserResult = z.strictObject({
  userId: z.string(),
  outcome: JobOutcome,
  /** Rule ids in words, or the backend's message; never a secret. */
  reason: z.string().nullable(),
});
export type JobUserResult = z.infer<typeof JobUserResult>;

/** Each user's latest outcome, for the users table. */
export const LastAction = z.strictObject({
  userId: z.string(),
  kind: JobKind,
  outcome: JobOutcome,
  /** When the job it comes from finished (or started, while it runs). */
  at: z.iso.datetime(),
});
export type LastAction = z.infer<typeof LastAction>;
export const LastActions = z.strictObject({
  entries: z.array(LastAction),
  /** Pass as `since` next time to get only what changed after this answer. */
  asOf: z.iso.datetime(),
});
export type LastActions = z.infer<typeof LastActions>;
