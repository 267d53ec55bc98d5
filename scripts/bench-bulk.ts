/**
 * `npm run bench:bulk` — the app's job runner against the built-in backend, 10,000 users, with
 * test hashing and then with production hashing (argon2id, as the app ships), each phase on a
 * fresh backend:
 * (1) the job runner as the app runs it (batches sized by time, journal, progress events);
 * (2) the backend's own throughput for the same work: 500-user batches with Idempotency-Keys,
 *     2 at a time, straight to the backend;
 * (3) a one-user-at-a-time loop (on a few hundred users; compared per user).
 * With test hashing, (1) and (2) run once to warm up, then take turns (each going first in
 * every other round) for 9 rounds and the figures are medians; production hashing takes
 * minutes per run, so it runs each once. Last line: one JSON object.
 * Options: --users <n> (10000), --rounds <n> (9), --cost test|production|both (both).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pMap from 'p-map';
import type { HashCost } from '../electron/backend/crypto/secret-hasher.ts';
import { startBackend } from '../electron/backend/index.ts';
import { createJobRunner } from '../electron/main/services/jobs/job-runner.ts';
import { openJournal } from '../electron/main/services/jobs/journal.ts';
import { createProvisioningClient } from '../electron/main/services/provisioning-client.ts';
import { silentLogger } from '../shared/log/index.ts';
import { DEFAULT_RULES } from '../shared/rules/index.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '9' },
    cost: { type: 'string', default: 'both' },
  },
});
const USERS = Number(values.users);
const costs: HashCost[] =
  values.cost === 'test'
    ? ['test']
    : values.cost === 'production'
      ? ['production']
      : ['test', 'production'];
const DIRECT_BATCH = 500;
const DIRECT_CONCURRENCY = 2;
const PASSWORD = 'Bulk#Bench7x';
const round = (n: number, digits = 1): number => Number(n.toFixed(digits));
const median = (list: number[]): number =>
  [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;

async function phase(cost: HashCost): Promise<Record<string, unknown>> {
  const production = cost === 'production';
  const rounds = production ? 1 : Math.max(1, Number(values.rounds));
  const warmUp = production ? 0 : USERS;
  const loopUsers = production ? 200 : 1000;
  const dir = mkdtempSync(path.join(tmpdir(), `passdesk-bench-bulk-${cost}-`));
  const backend = await startBackend({
    dataDir: path.join(dir, 'backend'),
    seed: `large:${USERS * 2 * rounds + 2 * warmUp + loopUsers}`,
    hashCost: cost,
    staticDir: null,
    adminRateLimit: { points: 1_000_000, windowSeconds: 60 },
  });
  const client = createProvisioningClient({
    kind: 'built-in',
    url: backend.url,
    token: backend.adminToken,
  });
  const ids: string[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await client.request('users', { query: { limit: 5000, cursor } });
    if (!page.ok) throw new Error(page.message);
    ids.push(...page.data.users.map((u) => u.id));
    if (page.data.nextCursor === null) break;
    cursor = page.data.nextCursor;
  }
  /** The next `n` users nobody has reset yet (each has no history: one hash per user). */
  let taken = 0;
  const take = (n: number): string[] => ids.slice(taken, (taken += n));

  /** (1) The job runner, with its journal, as the app runs it. */
  async function viaRunner(userIds: string[]) {
    const journal = openJournal(path.join(dir, `journal-${taken}`));
    const runner = createJobRunner({
      client,
      journal,
      rules: () => DEFAULT_RULES,
      actor: () => 'bench',
      onUpdate: () => undefined,
      logger: silentLogger,
    });
    const started = performance.now();
    const job = runner.startReset(userIds, { applicationPassword: PASSWORD });
    if (!job.ok) throw new Error(job.message);
    await runner.idle(job.data.jobId);
    const seconds = (performance.now() - started) / 1000;
    const summary = runner.list()[0];
    const batches = journal.batches(job.data.jobId).length;
    journal.close();
    return { seconds, changed: summary?.counts.changed ?? 0, state: summary?.state, batches };
  }

  /** (2) The backend's own throughput: full batches with keys, straight to it. */
  async function direct(userIds: string[]): Promise<number> {
    const batches: string[][] = [];
    for (let i = 0; i < userIds.length; i += DIRECT_BATCH)
      batches.push(userIds.slice(i, i + DIRECT_BATCH));
    const started = performance.now();
    await pMap(
      batches,
      async (batch) => {
        const response = await fetch(`${backend.url}/api/v1/password-resets`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${backend.adminToken}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': `bench-${randomUUID()}`,
          },
          body: JSON.stringify({ userIds: batch, applicationPassword: PASSWORD }),
          signal: AbortSignal.timeout(600_000),
        });
        if (!response.ok) throw new Error(`backend answered ${response.status}`);
        await response.json();
      },
      { concurrency: DIRECT_CONCURRENCY },
    );
    return (performance.now() - started) / 1000;
  }

  const results: Record<string, unknown> = { cost, users: USERS, rounds };
  try {
    if (warmUp > 0) {
      await viaRunner(take(warmUp));
      await direct(take(warmUp));
    }
    const runnerSeconds: number[] = [];
    const backendSeconds: number[] = [];
    const runs: Awaited<ReturnType<typeof viaRunner>>[] = [];
    for (let r = 0; r < rounds; r += 1) {
      // Alternating which goes first, so neither always runs on the warmer process.
      if (r % 2 === 1) backendSeconds.push(await direct(take(USERS)));
      const run = await viaRunner(take(USERS));
      runs.push(run);
      runnerSeconds.push(run.seconds);
      if (r % 2 === 0) backendSeconds.push(await direct(take(USERS)));
    }
    const runner = median(runnerSeconds);
    const alone = median(backendSeconds);
    results.jobRunner = {
      seconds: round(runner, 2),
      usersPerSecond: round(USERS / runner),
      changed: runs.map((run) => run.changed),
      finalStates: [...new Set(runs.map((run) => run.state))],
      batches: runs.map((run) => run.batches),
      runs: runnerSeconds.map((x) => round(x, 2)),
    };
    results.backendAlone = {
      seconds: round(alone, 2),
      usersPerSecond: round(USERS / alone),
      batch: DIRECT_BATCH,
      concurrency: DIRECT_CONCURRENCY,
      runs: backendSeconds.map((x) => round(x, 2)),
    };
    // Paired by round: the backend slows as its tables grow.
    const ratios = runnerSeconds.map((seconds, r) => (backendSeconds[r] ?? seconds) / seconds);
    results.throughputRatioPerRound = ratios.map((x) => round(x, 3));
    results.throughputRatio = round(median(ratios), 3);

    // (3) One user at a time.
    const started = performance.now();
    for (const userId of take(loopUsers)) {
      const answer = await client.request('passwordResets', {
        body: { userIds: [userId], applicationPassword: PASSWORD },
        idempotencyKey: `bench-${randomUUID()}`,
      });
      if (!answer.ok) throw new Error(answer.message);
    }
    const loopSeconds = (performance.now() - started) / 1000;
    results.oneAtATime = {
      users: loopUsers,
      seconds: round(loopSeconds, 2),
      usersPerSecond: round(loopUsers / loopSeconds),
    };
    results.speedupOverOneAtATime = round(USERS / runner / (loopUsers / loopSeconds));
    console.log(`— ${cost} hashing, ${USERS.toLocaleString('en-US')} users —`);
    console.log('job runner:', results.jobRunner);
    console.log('backend alone, same work:', results.backendAlone);
    console.log('one user at a time:', results.oneAtATime);
    console.log(
      `runner throughput ÷ backend's own: ${results.throughputRatio as number} (target ≥ 0.9); ` +
        `${results.speedupOverOneAtATime as number}× one user at a time`,
    );
  } finally {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

const results: Record<string, unknown> = { cores: availableParallelism() };
for (const cost of costs) results[cost] = await phase(cost);
console.log(JSON.stringify(results));
