import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import { PasswordResetResponse, type PasswordResetResult } from '../../../../shared/api/index.ts';
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
import type { Journal, JobRow, UserResultRow } from './journal.ts';

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
}

interface LiveJob {
  /** Only here, in memory, while the job runs. */
  secrets: JobSecrets;
  queue: PQueue;
  cancelled: boolean;
  startedAt: number;
  settledAtStart: number;
}

const CHANGED_NOTHING = 'Not sent: nothing was changed for this user.';
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

  function publish(jobId: string): void {
    const job = journal.job(jobId);
    if (job !== null) options.onUpdate(summary(job));
  }

  function record(
    jobId: string,
    batchNo: number,
    response: PasswordResetResponse,
    secretKinds: SecretKind[],
  ): void {
    const rules = options.rules();
    const byUser = new Map(response.results.map((result) => [result.userId, result]));
    const rows: UserResultRow[] = journal.batchUsers(jobId, batchNo).map((userId) => {
      const result = byUser.get(userId);
      if (result === undefined) {
        return { userId, outcome: 'failed', reason: 'The backend did not answer for this user.' };
      }
      return { userId, outcome: result.outcome, reason: reasonFor(result, rules) };
    });
    journal.completeBatch(jobId, batchNo, rows, {
      at: now(),
      actor: journal.job(jobId)?.actor ?? options.actor(),
      action: `password-reset (${secretKinds.join(', ')})`,
    });
  }

  /** What became of a batch whose answer never arrived, asked by its key alone. */
  async function settleByKey(
    key: string,
  ): Promise<
    | { kind: 'completed'; response: PasswordResetResponse }
    | { kind: 'never-ran' }
    | { kind: 'unknown'; why: string }
  > {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const record = await client.request('idempotencyRecord', { params: { key } });
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
    key: string,
    state: LiveJob,
  ): Promise<void> {
    if (state.cancelled) {
      journal.closeBatch(
        job.id,
        batchNo,
        'not-sent',
        'not-sent',
        'Cancelled before it was sent; nothing was changed.',
        now(),
      );
      publish(job.id);
      return;
    }
    const userIds = journal.batchUsers(job.id, batchNo);
    journal.markInFlight(job.id, batchNo, now());
    let why = '';
    // Each round sends the batch under the same key, so a copy that arrives late is replayed by
    // the backend, never applied twice. Between rounds, the key tells what became of the last one.
    for (let round = 0; round < SEND_ROUNDS; round += 1) {
      const answer = await client.request('passwordResets', {
        body: { userIds, ...state.secrets },
        idempotencyKey: key,
      });
      if (answer.ok) {
        record(job.id, batchNo, answer.data, job.secretKinds);
        publish(job.id);
        return;
      }
      if (answer.code === 'backend-error') {
        // The backend refused the request as such (4xx): it acted on nobody.
        journal.closeBatch(job.id, batchNo, 'not-sent', 'failed', answer.message, now());
        publish(job.id);
        return;
      }
      why = answer.message;
      const settled = await settleByKey(key);
      if (settled.kind === 'completed') {
        record(job.id, batchNo, settled.response, job.secretKinds);
        publish(job.id);
        return;
      }
      if (settled.kind === 'unknown') {
        why = `${why} (${settled.why})`;
        break;
      }
    }
    journal.closeBatch(
      job.id,
      batchNo,
      'unresolved',
      'failed',
      `${why} PassDesk could not confirm whether these users changed; it will check again.`,
      now(),
    );
    publish(job.id);
  }

  /** Asks the backend about batches whose outcome is not known yet (after a crash or outage). */
  async function settleOpenBatches(jobId?: string): Promise<void> {
    const open = journal
      .openBatches()
      .filter((b) => (jobId === undefined ? !live.has(b.jobId) : b.jobId === jobId));
    const touched = new Set<string>();
    for (const batch of open) {
      touched.add(batch.jobId);
      const job = journal.job(batch.jobId);
      if (job === null) continue;
      if (batch.state === 'pending') {
        journal.closeBatch(
          batch.jobId,
          batch.batchNo,
          'not-sent',
          'not-sent',
          CHANGED_NOTHING,
          now(),
        );
        continue;
      }
      const settled = await settleByKey(batch.idempotencyKey);
      if (settled.kind === 'completed')
        record(batch.jobId, batch.batchNo, settled.response, job.secretKinds);
      else if (settled.kind === 'never-ran') {
        journal.closeBatch(
          batch.jobId,
          batch.batchNo,
          'not-sent',
          'not-sent',
          'The backend never finished this batch; nothing was changed.',
          now(),
        );
      } else {
        journal.closeBatch(
          batch.jobId,
          batch.batchNo,
          'unresolved',
          'failed',
          `PassDesk could not confirm whether these users changed (${settled.why}); it will check again.`,
          now(),
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

  return {
    /**
     * Starts a reset job for `userIds` (in this order). The secrets are checked against the
     * rules in effect first; the answer never contains them.
     */
    async startReset(
      userIds: readonly string[],
      secrets: JobSecrets,
      retryOf: string | null = null,
    ): Promise<Result<{ jobId: string }>> {
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
      const unique = [...new Set(userIds)];
      if (retryOf !== null) await settleOpenBatches(retryOf);

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
      };
      live.set(job.id, state);
      batches.forEach((batch, batchNo) => {
        void state.queue
          .add(() => runBatch(job, batchNo, batch.key, state))
          .catch((error: unknown) =>
            logger.error('batch failed unexpectedly', { jobId: job.id, batchNo, error }),
          );
      });
      void state.queue.onIdle().then(() => {
        journal.setJobState(job.id, state.cancelled ? 'cancelled' : 'completed', now());
        state.secrets = {};
        live.delete(job.id);
        publish(job.id);
      });
      publish(job.id);
      return ok({ jobId: job.id });
    },

    /** Stops sending queued batches (they become "not sent"); batches in flight finish. */
    cancel(jobId: string): boolean {
      const state = live.get(jobId);
      if (state === undefined || state.cancelled) return false;
      state.cancelled = true;
      state.queue.clear();
      for (const batch of journal.batches(jobId)) {
        if (batch.state === 'pending') {
          journal.closeBatch(
            jobId,
            batch.batchNo,
            'not-sent',
            'not-sent',
            'Cancelled before it was sent; nothing was changed.',
            now(),
          );
        }
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
      const state = live.get(jobId);
      if (state !== undefined) await state.queue.onIdle();
      // Let the onIdle bookkeeping above run first.
      await new Promise((resolve) => setImmediate(resolve));
    },

    job: (jobId: string): JobRow | null => journal.job(jobId),

    /** Cancels every running job and waits for batches in flight (app shutdown). */
    async shutdown(): Promise<void> {
      const running = [...live.entries()];
      for (const [jobId] of running) this.cancel(jobId);
      await Promise.all(running.map(([, state]) => state.queue.onIdle()));
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
export type JobRunner = ReturnType<typeof createJobRunner>;
