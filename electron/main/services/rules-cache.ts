import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RulesCache } from './rules-service.ts';

/** The file as read: not trusted to have any shape. */
interface Stored {
  backends?: Record<string, unknown> | null;
  backend?: unknown;
  rules?: unknown;
}

/**
 * The last rules fetched from each backend, in one JSON file in the app's data folder, so a
 * backend that is offline at start still gets its own rules (never another backend's). Written
 * to a temporary file and renamed, so a crash never leaves half a file.
 */
export function fileRulesCache(file: string): RulesCache {
  function read(): Record<string, unknown> {
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as Stored;
      if (typeof stored.backends === 'object' && stored.backends !== null) return stored.backends;
      // The first release kept one backend's rules: { backend, rules }.
      if (typeof stored.backend === 'string') return { [stored.backend]: stored.rules };
    } catch {
      // None yet, or unreadable: no cached rules.
    }
    return {};
  }
  return {
    load: (backend) => read()[backend] ?? null,
    save(backend, rules) {
      mkdirSync(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(
        temporary,
        JSON.stringify({ backends: { ...read(), [backend]: rules } }, null, 2),
        {
          mode: 0o600,
        },
      );
      renameSync(temporary, file);
    },
  };
}
