/**
 * `npm run bench:backend` — figures for the built-in backend, printed, not asserted. Each
 * phase (test hashing, production hashing) gets a fresh data folder seeded with --users users;
 * seeding is timed by itself, apart from the server's start on the seeded database.
 * (1) Test hashing cost: listing every user in pages of 5,000 (once to warm up, then --rounds
 *     times), and resetting --resets users in batches of 500 at concurrency 2 and 4, each
 *     request under its own Idempotency-Key as the app sends them: each concurrency once to
 *     warm up, then --rounds rounds taking turns (each going first in every other round), on
 *     users nobody has reset yet. min / median / max of each.
 * (2) Production hashing (argon2id m=19 MiB, t=2, on the backend's worker threads): the time of
 *     one hash and the machine's limit (cores ÷ that time), and what a bare pool of the same
 *     threads does with no backend around it; then, after a warm-up job, --resets users reset
 *     in batches of --prod-batch at concurrency 2, one secret each, with an Idempotency-Key per
 *     batch, while GET /health is polled every 50 ms: the backend's hashes/s next to the
 *     limit, and /health's latency during the job. Other load on the machine lowers the
 *     figures; the 1-minute load average before and after is printed with them.
 * Options: --users <n> (100000, up to 1,000,000), --resets <n> (5000), --rounds <n> (9),
 * --prod-batch <n> (200), --hash-threads <n> (one per core), --skip-production. The last line
 * is one JSON object.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pMap from 'p-map';
import { createHashPool } from '../electron/backend/crypto/hash-pool.ts';
import { deriveKeySync } from '../electron/backend/crypto/key-derivation.ts';
import type { HashCost } from '../electron/backend/crypto/secret-hasher.ts';
import { openDatabase } from '../electron/backend/db/database.ts';
import { seedDatabase } from '../electron/backend/db/seed.ts';
import { startBackend, type RunningBackend } from '../electron/backend/index.ts';
import { median, round, showSummary, summarize, wholeNumber } from './bench-support.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    resets: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '9' },
    'prod-batch': { type: 'string', default: '200' },
    'hash-threads': { type: 'string' },
    'skip-production': { type: 'boolean', default: false },
  },
});
const TOTAL_USERS = wholeNumber('users', values.users);
const RESET_USERS = wholeNumber('resets', values.resets);
const ROUNDS = wholeNumber('rounds', values.rounds);
const PROD_BATCH = wholeNumber('prod-batch', values['prod-batch']);
const HASH_THREADS =
  values['hash-threads'] === undefined
    ? undefined
    : wholeNumber('hash-threads', values['hash-threads']);
if (TOTAL_USERS > 1_000_000) throw new Error('--users: the seed takes at most 1,000,000 users');
const BATCH = 500;
const WARM_UP = Math.min(RESET_USERS, 2000);
const HEALTH_EVERY_MS = 50;
const CORES = availableParallelism();

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function admin(
  backend: RunningBackend,
  pathname: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const response = await fetch(`${backend.url}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      Authorization: `Bearer ${backend.adminToken}`,
      'Content-Type': 'application/json',
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${pathname} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function listAll(
  backend: RunningBackend,
): Promise<{ ids: string[]; ms: number; pages: number }> {
  const started = performance.now();
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = cursor === null ? 'limit=5000' : `limit=5000&cursor=${cursor}`;
    const page = (await admin(backend, `/api/v1/users?${query}`)) as {
      users: { id: string }[];
      nextCursor: string | null;
    };
    ids.push(...page.users.map((u) => u.id));
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor !== null);
  return { ids, ms: performance.now() - started, pages };
}

/**
 * Resets `userIds` in batches of `batch`, `concurrency` requests at a time, one secret each,
 * each request under its own Idempotency-Key in the app's form (the backend hashes each).
 */
