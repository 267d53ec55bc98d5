/**
 * `npm run test:faults`: bulk jobs of PASSDESK_FAULT_USERS users (10,000 by default; CI runs
 * 1,000) against the standalone backend as a separate process, through the fault proxy, with
 * a realistic per-user latency and every fault at once: 503, 429 with Retry-After, timeouts,
 * connections reset before and after the backend acts, slow, truncated and malformed answers —
 * and the backend process killed mid-job and started again on the same port and data. The job
 * runs the app's own remote-backend session (client, connection monitor, planner, runner).
 * Every user must end with exactly one outcome, equal to the backend's own audit, and nobody
 * may be changed twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openBackendSession,
  type BackendSession,
} from '../../electron/main/services/backend/backend-session.ts';
import { openJournal, type Journal } from '../../electron/main/services/jobs/journal.ts';
import { fileRulesCache } from '../../electron/main/services/rules-cache.ts';
import type { ConnectionStatus, JobSummary } from '../../shared/ipc/index.ts';
import { createLogger } from '../../shared/log/index.ts';
import {
  isReset,
  slowBackend,
  startFaultProxy,
  type Fault,
  type FaultProxy,
  type SeenRequest,
} from '../unit/jobs/fault-proxy.ts';
import { startBackendProcess, type BackendProcess } from '../support/backend-process.ts';

const USERS = Number(process.env.PASSDESK_FAULT_USERS ?? 10_000);
const TOKEN = 'fault-suite-admin-token-0123456789abcdef';
const PASSWORD = 'Jb7#kQ2!mx';

/** The standalone backend as its own process, on `port` (0: any) with these users. */
const startBackend = (dataDir: string, port: number): Promise<BackendProcess> =>
  startBackendProcess({
    dataDir,
    port,
    adminToken: TOKEN,
    args: ['--seed', `large:${USERS}`, '--test-hashing', '--hash-threads', '1'],
  });

async function adminGet(url: string, pathname: string): Promise<unknown> {
  const response = await fetch(`${url}${pathname}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  if (!response.ok) throw new Error(`${pathname}: ${response.status}`);
  return response.json();
}

/** How many times the backend changed each user's password, from its own audit trail. */
async function changesByUser(url: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const page = (await adminGet(
      url,
      `/api/v1/audit${cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`}`,
    )) as {
      entries: { action: string; userId: string; outcome: string }[];
      nextCursor: string | null;
    };
    for (const entry of page.entries)
      if (entry.action.startsWith('password-reset') && entry.outcome === 'changed')
        counts.set(entry.userId, (counts.get(entry.userId) ?? 0) + 1);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return counts;
}

