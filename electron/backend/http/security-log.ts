import type { Logger } from '../../../shared/log/index.ts';
import { clientKey } from './client-address.ts';

type Fields = Record<string, unknown>;

/**
 * Security events of the HTTP layer, logged at info level as
 * `security event { event, client, ...fields }` (the same shape the services use for link
 * events). Callers pass only names, addresses and counts: never a token or any part of one.
 */
export interface SecurityLog {
  /** Logs one event now. */
  event(event: string, client: string, fields?: Fields): void;
  /**
   * For an event a client can cause as often as it likes (a wrong token, a refused request): the
   * first from a client in a window is logged at once, the others of that window as one line
   * with `repeats` when it ends, so no client can flood the log.
   */
  repeated(event: string, windowSeconds: number): (client: string, fields?: Fields) => void;
}

export function createSecurityLog(logger: Logger): SecurityLog {
  const event = (name: string, client: string, fields: Fields = {}): void =>
    logger.info('security event', { event: name, client, ...fields });

  const repeated = (name: string, windowSeconds: number) => {
    const windows = new Map<string, { client: string; repeats: number }>();
    return (client: string, fields: Fields = {}): void => {
      const key = clientKey(client);
      const open = windows.get(key);
      if (open !== undefined) {
        open.repeats += 1;
        return;
      }
      const window = { client, repeats: 0 };
      windows.set(key, window);
      event(name, client, fields);
      setTimeout(() => {
        windows.delete(key);
        if (window.repeats > 0) {
          event(name, window.client, { repeats: window.repeats, windowSeconds });
        }
      }, windowSeconds * 1000).unref();
    };
  };

  return { event, repeated };
}
