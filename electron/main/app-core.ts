import path from 'node:path';
import { startBackend, type RunningBackend } from '../backend/index.ts';
import type { Clock } from '../backend/clock.ts';
import type { HashCost } from '../backend/crypto/secret-hasher.ts';
import type { AppInfo } from '../../shared/ipc/index.ts';
import type { Logger } from '../../shared/log/index.ts';
import {
  createEventPublisher,
  createIpcDispatcher,
  type EventSink,
  type IpcDispatcher,
} from './ipc/dispatcher.ts';
import { createIpcHandlers } from './ipc/handlers.ts';
import { createJobRunner, type JobRunner } from './services/jobs/job-runner.ts';
import { openJournal } from './services/jobs/journal.ts';
import { createOutboxService, type OpenExternal } from './services/outbox-service.ts';
import {
  createProvisioningClient,
  type ProvisioningClient,
} from './services/provisioning-client.ts';
import { fileRulesCache } from './services/rules-cache.ts';
import { createRulesService } from './services/rules-service.ts';
import { createSettingsService, type SettingsStorage } from './services/settings-service.ts';

export interface AppCoreOptions {
  name: string;
  version: string;
  /** The app's data folder: the built-in backend keeps its database under `backend/`. */
  dataDir: string;
  /** The built renderer, whose reset.html the built-in backend serves. */
  rendererDir: string;
  /** `scheme://host[:port]` values our own pages are served from. */
  trustedOrigins: readonly string[];
  /** Where main → renderer events go. */
  eventSink: EventSink;
  logger: Logger;
  /** electron-store in the app; memory in tests. */
  settingsStorage: SettingsStorage;
  /** The computer's user name, for the audit when no operator name is set. */
  osUser: () => string;
  /** `test` only in test suites. */
  hashCost?: HashCost;
  /** The built-in backend's seed on first start. */
  seed?: 'demo' | `large:${number}`;
  /** The built-in backend's clock: the system's, unless a test moves time on. */
  backendClock?: Clock;
  /**
   * Hands a URL to the system browser: Electron's `shell.openExternal` in the app, a recorder in
   * tests. Only the Outbox's Reset links reach it, each checked to point at the built-in backend.
   */
  openExternal?: OpenExternal;
}

export interface AppCore {
  dispatcher: IpcDispatcher;
  client: ProvisioningClient;
  jobs: JobRunner;
  close(): Promise<void>;
}

/**
 * Everything the main process does, without Electron: starts the built-in provisioning backend
 * (the embedded default) and talks to it over HTTP through the same client a remote backend
 * would get, opens the job journal (settling jobs a previous run left open), then builds the
 * services, handlers and the checked dispatcher. The Electron entry point and the Chromium test
 * host both build the app this way.
 */
export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const backend: RunningBackend = await startBackend({
    dataDir: path.join(options.dataDir, 'backend'),
    seed: options.seed ?? 'demo',
    staticDir: options.rendererDir,
    hashCost: options.hashCost ?? 'production',
    ...(options.backendClock === undefined ? {} : { clock: options.backendClock }),
    logger: options.logger.child({ scope: 'backend' }),
  });
  const settings = createSettingsService(options.settingsStorage, options.osUser);
  const client = createProvisioningClient(
    { kind: 'built-in', url: backend.url, token: backend.adminToken },
    { actor: settings.operator },
  );

  // The built-in backend's port changes every start: its rules are cached under its kind.
  const rules = createRulesService({
    cache: fileRulesCache(path.join(options.dataDir, 'rules.json')),
    backend: client.target.kind === 'built-in' ? 'built-in' : client.target.url,
    onCacheError: (error) =>
      options.logger.warn('could not keep the rules for the next start', { error }),
  });
  const events = createEventPublisher(options.eventSink);
  const journal = openJournal(path.join(options.dataDir, 'journal'));
  const jobs = createJobRunner({
    client,
    journal,
    rules: () => rules.current(),
    actor: () => settings.operator(),
    onUpdate: (summary) => events.publish('onJobUpdate', summary),
    logger: options.logger.child({ scope: 'jobs' }),
  });
  const appInfo: AppInfo = { name: options.name, version: options.version, backend: client.target };
  const dispatcher = createIpcDispatcher({
    handlers: createIpcHandlers({
      appInfo: () => appInfo,
      rules,
      events,
      client,
      jobs,
      settings,
      outbox: createOutboxService({
        client,
        builtInUrl: backend.url,
        openExternal: options.openExternal,
        logger: options.logger.child({ scope: 'outbox' }),
      }),
    }),
    trustedOrigins: options.trustedOrigins,
    logger: options.logger.child({ scope: 'ipc' }),
  });

  const fetched = await client.request('rules');
  if (fetched.ok) rules.replace(fetched.data);
  else {
    options.logger.warn(
      'could not load the backend rules; using the last fetched, or the defaults',
      {
        reason: fetched.message,
      },
    );
  }
  // Jobs an earlier run left open are settled in the background: their cards say "Checking…",
  // and a backend that is slow to confirm them does not hold up the window.
  void jobs
    .recover()
    .catch((error: unknown) =>
      options.logger.error('could not settle the jobs an earlier run left open', { error }),
    );

  return {
    dispatcher,
    client,
    jobs,
    async close() {
      await jobs.shutdown();
      journal.close();
      await backend.close();
    },
  };
}
