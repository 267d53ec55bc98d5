/**
 * `npm run bench:bulk` — the app's job runner against the built-in backend, 10,000 users:
 * (1) the job runner (batches of 500, 3 at a time, journal, progress events);
 * (2) the same batches sent straight to the backend at the same concurrency (its own time);
 * (3) a one-user-at-a-time loop. Each run gets users of its own. Last line: one JSON object.
 * Options: --users <n> (10000), --cost test|production (test).
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
    cost: { type: 'string', default: 'test' },
  },
});
const USERS = Number(values.users);
const cost = values.cost === 'production' ? 'production' : 'test';
const CONCURRENCY = 3;
const dir = mkdtempSync(path.join(tmpdir(), 'passdesk-bench-bulk-'));
const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

const backend = await startBackend({
  dataDir: path.join(dir, 'backend'),
  seed: `large:${USERS * 3}`,
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
const slice = (n: number) => ids.slice(n * USERS, (n + 1) * USERS);
const results: Record<string, unknown> = {
  users: USERS,
  batch: 500,
  concurrency: CONCURRENCY,
  hashCost: cost,
};

try {
  // (1) The job runner.
  const journal = openJournal(path.join(dir, 'journal'));
  let updates = 0;
  const runner = createJobRunner({
    client,
    journal,
    rules: () => DEFAULT_RULES,
    actor: () => 'bench',
    onUpdate: () => (updates += 1),
    logger: silentLogger,
    concurrency: CONCURRENCY,
  });
  let started = performance.now();
  const job = runner.startReset(slice(0), { applicationPassword: 'Bulk#Bench7x' });
  if (!job.ok) throw new Error(job.message);
  await runner.idle(job.data.jobId);
  const runnerSeconds = (performance.now() - started) / 1000;
  const changed = runner.list()[0]?.counts.changed ?? 0;
  journal.close();
  results.jobRunner = {
    seconds: round(runnerSeconds, 2),
    usersPerSecond: round(USERS / runnerSeconds),
    changed,
    updates,
  };
  console.log('job runner:', results.jobRunner);

  // (2) The same batches, straight to the backend.
  const batches: string[][] = [];
  const users2 = slice(1);
  for (let i = 0; i < users2.length; i += 500) batches.push(users2.slice(i, i + 500));
  started = performance.now();
  await pMap(
    batches,
    async (userIds) => {
      const response = await fetch(`${backend.url}/api/v1/password-resets`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${backend.adminToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ userIds, applicationPassword: 'Bulk#Bench7x' }),
      });
      if (!response.ok) throw new Error(`backend answered ${response.status}`);
      await response.json();
    },
    { concurrency: CONCURRENCY },
  );
  const backendSeconds = (performance.now() - started) / 1000;
  results.backendDirect = {
    seconds: round(backendSeconds, 2),
    usersPerSecond: round(USERS / backendSeconds),
  };
  console.log('backend alone, same batches:', results.backendDirect);
  results.runnerOverheadPercent = round(((runnerSeconds - backendSeconds) / backendSeconds) * 100);

  // (3) One user at a time.
  started = performance.now();
  for (const userId of slice(2)) {
    const answer = await client.request('passwordResets', {
      body: { userIds: [userId], applicationPassword: 'Bulk#Bench7x' },
    });
    if (!answer.ok) throw new Error(answer.message);
  }
  const loopSeconds = (performance.now() - started) / 1000;
  results.oneAtATime = {
    seconds: round(loopSeconds, 2),
    usersPerSecond: round(USERS / loopSeconds),
  };
  results.speedupOverOneAtATime = round(loopSeconds / runnerSeconds);
  console.log('one user at a time:', results.oneAtATime);
  console.log(
    `job runner overhead over the backend's own time: ${results.runnerOverheadPercent as number} %`,
  );
} finally {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(results));
