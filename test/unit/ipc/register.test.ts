import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, FakeIpcMain } from '../../fakes/electron.ts';

const ipcMain = new FakeIpcMain();
vi.mock('electron', async () => {
  const fakes = await import('../../fakes/electron.ts');
  const electron = { ipcMain, BrowserWindow: fakes.FakeBrowserWindow };
  return { ...electron, default: electron };
});

const { registerIpc, windowEventSink } = await import('../../../electron/main/ipc/register.ts');

describe('registerIpc', () => {
  it('handles every channel through the dispatcher with the real sender, and undoes it', async () => {
    const dispatch = vi.fn(() => Promise.resolve({ ok: true as const, data: 1 }));
    const undo = registerIpc({ channels: ['app:info', 'rules:get'], dispatch }, (id) => id === 7);
    expect([...ipcMain.handlers.keys()]).toEqual(['app:info', 'rules:get']);

    const mainFrame = { url: 'app://passdesk/index.html' };
    const event = {
      sender: { id: 7, mainFrame },
      senderFrame: mainFrame,
    } as unknown as IpcMainInvokeEvent;
    await ipcMain.handlers.get('app:info')?.(event, 'input');
    expect(dispatch).toHaveBeenCalledWith('app:info', 'input', {
      frameUrl: 'app://passdesk/index.html',
      isMainFrame: true,
      isOurWindow: true,
    });

    const child = { url: 'app://passdesk/frame.html' };
    const fromChild = {
      sender: { id: 8, mainFrame },
      senderFrame: child,
    } as unknown as IpcMainInvokeEvent;
    await ipcMain.handlers.get('rules:get')?.(fromChild, undefined);
    expect(dispatch).toHaveBeenLastCalledWith('rules:get', undefined, {
      frameUrl: 'app://passdesk/frame.html',
      isMainFrame: false,
      isOurWindow: false,
    });

    undo();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('windowEventSink', () => {
  it('sends to our live windows only', () => {
    FakeBrowserWindow.instances.length = 0;
    const ours = new FakeBrowserWindow({});
    const foreign = new FakeBrowserWindow({});
    const closed = new FakeBrowserWindow({});
    closed.webContents.destroyed = true;
    const ourIds = new Set([ours.webContents.id, closed.webContents.id]);
    windowEventSink((id) => ourIds.has(id))('rules:changed', { a: 1 });
    expect(ours.webContents.sent).toEqual([{ channel: 'rules:changed', payload: { a: 1 } }]);
    expect(foreign.webContents.sent).toEqual([]);
    expect(closed.webContents.sent).toEqual([]);
  });
});
