/**
 * Sizes a bulk job's requests by time, not by count.
 *
 * The planner models a request of n users as taking `a + b·n` ms as seen from here: `a` is what
 * every request costs whatever its size (the round trip, a gateway, the backend's own work per
 * request), `b` the time per user. It fits the two from the last few answers at each number of
 * requests in flight (a busy backend answers each request more slowly), and from the model:
 *
 * - **Batch size** = what makes a request take the target time (3 s): (target − a) ÷ b, between
 *   1 and `maxBatch`. Where the per-request cost alone is half the target or more, batches are
 *   made large enough that it is at most half of each request. Nothing is known at first, so
 *   the first batches are small (`firstBatch` users) and each later batch may grow at most 8×
 *   over the largest one measured: a fast backend reaches 500-user batches within three
 *   requests, a backend that takes a second per user gets batches of two or three users.
 * - **Concurrency** starts at 2, so that the backend always has the next batch while it answers
 *   one. It then tries one more request in flight at a time (up to `maxConcurrency`) and keeps it
 *   only if the backend gets through at least 15 % more users: a backend that spreads one request
 *   over all its cores gains nothing from more, one that serves each request on one thread does.
 *   A timeout or an overload answer (429, 503) takes one request away; after 10 answers it may
 *   try again.
 * - **Request timeout** = 3 × the batch's expected time + a third of `minTimeoutMs` (10 s by
 *   default), at least `minTimeoutMs` (30 s) and at most `maxTimeoutMs` (10 min): it follows
 *   the batch. A request that times out anyway is not a failure (the job then asks the backend
 *   what became of it); the planner takes it as a sign that the backend is slower than measured.
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
  /** What an earlier job of the same kind learnt (at 2 requests in flight); a starting point. */
  known?: Learnt | null;
}

/** The backend's speed as a job learnt it, at 2 requests in flight. */
export interface Learnt {
  perUserMs: number;
  overheadMs: number;
}

export interface BatchPlanner {
  /** How many users the next batch takes. */
  nextSize(): number;
  /** The timeout for a request of `users` users. */
  timeoutMs(users: number): number;
  /** How many requests may be in flight now. */
  readonly concurrency: number;
  /** What this planner has learnt, for the next job of the kind; null before any answer. */
  learnt(): Learnt | null;
  /** A batch of `users` users, sent while `concurrency` requests were allowed, took `ms`. */
  observe(sample: { users: number; ms: number; concurrency: number }): void;
  /** A request of `users` users got no answer within `ms`: the backend is slower than thought. */
  timedOut(sample: { users: number; ms: number }): void;
  /** The backend asked for less (429) or was overloaded (503). */
  overloaded(): void;
}

interface Model {
  /** Per request, ms. */
  a: number;
  /** Per user, ms. */
  b: number;
}

const GROWTH = 8;
const SAMPLES_KEPT = 8;
const SAMPLES_PER_LEVEL = 3;
const WORTH_IT = 1.15;
const COOLDOWN = 10;
const SMOOTHING = 0.5;
const REFERENCE_LEVEL = 2;

/**
 * The least-squares line through the samples, or the line through the origin when it cannot be
 * told (too few samples, too little spread in size, or a line that makes no sense).
 */
function fit(samples: readonly { n: number; ms: number }[]): Model | null {
  if (samples.length === 0) return null;
  const ns = samples.map((s) => s.n);
  const spread = Math.max(...ns) / Math.max(1, Math.min(...ns));
  const throughOrigin = (): Model => {
    const sumNms = samples.reduce((sum, s) => sum + s.n * s.ms, 0);
    const sumNn = samples.reduce((sum, s) => sum + s.n * s.n, 0);
    return { a: 0, b: Math.max(0.001, sumNms / Math.max(1, sumNn)) };
  };
  if (samples.length < 2 || spread < 1.5) return throughOrigin();
  const meanN = ns.reduce((x, y) => x + y, 0) / ns.length;
  const meanMs = samples.reduce((sum, s) => sum + s.ms, 0) / samples.length;
  let cov = 0;
  let varN = 0;
  for (const s of samples) {
    cov += (s.n - meanN) * (s.ms - meanMs);
    varN += (s.n - meanN) ** 2;
  }
  const b = cov / varN;
  const a = meanMs - b * meanN;
  // No request costs more than the fastest answer took: a line that says so is fitted to noise
  // (a busy backend's queue, say), and the line through the origin errs towards smaller batches.
  const fastest = Math.min(...samples.map((s) => s.ms));
  return b > 0 && a >= 0 && a <= fastest ? { a, b: Math.max(0.001, b) } : throughOrigin();
}

