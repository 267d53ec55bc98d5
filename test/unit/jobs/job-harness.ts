import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createManualClock } from '../../../electron/backend/clock.ts';
import { startBackend, type RunningBackend } from '../../../electron/backend/index.ts';
import {
  createBatchPlanner,
  createFixedPlanner,
  type BatchPlannerOptions,
} from '../../../electron/main/services/jobs/batch-planner.ts';
import type { BatchSenderOptions } from '../../../electron/main/services/jobs/batch-sender.ts';
import {
  createJobRunner,
  type JobRunner,
} from '../../../electron/main/services/jobs/job-runner.ts';
import { openJournal, type Journal } from '../../../electron/main/services/jobs/journal.ts';
import {
  createConnectionMonitor,
  type ConnectionMonitor,
} from '../../../electron/main/services/backend/connection-monitor.ts';
import {
  createProvisioningClient,
  type ClientOptions,
} from '../../../electron/main/services/provisioning-client.ts';
import type { ConnectionStatus, JobSummary } from '../../../shared/ipc/index.ts';
import { createLogger } from '../../../shared/log/index.ts';
import { DEFAULT_RULES } from '../../../shared/rules/index.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';

export interface JobWorld {
  backend: RunningBackend;
  backendDir: string;
  proxy: FaultProxy;
  journal: Journal;
  journalDir: string;
  runner: JobRunner;
  /** The connection monitor jobs wait on (with `gate`), else null. */
  connection: ConnectionMonitor | null;
  /** Every state the monitor reported, in order. */
  connectionStates: ConnectionStatus[];
  updates: JobSummary[];
  /** Jobs that said they were finished while a batch of theirs was not confirmed. */
  finishedEarly: string[];
  logLines: string[];
  /** Every user id of the backend, in its order. */
  userIds: string[];
  /** Stops the backend and starts it again on the same data (a new port behind the proxy). */
  restartBackend(): Promise<void>;
  /** How many times the backend changed each user, from its own audit trail. */
  changesByUser(): Promise<Map<string, number>>;
  /** The backend's audit rows (newest first), for checks of other kinds of job. */
  backendAudit(): Promise<{ action: string; userId: string; outcome: string }[]>;
  /** GET an admin API path of the backend itself, past the proxy. */
  admin(pathname: string): Promise<unknown>;
  journalOnDisk(): string;
  close(): Promise<void>;
}

