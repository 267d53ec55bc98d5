import path from 'node:path';
import { startBackend, type RunningBackend } from '../../../backend/index.ts';
import { BackendThreadError, startBackendThread } from '../../../backend/thread/backend-thread.ts';
import type { Clock } from '../../../backend/clock.ts';
import type { HashCost } from '../../../backend/crypto/secret-hasher.ts';
import type { ConnectionStatus, JobSummary, UsersLoad } from '../../../../shared/ipc/index.ts';
import type { Logger } from '../../../../shared/log/index.ts';
import type { RuleSets } from '../../../../shared/rules/index.ts';
import { remoteBackendId, type BackendId } from '../../../../shared/settings/index.ts';
import { createBatchPlanner, type Learnt } from '../jobs/batch-planner.ts';
import { createJobRunner, type JobRunner } from '../jobs/job-runner.ts';
import type { Journal } from '../jobs/journal.ts';
import { createOutboxService, type OpenExternal, type OutboxService } from '../outbox-service.ts';
import {
  createProvisioningClient,
  type AttemptReport,
  type ProvisioningClient,
} from '../provisioning-client.ts';
import { createRulesService, type RulesCache, type RulesService } from '../rules-service.ts';
import { openSessionUsers, type SessionUsers } from '../users-table/session-users.ts';
import { createConnectionMonitor, type ConnectionMonitor } from './connection-monitor.ts';

/** Which backend to talk to, and how. */
export type BackendConfig =
  | { kind: 'built-in' }
  | {
      kind: 'remote';
      /** Normalised (see `normalizeBackendUrl`). */
      url: string;
      timeoutMs: number;
      maxConcurrentRequests: number;
    };

export const backendIdOf = (config: BackendConfig): BackendId =>
  config.kind === 'built-in' ? 'built-in' : remoteBackendId(config.url);

/** What stays the same whichever backend is in use. */
export interface SessionDeps {
  /** The app's data folder: the built-in backend keeps its database under `backend/`. */
  dataDir: string;
  /** The built renderer, whose reset.html the built-in backend serves. */
  rendererDir: string;
  journal: Journal;
  rulesCache: RulesCache;
  /** Who the audit names. */
  actor: () => string;
  /** A remote backend's API token, decrypted for each request; null when none is kept. */
  remoteToken: (backend: BackendId) => Promise<string | null>;
  /** Why no token can be sent to this backend now, or null when one is kept. */
  missingToken: (backend: BackendId) => string | null;
  onJobUpdate: (summary: JobSummary) => void;
  onConnectionChange: (status: ConnectionStatus) => void;
  onRulesChange: (rules: RuleSets) => void;
  /** A list of the users table loaded further, or its users changed. */
  onUsersChange: (load: UsersLoad) => void;
  logger: Logger;
  hashCost?: HashCost;
  seed?: 'demo' | `large:${number}`;
  backendClock?: Clock;
  openExternal?: OpenExternal;
  /** Connection checks' timing (tests make them quick). */
  monitor?: { intervalMs?: number; retryMs?: number; maxRetryMs?: number };
}

/** Everything that talks to one backend. Closed, and made anew, when the backend changes. */
export interface BackendSession {
  id: BackendId;
  config: BackendConfig;
  target: ProvisioningClient['target'];
  client: ProvisioningClient;
  connection: ConnectionMonitor;
  rules: RulesService;
  jobs: JobRunner;
  outbox: OutboxService;
  /** The users the table shows, kept here and served a block at a time. */
  users: SessionUsers;
  /** Stops the jobs (they settle at the next start), the checks and the built-in backend. */
  close(): Promise<void>;
}

/**
 * Opens a session with a backend: starts the built-in one when it is chosen, builds the client
 * (a remote backend's token is decrypted per request), the connection monitor, the backend's
 * own rules (cached per backend) and its job runner. It never waits for a remote backend to
 * answer: the monitor's first check fetches the rules, and the jobs an earlier run left open
 * are settled in the background.
 */