async function resetRun(
  backend: RunningBackend,
  userIds: string[],
  options: { concurrency: number; batch: number },
) {
  const job = randomUUID();
  const batches: string[][] = [];
  for (let i = 0; i < userIds.length; i += options.batch)
    batches.push(userIds.slice(i, i + options.batch));
  const latencies: number[] = [];
  let changed = 0;
  const started = performance.now();
  await pMap(
    batches,
    async (batch, index) => {
      const begun = performance.now();
      const answer = (await admin(
        backend,
        '/api/v1/password-resets',
        { userIds: batch, applicationPassword: 'Bench#Pass9x' },
        { 'Idempotency-Key': `passdesk-${job}-${index + 1}` },
      )) as { results: { outcome: string }[] };
      latencies.push(performance.now() - begun);
      changed += answer.results.filter((r) => r.outcome === 'changed').length;
    },
    { concurrency: options.concurrency },
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    users: userIds.length,
    changed,
    requests: batches.length,
    concurrency: options.concurrency,
    batch: options.batch,
    seconds: round(seconds, 2),
    usersPerSecond: round(userIds.length / seconds),
    batchP50Ms: Math.round(percentile(latencies, 50)),
    batchP95Ms: Math.round(percentile(latencies, 95)),
  };
}

/** A fresh data folder seeded with TOTAL_USERS (seeding timed by itself), and a backend on it. */
async function withFreshBackend<T>(
  cost: HashCost,
  work: (backend: RunningBackend, timings: { seedSeconds: number; startMs: number }) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `passdesk-bench-${cost}-`));
  try {
    const seedStarted = performance.now();
    const db = openDatabase(dataDir);
    seedDatabase(db, `large:${TOTAL_USERS}`);
    db.close();
    const seedSeconds = round((performance.now() - seedStarted) / 1000, 2);
    const startStarted = performance.now();
    const backend = await startBackend({
      dataDir,
      hashCost: cost,
      ...(HASH_THREADS === undefined ? {} : { hashThreads: HASH_THREADS }),
      staticDir: null,
      adminRateLimit: { points: 1_000_000, windowSeconds: 60 },
    });
    const startMs = Math.round(performance.now() - startStarted);
    try {
      return await work(backend, { seedSeconds, startMs });
    } finally {
      await backend.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Lists every user once to warm up, then ROUNDS times: ms per list, min / median / max. */
async function listRounds(backend: RunningBackend) {
  const warm = await listAll(backend);
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) times.push((await listAll(backend)).ms);
  const ms = summarize(times, 0);
  return {
    ids: warm.ids,
    report: {
      pages: warm.pages,
      ms,
      usersPerSecond: Math.round(warm.ids.length / (ms.median / 1000)),
    },
  };
}

async function testCostPhase(results: Record<string, unknown>): Promise<void> {
  const needed = 2 * WARM_UP + 2 * ROUNDS * RESET_USERS;
  if (needed > TOTAL_USERS) {
    throw new Error(
      `--resets ${RESET_USERS} × 2 × --rounds ${ROUNDS} (+ warm-up) needs ${needed} users; --users is ${TOTAL_USERS}`,
    );
  }
  await withFreshBackend('test', async (backend, { seedSeconds, startMs }) => {
    results.test = { seedSeconds, startMs };
    console.log(`seeded ${TOTAL_USERS} users in ${seedSeconds} s; started in ${startMs} ms`);
    const listed = await listRounds(backend);
    results.list = listed.report;
    console.log(
      `listed ${listed.ids.length} users in ${listed.report.pages} pages: ${showSummary(listed.report.ms)} ms`,
    );
    // Every run gets users nobody has reset yet, so none pays for history the others left.
    let taken = 0;
    const take = (n: number): string[] => listed.ids.slice(taken, (taken += n));
    for (const concurrency of [2, 4]) {
      await resetRun(backend, take(WARM_UP), { concurrency, batch: BATCH });
    }
    const runs: Record<number, Awaited<ReturnType<typeof resetRun>>[]> = { 2: [], 4: [] };
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const concurrency of r % 2 === 0 ? [2, 4] : [4, 2]) {
        runs[concurrency]?.push(
          await resetRun(backend, take(RESET_USERS), { concurrency, batch: BATCH }),
        );
      }
    }
    for (const concurrency of [2, 4]) {
      const list = runs[concurrency] ?? [];
      const summary = {
        users: RESET_USERS,
        batch: BATCH,
        concurrency,
        rounds: list.length,
        seconds: summarize(
          list.map((run) => run.seconds),
          2,
        ),
        usersPerSecond: summarize(list.map((run) => run.usersPerSecond)),
        batchP50Ms: summarize(list.map((run) => run.batchP50Ms)),
        batchP95Ms: summarize(list.map((run) => run.batchP95Ms)),
      };
      results[`testCostConcurrency${concurrency}`] = summary;
      console.log(
        `test cost, concurrency ${concurrency}, ${list.length} rounds: users/s ${showSummary(summary.usersPerSecond)}; ` +
          `batch p50 ${showSummary(summary.batchP50Ms)} ms, p95 ${showSummary(summary.batchP95Ms)} ms`,
      );
    }
  });
}

