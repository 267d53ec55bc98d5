import type { IpcTransport, PassdeskApi } from '../../shared/ipc/api.ts';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../shared/ipc/channels.ts';

/**
 * Builds the frozen `window.api` from the generated channel map (`shared/ipc/channels.ts`): one
 * method per operation and one subscribe method per event, in contract order. It carries no
 * schemas, so the sandboxed bundle has no zod; the main process parses every call with the
 * contract's schemas (electron/main/ipc/dispatcher.ts) whatever the page sends.
 */
export function buildApi(transport: IpcTransport): PassdeskApi {
  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(INVOKE_CHANNELS)) {
    api[method] = (input?: unknown) => transport.invoke(channel, input);
  }
  for (const [method, channel] of Object.entries(EVENT_CHANNELS)) {
    api[method] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function')
        throw new TypeError(`${method} needs a listener function`);
      return transport.subscribe(channel, listener);
    };
  }
  return Object.freeze(api) as unknown as PassdeskApi;
}
