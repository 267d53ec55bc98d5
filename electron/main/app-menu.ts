import type { Menu, MenuItemConstructorOptions } from 'electron';

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /** A development build (not packaged): the window's reload and developer tools are there. */
  development: boolean;
}

/**
 * The application menu, in place of Electron's default one, which has Reload, Force Reload
 * and Toggle Developer Tools in every build. In PassDesk a reload of the window only draws
 * again what main holds (F5 in the table reads the users again from the backend), and the
 * developer tools belong to development builds. Edit keeps its roles: without them copy and
 * paste do not work in text fields on macOS.
 */
export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const developer: MenuItemConstructorOptions[] = options.development
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, separator]
    : [];
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  const first: MenuItemConstructorOptions =
    options.platform === 'darwin'
      ? { role: 'appMenu' }
      : { label: '&File', submenu: [{ role: 'quit' }] };
  return [first, { role: 'editMenu' }, view, { role: 'windowMenu' }];
}

/** Sets the application menu (call once the app is ready). */
export function installAppMenu(
  menu: Pick<typeof Menu, 'buildFromTemplate' | 'setApplicationMenu'>,
  options: AppMenuOptions,
): void {
  menu.setApplicationMenu(menu.buildFromTemplate(appMenuTemplate(options)));
}