/** Polls GET /health until `stop` is set, one request every HEALTH_EVERY_MS; latencies in ms. */
async function pollHealth(backend: RunningBackend, stop: { now: boolean }): Promise<number[]> {
  const latencies: number[] = [];
  while (!stop.now) {
    const begun = performance.now();
    const response = await fetch(`${backend.url}/api/v1/health`);
    await response.json();
    const ms = performance.now() - begun;
    latencies.push(ms);
    await sleep(Math.max(0, HEALTH_EVERY_MS - ms));
  }
  return latencies;
}

/** The time of one production hash on this thread, with no other hashing running: median ms. */
function oneHashMs(): number {
  const request = {
    algorithm: 'argon2id' as const,
    secret: 'Bench#Pass9x',
    salt: randomBytes(16),
    params: { m: 19_456, t: 2, p: 1 },
  };
  for (let i = 0; i < 3; i += 1) deriveKeySync(request);
  const times: number[] = [];
  for (let i = 0; i < 15; i += 1) {
    const begun = performance.now();
    deriveKeySync(request);
    times.push(performance.now() - begun);
  }
  return median(times);
}

/**
 * Production hashes/s of a bare pool (no backend, no HTTP, no database) over about 4 s: what the
 * cores deliver when all hash at once, which is less than cores ÷ one hash where they share
 * caches and memory bandwidth.
 */
async function barePoolHashesPerSecond(threads: number): Promise<number> {
  const pool = createHashPool({ threads });
  const request = () => ({
    algorithm: 'argon2id' as const,
    secret: 'Bench#Pass9x',
    salt: randomBytes(16),
    params: { m: 19_456, t: 2, p: 1 },
  });
  try {
    await Promise.all(Array.from({ length: threads }, () => pool.run(request())));
    let done = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 2 * threads }, async () => {
        while (performance.now() - started < 4000) {
          await pool.run(request());
          done += 1;
        }
      }),
    );
    return done / ((performance.now() - started) / 1000);
  } finally {
    await pool.close();
  }
}

