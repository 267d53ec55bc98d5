import type { Menu, MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appMenuTemplate, installAppMenu } from '../../../electron/main/app-menu.ts';

/** Every role in the menu, submenus included. */
function rolesOf(items: readonly MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role === undefined ? [] : [item.role]),
    ...(Array.isArray(item.submenu) ? rolesOf(item.submenu) : []),
  ]);
}

describe('the application menu', () => {
  it('has no window reload and no developer tools in a packaged build, on any platform', () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      const roles = rolesOf(appMenuTemplate({ platform, development: false }));
      expect(roles).not.toContain('reload');
      expect(roles).not.toContain('forceReload');
      expect(roles).not.toContain('toggleDevTools');
      // Copy and paste in text fields (macOS needs the Edit menu's roles for them), zoom, quit.
      expect(roles).toEqual(expect.arrayContaining(['editMenu', 'zoomIn', 'windowMenu']));
    }
  });

  it('keeps them in development, and follows each platform’s first menu', () => {
    expect(rolesOf(appMenuTemplate({ platform: 'linux', development: true }))).toEqual(
      expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']),
    );
    expect(appMenuTemplate({ platform: 'darwin', development: false })[0]).toEqual({
      role: 'appMenu',
    });
    expect(appMenuTemplate({ platform: 'win32', development: false })[0]).toEqual({
      label: '&File',
      submenu: [{ role: 'quit' }],
    });
  });

  it('sets the menu built from that template', () => {
    const built = { built: true } as unknown as Menu;
    const menu = {
      buildFromTemplate: vi.fn<typeof Menu.buildFromTemplate>(() => built),
      setApplicationMenu: vi.fn<typeof Menu.setApplicationMenu>(),
    };
    installAppMenu(menu, { platform: 'win32', development: false });
    expect(menu.buildFromTemplate).toHaveBeenCalledWith(
      appMenuTemplate({ platform: 'win32', development: false }),
    );
    expect(menu.setApplicationMenu).toHaveBeenCalledWith(built);
  });
});
