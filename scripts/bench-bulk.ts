/**
 * `npm run bench:bulk` — the app's job runner against the backend's own throughput for the same
 * work, on the built-in backend: test hashing, then production hashing (argon2id, as the app
 * ships), each phase on a fresh backend.
 *
 * Each round resets --users users three ways, on users nobody has reset yet:
 * (1) runner: the job runner as the app runs it (batches sized by time, journal, progress
 *     events), through a client that notes each batch it sends — size, body, Idempotency-Key
 *     and how many requests were in flight;
 * (2) backend, fixed batches: the backend's own throughput, 500-user batches at concurrency 2
 *     straight to it over fetch;
 * (3) backend, the runner's batches: the last runner's batches replayed straight to it — the
 *     same sizes in the same order, the same body, never more requests in flight than the
 *     runner had.
 * (2) and (3) send what the runner sends: one Idempotency-Key per batch, in the runner's form
 * (`passdesk-<job>-<batch>`), and its actor header, so the backend's work per key (a hash of
 * the request, its stored answer) is charged to both sides alike.
 * Rounds: one warm-up round, then --rounds rounds with the three taking turns going first. Each
 * run needs users nobody has reset yet and the seed holds at most 1,000,000, so
 * 3 × (warm-up + rounds × --users) must fit (--users 300000 --rounds 1 does).
 * Reported: min/median/max of each, and per round the runner's share of the backend's
 * throughput (backend seconds ÷ runner seconds, paired within the round) with a
 * distribution-free 95 % interval for its median. (4) One user at a time, on a few hundred users,
 * compared per user.
 *
 * Options: --users <n> (10000 per run), --rounds <n> (20), --cost test|production|both (both),
 * --production-rounds <n> (1: a production run takes minutes). Last line: one JSON object.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { HashCost } from '../electron/backend/crypto/secret-hasher.ts';
import { startBackend, type RunningBackend } from '../electron/backend/index.ts';
import { createJobRunner } from '../electron/main/services/jobs/job-runner.ts';
import { openJournal } from '../electron/main/services/jobs/journal.ts';
import {
  createProvisioningClient,
  type ProvisioningClient,
} from '../electron/main/services/provisioning-client.ts';
import { API_PREFIX, apiRoutes, type RouteName } from '../shared/api/index.ts';
import { silentLogger } from '../shared/log/index.ts';
import { DEFAULT_RULES } from '../shared/rules/index.ts';
import {
  median,
  medianInterval,
  round,
  showSummary,
  summarize,
  takingTurns,
  wholeNumber,
} from './bench-support.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '20' },
    'production-rounds': { type: 'string', default: '1' },
    cost: { type: 'string', default: 'both' },
  },
});
const USERS = wholeNumber('users', values.users);
const ROUNDS = wholeNumber('rounds', values.rounds);
const PRODUCTION_ROUNDS = wholeNumber('production-rounds', values['production-rounds']);
const COSTS: Record<string, HashCost[]> = {
  test: ['test'],
  production: ['production'],
  both: ['test', 'production'],
};
const costs = COSTS[values.cost];
if (costs === undefined) throw new Error('--cost must be test, production or both');
const FIXED_BATCH = 500;
const FIXED_CONCURRENCY = 2;
const MAX_SEED = 1_000_000;
const PASSWORD = 'Bulk#Bench7x';
const ACTOR = 'bench';

/** One batch as the runner sent it. */
interface SentBatch {
  route: RouteName;
  body: Record<string, unknown>;
  users: number;
  /** Requests in flight once this one was sent, itself included. */
  inFlight: number;
}

/** The client the runner gets: the real one, noting each keyed batch it sends. */
function recordingClient(client: ProvisioningClient, sent: SentBatch[]): ProvisioningClient {
  const keys = new Set<string>();
  let inFlight = 0;
  const recording: ProvisioningClient = {
    ...client,
    async send(route, input = {}) {
      const body = input.body as { userIds?: unknown[] } | undefined;
      const key = input.idempotencyKey;
      const isBatch = key !== undefined && Array.isArray(body?.userIds) && !keys.has(key);
      inFlight += 1;
      if (isBatch) {
        keys.add(key);
        sent.push({ route, body: { ...body }, users: body.userIds?.length ?? 0, inFlight });
      }
      try {
        return await client.send(route, input);
      } finally {
        inFlight -= 1;
      }
    },
  };
  return recording;
}

/** The 500-user batches at concurrency 2 that the backend alone is measured with. */
function fixedPlan(users: number): SentBatch[] {
  return Array.from({ length: Math.ceil(users / FIXED_BATCH) }, (_, i) => ({
    route: 'passwordResets' as const,
    body: { applicationPassword: PASSWORD },
    users: Math.min(FIXED_BATCH, users - i * FIXED_BATCH),
    inFlight: FIXED_CONCURRENCY,
  }));
}

/**
 * Sends `plan`'s batches straight to the backend over fetch, with `userIds` in their place:
 * each batch under its own key in the runner's form, waiting before each until fewer requests
 * are in flight than the plan had. Seconds from the first request to the last answer.
 */
