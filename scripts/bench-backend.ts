/**
 * `npm run bench:backend` — figures for the built-in backend, printed, not asserted:
 * seeding 100,000 users; listing them all in pages of 5,000; resetting 10,000 users in batches of
 * 500 at concurrency 2 and 4, with the test hashing cost and with the production (OWASP) cost.
 * Options: --users <n> (default 10000). The last line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pMap from 'p-map';
import { startBackend, type RunningBackend } from '../electron/backend/index.ts';
import type { HashCost } from '../electron/backend/crypto/secret-hasher.ts';

const { values } = parseArgs({ options: { users: { type: 'string', default: '10000' } } });
const RESET_USERS = Number(values.users);
const TOTAL_USERS = 100_000;
const BATCH = 500;

const dataDir = mkdtempSync(path.join(tmpdir(), 'passdesk-bench-'));
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

async function admin(backend: RunningBackend, pathname: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${backend.url}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${backend.adminToken}`, 'Content-Type': 'application/json' },
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

async function resetRun(backend: RunningBackend, userIds: string[], concurrency: number) {
  const batches: string[][] = [];
  for (let i = 0; i < userIds.length; i += BATCH) batches.push(userIds.slice(i, i + BATCH));
  const latencies: number[] = [];
  let changed = 0;
  const started = performance.now();
  await pMap(
    batches,
    async (batch) => {
      const begun = performance.now();
      const answer = (await admin(backend, '/api/v1/password-resets', {
        userIds: batch,
        applicationPassword: 'Bench#Pass9x',
      })) as { results: { outcome: string }[] };
      latencies.push(performance.now() - begun);
      changed += answer.results.filter((r) => r.outcome === 'changed').length;
    },
    { concurrency },
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    users: userIds.length,
    changed,
    concurrency,
    seconds: round(seconds),
    usersPerSecond: round(userIds.length / seconds),
    batchP50Ms: Math.round(percentile(latencies, 50)),
    batchP95Ms: Math.round(percentile(latencies, 95)),
  };
}

async function withBackend<T>(
  cost: HashCost,
  work: (backend: RunningBackend) => Promise<T>,
): Promise<T> {
  const backend = await startBackend({
    dataDir,
    seed: `large:${TOTAL_USERS}`,
    hashCost: cost,
    staticDir: null,
    adminRateLimit: { points: 1_000_000, windowSeconds: 60 },
  });
  try {
    return await work(backend);
  } finally {
    await backend.close();
  }
}

const results: Record<string, unknown> = {
  users: TOTAL_USERS,
  batch: BATCH,
  resetUsers: RESET_USERS,
};
try {
  const seedStarted = performance.now();
  const ids = await withBackend('test', async (backend) => {
    const seedSeconds = round((performance.now() - seedStarted) / 1000, 2);
    results.seedSeconds = seedSeconds;
    console.log(`seeded ${TOTAL_USERS} users in ${seedSeconds} s`);
    const listed = await listAll(backend);
    results.list = {
      pages: listed.pages,
      ms: Math.round(listed.ms),
      usersPerSecond: Math.round(listed.ids.length / (listed.ms / 1000)),
    };
    console.log(
      `listed ${listed.ids.length} users in ${listed.pages} pages: ${Math.round(listed.ms)} ms`,
    );
    for (const concurrency of [2, 4]) {
      const slice = listed.ids.slice(
        (concurrency / 2 - 1) * RESET_USERS,
        (concurrency / 2) * RESET_USERS,
      );
      const run = await resetRun(backend, slice, concurrency);
      results[`testCostConcurrency${concurrency}`] = run;
      console.log(`test cost, concurrency ${concurrency}:`, run);
    }
    return listed.ids;
  });
  await withBackend('production', async (backend) => {
    for (const concurrency of [2, 4]) {
      const slice = ids.slice(
        (concurrency / 2 + 1) * RESET_USERS,
        (concurrency / 2 + 2) * RESET_USERS,
      );
      const run = await resetRun(backend, slice, concurrency);
      results[`productionCostConcurrency${concurrency}`] = run;
      console.log(`production cost (argon2id m=19 MiB t=2), concurrency ${concurrency}:`, run);
    }
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(results));
