/**
 * Typed stand-ins for the parts of Electron that PassDesk's glue code touches. Electron cannot
 * start here, so the glue is tested against these (see DESIGN.md).
 */
import type { HandlerDetails, WindowOpenHandlerResponse } from 'electron';

type Listener = (...args: unknown[]) => unknown;

class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }

  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** An event whose `preventDefault` is observable. */
export function fakeEvent(fields: Record<string, unknown> = {}) {
  const event = {
    defaultPrevented: false,
    preventDefault: () => (event.defaultPrevented = true),
    ...fields,
  };
  return event;
}

let nextId = 1;

export class FakeWebContents extends FakeEmitter {
  readonly id = nextId++;
  readonly mainFrame = { url: '' };
  openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  readonly sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;

  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.openHandler = handler;
  }

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static readonly instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadedUrls: string[] = [];
  shown = false;

  readonly options: Electron.BrowserWindowConstructorOptions;

  constructor(options: Electron.BrowserWindowConstructorOptions) {
    super();
    this.options = options;
    FakeBrowserWindow.instances.push(this);
  }

  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances;
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    return Promise.resolve();
  }

  show(): void {
    this.shown = true;
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, Listener>();
  /** `on` listeners (electron-store registers one of its own). */
  readonly listeners = new Map<string, Listener[]>();

  on(channel: string, listener: Listener): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }

  handle(channel: string, handler: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

export class FakeIpcRenderer extends FakeEmitter {
  readonly invoked: { channel: string; input: unknown }[] = [];

  invoke(channel: string, input: unknown): Promise<unknown> {
    this.invoked.push({ channel, input });
    return Promise.resolve({ ok: true, data: `answer for ${channel}` });
  }

  removeListener(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
}

export class FakeSession {
  requestHandler: Listener | null = null;
  checkHandler: Listener | null = null;
  deviceHandler: Listener | null = null;

  setPermissionRequestHandler(handler: Listener): void {
    this.requestHandler = handler;
  }

  setPermissionCheckHandler(handler: Listener): void {
    this.checkHandler = handler;
  }

  setDevicePermissionHandler(handler: Listener): void {
    this.deviceHandler = handler;
  }
}

export class FakeShell {
  readonly opened: string[] = [];

  openExternal(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  }
}

export class FakeProtocol {
  readonly privileged: Electron.CustomScheme[] = [];
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();

  registerSchemesAsPrivileged(schemes: Electron.CustomScheme[]): void {
    this.privileged.push(...schemes);
  }

  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    this.handlers.set(scheme, handler);
  }
}

export class FakeApp extends FakeEmitter {}

/** Electron's Menu as the composition root uses it: the template of the menu set last. */
export class FakeMenu {
  applied: Electron.MenuItemConstructorOptions[] | null = null;

  buildFromTemplate = (template: Electron.MenuItemConstructorOptions[]): Electron.Menu =>
    ({ template }) as unknown as Electron.Menu;

  setApplicationMenu = (menu: Electron.Menu | null): void => {
    this.applied =
      (menu as unknown as { template?: Electron.MenuItemConstructorOptions[] } | null)?.template ??
      null;
  };
}

export class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();

  exposeInMainWorld(key: string, value: unknown): void {
    this.exposed.set(key, value);
  }
}

/**
 * Electron's safeStorage, async API, with a reversible stand-in for the OS keychain (not
 * encryption: tests that need real ciphertext use test/support/test-token-cipher.ts).
 */
export class FakeSafeStorage implements Pick<
  Electron.SafeStorage,
  | 'isAsyncEncryptionAvailable'
  | 'encryptStringAsync'
  | 'decryptStringAsync'
  | 'getSelectedStorageBackend'
> {
  available = true;
  backend: ReturnType<Electron.SafeStorage['getSelectedStorageBackend']> = 'gnome_libsecret';

  isAsyncEncryptionAvailable(): Promise<boolean> {
    return Promise.resolve(this.available);
  }

  encryptStringAsync(plainText: string): Promise<Buffer> {
    return Promise.resolve(Buffer.from(plainText, 'utf8').reverse());
  }

  decryptStringAsync(encrypted: Buffer): Promise<Electron.DecryptStringAsyncReturnValue> {
    return Promise.resolve({
      result: Buffer.from(encrypted).reverse().toString('utf8'),
      shouldReEncrypt: false,
    });
  }

  getSelectedStorageBackend(): ReturnType<Electron.SafeStorage['getSelectedStorageBackend']> {
    return this.backend;
  }
}
