import { randomUUID } from 'node:crypto';
import pMap from 'p-map';
import PQueue from 'p-queue';
import { API_SINCE, apiHas, IDEMPOTENCY_RETENTION_HOURS } from '../../../../shared/api/index.ts';
import {
  fail,
  ok,
  type JobParams,
  type JobState,
  type JobSummary,
  type JobUserResult,
  type LastActions,
  type Result,
  type StartJobInput,
} from '../../../../shared/ipc/index.ts';
import type { Logger } from '../../../../shared/log/index.ts';
import { checkSecret, describeFailures, type RuleSets } from '../../../../shared/rules/index.ts';
import type { BackendId } from '../../../../shared/settings/index.ts';
import type { BackendGate } from '../backend/connection-monitor.ts';
import type { ProvisioningClient } from '../provisioning-client.ts';
import { createBatchPlanner, type BatchPlanner } from './batch-planner.ts';
import { createBatchSender, type BatchAnswer, type BatchSenderOptions } from './batch-sender.ts';
import { createJobProgress, type LiveProgress } from './job-progress.ts';
import type { AuditEntry, BatchRow, Journal, JobRow, UserResultRow } from './journal.ts';
import { operationOf, secretKindsOf, type JobOperation, type JobSecrets } from './operations.ts';
import { REASONS } from './reasons.ts';

export type { JobSecrets };

/** What a job of this kind learnt of the backend's speed, so the next one starts from it. */
export interface PlannerMemory {
  perUserMs: number;
  overheadMs: number;
}

export interface JobRunnerOptions {
  client: ProvisioningClient;
  journal: Journal;
  /**
   * The backend `client` talks to. Jobs are journalled under it, and this runner lists,
   * checks and retries only its own: nothing of one backend is ever sent to another.
   */
  backendId?: BackendId;
  /** Lets jobs wait out an outage and go on by themselves (the connection monitor). */
  gate?: BackendGate;
  rules: () => RuleSets;
  /** Who the audit names. */
  actor: () => string;
  /**
   * The API version the backend last said it speaks (null until it answered): what a job may
   * ask of it. Without it, the backend is taken to speak this PassDesk's version.
   */
  apiVersion?: () => string | null;
  onUpdate: (summary: JobSummary) => void;
  logger: Logger;
  /** How a job sizes its batches: by time (the default), or fixed. */
  planner?: (known: PlannerMemory | null) => BatchPlanner;
  /** How long to wait for, and ask about, a batch the backend is still working on. */
  sending?: Omit<BatchSenderOptions, 'client'>;
  now?: () => Date;
  /** Progress updates go out at most this often per job (default 250 ms). */
  progressMs?: number;
}

interface LiveJob {
  job: JobRow;
  operation: JobOperation;
  /** Only here, in memory, while the job runs. */
  secrets: JobSecrets;
  queue: PQueue;
  planner: BatchPlanner;
  /** The job's users in order; `cursor` is the next one to send. */
  users: readonly string[];
  cursor: number;
  nextBatchNo: number;
  /** Users settled before their turn (a retry's users an earlier job changed, or may have). */
  skipped: ReadonlySet<string>;
  cancelled: boolean;
  /** Set when the backend refused the job outright (without a gate: could not be reached). */
  stoppedBecause: string | null;
  /** Batches (and the dispatcher) waiting for the backend to answer again. */
  waiting: number;
  /** Aborted by Cancel: stops waiting for the checks of earlier jobs a retry waits for. */
  cancelSignal: AbortController;
  /** Aborted when the app quits: requests stop at once, their batches stay "in flight". */
  abort: AbortController;
  progress: LiveProgress;
  /** Resolves when the job has finished (settled its users and written its final state). */
  done: Promise<void>;
}

/** A job whose unconfirmed batches are being asked about (Check again, or after a restart). */
interface Check {
  abort: AbortController;
  progress: LiveProgress;
  done: Promise<void>;
}

const RETENTION_MS = IDEMPOTENCY_RETENTION_HOURS * 3600_000;
const UNREADABLE = 'the backend kept an answer PassDesk cannot read';
/** Resolves when `signal` aborts (or at once if it has). */
const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
const isQueueCleared = (error: unknown): boolean =>
  error instanceof Error && error.name === 'AbortError';