async function productionPhase(results: Record<string, unknown>): Promise<void> {
  const phaseStarted = performance.now();
  const loadBefore = loadavg()[0] ?? 0;
  const hashMs = oneHashMs();
  const limit = CORES / (hashMs / 1000);
  const threads = HASH_THREADS ?? CORES;
  const bare = await barePoolHashesPerSecond(threads);
  console.log(
    `production cost (argon2id m=19 MiB t=2): one hash ${round(hashMs, 1)} ms; ` +
      `machine limit ${CORES} cores ÷ ${round(hashMs, 1)} ms = ${Math.round(limit)} hashes/s; ` +
      `a bare pool of ${threads} threads does ${Math.round(bare)} hashes/s`,
  );
  await withFreshBackend('production', async (backend, { seedSeconds, startMs }) => {
    console.log(`seeded ${TOTAL_USERS} users in ${seedSeconds} s; started in ${startMs} ms`);
    const { ids } = await listAll(backend);
    if (ids.length < PROD_BATCH + RESET_USERS) {
      throw new Error(`--resets ${RESET_USERS} (+ a warm-up of ${PROD_BATCH}) exceeds --users`);
    }
    // Warm-up: starts the hashing threads and lets the JIT settle, on users of its own.
    await resetRun(backend, ids.slice(0, PROD_BATCH), {
      concurrency: 2,
      batch: Math.ceil(PROD_BATCH / 2),
    });
    const userIds = ids.slice(PROD_BATCH, PROD_BATCH + RESET_USERS);

    const stop = { now: false };
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    const loopBefore = performance.eventLoopUtilization();
    loopDelay.enable();
    const health = pollHealth(backend, stop);
    const run = await resetRun(backend, userIds, {
      concurrency: 2,
      batch: PROD_BATCH,
    });
    stop.now = true;
    const healthMs = (await health).sort((a, b) => a - b);
    loopDelay.disable();
    const loop = performance.eventLoopUtilization(loopBefore);

    // One hash per user (no history yet), plus each request's Idempotency-Key fingerprint.
    const hashes = run.changed + run.requests;
    const achieved = hashes / run.seconds;
    const summary = {
      seedSeconds,
      startMs,
      ...run,
      hashThreads: backend.hashThreads,
      cores: CORES,
      oneHashMs: round(hashMs, 1),
      machineLimitHashesPerSecond: Math.round(limit),
      hashes,
      barePoolHashesPerSecond: Math.round(bare),
      achievedHashesPerSecond: Math.round(achieved),
      ofMachineLimit: `${Math.round((achieved / limit) * 100)}%`,
      ofBarePool: `${Math.round((achieved / bare) * 100)}%`,
      msPerUser: round((run.seconds * 1000) / run.users, 2),
      health: {
        requests: healthMs.length,
        p50Ms: round(percentile(healthMs, 50), 1),
        p99Ms: round(percentile(healthMs, 99), 1),
        maxMs: round(healthMs.at(-1) ?? 0, 1),
      },
      eventLoop: {
        utilization: round(loop.utilization, 3),
        delayP99Ms: round(loopDelay.percentile(99) / 1e6, 1),
        delayMaxMs: round(loopDelay.max / 1e6, 1),
      },
      // Other work on the machine takes cores from the hashing: read the figures with these.
      loadAverage1m: { before: round(loadBefore, 2), after: round(loadavg()[0] ?? 0, 2) },
      // From the one-hash measurement to here: seeding, warm-up and the job.
      phaseSeconds: round((performance.now() - phaseStarted) / 1000, 1),
    };
    results.production = summary;
    console.log(
      `production cost, ${run.users} users, batches of ${PROD_BATCH}, concurrency 2: ` +
        `${summary.achievedHashesPerSecond} hashes/s achieved vs ${summary.machineLimitHashesPerSecond} ` +
        `machine limit (${summary.ofMachineLimit}; ${summary.ofBarePool} of the bare pool); ` +
        `${summary.msPerUser} ms per user; ` +
        `/health p50 ${summary.health.p50Ms} ms, p99 ${summary.health.p99Ms} ms, ` +
        `max ${summary.health.maxMs} ms over ${summary.health.requests} polls`,
    );
    console.log('production cost:', summary);
  });
}

const benchStarted = performance.now();
const loadAtStart = round(loadavg()[0] ?? 0, 2);
const results: Record<string, unknown> = {
  users: TOTAL_USERS,
  batch: BATCH,
  resetUsers: RESET_USERS,
  rounds: ROUNDS,
  cores: CORES,
};
await testCostPhase(results);
if (!values['skip-production']) await productionPhase(results);
const benchSeconds = round((performance.now() - benchStarted) / 1000, 1);
results.benchSeconds = benchSeconds;
results.loadAverage1m = { start: loadAtStart, end: round(loadavg()[0] ?? 0, 2) };
console.log(`bench took ${benchSeconds} s`);
console.log(JSON.stringify(results));
