import { z } from 'zod';
import { RuleSets } from '../rules/rule-set.ts';

/** For operations that take no argument. */
export const NoInput = z.undefined();

export const AppInfo = z.strictObject({
  name: z.string(),
  version: z.string(),
  /** Which provisioning backend PassDesk talks to; never its token. */
  backend: z.strictObject({
    kind: z.enum(['built-in', 'remote']),
    url: z.string(),
  }),
});
export type AppInfo = z.infer<typeof AppInfo>;

export interface InvokeSpec {
  /** `domain:action`; the only place a channel string is written. */
  channel: `${string}:${string}`;
  input: z.ZodType;
  output: z.ZodType;
}

export interface EventSpec {
  channel: `${string}:${string}`;
  payload: z.ZodType;
}

/**
 * Renderer → main operations. Each key becomes one method of `window.api`; the main process
 * checks the sender and parses the input with `input` before any handler runs.
 */
export const invokeContract = {
  /** The app's name and version, and which backend is in use. Any renderer of ours may call it. */
  getAppInfo: { channel: 'app:info', input: NoInput, output: AppInfo },
  /** The effective password and passcode rules: the backend's when connected, else defaults. */
  getRules: { channel: 'rules:get', input: NoInput, output: RuleSets },
} as const satisfies Record<string, InvokeSpec>;

/**
 * Main → renderer events. Each key becomes a subscribe method of `window.api` that returns an
 * unsubscribe function. Payloads are parsed before sending and never carry a secret.
 */
export const eventContract = {
  /** The effective rules changed (for example, fetched from a newly connected backend). */
  onRulesChanged: { channel: 'rules:changed', payload: RuleSets },
} as const satisfies Record<string, EventSpec>;

export type InvokeContract = typeof invokeContract;
export type EventContract = typeof eventContract;
export type InvokeMethod = keyof InvokeContract;
export type EventMethod = keyof EventContract;

export type InputOf<M extends InvokeMethod> = z.infer<InvokeContract[M]['input']>;
export type OutputOf<M extends InvokeMethod> = z.infer<InvokeContract[M]['output']>;
export type PayloadOf<E extends EventMethod> = z.infer<EventContract[E]['payload']>;
