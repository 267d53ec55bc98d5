import path from 'node:path';
import { startBackend, type RunningBackend } from '../backend/index.ts';
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
import {
  createProvisioningClient,
  type ProvisioningClient,
} from './services/provisioning-client.ts';
import { createRulesService } from './services/rules-service.ts';

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
  /** `test` only in test suites. */
  hashCost?: HashCost;
}

export interface AppCore {
  dispatcher: IpcDispatcher;
  client: ProvisioningClient;
  close(): Promise<void>;
}

/**
 * Everything the main process does, without Electron: starts the built-in provisioning backend
 * (the embedded default) and talks to it over HTTP through the same client a remote backend
 * would get, then builds the services, handlers and the checked dispatcher. The Electron entry
 * point and the Chromium test host both build the app this way.
 */
export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const backend: RunningBackend = await startBackend({
    dataDir: path.join(options.dataDir, 'backend'),
    seed: 'demo',
    staticDir: options.rendererDir,
    hashCost: options.hashCost ?? 'production',
    logger: options.logger.child({ scope: 'backend' }),
  });
  const client = createProvisioningClient({
    kind: 'built-in',
    url: backend.url,
    token: backend.adminToken,
  });

  const rules = createRulesService();
  const events = createEventPublisher(options.eventSink);
  const appInfo: AppInfo = {
    name: options.name,
    version: options.version,
    backend: client.target,
  };
  const handlers = createIpcHandlers({ appInfo: () => appInfo, rules, events });
  const dispatcher = createIpcDispatcher({
    handlers,
    trustedOrigins: options.trustedOrigins,
    logger: options.logger.child({ scope: 'ipc' }),
  });

  const fetched = await client.request('rules');
  if (fetched.ok) rules.replace(fetched.data);
  else
    options.logger.warn('could not load the backend rules; using the defaults', {
      reason: fetched.message,
    });

  return { dispatcher, client, close: () => backend.close() };
}
