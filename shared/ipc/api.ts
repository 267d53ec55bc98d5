import {
  eventContract,
  invokeContract,
  type EventMethod,
  type InputOf,
  type InvokeMethod,
  type OutputOf,
  type PayloadOf,
} from './contract.ts';
import type { Result } from './result.ts';

/** How a renderer reaches the main process: Electron's ipcRenderer, or a test host's bridge. */
export interface IpcTransport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

type InvokeFn<M extends InvokeMethod> =
  InputOf<M> extends undefined
    ? () => Promise<Result<OutputOf<M>>>
    : (input: InputOf<M>) => Promise<Result<OutputOf<M>>>;

type SubscribeFn<E extends EventMethod> = (listener: (payload: PayloadOf<E>) => void) => () => void;

/** The renderer's `window.api`: derived from the contract, never written by hand. */
export type PassdeskApi = Readonly<
  { [M in InvokeMethod]: InvokeFn<M> } & { [E in EventMethod]: SubscribeFn<E> }
>;

/** The main process side: one handler per operation, given parsed input. */
export type IpcHandlers = {
  [M in InvokeMethod]: (input: InputOf<M>) => Promise<Result<OutputOf<M>>>;
};

/** Every method name `window.api` exposes, in contract order. */
export const API_METHODS: readonly string[] = [
  ...Object.keys(invokeContract),
  ...Object.keys(eventContract),
];

/**
 * Builds the frozen `window.api` object from the contract: one method per operation and one
 * subscribe method per event. The preload and the Chromium test host both call this.
 */
export function buildApi(transport: IpcTransport): PassdeskApi {
  const api: Record<string, unknown> = {};
  for (const [method, spec] of Object.entries(invokeContract)) {
    api[method] = (input?: unknown) => transport.invoke(spec.channel, input);
  }
  for (const [method, spec] of Object.entries(eventContract)) {
    api[method] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function')
        throw new TypeError(`${method} needs a listener function`);
      return transport.subscribe(spec.channel, listener);
    };
  }
  return Object.freeze(api) as unknown as PassdeskApi;
}