async function allUserIds(url: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = (await adminGet(
      url,
      `/api/v1/users?limit=5000${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    )) as { users: { id: string }[]; nextCursor: string | null };
    ids.push(...page.users.map((user) => user.id));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

/** Every kind of fault the suite injects into the job's requests. */
const FAULTS: Fault[] = [
  { kind: 'status', status: 503, message: 'Maintenance.' },
  { kind: 'status', status: 429, retryAfter: 1 },
  { kind: 'reset-before' },
  { kind: 'reset-after' },
  // Past the request timeout (the remote's 5 s), so the client gives up while it acts.
  { kind: 'delay', ms: 6000 },
  { kind: 'truncate' },
  { kind: 'malformed', body: '{"results": [' },
  { kind: 'malformed', body: '<html><body>502 Bad Gateway</body></html>' },
  { kind: 'trickle', ms: 1500 },
];

/**
 * A backend slow enough per user that the planner's 3-second batches split the job into about
 * 15 requests whatever its size (at least 0.3 ms per user, plus 40 ms a request, on two
 * workers): a job of a few large batches could end before it had met every fault, since a
 * fault the job recovers from by asking what became of its request sends no new attempt.
 */
const MS_PER_USER = Math.max(0.3, (3000 * 15) / USERS);

/**
 * Most attempts meet the slow backend above. After the first three (so the planner learns the
 * speed), the next nine attempts meet every fault in turn — a batch retried after one fault
 * meets the next — and then one attempt in three does. Lookups meet a 503 now and then.
 */
function faultPlan(): (request: SeenRequest) => Fault {
  const latency = slowBackend({ msPerUser: MS_PER_USER, fixedMs: 40, lanes: 2 });
  let attempts = 0;
  return (request) => {
    if (request.path.includes('/idempotency-keys/'))
      return Math.random() < 0.1 ? { kind: 'status', status: 503 } : { kind: 'pass' };
    if (!isReset(request)) return { kind: 'pass' };
    attempts += 1;
    const n = attempts - 4;
    if (n >= 0 && n < FAULTS.length) return FAULTS[n] ?? { kind: 'pass' };
    if (n >= FAULTS.length && n % 3 === 0)
      return FAULTS[(n / 3) % FAULTS.length] ?? { kind: 'pass' };
    return latency(request);
  };
}

describe(`bulk jobs of ${USERS.toLocaleString('en')} users through every fault`, () => {
  let dataDir: string;
  let backend: BackendProcess;
  let proxy: FaultProxy;
  let journal: Journal;
  let session: BackendSession;
  const updates: JobSummary[] = [];
  const states: ConnectionStatus[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'passdesk-faults-'));
    backend = await startBackend(path.join(dataDir, 'backend'), 0);
    proxy = await startFaultProxy(backend.url);
    journal = openJournal(path.join(dataDir, 'journal'));
    session = await openBackendSession(
      { kind: 'remote', url: proxy.url, timeoutMs: 5000, maxConcurrentRequests: 4 },
      {
        dataDir,
        rendererDir: dataDir,
        journal,
        rulesCache: fileRulesCache(path.join(dataDir, 'rules.json')),
        actor: () => 'Fault Tester',
        remoteToken: () => Promise.resolve(TOKEN),
        missingToken: () => null,
        onJobUpdate: (summary) => updates.push(summary),
        onConnectionChange: (status) => states.push(status),
        onRulesChange: () => undefined,
        onUsersChange: () => undefined,
        logger: createLogger({ sink: (line) => logLines.push(line) }),
        monitor: { intervalMs: 1000, retryMs: 100, maxRetryMs: 1000 },
      },
    );
  }, 120_000);

  afterAll(async () => {
    await session.close();
    journal.close();
    await proxy.close();
    await backend.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ends every user with exactly one outcome, the backend’s own, through faults and a restart', async () => {
    const userIds = await allUserIds(backend.url);
    expect(userIds).toHaveLength(USERS);
    proxy.setPlan(faultPlan());
    const started = Date.now();
    const start = session.jobs.startReset(userIds, { applicationPassword: PASSWORD });
    if (!start.ok) throw new Error(start.message);
    const { jobId } = start.data;

    // Kill the backend process when about 40 % are done; a new one takes the same port and data.
    const { port } = new URL(backend.url);
    while (journal.counts(jobId).changed < USERS * 0.4) await new Promise((r) => setTimeout(r, 50));
    await backend.stop();
    // Down for a few seconds: the job says it waits, and since when.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    backend = await startBackend(path.join(dataDir, 'backend'), Number(port));

    await session.jobs.idle(jobId);
    const seconds = (Date.now() - started) / 1000;

    const results = session.jobs.results(jobId) ?? [];
    expect(results).toHaveLength(USERS);
    const changes = await changesByUser(backend.url);
    const problems: string[] = [];
    for (const { userId, outcome } of results) {
      const times = changes.get(userId) ?? 0;
      if (times > 1) problems.push(`${userId} was changed ${times} times`);
      if (outcome !== 'changed') problems.push(`${userId} ended ${outcome}`);
      if ((outcome === 'changed') !== (times === 1))
        problems.push(`${userId}: journal says ${outcome}, the backend changed it ${times} times`);
    }
    expect(problems.slice(0, 20)).toEqual([]);
    const final = updates.filter((u) => u.id === jobId).at(-1);
    expect(final).toMatchObject({ state: 'completed', waiting: null, stoppedBecause: null });
    expect(final?.counts.changed).toBe(USERS);
    // The job said it was waiting for the backend, and since when, while the process was down.
    expect(
      updates.filter((u) => u.id === jobId).some((u) => u.waiting?.reason === 'unreachable'),
    ).toBe(true);
    expect(states.map((s) => s.state)).toContain('unreachable');
    expect(states.at(-1)?.state).toMatch(/^(connected|slow)$/u);
    // No secret anywhere in the log.
    expect(logLines.join('\n')).not.toContain(PASSWORD);
    expect(logLines.join('\n')).not.toContain(TOKEN);

    const kinds = new Map<string, number>();
    for (const request of proxy.seen) kinds.set(request.fault, (kinds.get(request.fault) ?? 0) + 1);
    // Every kind of fault was met.
    const resets = proxy.seen.filter((r) => isReset(r)).length;
    for (const fault of FAULTS)
      expect(
        kinds.get(fault.kind) ?? 0,
        `${fault.kind} was never met (${resets} reset requests; ${JSON.stringify([...kinds])})`,
      ).toBeGreaterThan(0);
    const posts = proxy.seen.filter((r) => isReset(r)).length;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'faults',
        users: USERS,
        seconds: Math.round(seconds * 10) / 10,
        usersPerSecond: Math.round(USERS / seconds),
        requests: proxy.seen.length,
        resetRequests: posts,
        faults: Object.fromEntries(kinds),
        connectionStates: states.map((s) => s.state),
      })}\n`,
    );
  }, 900_000);
});