async function sendPlan(backend: RunningBackend, plan: SentBatch[], userIds: string[]) {
  const job = randomUUID();
  const inFlight = new Set<Promise<void>>();
  let next = 0;
  const post = async (batch: SentBatch, batchNo: number, users: string[]) => {
    const response = await fetch(`${backend.url}${API_PREFIX}${apiRoutes[batch.route].path}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${backend.adminToken}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': `passdesk-${job}-${batchNo}`,
        'X-PassDesk-Actor': ACTOR,
      },
      body: JSON.stringify({ ...batch.body, userIds: users }),
      signal: AbortSignal.timeout(600_000),
    });
    if (!response.ok) throw new Error(`the backend answered ${response.status}`);
    await response.json();
  };
  const started = performance.now();
  for (const [i, batch] of plan.entries()) {
    while (inFlight.size >= batch.inFlight) await Promise.race(inFlight);
    const sending = post(batch, i + 1, userIds.slice(next, (next += batch.users))).finally(() =>
      inFlight.delete(sending),
    );
    inFlight.add(sending);
  }
  await Promise.all(inFlight);
  return (performance.now() - started) / 1000;
}

interface Phase {
  backend: RunningBackend;
  client: ProvisioningClient;
  dir: string;
  /** The next `n` users nobody has reset yet (no history: one hash per user). */
  take(n: number): string[];
}

/** (1) The job runner, with its journal, as the app runs it; its batches go into `sent`. */
async function viaRunner(phase: Phase, userIds: string[], sent: SentBatch[]) {
  const journal = openJournal(path.join(phase.dir, `journal-${randomUUID()}`));
  const runner = createJobRunner({
    client: recordingClient(phase.client, sent),
    journal,
    rules: () => DEFAULT_RULES,
    actor: () => ACTOR,
    onUpdate: () => undefined,
    logger: silentLogger,
  });
  try {
    const started = performance.now();
    const job = runner.startReset(userIds, { applicationPassword: PASSWORD });
    if (!job.ok) throw new Error(job.message);
    await runner.idle(job.data.jobId);
    const seconds = (performance.now() - started) / 1000;
    const summary = runner.list()[0];
    if (summary?.counts.changed !== userIds.length) {
      throw new Error(`the runner changed ${summary?.counts.changed ?? 0} of ${userIds.length}`);
    }
    return seconds;
  } finally {
    journal.close();
  }
}

async function openPhase(cost: HashCost, users: number): Promise<Phase> {
  if (users > MAX_SEED) {
    throw new Error(
      `${users} users would be needed (3 ways × (warm-up + --rounds runs), each on users nobody has reset yet); the seed takes at most ${MAX_SEED}: lower --users or --rounds`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), `passdesk-bench-bulk-${cost}-`));
  const backend = await startBackend({
    dataDir: path.join(dir, 'backend'),
    seed: `large:${users}`,
    hashCost: cost,
    staticDir: null,
    adminRateLimit: { points: 1_000_000, windowSeconds: 60 },
  });
  const client = createProvisioningClient(
    { kind: 'built-in', url: backend.url, token: backend.adminToken },
    { actor: () => ACTOR },
  );
  const ids: string[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await client.request('users', { query: { limit: 5000, cursor } });
    if (!page.ok) throw new Error(page.message);
    ids.push(...page.data.users.map((u) => u.id));
    if (page.data.nextCursor === null) break;
    cursor = page.data.nextCursor;
  }
  let taken = 0;
  return { backend, client, dir, take: (n) => ids.slice(taken, (taken += n)) };
}

type Way = 'runner' | 'backendFixedBatches' | 'backendRunnerBatches';
const WAYS: Way[] = ['runner', 'backendFixedBatches', 'backendRunnerBatches'];

/** One round: the three ways, in turns, `users` users each; seconds of each. */
async function oneRound(phase: Phase, users: number, turn: number, runnerPlan: SentBatch[][]) {
  const seconds = {} as Record<Way, number>;
  for (const way of takingTurns(turn, WAYS)) {
    const ids = phase.take(users);
    if (way === 'runner') {
      const sent: SentBatch[] = [];
      seconds.runner = await viaRunner(phase, ids, sent);
      runnerPlan.push(sent);
    } else {
      // The runner goes first in round 0, so from then on its last batches are known.
      const plan = way === 'backendFixedBatches' ? fixedPlan(users) : runnerPlan.at(-1);
      seconds[way] = plan === undefined ? NaN : await sendPlan(phase.backend, plan, ids);
    }
  }
  return seconds;
}

/** The runner's share of the backend's throughput, per round, with an interval for its median. */
function share(backend: number[], runner: number[]) {
  const ratios = runner.map((seconds, r) => (backend[r] ?? NaN) / seconds);
  const interval = medianInterval(ratios);
  return {
    ...summarize(ratios, 3),
    ci95:
      interval === null
        ? null
        : {
            low: round(interval.low, 3),
            high: round(interval.high, 3),
            confidence: round(interval.confidence, 3),
          },
    perRound: ratios.map((x) => round(x, 3)),
  };
}

/** (4) One user at a time, each its own keyed request. */
async function oneAtATime(phase: Phase, users: number) {
  const started = performance.now();
  for (const userId of phase.take(users)) {
    const answer = await phase.client.request('passwordResets', {
      body: { userIds: [userId], applicationPassword: PASSWORD },
      idempotencyKey: `passdesk-${randomUUID()}-1`,
    });
    if (!answer.ok) throw new Error(answer.message);
  }
  const seconds = (performance.now() - started) / 1000;
  return { users, seconds: round(seconds, 2), usersPerSecond: round(users / seconds) };
}

async function phase(cost: HashCost): Promise<Record<string, unknown>> {
  const rounds = cost === 'production' ? PRODUCTION_ROUNDS : ROUNDS;
  // Enough to start the hashing threads and settle the JIT; round 0's runner goes first, so no
  // replay ever uses the warm-up's (smaller) batches.
  const warmUsers = Math.min(USERS, cost === 'production' ? 500 : 5000);
  const loopUsers = cost === 'production' ? 200 : 1000;
  const p = await openPhase(cost, WAYS.length * (warmUsers + rounds * USERS) + loopUsers);
  const loadAtStart = round(loadavg()[0] ?? 0, 2);
  try {
    console.log(`— ${cost} hashing, ${USERS.toLocaleString('en-US')} users per run —`);
    const plans: SentBatch[][] = [];
    await oneRound(p, warmUsers, 0, plans);
    const runs: Record<Way, number>[] = [];
    for (let r = 0; r < rounds; r += 1) {
      runs.push(await oneRound(p, USERS, r, plans));
      const last = runs.at(-1);
      console.log(
        `round ${r + 1}:`,
        WAYS.map((w) => `${w} ${round(last?.[w] ?? NaN, 2)} s`).join(', '),
      );
    }
    const secondsOf = (way: Way) => runs.map((run) => run[way]);
    const report = (way: Way) => ({
      seconds: summarize(secondsOf(way), 2),
      usersPerSecond: summarize(secondsOf(way).map((s) => USERS / s)),
    });
    const batches = plans.slice(1).map((plan) => plan.length);
    const loop = await oneAtATime(p, loopUsers);
    const result = {
      cost,
      users: USERS,
      rounds,
      runner: { ...report('runner'), batchesPerRun: summarize(batches, 0) },
      backendFixedBatches: {
        ...report('backendFixedBatches'),
        batch: FIXED_BATCH,
        concurrency: FIXED_CONCURRENCY,
      },
      backendRunnerBatches: report('backendRunnerBatches'),
      runnerShareOfBackendFixed: share(secondsOf('backendFixedBatches'), secondsOf('runner')),
      runnerShareOfBackendSameBatches: share(
        secondsOf('backendRunnerBatches'),
        secondsOf('runner'),
      ),
      oneAtATime: loop,
      speedupOverOneAtATime: round(
        median(secondsOf('runner').map((s) => USERS / s)) / loop.usersPerSecond,
      ),
      // Other work on the machine scatters the rounds: read the figures with these.
      loadAverage1m: { start: loadAtStart, end: round(loadavg()[0] ?? 0, 2) },
    };
    printPhase(result);
    return result;
  } finally {
    await p.backend.close();
    rmSync(p.dir, { recursive: true, force: true });
  }
}

function printPhase(result: {
  runner: { seconds: ReturnType<typeof summarize> };
  backendFixedBatches: { seconds: ReturnType<typeof summarize> };
  backendRunnerBatches: { seconds: ReturnType<typeof summarize> };
  runnerShareOfBackendFixed: ReturnType<typeof share>;
  runnerShareOfBackendSameBatches: ReturnType<typeof share>;
  oneAtATime: { usersPerSecond: number };
  speedupOverOneAtATime: number;
}) {
  const ci = (s: ReturnType<typeof share>) =>
    s.ci95 === null
      ? 'too few rounds for an interval'
      : `95 % interval of the median ${s.ci95.low}–${s.ci95.high}`;
  console.log(`seconds, min / median / max:
  runner                        ${showSummary(result.runner.seconds)}
  backend, fixed batches        ${showSummary(result.backendFixedBatches.seconds)}
  backend, the runner's batches ${showSummary(result.backendRunnerBatches.seconds)}
runner's share of the backend's throughput (target ≥ 0.9), per round, min / median / max:
  vs fixed batches   ${showSummary(result.runnerShareOfBackendFixed)} (${ci(result.runnerShareOfBackendFixed)})
  vs same batches    ${showSummary(result.runnerShareOfBackendSameBatches)} (${ci(result.runnerShareOfBackendSameBatches)})
one user at a time: ${result.oneAtATime.usersPerSecond} users/s (the runner: ${result.speedupOverOneAtATime}× that)`);
}

const results: Record<string, unknown> = { cores: availableParallelism() };
for (const cost of costs) results[cost] = await phase(cost);
console.log(JSON.stringify(results));
