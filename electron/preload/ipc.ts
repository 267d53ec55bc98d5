import { ipcRenderer, type IpcRendererEvent } from 'electron';
import type { IpcTransport } from '../../shared/ipc/api.ts';

/** The only user of `ipcRenderer`: invoke for operations, on/removeListener for events. */
export const electronTransport: IpcTransport = {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  subscribe(channel, listener) {
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
};
