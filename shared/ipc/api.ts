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

/**
 * The renderer's `window.api`: derived from the contract, never written by hand (the preload
 * builds it from the generated channel map, electron/preload/api.ts).
 */
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
