import type { AppInfo } from '../../shared/ipc/index.ts';
import type { Logger } from '../../shared/log/index.ts';
import {
  createEventPublisher,
  createIpcDispatcher,
  type EventSink,
  type IpcDispatcher,
} from './ipc/dispatcher.ts';
import { createIpcHandlers } from './ipc/handlers.ts';
import { createRulesService } from './services/rules-service.ts';

export interface AppCoreOptions {
  appInfo: AppInfo;
  /** `scheme://host[:port]` values our own pages are served from. */
  trustedOrigins: readonly string[];
  /** Where main → renderer events go. */
  eventSink: EventSink;
  logger: Logger;
}

export interface AppCore {
  dispatcher: IpcDispatcher;
  close(): Promise<void>;
}

/**
 * Everything the main process does, without Electron: services, handlers and the checked
 * dispatcher. The Electron entry point and the Chromium test host both build the app this way.
 */
export function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const events = createEventPublisher(options.eventSink);
  const handlers = createIpcHandlers({
    appInfo: () => options.appInfo,
    rules: createRulesService(),
    events,
  });
  const dispatcher = createIpcDispatcher({
    handlers,
    trustedOrigins: options.trustedOrigins,
    logger: options.logger.child({ scope: 'ipc' }),
  });
  return Promise.resolve({ dispatcher, close: () => Promise.resolve() });
}
