import type { JobSummary } from '../../../../shared/ipc/index.ts';
import type { Journal, JobRow } from './journal.ts';

/** What only the running job knows: when it started and what it has out at the backend. */
export interface LiveProgress {
  startedAt: number;
  /** Users with an outcome when this run of the job started (a retry's skipped users, say). */
  doneAtStart: number;
  inFlight: number;
}

export interface JobProgressOptions {
  journal: Journal;
  onUpdate: (summary: JobSummary) => void;
  live: (jobId: string) => LiveProgress | undefined;
  lastCheck: (jobId: string) => JobSummary['lastCheck'];
  /** What a running job waits for, if it waits for the backend to answer again. */
  waiting?: (jobId: string) => JobSummary['waiting'];
  /** Progress goes out at most this often per job (default 250 ms). */
  progressMs?: number;
}

/**
 * A job's summary for the renderer (counts from the journal, rate and time left from the live
 * job), and its publishing: every change of state at once, progress at most every
 * `progressMs` (counting a large job's users on every batch would cost more than the batches).
 */
export function createJobProgress(options: JobProgressOptions) {
  const { journal } = options;
  const progressMs = options.progressMs ?? 250;
  const lastPublished = new Map<string, number>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  function summary(job: JobRow): JobSummary {
    const counts = journal.counts(job.id);
    const done = job.total - counts.pending;
    const running = options.live(job.id);
    let ratePerSecond: number | null = null;
    let etaSeconds: number | null = null;
    if (running !== undefined) {
      const seconds = (Date.now() - running.startedAt) / 1000;
      const settled = done - running.doneAtStart;
      if (seconds > 0.2 && settled > 0) {
        ratePerSecond = settled / seconds;
        etaSeconds = counts.pending / ratePerSecond;
      }
    }
    return {
      id: job.id,
      params: job.params,
      actor: job.actor,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
      state: job.state,
      total: job.total,
      retryOf: job.retryOf,
      stoppedBecause: job.stoppedBecause,
      lastCheck: options.lastCheck(job.id),
      waiting: options.waiting?.(job.id) ?? null,
      done,
      inFlight: running?.inFlight ?? 0,
      counts,
      ratePerSecond,
      etaSeconds,
    };
  }

  function publish(jobId: string): void {
    clearTimeout(timers.get(jobId));
    timers.delete(jobId);
    lastPublished.set(jobId, Date.now());
    const job = journal.job(jobId);
    if (job !== null) options.onUpdate(summary(job));
  }

  return {
    summary,
    /** Sends the job's summary now (a change of state, its start and its end). */
    publish,
    /** Sends the job's summary soon: at most every `progressMs`. */
    progress(jobId: string): void {
      if (timers.has(jobId)) return;
      const wait = (lastPublished.get(jobId) ?? 0) + progressMs - Date.now();
      if (wait <= 0) publish(jobId);
      else
        timers.set(
          jobId,
          setTimeout(() => publish(jobId), wait),
        );
    },
    /** The job has ended: a last summary now, and nothing left scheduled. */
    finish(jobId: string): void {
      publish(jobId);
      lastPublished.delete(jobId);
    },
  };
}
export type JobProgress = ReturnType<typeof createJobProgress>;
