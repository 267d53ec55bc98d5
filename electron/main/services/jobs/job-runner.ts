import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import {
  IDEMPOTENCY_RETENTION_HOURS,
  PasswordResetResponse,
  type PasswordResetResult,
} from '../../../../shared/api/index.ts';
import {
  fail,
  ok,
  type JobSummary,
  type JobUserResult,
  type Result,
} from '../../../../shared/ipc/index.ts';
import type { Logger } from '../../../../shared/log/index.ts';
import {
  checkSecret,
  describeFailures,
  SECRET_KINDS,
  SECRET_NOUNS,
  type RuleId,
  type RuleSets,
  type SecretKind,
} from '../../../../shared/rules/index.ts';
import type { ProvisioningClient } from '../provisioning-client.ts';
import type { AuditEntry, BatchRow, Journal, JobRow, UserResultRow } from './journal.ts';

export type JobSecrets = Partial<Record<SecretKind, string>>;

export interface JobRunnerOptions {
  client: ProvisioningClient;
  journal: Journal;
  rules: () => RuleSets;
  /** Who the audit names. */
  actor: () => string;
  onUpdate: (summary: JobSummary) => void;
  logger: Logger;
  /** Batches sent at once: 2 to 4 (default 3). */
  concurrency?: number;
  /** Users per request: at most 500. */
  batchSize?: number;
  now?: () => Date;
  /** How long to wait for a batch the backend is still running before asking again. */
  pollMs?: number;
  /** Progress updates go out at most this often per job (default 250 ms). */
  progressMs?: number;
}

interface LiveJob {
  /** Only here, in memory, while the job runs. */
  secrets: JobSecrets;
  queue: PQueue;
  cancelled: boolean;
  startedAt: number;
  settledAtStart: number;
  /** Resolves when the job has finished (settled its users and written its final state). */
  done: Promise<void>;
  /** Users settled before their batch was sent (a retry's users an earlier job had changed). */
  skipped: ReadonlySet<string>;
  /** Aborted when the app quits: requests stop at once, their batches stay "in flight". */
  abort: AbortController;
}

const CHANGED_NOTHING = 'Not sent: nothing was changed for this user.';
const CANCELLED = 'Cancelled before it was sent; nothing was changed.';
const CHANGED_BY_EARLIER =
  'Not sent again: an earlier job had changed this user after all (PassDesk confirmed it with the backend before this retry).';
const UNCONFIRMED_EARLIER =
  'Not sent: PassDesk still cannot confirm whether an earlier job changed this user; it checks again at the next start or retry.';
const RETENTION_MS = IDEMPOTENCY_RETENTION_HOURS * 3600_000;
/** How many times a batch is sent (each with the client's own retries) before giving up. */
const SEND_ROUNDS = 3;

/** Each rule id in words, from the rules in effect. */
function ruleWords(kind: SecretKind, rules: RuleSets): Map<RuleId, string> {
  const words = new Map<RuleId, string>();
  for (const check of checkSecret(kind, '', { rules: rules[kind], previous: [] }))
    words.set(check.id, check.message);
  return words;
}

export function reasonFor(result: PasswordResetResult, rules: RuleSets): string | null {
  if (result.outcome === 'not-found') return 'The backend has no such user.';
  if (result.outcome !== 'rejected') return null;
  return (result.rejected ?? [])
    .map(({ secret, ruleIds }) => {
      const words = ruleWords(secret, rules);
      return `${SECRET_NOUNS[secret].title}: ${ruleIds.map((id) => words.get(id) ?? id).join('; ')}`;
    })
    .join(' | ');
}

/**
 * Runs bulk resets: splits the selection into batches of at most 500, sends 2 to 4 at a time,
 * each under its own Idempotency-Key, and journals every batch before sending it and its answer
 * after. A batch whose answer was lost is settled by asking the backend what became of its key,
 * so each user ends with exactly one outcome and nobody is changed twice.
 */
