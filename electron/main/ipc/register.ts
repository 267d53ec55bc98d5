import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { IpcSender } from '../security/origins.ts';
import type { EventSink, IpcDispatcher } from './dispatcher.ts';

/** The only user of `ipcMain`: serves every channel of the dispatcher; returns an undo. */
export function registerIpc(dispatcher: IpcDispatcher, isOurWindow: (id: number) => boolean) {
  for (const channel of dispatcher.channels) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown) =>
      dispatcher.dispatch(channel, input, senderOf(event, isOurWindow)),
    );
  }
  return (): void => {
    for (const channel of dispatcher.channels) ipcMain.removeHandler(channel);
  };
}

function senderOf(event: IpcMainInvokeEvent, isOurWindow: (id: number) => boolean): IpcSender {
  const frame = event.senderFrame;
  return {
    frameUrl: frame?.url ?? '',
    isMainFrame: frame !== null && frame === event.sender.mainFrame,
    isOurWindow: isOurWindow(event.sender.id),
  };
}

/** Main → renderer events go to every open window of ours. */
export function windowEventSink(isOurWindow: (id: number) => boolean): EventSink {
  return (channel, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      const contents = window.webContents;
      if (!contents.isDestroyed() && isOurWindow(contents.id)) contents.send(channel, payload);
    }
  };
}
