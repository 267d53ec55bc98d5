import path from 'node:path';
import type { Clock } from '../backend/clock.ts';
import type { HashCost } from '../backend/crypto/secret-hasher.ts';
import type { Logger } from '../../shared/log/index.ts';
import {
  createEventPublisher,
  createIpcDispatcher,
  type EventSink,
  type IpcDispatcher,
} from './ipc/dispatcher.ts';
import { createIpcHandlers } from './ipc/handlers.ts';
import { createBackendManager } from './services/backend/backend-manager.ts';
import {
  openBackendSession,
  type BackendSession,
  type SessionDeps,
} from './services/backend/backend-session.ts';
import { testConnection } from './services/backend/connection-test.ts';
import { createCredentialsService, type TokenCipher } from './services/credentials-service.ts';
import type { JobRunner } from './services/jobs/job-runner.ts';
import { openJournal } from './services/jobs/journal.ts';
import { createNoticeBoard, type NoticeBoard } from './services/notices.ts';
import type { OpenExternal } from './services/outbox-service.ts';
import type { ProvisioningClient } from './services/provisioning-client.ts';
import { fileRulesCache } from './services/rules-cache.ts';
import { backendConfigOf, createSettingsController } from './services/settings-controller.ts';
import { createSettingsService, type SettingsStorage } from './services/settings-service.ts';
import { checkBackendUrl, remoteBackendId } from '../../shared/settings/index.ts';

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
  /** Where encrypted API tokens are kept (electron-store `credentials` in the app). */
  credentialsStorage: SettingsStorage;
  /** Encrypts API tokens (Electron's safeStorage in the app); null where nothing can. */
  tokenCipher: TokenCipher | null;
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
  /** Connection checks' timing (tests make them quick). */
  monitor?: SessionDeps['monitor'];
}

export interface AppCore {
  dispatcher: IpcDispatcher;
  /** What the operator must hear of (the window's crashes, main's unexpected errors). */
  notices: NoticeBoard;
  /** The session with the backend in use now. */
  session(): BackendSession;
  /** The current session's client and jobs (for tests and benches). */
  readonly client: ProvisioningClient;
  readonly jobs: JobRunner;
  close(): Promise<void>;
}

/**
 * Everything the main process does, without Electron: reads the settings, opens the job journal
 * and a session with the chosen backend (the built-in one, started here, or a remote one), and
 * builds the services, handlers and the checked dispatcher. Both kinds of backend get the same
 * client over HTTP. The Electron entry point and the Chromium test host both build the app
 * this way.
 */
export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const { logger } = options;
  const events = createEventPublisher(options.eventSink);
  const notices = createNoticeBoard({ publish: (notice) => events.publish('onNotice', notice) });
  const settings = createSettingsService(
    options.settingsStorage,
    options.osUser,
    logger.child({ scope: 'settings' }),
  );
  const credentials = createCredentialsService({
    storage: options.credentialsStorage,
    cipher: options.tokenCipher,
    logger: logger.child({ scope: 'credentials' }),
  });
  const journal = openJournal(path.join(options.dataDir, 'journal'));
  const missingToken = (backend: ReturnType<typeof remoteBackendId>): string | null =>
    credentials.status(backend).set
      ? null
      : 'No API token is kept for this backend (it may have been kept for one run only). Enter it in Settings.';

  const sessionDeps: SessionDeps = {
    dataDir: options.dataDir,
    rendererDir: options.rendererDir,
    journal,
    rulesCache: fileRulesCache(path.join(options.dataDir, 'rules.json')),
    actor: () => settings.operator(),
    remoteToken: (backend) => credentials.token(backend),
    missingToken: (backend) => (backend === 'built-in' ? null : missingToken(backend)),
    onJobUpdate: (summary) => events.publish('onJobUpdate', summary),
    onConnectionChange: (status) => events.publish('onConnectionChanged', status),
    onRulesChange: (rules) => events.publish('onRulesChanged', rules),
    onUsersChange: (load) => events.publish('onUsersChanged', load),
    logger,
    ...(options.hashCost === undefined ? {} : { hashCost: options.hashCost }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.backendClock === undefined ? {} : { backendClock: options.backendClock }),
    ...(options.openExternal === undefined ? {} : { openExternal: options.openExternal }),
    ...(options.monitor === undefined ? {} : { monitor: options.monitor }),
  };
  const backends = createBackendManager({
    open: (config) => openBackendSession(config, sessionDeps),
    onSwitched: (target) => {
      const session = backends.current();
      events.publish('onBackendChanged', {
        name: options.name,
        version: options.version,
        backend: target,
      });
      events.publish('onConnectionChanged', session.connection.status());
      events.publish('onRulesChanged', session.rules.current());
    },
    logger: logger.child({ scope: 'backends' }),
  });
  await backends.start(backendConfigOf(settings.get()));
  const controller = createSettingsController({
    settings,
    credentials,
    backends,
    osUser: options.osUser,
  });

  const dispatcher = createIpcDispatcher({
    handlers: createIpcHandlers({
      appInfo: () => ({
        name: options.name,
        version: options.version,
        backend: backends.current().target,
      }),
      takeNotices: () => notices.take(),
      session: backends.current,
      settings: controller,
      testConnection: async (input) => {
        // No token typed: the one kept for that URL, if any (decrypted here, never sent back).
        const token =
          input.token ??
          (checkBackendUrl(input.url) === null
            ? await credentials.token(remoteBackendId(input.url))
            : null);
        return testConnection({
          url: input.url,
          token,
          timeoutMs: input.timeoutSeconds * 1000,
        });
      },
    }),
    trustedOrigins: options.trustedOrigins,
    logger: logger.child({ scope: 'ipc' }),
  });

  return {
    dispatcher,
    notices,
    session: backends.current,
    get client() {
      return backends.current().client;
    },
    get jobs() {
      return backends.current().jobs;
    },
    async close() {
      await backends.close();
      journal.close();
    },
  };
}
