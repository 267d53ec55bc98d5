/**
 * `npm run bench:bulk` — the app's job runner against the built-in backend, 10,000 users:
 * (1) the job runner (batches of 500, 3 at a time, journal, progress events);
 * (2) the same batches sent straight to the backend at the same concurrency (its own time);
 * (3) a one-user-at-a-time loop (on 1,000 users; compared per user).
 * (1) and (2) run once each to warm up, then take turns (each going first in every other
 * round) for 9 rounds; the overhead is the median of the rounds' paired overheads.
 * Each run gets users of its own. Last line: one JSON object.
 * Options: --users <n> (10000), --rounds <n> (9), --cost test|production (test).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pMap from 'p-map';
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
    cost: { type: 'string', default: 'test' },
  },
});
const USERS = Number(values.users);
const ROUNDS = Math.max(1, Number(values.rounds));
const WARM_UP = USERS;
const LOOP_USERS = 1000;
const cost = values.cost === 'production' ? 'production' : 'test';
const CONCURRENCY = 3;
const dir = mkdtempSync(path.join(tmpdir(), 'passdesk-bench-bulk-'));
const round = (n: number, digits = 1): number => Number(n.toFixed(digits));
const median = (list: number[]): number =>
  [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;

const backend = await startBackend({
  dataDir: path.join(dir, 'backend'),
  seed: `large:${USERS * 2 * ROUNDS + 2 * WARM_UP + LOOP_USERS}`,
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
/** The next `n` users nobody has reset yet. */
let taken = 0;
const take = (n: number): string[] => ids.slice(taken, (taken += n));
const results: Record<string, unknown> = {
  users: USERS,
  rounds: ROUNDS,
  batch: 500,
  concurrency: CONCURRENCY,
  hashCost: cost,
};

/** (1) The job runner, with its journal; seconds for these users. */
async function viaRunner(userIds: string[]): Promise<{ seconds: number; changed: number }> {
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
  const job = runner.startReset(userIds, { applicationPassword: 'Bulk#Bench7x' });
  if (!job.ok) throw new Error(job.message);
  await runner.idle(job.data.jobId);
  const seconds = (performance.now() - started) / 1000;
  const changed = runner.list()[0]?.counts.changed ?? 0;
  journal.close();
  return { seconds, changed };
}

/** (2) The same batches straight to the backend, at the same concurrency. */
async function direct(userIds: string[]): Promise<number> {
  const batches: string[][] = [];
  for (let i = 0; i < userIds.length; i += 500) batches.push(userIds.slice(i, i + 500));
  const started = performance.now();
  await pMap(
    batches,
    async (batch) => {
      const response = await fetch(`${backend.url}/api/v1/password-resets`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${backend.adminToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ userIds: batch, applicationPassword: 'Bulk#Bench7x' }),
      });
      if (!response.ok) throw new Error(`backend answered ${response.status}`);
      await response.json();
    },
    { concurrency: CONCURRENCY },
  );
  return (performance.now() - started) / 1000;
}

try {
  await viaRunner(take(WARM_UP));
  await direct(take(WARM_UP));
  const runnerSeconds: number[] = [];
  const backendSeconds: number[] = [];
  let changed = 0;
  for (let r = 0; r < ROUNDS; r += 1) {
    // Alternating which goes first, so neither always runs on the warmer process.
    if (r % 2 === 1) backendSeconds.push(await direct(take(USERS)));
    const run = await viaRunner(take(USERS));
    runnerSeconds.push(run.seconds);
    changed += run.changed;
    if (r % 2 === 0) backendSeconds.push(await direct(take(USERS)));
  }
  const runner = median(runnerSeconds);
  const backendOnly = median(backendSeconds);
  results.jobRunner = {
    seconds: round(runner, 2),
    usersPerSecond: round(USERS / runner),
    changed,
    runs: runnerSeconds.map((x) => round(x, 2)),
  };
  results.backendDirect = {
    seconds: round(backendOnly, 2),
    usersPerSecond: round(USERS / backendOnly),
    runs: backendSeconds.map((x) => round(x, 2)),
  };
  console.log('job runner:', results.jobRunner);
  console.log('backend alone, same batches:', results.backendDirect);
  // Paired by round: the backend slows as its tables grow, so each runner run is compared with
  // the direct run beside it, and the median of those overheads is the figure.
  const overheads = runnerSeconds.map((seconds, r) => {
    const alone = backendSeconds[r] ?? seconds;
    return ((seconds - alone) / alone) * 100;
  });
  results.overheadPerRoundPercent = overheads.map((x) => round(x));
  results.runnerOverheadPercent = round(median(overheads));

  // (3) One user at a time.
  const started = performance.now();
  for (const userId of take(LOOP_USERS)) {
    const answer = await client.request('passwordResets', {
      body: { userIds: [userId], applicationPassword: 'Bulk#Bench7x' },
    });
    if (!answer.ok) throw new Error(answer.message);
  }
  const loopSeconds = (performance.now() - started) / 1000;
  results.oneAtATime = {
    users: LOOP_USERS,
    seconds: round(loopSeconds, 2),
    usersPerSecond: round(LOOP_USERS / loopSeconds),
  };
  results.speedupOverOneAtATime = round(USERS / runner / (LOOP_USERS / loopSeconds));
  console.log('one user at a time:', results.oneAtATime);
  console.log(
    `job runner overhead over the backend's own time: ${results.runnerOverheadPercent as number} % (target ≤ 10 %)`,
  );
} finally {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(results));
