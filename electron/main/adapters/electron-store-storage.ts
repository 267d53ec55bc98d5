import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import ElectronStore from 'electron-store';
import { silentLogger, type Logger } from '../../../shared/log/index.ts';
import type { SettingsStorage } from '../services/settings-service.ts';

/** Only the owner may read or write PassDesk's files (the umask can only take more away). */
const FILE_MODE = 0o600;

type Store = ElectronStore;

/** conf reports a file that is not JSON with a SyntaxError naming the path, not the content. */
const isNotJson = (error: unknown): boolean =>
  error instanceof Error && error.name === 'SyntaxError';

/**
 * `<cwd>/<name>.json` (cwd defaults to Electron's `userData` folder), kept by electron-store:
 * plain JSON, tab-indented, written atomically with mode 0600. It is the same file and format
 * conf writes for `new Conf({ cwd, configName: name })`, so settings written before this
 * adapter existed read back unchanged.
 *
 * A file that is not valid JSON is never wiped: it is moved aside to
 * `<name>.json.corrupt-<timestamp>` (with a warning naming the path) and the store starts
 * empty. Other read errors (permissions, a disk that is gone) are thrown to the caller.
 * The main process only; needs Electron's `app` for the default folder.
 */
export function electronStoreStorage(
  name: 'settings' | 'credentials',
  options: { cwd?: string; logger?: Logger } = {},
): SettingsStorage {
  const logger = (options.logger ?? silentLogger).child({ component: 'electron-store' });
  const userData = (): string => app.getPath('userData');
  const cwd =
    options.cwd === undefined
      ? userData()
      : path.isAbsolute(options.cwd)
        ? options.cwd
        : path.join(userData(), options.cwd);
  const file = path.join(cwd, `${name}.json`);
  const open = (): Store =>
    new ElectronStore({
      name,
      cwd,
      configFileMode: FILE_MODE,
      // A damaged file is moved aside here, never cleared by conf.
      clearInvalidConfig: false,
    });

  /** Moves a file that is not JSON out of the way, so that nothing is lost and work goes on. */
  const setAside = (): void => {
    const stamp = new Date().toISOString().replace(/[:.]/gu, '-');
    let target = `${file}.corrupt-${stamp}`;
    for (let n = 2; existsSync(target); n += 1) target = `${file}.corrupt-${stamp}-${n}`;
    renameSync(file, target);
    logger.warn(`${file} is not valid JSON; it was moved to ${target} and PassDesk starts anew.`, {
      file,
      movedTo: target,
    });
  };

  let store: Store;
  try {
    store = open();
  } catch (error) {
    if (!isNotJson(error)) throw error;
    setAside();
    store = open();
  }

  /** The store's content, moving a file that became unreadable meanwhile aside. */
  const current = (): Record<string, unknown> | undefined => {
    try {
      return store.store;
    } catch (error) {
      if (!isNotJson(error)) throw error;
      setAside();
      return undefined;
    }
  };

  return {
    read: () => current(),
    write: (value) => {
      // Checked first: conf would otherwise write over a damaged file without a word.
      current();
      store.store = value as Record<string, unknown>;
    },
  };
}
