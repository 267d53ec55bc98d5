import { describe, expect, it, vi } from 'vitest';
import { FakeContextBridge, FakeIpcRenderer } from '../../fakes/electron.ts';
import {
  API_METHODS,
  eventContract,
  invokeContract,
  type PassdeskApi,
} from '../../../shared/ipc/index.ts';

const contextBridge = new FakeContextBridge();
const ipcRenderer = new FakeIpcRenderer();
vi.mock('electron', () => {
  const electron = { contextBridge, ipcRenderer };
  return { ...electron, default: electron };
});

await import('../../../electron/preload/index.ts');
const api = contextBridge.exposed.get('api') as PassdeskApi;

describe('the preload', () => {
  it('exposes exactly one object, api', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['api']);
  });

  it('exposes exactly the methods of the contract, frozen', () => {
    expect(Object.keys(api)).toEqual([
      ...Object.keys(invokeContract),
      ...Object.keys(eventContract),
    ]);
    expect(Object.keys(api)).toEqual(API_METHODS);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.values(api).every((value) => typeof value === 'function')).toBe(true);
  });

  it('invokes each operation on its channel', async () => {
    expect(await api.getAppInfo()).toEqual({ ok: true, data: 'answer for app:info' });
    await api.getRules();
    expect(ipcRenderer.invoked).toEqual([
      { channel: 'app:info', input: undefined },
      { channel: 'rules:get', input: undefined },
    ]);
  });

  it('invokes every operation on its contract channel, passing the input as given', async () => {
    ipcRenderer.invoked.length = 0;
    const call = api as unknown as Record<string, (input?: unknown) => Promise<unknown>>;
    for (const method of Object.keys(invokeContract)) await call[method]!({ from: method });
    expect(ipcRenderer.invoked).toEqual(
      Object.entries(invokeContract).map(([method, spec]) => ({
        channel: spec.channel,
        input: { from: method },
      })),
    );
  });

  it('subscribes each event on its contract channel', () => {
    const subscribe = api as unknown as Record<string, (listener: () => void) => () => void>;
    for (const [method, spec] of Object.entries(eventContract)) {
      const unsubscribe = subscribe[method]!(() => undefined);
      expect(ipcRenderer.count(spec.channel)).toBe(1);
      unsubscribe();
      expect(ipcRenderer.count(spec.channel)).toBe(0);
    }
  });

  it('refuses a subscription without a listener function', () => {
    const subscribe = api.onJobUpdate as unknown as (listener: unknown) => () => void;
    expect(() => subscribe('not a function')).toThrow(TypeError);
    expect(ipcRenderer.count('jobs:update')).toBe(0);
  });

  it('subscribes to events and returns an unsubscribe function', () => {
    const heard: unknown[] = [];
    const unsubscribe = api.onRulesChanged((rules) => heard.push(rules));
    ipcRenderer.emit('rules:changed', { sender: 'main' }, { first: true });
    unsubscribe();
    ipcRenderer.emit('rules:changed', { sender: 'main' }, { second: true });
    expect(heard).toEqual([{ first: true }]);
    expect(ipcRenderer.count('rules:changed')).toBe(0);
  });

  it('hands the renderer no IPC event object (no sender, no ports)', () => {
    const heard: unknown[] = [];
    const unsubscribe = api.onRulesChanged((...args: unknown[]) => heard.push(args));
    ipcRenderer.emit('rules:changed', { sender: 'main', ports: [] }, 'payload');
    unsubscribe();
    expect(heard).toEqual([['payload']]);
  });
});