/** Open batches of one job asked about at once when it is checked. */
const CHECK_CONCURRENCY = 4;

/**
 * Runs bulk resets. Users go out in batches sized by the backend's speed (see batch-planner.ts),
 * each under its own Idempotency-Key; the journal records a batch before it is sent and its
 * answer after. A batch the backend is still working on is asked about until it answers (see
 * batch-sender.ts); one it has not confirmed leaves its users "not confirmed yet", never
 * "failed", and the job is not finished until Check again (or the next start) confirms them.
 * Each user ends with exactly one outcome, and nobody is changed twice.
 */
export function createJobRunner(options: JobRunnerOptions) {
  const { client, journal, logger, gate } = options;
  const backendId: BackendId = options.backendId ?? 'built-in';
  const now = options.now ?? (() => new Date());
  const makePlanner =
    options.planner ?? ((known: PlannerMemory | null) => createBatchPlanner({ known }));
  const sender = createBatchSender({
    client,
    ...(gate === undefined ? {} : { gate }),
    ...options.sending,
  });
  const live = new Map<string, LiveJob>();
  const checks = new Map<string, Check>();
  /** Per kind of job (which secrets it sets): what the last one's planner learnt. */
  const memory = new Map<string, PlannerMemory>();
  /** The last Check again (or start-up check) of each job, in this run. */
  const lastChecks = new Map<string, NonNullable<JobSummary['lastCheck']>>();
  const progress = createJobProgress({
    journal,
    onUpdate: options.onUpdate,
    live: (jobId) => live.get(jobId)?.progress ?? checks.get(jobId)?.progress,
    lastCheck: (jobId) => lastChecks.get(jobId) ?? null,
    // A job waits for the backend while it is down and the job has work out or ready to go:
    // its requests are being retried, or it holds back its next batch.
    waiting: (jobId) => {
      const state = live.get(jobId);
      if (state === undefined || state.cancelled) return null;
      if (state.waiting === 0 && state.progress.inFlight === 0) return null;
      return gate?.outage() ?? null;
    },
    ...(options.progressMs === undefined ? {} : { progressMs: options.progressMs }),
  });
  const busy = (jobId: string): boolean => live.has(jobId) || checks.has(jobId);
  /** A job of this runner's backend; null for another backend's. */
  const ours = (jobId: string): JobRow | null => {
    const job = journal.job(jobId);
    return job !== null && job.backend === backendId ? job : null;
  };
  /** Jobs that cost the backend the same per user share what their planners learnt. */
  const kindOf = (job: Pick<JobRow, 'params'>): string => JSON.stringify(job.params);

  /** The audit line for what a job does to each user, now. */
  function auditOf(job: Pick<JobRow, 'actor' | 'params'>): AuditEntry {
    return { at: now(), actor: job.actor, action: operationOf(job.params.kind).action(job.params) };
  }

  /**
   * Stores a batch's answer for its users still open (by default, as the journal has them).
   * False when the answer is not one this kind of job can read (nothing is stored then).
   */
  function record(
    job: JobRow,
    batchNo: number,
    response: unknown,
    userIds: readonly string[] = journal.openBatchUsers(job.id, batchNo),
  ): boolean {
    const byUser = operationOf(job.params.kind).read(response, options.rules(), job.params);
    if (byUser === null) return false;
    const rows: UserResultRow[] = userIds.map((userId) => {
      const result = byUser.get(userId);
      if (result === undefined) return { userId, outcome: 'failed', reason: REASONS.notInAnswer };
      return { userId, ...result };
    });
    journal.completeBatch(job.id, batchNo, rows, auditOf(job));
    return true;
  }

  const closeBatch = (
    job: JobRow,
    batchNo: number,
    state: 'not-sent' | 'unresolved' | 'done',
    outcome: 'not-sent' | 'failed' | 'unconfirmed' | 'unknown',
    reason: string,
  ): void => journal.closeBatch(job.id, batchNo, state, outcome, reason, auditOf(job));

  /** A backend's words may echo what it was sent: never let a secret through into a reason. */
  const scrub = (text: string, secrets: JobSecrets): string =>
    Object.values(secrets).reduce<string>(
      (clean, secret) => (secret === '' ? clean : clean.split(secret).join('•••')),
      text,
    );

  function stopFor(state: LiveJob, why: string): void {
    if (state.stoppedBecause !== null) return;
    state.stoppedBecause = why;
    journal.setStoppedBecause(state.job.id, why);
  }

  const minutes = (ms: number): number => Math.max(1, Math.round(ms / 60_000));

  /** Writes what became of a batch sent by a running job. */
  function applyAnswer(
    state: LiveJob,
    batchNo: number,
    userIds: readonly string[],
    answer: Exclude<BatchAnswer, { kind: 'stopped' }>,
  ): void {
    const { job } = state;
    if (answer.kind === 'withdrawn') {
      closeBatch(job, batchNo, 'not-sent', 'not-sent', REASONS.cancelled);
      return;
    }
    if (answer.kind === 'answered') {
      if (!record(job, batchNo, answer.response, userIds))
        closeBatch(job, batchNo, 'done', 'unknown', REASONS.unknown(UNREADABLE));
      return;
    }
    const why = scrub(answer.why, state.secrets);
    logger.warn('batch not answered', {
      jobId: job.id,
      batchNo,
      outcome: answer.kind,
      detail: scrub(answer.detail, state.secrets),
    });
    switch (answer.kind) {
      case 'not-applied':
        closeBatch(job, batchNo, 'not-sent', 'failed', REASONS.refused(why));
        if (answer.stopJob) stopFor(state, why);
        return;
      case 'not-delivered':
        closeBatch(job, batchNo, 'not-sent', 'not-sent', REASONS.unreachable(why));
        stopFor(state, why);
        return;
      case 'unconfirmed':
        closeBatch(
          job,
          batchNo,
          'unresolved',
          'unconfirmed',
          answer.stillRunning
            ? REASONS.stillRunning(minutes(sender.stillRunningLimitMs))
            : REASONS.answerLost(why),
        );
        return;
      case 'unknown':
        closeBatch(job, batchNo, 'done', 'unknown', REASONS.unknown(why));
        return;
    }
  }

  /** A batch started or stopped waiting for the backend: the card says so at once. */
  function noteWaiting(state: LiveJob, waiting: boolean): void {
    state.waiting += waiting ? 1 : -1;
    progress.publish(state.job.id);
  }

  const maySend = (state: LiveJob): boolean =>
    !state.cancelled && state.stoppedBecause === null && !state.abort.signal.aborted;

  /** The next `size` users not settled yet, in the job's order. */
  function take(state: LiveJob, size: number): string[] {
    const userIds: string[] = [];
    while (userIds.length < size && state.cursor < state.users.length) {
      const userId = state.users[state.cursor] ?? '';
      state.cursor += 1;
      if (!state.skipped.has(userId)) userIds.push(userId);
    }
    return userIds;
  }

  /** Takes the next batch (sized now, from what the backend's speed was so far) and sends it. */
  async function sendNext(state: LiveJob): Promise<void> {
    if (!maySend(state)) return;
    const { job, planner } = state;
    const userIds = take(state, planner.nextSize());
    if (userIds.length === 0) return;
    const batchNo = state.nextBatchNo;
    state.nextBatchNo += 1;
    const key = `passdesk-${job.id}-${batchNo}`;
    journal.openBatch(job.id, { batchNo, key, userIds }, now());
    let resends = 0;
    const rekey = (): string => {
      resends += 1;
      const next = `${key}-r${resends}`;
      journal.rekeyBatch(job.id, batchNo, next);
      return next;
    };
    state.progress.inFlight += userIds.length;
    progress.progress(job.id);

    const concurrency = planner.concurrency;
    const started = Date.now();
    // Set from the sender's callbacks while it runs.
    const heard = { slow: false, throttled: false };
    const answer = await sender.deliver({
      route: state.operation.route,
      key,
      body: state.operation.body(userIds, job.params, state.secrets),
      timeoutMs: planner.timeoutMs(userIds.length),
      signal: state.abort.signal,
      waitSignal: AbortSignal.any([state.abort.signal, state.cancelSignal.signal]),
      onWait: (waiting) => noteWaiting(state, waiting),
      rekey,
      onSlow: () => {
        if (heard.slow) return;
        heard.slow = true;
        planner.timedOut({ users: userIds.length, ms: Date.now() - started });
      },
      onOverloaded: () => {
        heard.throttled = true;
        planner.overloaded();
      },
    });
    state.progress.inFlight -= userIds.length;
    // The app is quitting: the batch stays "in flight", and the next start asks its key.
    if (answer.kind === 'stopped') return;
    applyAnswer(state, batchNo, userIds, answer);
    // Waits the backend asked for (429, Retry-After) are not its speed.
    if (answer.kind === 'answered' && !heard.throttled)
      planner.observe({ users: userIds.length, ms: Date.now() - started, concurrency });
    progress.progress(job.id);
  }

  /**
   * Sends the users batch by batch: a batch is made only when a request slot is free, so its
   * size and the number in flight follow what the planner has learnt by then.
   */
  async function dispatch(state: LiveJob): Promise<void> {
    const { queue, planner } = state;
    for (;;) {
      await queue.onSizeLessThan(1);
      // While the backend is down, no new batch is made: those out wait, and the rest after them.
      if (gate?.outage() != null && maySend(state)) {
        await gate.recheck(
          AbortSignal.any([state.abort.signal, state.cancelSignal.signal]),
          (on) => {
            noteWaiting(state, on);
          },
        );
      }
      if (!maySend(state) || state.cursor >= state.users.length) break;
      queue.concurrency = planner.concurrency;
      queue
        .add(() => sendNext(state))
        .catch((error: unknown) => {
          // Cancel clears the task waiting for a slot: that is not a failure.
          if (!isQueueCleared(error))
            logger.error('batch failed unexpectedly', { jobId: state.job.id, error });
        });
    }
    await queue.onIdle();
    const reason =
      state.stoppedBecause !== null
        ? REASONS.stoppedSending(state.stoppedBecause)
        : REASONS.notTaken;
    // Nobody is left pending without a batch (only a bug could leave one here).
    journal.closeUnbatched(state.job.id, reason, auditOf(state.job));
  }

  /** After the retention, a key the backend does not know proves nothing. */
  const tooOldToAsk = (batch: BatchRow): boolean =>
    batch.sentAt !== null && now().getTime() - Date.parse(batch.sentAt) > RETENTION_MS;

  /**
   * Asks the backend what became of one batch that was sent but not confirmed. Answers why it is
   * still unconfirmed, or null when it is settled.
   */
  async function settleBatch(
    job: JobRow,
    batch: BatchRow,
    signal: AbortSignal,
  ): Promise<string | null> {
    if (batch.state === 'pending') {
      closeBatch(job, batch.batchNo, 'not-sent', 'not-sent', REASONS.crashed);
      return null;
    }
    const age = batch.sentAt === null ? 0 : now().getTime() - Date.parse(batch.sentAt);
    const settled = await sender.settle(batch.idempotencyKey, age, signal);
    if (signal.aborted) return 'PassDesk is closing';
    const tooOld = tooOldToAsk(batch);
    switch (settled.kind) {
      case 'completed':
        if (!record(job, batch.batchNo, settled.response))
          closeBatch(job, batch.batchNo, 'done', 'unknown', REASONS.unknown(UNREADABLE));
        return null;
      case 'refused':
        closeBatch(job, batch.batchNo, 'not-sent', 'failed', REASONS.refused(settled.why));
        return null;
      case 'retired':
      case 'no-record':
        // After the retention, "no record" proves nothing: the answer may have been pruned.
        if (settled.kind === 'retired' && !tooOld)
          closeBatch(job, batch.batchNo, 'not-sent', 'not-sent', REASONS.noRecord);
        else
          closeBatch(
            job,
            batch.batchNo,
            'done',
            'unknown',
            tooOld
              ? REASONS.tooOld(IDEMPOTENCY_RETENTION_HOURS)
              : REASONS.unknown('the backend keeps no record of it that PassDesk can rely on'),
          );
        return null;
      case 'still-running':
      case 'unknown': {
        const why = settled.kind === 'unknown' ? settled.why : 'the backend is still working on it';
        // A batch already "not confirmed" stays as it is: no second audit row.
        if (batch.state !== 'unresolved')
          closeBatch(
            job,
            batch.batchNo,
            'unresolved',
            'unconfirmed',
            settled.kind === 'unknown'
              ? REASONS.answerLost(why)
              : REASONS.stillRunning(minutes(sender.stillRunningLimitMs)),
          );
        return why;
      }
    }
  }

  /** What a job is once nothing runs for it: not finished while a user is unconfirmed. */
  function finalState(jobId: string): JobState {
    const counts = journal.counts(jobId);
    if (counts.unconfirmed > 0 || counts.pending > 0) return 'unconfirmed';
    return journal.job(jobId)?.stop ?? 'completed';
  }

  /**
   * Settles a job that is not running here: closes what an earlier run of PassDesk left unsent,
   * and asks about each batch it has not confirmed.
   */
  async function settleJob(jobId: string, signal: AbortSignal): Promise<string | null> {
    const job = journal.job(jobId);
    if (job === null) return null;
    const unsent = journal.closeUnbatched(jobId, REASONS.crashed, auditOf(job));
    if (unsent > 0 || job.state === 'running' || job.state === 'cancelling')
      journal.setJobStop(jobId, 'interrupted');
    const whys = await pMap(
      journal.openBatches(jobId),
      (batch) => settleBatch(job, batch, signal),
      { concurrency: CHECK_CONCURRENCY, stopOnError: false },
    );
    return whys.find((why) => why !== null) ?? null;
  }

  /** Checks a job in the background; its state says "checking" meanwhile. */
  function startCheck(jobId: string): Promise<void> {
    const existing = checks.get(jobId);
    if (existing !== undefined) return existing.done;
    const counts = journal.counts(jobId);
    const total = journal.job(jobId)?.total ?? 0;
    const check: Check = {
      abort: new AbortController(),
      progress: { startedAt: Date.now(), doneAtStart: total - counts.pending, inFlight: 0 },
      done: Promise.resolve(),
    };
    checks.set(jobId, check);
    const settling = settleJob(jobId, check.abort.signal);
    journal.setJobState(jobId, 'checking', null);
    progress.publish(jobId);
    check.done = settling
      .then(
        (why) => why,
        (error: unknown) => {
          logger.error('checking a job failed', { jobId, error });
          return 'PassDesk could not finish asking (its log says why)';
        },
      )
      .then((why) => {
        const stillUnconfirmed = journal.counts(jobId).unconfirmed;
        lastChecks.set(jobId, {
          at: now().toISOString(),
          stillUnconfirmed,
          why: stillUnconfirmed > 0 ? why : null,
        });
        journal.setJobState(jobId, finalState(jobId), now());
        checks.delete(jobId);
        progress.finish(jobId);
      });
    return check.done;
  }

  /**
   * A retry first settles what the jobs before it left unconfirmed (the job it retries, and any
   * other retry of the same job). Users one of them changed after all (setting at least the same
   * secrets) are skipped; users whose earlier outcome is still unknown are not sent: nobody is
   * changed twice.
   */
  async function skipSettledEarlier(state: LiveJob, retryOf: string): Promise<void> {
    const { job } = state;
    const earlier = journal.family(journal.rootOf(retryOf)).filter((id) => id !== job.id);
    // Checked like Check again (their cards say "Checking…"); Cancel stops the waiting.
    const settling = Promise.all(
      earlier.filter((id) => journal.openBatches(id).length > 0).map(startCheck),
    );
    await Promise.race([settling, aborted(state.cancelSignal.signal), aborted(state.abort.signal)]);
    if (!maySend(state)) return;
    const changed = new Set<string>();
    const unconfirmed = new Set<string>();
    for (const id of earlier) {
      const other = journal.job(id);
      if (other === null) continue;
      if (
        other.params.kind === job.params.kind &&
        state.operation.covers(other.params, job.params)
      ) {
        for (const r of journal.results(id)) if (r.outcome === 'changed') changed.add(r.userId);
      }
      for (const userId of journal.unconfirmedUsers(id)) unconfirmed.add(userId);
    }
    const skipChanged = state.users.filter((id) => changed.has(id));
    const skipUnknown = state.users.filter((id) => !changed.has(id) && unconfirmed.has(id));
    journal.settleUsers(job.id, skipChanged, 'skipped', REASONS.changedByEarlier, auditOf(job));
    journal.settleUsers(job.id, skipUnknown, 'not-sent', REASONS.unconfirmedEarlier, auditOf(job));
    state.skipped = new Set([...skipChanged, ...skipUnknown]);
    state.progress.doneAtStart = state.skipped.size;
  }

  async function run(state: LiveJob): Promise<void> {
    const { job } = state;
    try {
      if (job.retryOf !== null) {
        await skipSettledEarlier(state, job.retryOf);
        progress.publish(job.id);
      }
      if (!state.abort.signal.aborted) await dispatch(state);
    } catch (error) {
      logger.error('job failed unexpectedly', { jobId: job.id, error });
    } finally {
      // After a shutdown, batches still in flight leave the job "unconfirmed" (stopped as
      // "interrupted") until the next start asks the backend about them.
      journal.setJobState(job.id, finalState(job.id), now());
      state.secrets = {};
      const learnt = state.planner.learnt();
      if (learnt !== null) memory.set(kindOf(job), learnt);
      live.delete(job.id);
      progress.finish(job.id);
    }
  }

  /** Stops a running job from sending more; what it has not sent becomes "not sent". */
  function stopSending(state: LiveJob, reason: string): void {
    state.cancelled = true;
    state.cancelSignal.abort();
    state.queue.clear();
    journal.closeUnbatched(state.job.id, reason, auditOf(state.job));
  }

  return {
    /**
     * Starts a job of any kind for `userIds` (in this order) and answers at once; the job runs
     * on. A reset's secrets are checked against the rules in effect first; no answer, event or
     * journal row ever contains them.
     */
    start(input: StartJobInput): Result<{ jobId: string }> {
      let params: JobParams;
      let secrets: JobSecrets = {};
      if (input.kind === 'password-reset') {
        secrets = {
          ...(input.applicationPassword === undefined
            ? {}
            : { applicationPassword: input.applicationPassword }),
          ...(input.voicePortalPasscode === undefined
            ? {}
            : { voicePortalPasscode: input.voicePortalPasscode }),
        };
        const secretKinds = secretKindsOf(secrets);
        if (secretKinds.length === 0)
          return fail(
            'invalid-input',
            'Give an Application Password, a Voice Portal Passcode or both.',
          );
        const rules = options.rules();
        for (const kind of secretKinds) {
          const checks = checkSecret(kind, secrets[kind] ?? '', { rules: rules[kind] });
          if (checks.some((c) => !c.ok))
            return fail('invalid-input', describeFailures(kind, checks));
        }
        const temporary = input.temporary === true;
        if (temporary && options.apiVersion !== undefined) {
          const apiVersion = options.apiVersion();
          if (!apiHas(apiVersion, 'temporarySecrets'))
            return fail(
              'invalid-input',
              apiVersion === null
                ? 'PassDesk has not heard from the backend yet, so it cannot tell whether the backend can mark secrets temporary. Try again once it is connected, or untick Temporary.'
                : `This backend speaks PassDesk API ${apiVersion}, which cannot mark secrets temporary (that needs API ${API_SINCE.temporarySecrets} or later). Untick Temporary, or update the backend.`,
            );
        }
        params = { kind: 'password-reset', secretKinds, ...(temporary ? { temporary } : {}) };
      } else if (input.kind === 'recovery-email') params = { kind: 'recovery-email' };
      else if (input.kind === 'intercept')
        params = { kind: 'intercept', intercepted: input.intercepted };
      else
        params = {
          kind: 'license',
          add: input.add,
          remove: input.remove,
          ...(input.names === undefined ? {} : { names: input.names }),
        };

      const retryOf = input.retryOf ?? null;
      if (retryOf !== null) {
        const earlier = ours(retryOf);
        if (earlier === null) return fail('not-found', 'There is no such job to retry.');
        // A retry does what the job it retries did: only a reset's secrets are new.
        const what = (p: JobParams) =>
          p.kind === 'license'
            ? JSON.stringify([p.add, p.remove])
            : p.kind === 'intercept'
              ? String(p.intercepted)
              : p.kind === 'password-reset'
                ? String(p.temporary ?? false)
                : '';
        const same = earlier.params.kind === params.kind && what(earlier.params) === what(params);
        if (!same)
          return fail(
            'invalid-input',
            'A retry does what the job it retries did; start a new job to do something else.',
          );
        if (journal.family(journal.rootOf(retryOf)).some(busy))
          return fail(
            'conflict',
            'That job, or another retry of it, is still running or being checked: retry when it has finished.',
          );
      }
      const unique = [...new Set(input.userIds)];

      const job: JobRow = {
        id: randomUUID(),
        backend: backendId,
        kind: params.kind,
        params,
        actor: options.actor(),
        createdAt: now().toISOString(),
        finishedAt: null,
        state: 'running',
        stop: null,
        stoppedBecause: null,
        total: unique.length,
        retryOf,
      };
      journal.createJob(job, unique);

      const planner = makePlanner(memory.get(kindOf(job)) ?? null);
      const state: LiveJob = {
        job,
        operation: operationOf(params.kind),
        secrets,
        queue: new PQueue({ concurrency: planner.concurrency }),
        planner,
        users: unique,
        cursor: 0,
        nextBatchNo: 0,
        skipped: new Set(),
        cancelled: false,
        stoppedBecause: null,
        waiting: 0,
        cancelSignal: new AbortController(),
        abort: new AbortController(),
        progress: { startedAt: Date.now(), doneAtStart: 0, inFlight: 0 },
        done: Promise.resolve(),
      };
      live.set(job.id, state);
      state.done = run(state);
      progress.publish(job.id);
      return ok({ jobId: job.id });
    },

    /** A password reset (the most common job), for callers that hold the secrets apart. */
    startReset(
      userIds: readonly string[],
      secrets: JobSecrets,
      retryOf: string | null = null,
    ): Result<{ jobId: string }> {
      return this.start({
        kind: 'password-reset',
        userIds: [...userIds],
        ...secrets,
        ...(retryOf === null ? {} : { retryOf }),
      });
    },

    /** Stops sending: users not sent yet become "not sent"; batches in flight finish. */
    cancel(jobId: string): boolean {
      const state = live.get(jobId);
      if (state === undefined || state.cancelled) return false;
      stopSending(state, REASONS.cancelled);
      journal.setJobStop(jobId, 'cancelled');
      journal.setJobState(jobId, 'cancelling', null);
      progress.publish(jobId);
      return true;
    },

    /**
     * Asks the backend again about a job's unconfirmed users, in the background. False when the
     * job is running or being checked, or has nothing to confirm.
     */
    checkAgain(jobId: string): boolean {
      if (busy(jobId) || ours(jobId) === null) return false;
      if (journal.openBatches(jobId).length === 0) return false;
      void startCheck(jobId);
      return true;
    },

    /**
     * At start-up: settles, in the background, the jobs a previous run left open or
     * unconfirmed. Resolves when all of them are settled as far as the backend can tell.
     */
    async recover(): Promise<void> {
      await Promise.all(
        journal
          .openJobs(backendId)
          .filter((id) => !busy(id))
          .map(startCheck),
      );
    },

    /** This backend's jobs, newest first. */
    list: (): JobSummary[] => journal.jobs(backendId).map(progress.summary),

    /** The connection changed: running jobs' cards say at once whether they wait for it. */
    connectionChanged(): void {
      for (const jobId of live.keys()) progress.publish(jobId);
    },

    /** True while any job runs or is being checked (the backend may not be switched then). */
    active: (): boolean => live.size > 0 || checks.size > 0,

    /** Each user's latest outcome, all or (with `since`) those of jobs changed since then. */
    lastActions(since: string | null): LastActions {
      const asOf = now().toISOString();
      return { entries: journal.lastActions(backendId, since), asOf };
    },

    results(jobId: string): JobUserResult[] | null {
      return ours(jobId) === null ? null : journal.results(jobId);
    },

    /** Resolves when the job has no batch left to run or check (for tests and shutdown). */
    async idle(jobId: string): Promise<void> {
      await live.get(jobId)?.done;
      await checks.get(jobId)?.done;
    },

    /** One of this backend's jobs (another backend's is not found here). */
    job: ours,

    /**
     * App shutdown: stops every running job and check, and their requests in flight, at once
     * (the next start settles those batches by key), then waits for them to write their state.
     */
    async shutdown(): Promise<void> {
      const running = [...live.values()];
      for (const state of running) {
        if (!state.cancelled) stopSending(state, REASONS.quit);
        journal.setJobStop(state.job.id, 'interrupted');
        state.abort.abort();
      }
      const checking = [...checks.values()];
      for (const check of checking) check.abort.abort();
      await Promise.all([...running, ...checking].map((item) => item.done));
    },
  };
}
export type JobRunner = ReturnType<typeof createJobRunner>;