export async function openBackendSession(
  config: BackendConfig,
  deps: SessionDeps,
): Promise<BackendSession> {
  const id = backendIdOf(config);
  const logger = deps.logger.child({ backend: config.kind });
  let builtIn: RunningBackend | null = null;
  if (config.kind === 'built-in') {
    const options = {
      dataDir: path.join(deps.dataDir, 'backend'),
      seed: deps.seed ?? 'demo',
      staticDir: deps.rendererDir,
      hashCost: deps.hashCost ?? 'production',
      // Only this app calls it, and its jobs have stopped before it closes: what can still be in
      // flight is a read, so the app does not wait long to quit (the thread's own limit is 10 s).
      shutdownGraceMs: 2000,
    };
    const backendLogger = deps.logger.child({ scope: 'backend' });
    const inThisThread = () =>
      startBackend({
        ...options,
        ...(deps.backendClock === undefined ? {} : { clock: deps.backendClock }),
        logger: backendLogger,
      });
    // On a thread of its own, so main's event loop never waits for it; in this thread if the
    // thread cannot run (say, a packaging that cannot load its file), as a slower app beats
    // none. A test's clock is a function, which cannot cross to a thread: with one, here too.
    builtIn =
      deps.backendClock === undefined
        ? await startBackendThread(options, backendLogger).catch((error: unknown) => {
            if (!(error instanceof BackendThreadError) || error.failed !== 'thread') throw error;
            logger.error('the built-in backend cannot run on its own thread; running it in main', {
              error,
            });
            return inThisThread();
          })
        : await inThisThread();
  }

  let monitor: ConnectionMonitor | null = null;
  const observe = (report: AttemptReport): void => monitor?.observe(report);
  const client =
    builtIn !== null
      ? createProvisioningClient(
          { kind: 'built-in', url: builtIn.url, token: builtIn.adminToken },
          { actor: deps.actor, onAttempt: observe },
        )
      : createProvisioningClient(
          {
            kind: 'remote',
            url: config.kind === 'remote' ? config.url : '',
            token: () => deps.remoteToken(id),
          },
          {
            actor: deps.actor,
            onAttempt: observe,
            ...(config.kind === 'remote' ? { timeoutMs: config.timeoutMs } : {}),
          },
        );

  const rules = createRulesService({
    cache: deps.rulesCache,
    backend: id,
    onCacheError: (error) => logger.warn('could not keep the rules for the next start', { error }),
  });
  const unsubscribe = rules.onChange(deps.onRulesChange);
  let jobsRunner: JobRunner | null = null;
  let users: SessionUsers | null = null;
  /**
   * The table opens on every location: once the backend first answers, those users are read,
   * while the window starts, rather than from when it first asks (it then finds them read, or
   * being read). Not before: a backend that refuses the token is asked nothing more.
   */
  let readAhead = false;
  const readUsersAhead = (status: ConnectionStatus): void => {
    if (readAhead || users === null || (status.state !== 'connected' && status.state !== 'slow'))
      return;
    readAhead = true;
    users.table.load(null);
  };
  monitor = createConnectionMonitor({
    client,
    onChange: (status) => {
      deps.onConnectionChange(status);
      jobsRunner?.connectionChanged();
      // Lists whose read failed while the backend did not answer go on by themselves.
      if (status.state === 'connected' || status.state === 'slow') users?.table.resume();
      readUsersAhead(status);
    },
    onRules: (fetched) => rules.replace(fetched),
    missingToken: () => (config.kind === 'remote' ? deps.missingToken(id) : null),
    logger: logger.child({ scope: 'connection' }),
    ...deps.monitor,
  });
  const planner =
    config.kind === 'remote'
      ? {
          planner: (known: Learnt | null) =>
            createBatchPlanner({
              known,
              maxConcurrency: config.maxConcurrentRequests,
              startConcurrency: Math.min(2, config.maxConcurrentRequests),
              minTimeoutMs: config.timeoutMs,
            }),
        }
      : {};
  const jobs = createJobRunner({
    client,
    journal: deps.journal,
    backendId: id,
    gate: monitor.gate,
    rules: () => rules.current(),
    actor: deps.actor,
    apiVersion: () => connection.status().apiVersion,
    onUpdate: (summary) => {
      deps.onJobUpdate(summary);
      users?.jobUpdated(summary);
    },
    logger: logger.child({ scope: 'jobs' }),
    ...planner,
  });
  jobsRunner = jobs;
  users = openSessionUsers({
    client,
    connection: monitor,
    jobs: () => jobs,
    onChange: deps.onUsersChange,
  });
  const outbox = createOutboxService({
    client,
    builtInUrl: builtIn?.url ?? '',
    openExternal: deps.openExternal,
    logger: logger.child({ scope: 'outbox' }),
  });

  // The built-in backend answers at once: its rules are in place before the window asks.
  if (builtIn !== null) await monitor.checkNow();
  monitor.start();
  readUsersAhead(monitor.status());
  void jobs
    .recover()
    .catch((error: unknown) =>
      logger.error('could not settle the jobs an earlier run left open', { error }),
    );

  const connection = monitor;
  return {
    id,
    config,
    target: client.target,
    client,
    connection,
    rules,
    jobs,
    outbox,
    users,
    async close() {
      users.table.close();
      // The jobs first: their waits for the backend end with them, not by a last check.
      await jobs.shutdown();
      connection.stop();
      unsubscribe();
      await builtIn?.close();
    },
  };
}
