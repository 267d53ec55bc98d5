import { z } from 'zod';
import { Location, UserId, UsersPage, UsersQuery } from '../api/schemas.ts';
import { RuleSets, SecretKind } from '../rules/rule-set.ts';

/** For operations that take no argument. */
export const NoInput = z.undefined();

export const AppInfo = z.strictObject({
  name: z.string(),
  version: z.string(),
  /** Which provisioning backend PassDesk talks to; never its token. */
  backend: z.strictObject({
    kind: z.enum(['built-in', 'remote']),
    url: z.string(),
  }),
});
export type AppInfo = z.infer<typeof AppInfo>;

/**
 * What became of one user in a job. `unconfirmed`: sent, but the backend has not confirmed
 * what it did (it was still working, or its answer was lost); never counted as failed.
 * `unknown`: sent, and the backend can no longer say what it did (final; check the user there).
 * `skipped`: a retry left the user out because an earlier job of the same family had changed
 * them after all.
 */
export const JOB_OUTCOMES = [
  'pending',
  'changed',
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

/** The one vocabulary for outcomes, wherever the UI names one. */
export const OUTCOME_WORDS: Readonly<Record<JobOutcome, string>> = {
  pending: 'In progress',
  changed: 'Changed',
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

/** A bulk job as the renderer sees it: counts and progress, never a secret. */
export const JobSummary = z.strictObject({
  id: z.string(),
  kind: z.literal('password-reset'),
  secretKinds: z.array(SecretKind),
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
  /** Why it stopped sending before everyone was sent (the backend unreachable, the token refused). */
  stoppedBecause: z.string().nullable(),
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

const JobRef = z.strictObject({ jobId: z.string().min(1).max(64) });

/** The largest selection one job may take. */
export const MAX_JOB_USERS = 200_000;

export const Settings = z.strictObject({
  /** The name audit records give the operator; empty means the computer's user name. */
  operatorName: z.string().max(100),
  /** Who the audit names right now. */
  effectiveOperator: z.string(),
});
export type Settings = z.infer<typeof Settings>;

export interface InvokeSpec {
  /** `domain:action`; the only place a channel string is written. */
  channel: `${string}:${string}`;
  input: z.ZodType;
  output: z.ZodType;
}

export interface EventSpec {
  channel: `${string}:${string}`;
  payload: z.ZodType;
}

/**
 * Renderer → main operations. Each key becomes one method of `window.api`; the main process
 * checks the sender and parses the input with `input` before any handler runs.
 */
export const invokeContract = {
  /** The app's name and version, and which backend is in use. Any renderer of ours may call it. */
  getAppInfo: { channel: 'app:info', input: NoInput, output: AppInfo },
  /** The effective password and passcode rules: the backend's when connected, else defaults. */
  getRules: { channel: 'rules:get', input: NoInput, output: RuleSets },
  /** Locations with their user counts. */
  listLocations: { channel: 'users:locations', input: NoInput, output: z.array(Location) },
  /** One page of users (up to 5,000) from the backend, in its stable order. */
  listUsers: { channel: 'users:page', input: UsersQuery.partial(), output: UsersPage },
  /**
   * Starts a bulk reset. The secrets are checked against the rules here, kept in the main
   * process's memory only while the job runs, and never sent back in any answer or event.
   */
  startResetJob: {
    channel: 'jobs:start-reset',
    input: z
      .strictObject({
        userIds: z.array(UserId).min(1).max(MAX_JOB_USERS),
        applicationPassword: z.string().min(1).max(256).optional(),
        voicePortalPasscode: z.string().min(1).max(256).optional(),
        retryOf: z.string().max(64).optional(),
      })
      .refine(
        (input) =>
          input.applicationPassword !== undefined || input.voicePortalPasscode !== undefined,
        {
          error: 'give applicationPassword, voicePortalPasscode or both',
        },
      ),
    output: z.strictObject({ jobId: z.string() }),
  },
  /**
   * Asks the backend again what became of a job's unconfirmed users (in the background; the
   * job's updates tell the outcome). `checking` is false when there is nothing to ask about or
   * the job is busy.
   */
  checkJobAgain: {
    channel: 'jobs:check-again',
    input: JobRef,
    output: z.strictObject({ checking: z.boolean() }),
  },
  /** Stops sending a job's queued batches; batches already sent finish. */
  cancelJob: {
    channel: 'jobs:cancel',
    input: JobRef,
    output: z.strictObject({ cancelled: z.boolean() }),
  },
  /** The newest jobs, including any recovered after the app stopped mid-job. */
  listJobs: { channel: 'jobs:list', input: NoInput, output: z.array(JobSummary) },
  /** Each user's outcome in a job. */
  jobResults: { channel: 'jobs:results', input: JobRef, output: z.array(JobUserResult) },
  /** A job's results as CSV text (no secrets; spreadsheet formulas neutralised). */
  exportJobCsv: {
    channel: 'jobs:export-csv',
    input: JobRef,
    output: z.strictObject({ fileName: z.string(), csv: z.string() }),
  },
  getSettings: { channel: 'settings:get', input: NoInput, output: Settings },
  updateSettings: {
    channel: 'settings:update',
    input: z.strictObject({ operatorName: z.string().max(100) }),
    output: Settings,
  },
} as const satisfies Record<string, InvokeSpec>;

/**
 * Main → renderer events. Each key becomes a subscribe method of `window.api` that returns an
 * unsubscribe function. Payloads are parsed before sending and never carry a secret.
 */
export const eventContract = {
  /** The effective rules changed (for example, fetched from a newly connected backend). */
  onRulesChanged: { channel: 'rules:changed', payload: RuleSets },
  /** A job started, progressed or finished. */
  onJobUpdate: { channel: 'jobs:update', payload: JobSummary },
} as const satisfies Record<string, EventSpec>;

export type InvokeContract = typeof invokeContract;
export type EventContract = typeof eventContract;
export type InvokeMethod = keyof InvokeContract;
export type EventMethod = keyof EventContract;

export type InputOf<M extends InvokeMethod> = z.infer<InvokeContract[M]['input']>;
export type OutputOf<M extends InvokeMethod> = z.infer<InvokeContract[M]['output']>;
export type PayloadOf<E extends EventMethod> = z.infer<EventContract[E]['payload']>;