export function createJobRunner(options: JobRunnerOptions) {
  const { client, journal, logger } = options;
  const now = options.now ?? (() => new Date());
  const concurrency = Math.min(4, Math.max(2, options.concurrency ?? 3));
  const batchSize = Math.min(500, Math.max(1, options.batchSize ?? 500));
  const pollMs = options.pollMs ?? 1000;
  const progressMs = options.progressMs ?? 250;
  const live = new Map<string, LiveJob>();

  function summary(job: JobRow): JobSummary {
    const counts = journal.counts(job.id);
    const done = job.total - counts.pending;
    const running = live.get(job.id);
    let ratePerSecond: number | null = null;
    let etaSeconds: number | null = null;
    if (running !== undefined) {
      const seconds = (Date.now() - running.startedAt) / 1000;
      const settled = done - running.settledAtStart;
      if (seconds > 0.2 && settled > 0) {
        ratePerSecond = settled / seconds;
        etaSeconds = counts.pending / ratePerSecond;
      }
    }
    return { ...job, done, counts, ratePerSecond, etaSeconds };
  }

  const lastPublished = new Map<string, number>();
  const progressTimers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Sends the job's summary now (a change of state, its start and its end). */
  function publish(jobId: string): void {
    clearTimeout(progressTimers.get(jobId));
    progressTimers.delete(jobId);
    lastPublished.set(jobId, Date.now());
    const job = journal.job(jobId);
    if (job !== null) options.onUpdate(summary(job));
  }

  /**
   * Sends the job's summary after a batch, at most every `progressMs` (counting a job's users
   * on each batch of a large job would cost more than the batches' own bookkeeping).
   */
  function progress(jobId: string): void {
    if (progressTimers.has(jobId)) return;
    const wait = (lastPublished.get(jobId) ?? 0) + progressMs - Date.now();
    if (wait <= 0) publish(jobId);
    else
      progressTimers.set(
        jobId,
        setTimeout(() => publish(jobId), wait),
      );
  }

  /** The audit line for what a job does to each user, now. */
  function auditOf(job: Pick<JobRow, 'actor' | 'secretKinds'>): AuditEntry {
    return {
      at: now(),
      actor: job.actor,
      action: `password-reset (${job.secretKinds.join(', ')})`,
    };
  }

  /** Stores a batch's answer for its users still open (by default, as the journal has them). */
  function record(
    job: JobRow,
    batchNo: number,
    response: PasswordResetResponse,
    userIds: readonly string[] = journal.openBatchUsers(job.id, batchNo),
  ): void {
    const rules = options.rules();
    const byUser = new Map(response.results.map((result) => [result.userId, result]));
    const rows: UserResultRow[] = userIds.map((userId) => {
      const result = byUser.get(userId);
      if (result === undefined) {
        return { userId, outcome: 'failed', reason: 'The backend did not answer for this user.' };
      }
      return { userId, outcome: result.outcome, reason: reasonFor(result, rules) };
    });
    journal.completeBatch(job.id, batchNo, rows, auditOf(job));
  }

  function closeBatch(
    job: JobRow,
    batchNo: number,
    state: 'not-sent' | 'unresolved',
    outcome: 'not-sent' | 'failed',
    reason: string,
  ): void {
    journal.closeBatch(job.id, batchNo, state, outcome, reason, auditOf(job));
  }

  /** What became of a batch whose answer never arrived, asked by its key alone. */
  async function settleByKey(
    key: string,
    signal?: AbortSignal,
  ): Promise<
    | { kind: 'completed'; response: PasswordResetResponse }
    | { kind: 'never-ran' }
    | { kind: 'unknown'; why: string }
  > {
    for (let attempt = 0; attempt < 10 && signal?.aborted !== true; attempt += 1) {
      const record = await client.request('idempotencyRecord', {
        params: { key },
        ...(signal === undefined ? {} : { signal }),
      });
      if (record.ok) {
        const parsed = PasswordResetResponse.safeParse(record.data.response);
        return parsed.success
          ? { kind: 'completed', response: parsed.data }
          : { kind: 'unknown', why: 'The backend kept an answer PassDesk cannot read.' };
      }
      if (record.code === 'not-found') return { kind: 'never-ran' };
      if (record.code !== 'conflict') return { kind: 'unknown', why: record.message };
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return { kind: 'unknown', why: 'The backend is still working on this batch.' };
  }

  async function runBatch(
    job: JobRow,
    batchNo: number,
    batch: { key: string; userIds: readonly string[] },
    state: LiveJob,
  ): Promise<void> {
    const { key } = batch;
    if (state.cancelled) {
      closeBatch(job, batchNo, 'not-sent', 'not-sent', CANCELLED);
      progress(job.id);
      return;
    }
    // Users settled before their batch went (a retry finding them changed after all) stay out.
    const userIds =
      state.skipped.size === 0
        ? batch.userIds
        : batch.userIds.filter((userId) => !state.skipped.has(userId));
    if (userIds.length === 0) {
      closeBatch(job, batchNo, 'not-sent', 'not-sent', CHANGED_NOTHING);
      return;
    }
    journal.markInFlight(job.id, batchNo, now());
    const { signal } = state.abort;
    const stopped = (): boolean => signal.aborted;
    let why = '';
    // Each round sends the batch under the same key, so a copy that arrives late is replayed by
    // the backend, never applied twice. Between rounds, the key tells what became of the last one.
    for (let round = 0; round < SEND_ROUNDS; round += 1) {
      const answer = await client.request('passwordResets', {
        body: { userIds, ...state.secrets },
        idempotencyKey: key,
        signal,
      });
      // The app is quitting: the batch stays "in flight", and the next start asks its key.
      if (stopped()) return;
      if (answer.ok) {
        record(job, batchNo, answer.data, userIds);
        progress(job.id);
        return;
      }
      const refused = answer.code === 'backend-error' || answer.code === 'not-found';
      why =
        answer.code === 'not-found'
          ? `${answer.message} The backend at this address does not offer password resets.`
          : answer.message;
      // Even a refusal (4xx) is checked by key: an earlier automatic attempt may have acted
      // before its answer was lost.
      const settled = await settleByKey(key, signal);
      if (stopped()) return;
      if (settled.kind === 'completed') {
        record(job, batchNo, settled.response, userIds);
        progress(job.id);
        return;
      }
      if (refused && settled.kind === 'never-ran') {
        closeBatch(job, batchNo, 'not-sent', 'failed', `${why} Nothing was changed.`);
        progress(job.id);
        return;
      }
      if (settled.kind === 'unknown') {
        why = `${why} (${settled.why})`;
        break;
      }
    }
    closeBatch(
      job,
      batchNo,
      'unresolved',
      'failed',
      `${why} PassDesk could not confirm whether these users changed; it will check again.`,
    );
    progress(job.id);
  }

  /** After the retention, a key the backend does not know proves nothing. */
  function tooOldToAsk(batch: BatchRow): boolean {
    return batch.sentAt !== null && now().getTime() - Date.parse(batch.sentAt) > RETENTION_MS;
  }

  /** Asks the backend about batches whose outcome is not known yet (after a crash or outage). */
  async function settleOpenBatches(jobId?: string, signal?: AbortSignal): Promise<void> {
    const open = journal
      .openBatches()
      .filter((b) => (jobId === undefined ? !live.has(b.jobId) : b.jobId === jobId));
    const touched = new Set<string>();
    for (const batch of open) {
      touched.add(batch.jobId);
      const job = journal.job(batch.jobId);
      if (job === null) continue;
      if (batch.state === 'pending') {
        closeBatch(job, batch.batchNo, 'not-sent', 'not-sent', CHANGED_NOTHING);
        continue;
      }
      const settled = await settleByKey(batch.idempotencyKey, signal);
      if (signal?.aborted === true) break;
      if (settled.kind === 'completed') record(job, batch.batchNo, settled.response);
      else if (settled.kind === 'never-ran' && !tooOldToAsk(batch)) {
        closeBatch(
          job,
          batch.batchNo,
          'not-sent',
          'not-sent',
          'The backend never finished this batch; nothing was changed.',
        );
      } else if (batch.state !== 'unresolved') {
        // (An unresolved batch that is still unknown stays as it is: no second audit row.)
        const why =
          settled.kind === 'unknown'
            ? settled.why
            : `sent over ${IDEMPOTENCY_RETENTION_HOURS} hours ago, the backend no longer keeps its answer`;
        closeBatch(
          job,
          batch.batchNo,
          'unresolved',
          'failed',
          `PassDesk could not confirm whether these users changed (${why}); it will check again.`,
        );
      }
    }
    for (const id of touched) {
      const job = journal.job(id);
      if (job !== null && (job.state === 'running' || job.state === 'cancelling')) {
        journal.setJobState(id, 'interrupted', now());
      }
      publish(id);
    }
  }

  /**
   * A retry first settles what the jobs before it left unconfirmed (the job it retries, and any
   * other retry of the same job). Users one of them changed after all (setting at least the same
   * secrets), and users whose earlier outcome is still unknown, are not sent: nobody is changed
   * twice.
   */
  async function skipSettledEarlier(job: JobRow, retryOf: string, state: LiveJob): Promise<void> {
    const earlier = journal.family(journal.rootOf(retryOf)).filter((id) => id !== job.id);
    for (const id of earlier) await settleOpenBatches(id, state.abort.signal);
    const changed = new Set<string>();
    const unconfirmed = new Set<string>();
    for (const id of earlier) {
      const other = journal.job(id);
      if (other === null) continue;
      if (job.secretKinds.every((kind) => other.secretKinds.includes(kind))) {
        for (const r of journal.results(id)) if (r.outcome === 'changed') changed.add(r.userId);
      }
      for (const userId of journal.unconfirmedUsers(id)) unconfirmed.add(userId);
    }
    const pending = journal
      .results(job.id)
      .flatMap((r) => (r.outcome === 'pending' ? r.userId : []));
    const skipChanged = pending.filter((id) => changed.has(id));
    const skipUnknown = pending.filter((id) => !changed.has(id) && unconfirmed.has(id));
    if (skipChanged.length > 0)
      journal.skipUsers(job.id, skipChanged, CHANGED_BY_EARLIER, auditOf(job));
    if (skipUnknown.length > 0)
      journal.skipUsers(job.id, skipUnknown, UNCONFIRMED_EARLIER, auditOf(job));
    state.skipped = new Set([...skipChanged, ...skipUnknown]);
  }

  async function run(
    job: JobRow,
    batches: readonly { key: string; userIds: readonly string[] }[],
    state: LiveJob,
  ): Promise<void> {
    try {
      if (job.retryOf !== null) {
        await skipSettledEarlier(job, job.retryOf, state);
        publish(job.id);
      }
      if (state.abort.signal.aborted) return;
      batches.forEach((batch, batchNo) => {
        void state.queue
          .add(() => runBatch(job, batchNo, batch, state))
          .catch((error: unknown) =>
            logger.error('batch failed unexpectedly', { jobId: job.id, batchNo, error }),
          );
      });
      await state.queue.onIdle();
    } catch (error) {
      logger.error('job failed unexpectedly', { jobId: job.id, error });
    } finally {
      const final = state.abort.signal.aborted
        ? 'interrupted'
        : state.cancelled
          ? 'cancelled'
          : 'completed';
      journal.setJobState(job.id, final, now());
      state.secrets = {};
      live.delete(job.id);
      publish(job.id);
      lastPublished.delete(job.id);
    }
  }

  return {
    /**
     * Starts a reset job for `userIds` (in this order) and answers at once; the job runs on.
     * The secrets are checked against the rules in effect first; the answer never contains them.
     */
    startReset(
      userIds: readonly string[],
      secrets: JobSecrets,
      retryOf: string | null = null,
    ): Result<{ jobId: string }> {
      const rules = options.rules();
      const secretKinds = SECRET_KINDS.filter((kind) => secrets[kind] !== undefined);
      if (secretKinds.length === 0)
        return fail(
          'invalid-input',
          'Give an Application Password, a Voice Portal Passcode or both.',
        );
      for (const kind of secretKinds) {
        const checks = checkSecret(kind, secrets[kind] ?? '', { rules: rules[kind] });
        if (checks.some((c) => !c.ok)) return fail('invalid-input', describeFailures(kind, checks));
      }
      if (retryOf !== null && journal.family(journal.rootOf(retryOf)).some((id) => live.has(id)))
        return fail(
          'conflict',
          'That job, or another retry of it, is still running: retry when it has finished.',
        );
      const unique = [...new Set(userIds)];

      const job: JobRow = {
        id: randomUUID(),
        kind: 'password-reset',
        secretKinds,
        actor: options.actor(),
        createdAt: now().toISOString(),
        finishedAt: null,
        state: 'running',
        total: unique.length,
        retryOf,
      };
      const batches: { key: string; userIds: string[] }[] = [];
      for (let i = 0; i < unique.length; i += batchSize) {
        batches.push({
          key: `passdesk-${job.id}-${batches.length}`,
          userIds: unique.slice(i, i + batchSize),
        });
      }
      journal.createJob(job, batches);

      const state: LiveJob = {
        secrets: Object.fromEntries(secretKinds.map((kind) => [kind, secrets[kind]])),
        queue: new PQueue({ concurrency }),
        cancelled: false,
        startedAt: Date.now(),
        settledAtStart: 0,
        done: Promise.resolve(),
        skipped: new Set(),
        abort: new AbortController(),
      };
      live.set(job.id, state);
      state.done = run(job, batches, state);
      publish(job.id);
      return ok({ jobId: job.id });
    },

    /** Stops sending queued batches (they become "not sent"); batches in flight finish. */
    cancel(jobId: string): boolean {
      const state = live.get(jobId);
      const job = journal.job(jobId);
      if (state === undefined || state.cancelled || job === null) return false;
      state.cancelled = true;
      state.queue.clear();
      for (const batch of journal.batches(jobId)) {
        if (batch.state === 'pending')
          closeBatch(job, batch.batchNo, 'not-sent', 'not-sent', CANCELLED);
      }
      journal.setJobState(jobId, 'cancelling', null);
      publish(jobId);
      return true;
    },

    /** At start-up: settles jobs a previous run left open. */
    recover: (): Promise<void> => settleOpenBatches(),

    list: (): JobSummary[] => journal.jobs().map(summary),

    results(jobId: string): JobUserResult[] | null {
      return journal.job(jobId) === null ? null : journal.results(jobId);
    },

    /** Resolves when the job has no batch left to run (for tests and orderly shutdown). */
    async idle(jobId: string): Promise<void> {
      await live.get(jobId)?.done;
    },

    job: (jobId: string): JobRow | null => journal.job(jobId),

    /**
     * App shutdown: cancels every running job and stops its requests in flight at once (the next
     * start settles those batches by key), then waits for the jobs to write their final state.
     */
    async shutdown(): Promise<void> {
      const running = [...live.entries()];
      for (const [jobId, state] of running) {
        this.cancel(jobId);
        // Requests in flight stop now; their batches stay "in flight" for the next start.
        state.abort.abort();
      }
      await Promise.all(running.map(([, state]) => state.done));
    },
  };
}
export type JobRunner = ReturnType<typeof createJobRunner>;