export async function startJobWorld(
  options: {
    users?: number;
    client?: ClientOptions;
    /**
     * `adaptive`: the app's own planner (sized by time), with these options. Otherwise fixed
     * batches (500 users, 3 at a time by default), for tests that count requests.
     */
    planner?:
      | { adaptive: BatchPlannerOptions }
      | { batchSize?: number; concurrency?: number; timeoutMs?: number };
    sending?: Omit<BatchSenderOptions, 'client'>;
    /** Jobs wait out outages on a connection monitor (quick checks, for tests). */
    gate?: boolean;
    /** The API version the runner takes the backend to speak (see JobRunnerOptions). */
    apiVersion?: () => string | null;
  } = {},
): Promise<JobWorld> {
  const backendDir = mkdtempSync(path.join(tmpdir(), 'passdesk-jobs-backend-'));
  const clock = createManualClock();
  const start = (adminToken?: string) =>
    startBackend({
      dataDir: backendDir,
      seed: `large:${options.users ?? 2000}`,
      hashCost: 'test',
      clock,
      staticDir: null,
      ...(adminToken === undefined ? {} : { adminToken }),
    });
  let backend = await start();
  const adminToken = backend.adminToken;
  const proxy = await startFaultProxy(backend.url);
  const journalDir = mkdtempSync(path.join(tmpdir(), 'passdesk-journal-'));
  const journal = openJournal(journalDir);
  const updates: JobSummary[] = [];
  const finishedEarly: string[] = [];
  const logLines: string[] = [];
  let connection: ConnectionMonitor | null = null;
  const connectionStates: ConnectionStatus[] = [];
  const client = createProvisioningClient(
    { kind: 'remote', url: proxy.url, token: backend.adminToken },
    {
      timeoutMs: 5000,
      retries: 5,
      maxDelayMs: 2000,
      actor: () => 'Job Tester',
      onAttempt: (report) => connection?.observe(report),
      ...options.client,
    },
  );
  if (options.gate === true) {
    connection = createConnectionMonitor({
      client,
      onChange: (status) => {
        connectionStates.push(status);
        runner.connectionChanged();
      },
      logger: createLogger({ sink: (line) => logLines.push(line) }),
      intervalMs: 1000,
      retryMs: 100,
      maxRetryMs: 400,
      checkTimeoutMs: 2000,
    });
    connection.start();
  }
  const planner = options.planner ?? {};
  const FINAL = new Set(['completed', 'cancelled', 'interrupted']);
  const runner = createJobRunner({
    client,
    journal,
    ...(connection === null ? {} : { gate: connection.gate }),
    rules: () => DEFAULT_RULES,
    actor: () => 'Job Tester',
    ...(options.apiVersion === undefined ? {} : { apiVersion: options.apiVersion }),
    onUpdate: (summary) => {
      updates.push(summary);
      // Checked at the moment the job says so, against the journal as it is then.
      const open = journal
        .batches(summary.id)
        .some((b) => b.state === 'pending' || b.state === 'in-flight' || b.state === 'unresolved');
      if (FINAL.has(summary.state) && (open || summary.counts.pending > 0))
        finishedEarly.push(`${summary.id} said ${summary.state} with batches unconfirmed`);
    },
    logger: createLogger({ sink: (line) => logLines.push(line) }),
    planner:
      'adaptive' in planner
        ? (known) => createBatchPlanner({ ...planner.adaptive, known })
        : () =>
            createFixedPlanner({
              batchSize: planner.batchSize ?? 500,
              concurrency: planner.concurrency ?? 3,
              timeoutMs: planner.timeoutMs ?? options.client?.timeoutMs ?? 10_000,
            }),
    sending: { pollMs: 100, ...options.sending },
  });

  const admin = async (pathname: string): Promise<unknown> => {
    const response = await fetch(`${backend.url}${pathname}`, {
      headers: { Authorization: `Bearer ${backend.adminToken}` },
    });
    return response.json();
  };
  const backendAudit = async () => {
    const entries: { action: string; userId: string; outcome: string }[] = [];
    let next: string | null = null;
    do {
      const page = (await admin(`/api/v1/audit${next === null ? '' : `?cursor=${next}`}`)) as {
        entries: { action: string; userId: string; outcome: string }[];
        nextCursor: string | null;
      };
      entries.push(...page.entries);
      next = page.nextCursor;
    } while (next !== null);
    return entries;
  };
  const userIds: string[] = [];
  let cursor: string | null = null;
  do {
    const page = (await admin(
      `/api/v1/users?limit=5000${cursor === null ? '' : `&cursor=${cursor}`}`,
    )) as {
      users: { id: string }[];
      nextCursor: string | null;
    };
    userIds.push(...page.users.map((u) => u.id));
    cursor = page.nextCursor;
  } while (cursor !== null);

  return {
    get backend() {
      return backend;
    },
    backendDir,
    proxy,
    journal,
    journalDir,
    runner,
    connection,
    connectionStates,
    updates,
    finishedEarly,
    logLines,
    userIds,
    async restartBackend() {
      proxy.setTarget(null);
      await backend.close();
      backend = await start(adminToken);
      proxy.setTarget(backend.url);
    },
    backendAudit,
    admin,
    async changesByUser() {
      const counts = new Map<string, number>();
      for (const entry of await backendAudit()) {
        if (entry.action.startsWith('password-reset') && entry.outcome === 'changed') {
          counts.set(entry.userId, (counts.get(entry.userId) ?? 0) + 1);
        }
      }
      return counts;
    },
    journalOnDisk: () =>
      readdirSync(journalDir)
        .map((file) => readFileSync(path.join(journalDir, file)).toString('latin1'))
        .join('\n'),
    async close() {
      await runner.shutdown();
      connection?.stop();
      journal.close();
      await proxy.close();
      await backend.close();
    },
  };
}

/** The invariant every faulty run must keep: one final outcome each, nobody changed twice. */
export async function expectExactlyOnce(
  world: JobWorld,
  jobId: string,
): Promise<Map<string, string>> {
  const results = world.runner.results(jobId) ?? [];
  const outcomes = new Map(results.map((r) => [r.userId, r.outcome]));
  const changes = await world.changesByUser();
  const problems: string[] = [...world.finishedEarly];
  for (const result of results) {
    if (result.outcome === 'pending') problems.push(`${result.userId} is still pending`);
    if (result.outcome === 'unconfirmed') problems.push(`${result.userId} is still unconfirmed`);
    const times = changes.get(result.userId) ?? 0;
    if (times > 1) problems.push(`${result.userId} was changed ${times} times`);
    if ((result.outcome === 'changed') !== (times === 1)) {
      problems.push(
        `${result.userId}: journal says ${result.outcome}, backend changed it ${times} times`,
      );
    }
  }
  if (problems.length > 0) throw new Error(problems.slice(0, 10).join('\n'));
  return outcomes;
}
