/**
 * The sandboxed preload (bundled to one CommonJS file). It exposes one frozen `api` object
 * built from the shared contract, and nothing else.
 */
import { contextBridge } from 'electron';
import { buildApi } from '../../shared/ipc/api.ts';
import { electronTransport } from './ipc.ts';

contextBridge.exposeInMainWorld('api', buildApi(electronTransport));
