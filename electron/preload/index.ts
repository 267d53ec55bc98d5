/**
 * The sandboxed preload (bundled to one CommonJS file). It exposes one frozen `api` object
 * built from the generated channel map, and nothing else: no schemas, no zod (the main process
 * validates every call).
 */
import { contextBridge } from 'electron';
import { buildApi } from './api.ts';
import { electronTransport } from './ipc.ts';

contextBridge.exposeInMainWorld('api', buildApi(electronTransport));
