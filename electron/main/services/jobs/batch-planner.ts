/**
 * Sizes a bulk job's requests by time, not by count.
 *
 * The planner keeps an estimate of how long the backend takes per user, as seen from here
 * (the time from sending a batch to its confirmed answer, divided by its users), separately for
 * each number of requests in flight, because a backend that is already busy answers each
 * request more slowly. From it:
 *
 * - **Batch size** = the target request time ÷ the time per user, between 1 and `maxBatch`.
 *   Nothing is known at first, so the first batches are small (`firstBatch` users) and each
 *   later batch may grow at most 8× over the largest one measured: a fast backend reaches
 *   500-user batches within a few requests, a backend that takes a second per user gets batches
 *   of a few users, each still taking about the target time.
 * - **Concurrency** starts at 2, so that the backend always has the next batch while it answers
 *   one. It then tries one more request in flight at a time (up to `maxConcurrency`) and keeps it
 *   only if the backend's throughput grows by at least 15 %: a backend that spreads one request
 *   over all its cores gains nothing from more, one that serves each request on one thread does.
 *   A timeout or an overload answer (429, 5xx) takes one request away for the rest of the job.
 * - **Request timeout** = 3 × the batch's expected time + a third of `minTimeoutMs` (10 s by
 *   default), at least `minTimeoutMs` (30 s) and at most `maxTimeoutMs` (10 min): it follows
 *   the batch. A request that times out anyway is not a failure (the job then asks the
 *   backend what became of it); the planner takes it as a sign that the backend is slower than
 *   measured.
 */
export interface BatchPlannerOptions {
  /** How long one request should take (default 3 s). */
  targetMs?: number;
  /** The most users in one request (default 500). */
  maxBatch?: number;
  /** The size of the first batches, before anything is measured (default 10). */
  firstBatch?: number;
  /** The most requests in flight (default 4). */
  maxConcurrency?: number;
  /** Requests in flight at the start (default 2). */
  startConcurrency?: number;
  /** The shortest request timeout (default 30 s). */
  minTimeoutMs?: number;
  /** The longest request timeout (default 10 min). */
  maxTimeoutMs?: number;
  /**
   * Where an earlier job of the same kind ended: its time per user at its concurrency. The new
   * job starts there, without probing again.
   */
  known?: { perUserMs: number; concurrency: number } | null;
}

export interface BatchPlanner {
  /** How many users the next batch takes. */
  nextSize(): number;
  /** The timeout for a request of `users` users. */
  timeoutMs(users: number): number;
  /** How many requests may be in flight now. */
  readonly concurrency: number;
  /** The time per user at the current concurrency, or null before the first answer. */
  readonly perUserMs: number | null;
  /** A batch of `users` users, sent while `concurrency` requests were allowed, took `ms`. */
  observe(sample: { users: number; ms: number; concurrency: number }): void;
  /** A request of `users` users got no answer within `ms`: the backend is slower than thought. */
  timedOut(sample: { users: number; ms: number }): void;
  /** The backend asked for less (429) or failed under load (5xx). */
  overloaded(): void;
}

const SMOOTHING = 0.5;
const GROWTH = 8;
const SAMPLES_PER_LEVEL = 3;
const WORTH_IT = 1.15;