export function createBatchPlanner(options: BatchPlannerOptions = {}): BatchPlanner {
  const targetMs = options.targetMs ?? 3000;
  const maxBatch = Math.max(1, options.maxBatch ?? 500);
  const firstBatch = Math.min(maxBatch, Math.max(1, options.firstBatch ?? 10));
  const maxConcurrency = Math.max(1, options.maxConcurrency ?? 4);
  const minTimeoutMs = options.minTimeoutMs ?? 30_000;
  const maxTimeoutMs = Math.max(minTimeoutMs, options.maxTimeoutMs ?? 600_000);
  const known = options.known ?? null;

  let concurrency = Math.min(maxConcurrency, Math.max(1, options.startConcurrency ?? 2));
  /** Recent answers for each number of requests in flight. */
  const samples = new Map<number, { n: number; ms: number }[]>();
  /** Users per ms the backend got through, smoothed, for each number of requests in flight. */
  const throughput = new Map<number, number>();
  const answers = new Map<number, number>();
  /** A lower bound on the time per user, raised by timeouts. */
  let perUserFloor = 0;
  /** Set once one more request in flight did not pay: no more probing in this job. */
  let settled = concurrency >= maxConcurrency;
  let cooldown = 0;
  let largestMeasured = known === null ? 0 : maxBatch;

  /** The model for `level` requests in flight, from its own answers or the nearest level's. */
  function modelAt(level: number): Model | null {
    let model = fit(samples.get(level) ?? []);
    if (model === null) {
      let nearest: number | null = null;
      for (const other of samples.keys())
        if (nearest === null || Math.abs(other - level) < Math.abs(nearest - level))
          nearest = other;
      const base = nearest === null ? null : fit(samples.get(nearest) ?? []);
      // A busier backend answers each request more slowly, in proportion at worst.
      if (base !== null && nearest !== null) model = { a: base.a, b: (base.b * level) / nearest };
      else if (known !== null)
        model = { a: known.overheadMs, b: (known.perUserMs * level) / REFERENCE_LEVEL };
      else if (perUserFloor > 0) model = { a: 0, b: perUserFloor };
    }
    return model === null ? null : { a: model.a, b: Math.max(model.b, perUserFloor) };
  }

  function adjustConcurrency(): void {
    if (cooldown > 0) {
      cooldown -= 1;
      return;
    }
    if (settled || (answers.get(concurrency) ?? 0) < SAMPLES_PER_LEVEL) return;
    const now = throughput.get(concurrency);
    const before = throughput.get(concurrency - 1);
    if (before !== undefined && now !== undefined && now < before * WORTH_IT) {
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
    learnt() {
      const model = modelAt(REFERENCE_LEVEL);
      return model === null || samples.size === 0
        ? null
        : { perUserMs: model.b, overheadMs: model.a };
    },
    nextSize() {
      const model = modelAt(concurrency);
      if (model === null) return firstBatch;
      const byTarget = (targetMs - model.a) / model.b;
      // Where every request costs half the target or more, make each carry as much again.
      const byOverhead = model.a >= targetMs / 2 ? model.a / model.b : 0;
      const cap = Math.min(maxBatch, Math.max(firstBatch, largestMeasured * GROWTH));
      return Math.max(1, Math.min(cap, Math.floor(Math.max(byTarget, byOverhead))));
    },
    timeoutMs(users) {
      const model = modelAt(concurrency);
      const expected = model === null ? 0 : model.a + model.b * users;
      const slack = minTimeoutMs / 3;
      return Math.round(Math.min(maxTimeoutMs, Math.max(minTimeoutMs, expected * 3 + slack)));
    },
    observe({ users, ms, concurrency: sentAt }) {
      if (users <= 0) return;
      const level = Math.max(1, Math.min(maxConcurrency, sentAt));
      const kept = [...(samples.get(level) ?? []), { n: users, ms }].slice(-SAMPLES_KEPT);
      samples.set(level, kept);
      const rate = (users * level) / Math.max(ms, 0.001);
      const previous = throughput.get(level);
      throughput.set(
        level,
        previous === undefined ? rate : previous + SMOOTHING * (rate - previous),
      );
      answers.set(level, (answers.get(level) ?? 0) + 1);
      largestMeasured = Math.max(largestMeasured, users);
      adjustConcurrency();
    },
    timedOut({ users, ms }) {
      // At least this slow, even with no per-request cost; the real figure comes with the answer.
      const next = Math.max(1, concurrency - 1);
      perUserFloor = Math.max(perUserFloor, (ms / Math.max(1, users)) * (next / concurrency));
      concurrency = next;
      cooldown = COOLDOWN;
    },
    overloaded() {
      concurrency = Math.max(1, concurrency - 1);
      cooldown = COOLDOWN;
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
  return {
    concurrency: Math.max(1, fixed.concurrency),
    learnt: () => null,
    nextSize: () => Math.max(1, fixed.batchSize),
    timeoutMs: () => fixed.timeoutMs ?? 30_000,
    observe: () => undefined,
    timedOut: () => undefined,
    overloaded: () => undefined,
  };
}