export function createBatchPlanner(options: BatchPlannerOptions = {}): BatchPlanner {
  const targetMs = options.targetMs ?? 3000;
  const maxBatch = Math.max(1, options.maxBatch ?? 500);
  const firstBatch = Math.min(maxBatch, Math.max(1, options.firstBatch ?? 10));
  const maxConcurrency = Math.max(1, options.maxConcurrency ?? 4);
  const minTimeoutMs = options.minTimeoutMs ?? 30_000;
  const maxTimeoutMs = Math.max(minTimeoutMs, options.maxTimeoutMs ?? 600_000);

  const known = options.known ?? null;
  let concurrency = Math.min(
    maxConcurrency,
    Math.max(1, known?.concurrency ?? options.startConcurrency ?? 2),
  );
  /** Time per user (ms), smoothed, for each number of requests in flight. */
  const latency = new Map<number, number>();
  const samples = new Map<number, number>();
  /** Set once more concurrency stopped paying (or the backend pushed back): no more probing. */
  let settled = known !== null || concurrency >= maxConcurrency;
  let largestMeasured = known === null ? 0 : maxBatch;
  if (known !== null) latency.set(concurrency, known.perUserMs);

  /** The estimate for `level` requests in flight, from the nearest level measured. */
  function perUserAt(level: number): number | null {
    const exact = latency.get(level);
    if (exact !== undefined) return exact;
    let nearest: number | null = null;
    for (const known of latency.keys())
      if (nearest === null || Math.abs(known - level) < Math.abs(nearest - level)) nearest = known;
    // A busier backend answers each request more slowly, in proportion at worst.
    const base = nearest === null ? undefined : latency.get(nearest);
    return nearest === null || base === undefined ? null : (base * level) / nearest;
  }

  const throughput = (level: number): number | null => {
    const perUser = latency.get(level);
    return perUser === undefined || perUser <= 0 ? null : level / perUser;
  };

  function adjustConcurrency(): void {
    if (settled) return;
    if ((samples.get(concurrency) ?? 0) < SAMPLES_PER_LEVEL) return;
    const now = throughput(concurrency);
    const before = throughput(concurrency - 1);
    if (before !== null && now !== null && now < before * WORTH_IT) {
      concurrency -= 1;
      settled = true;
      return;
    }
    if (concurrency < maxConcurrency) concurrency += 1;
    else settled = true;
  }

  return {
    get concurrency() {
      return concurrency;
    },
    get perUserMs() {
      return perUserAt(concurrency);
    },
    nextSize() {
      const perUser = perUserAt(concurrency);
      if (perUser === null) return firstBatch;
      const bySpeed = Math.floor(targetMs / Math.max(perUser, 0.001));
      const cap = Math.min(maxBatch, Math.max(firstBatch, largestMeasured * GROWTH));
      return Math.max(1, Math.min(cap, bySpeed));
    },
    timeoutMs(users) {
      const perUser = perUserAt(concurrency);
      const expected = perUser === null ? 0 : perUser * users;
      const slack = minTimeoutMs / 3;
      return Math.round(Math.min(maxTimeoutMs, Math.max(minTimeoutMs, expected * 3 + slack)));
    },
    observe({ users, ms, concurrency: sentAt }) {
      if (users <= 0) return;
      const level = Math.max(1, Math.min(maxConcurrency, sentAt));
      const perUser = ms / users;
      const previous = latency.get(level);
      latency.set(
        level,
        previous === undefined ? perUser : previous + SMOOTHING * (perUser - previous),
      );
      samples.set(level, (samples.get(level) ?? 0) + 1);
      largestMeasured = Math.max(largestMeasured, users);
      adjustConcurrency();
    },
    timedOut({ users, ms }) {
      // At least this slow; the real figure comes with the answer.
      const atLeast = ms / Math.max(1, users);
      for (const [level, perUser] of latency) latency.set(level, Math.max(perUser, atLeast));
      if (!latency.has(concurrency)) latency.set(concurrency, atLeast);
      concurrency = Math.max(1, concurrency - 1);
      settled = true;
    },
    overloaded() {
      concurrency = Math.max(1, concurrency - 1);
      settled = true;
    },
  };
}

/**
 * Fixed sizes for a backend with documented limits (and for tests that count requests): every
 * batch `batchSize` users, `concurrency` requests in flight, one timeout.
 */
export function createFixedPlanner(fixed: {
  batchSize: number;
  concurrency: number;
  timeoutMs?: number;
}): BatchPlanner {
  let perUserMs: number | null = null;
  return {
    concurrency: Math.max(1, fixed.concurrency),
    get perUserMs() {
      return perUserMs;
    },
    nextSize: () => Math.max(1, fixed.batchSize),
    timeoutMs: () => fixed.timeoutMs ?? 30_000,
    observe({ users, ms }) {
      if (users > 0) perUserMs = ms / users;
    },
    timedOut: () => undefined,
    overloaded: () => undefined,
  };
}
