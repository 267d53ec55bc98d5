import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RulesCache } from './rules-service.ts';

/**
 * The last fetched rules in one JSON file in the app's data folder, with the backend they came
 * from. Written to a temporary file and renamed, so a crash never leaves half a file.
 */
export function fileRulesCache(file: string): RulesCache {
  return {
    load(backend) {
      try {
        const stored = JSON.parse(readFileSync(file, 'utf8')) as {
          backend?: unknown;
          rules?: unknown;
        };
        return stored.backend === backend ? (stored.rules ?? null) : null;
      } catch {
        return null;
      }
    },
    save(backend, rules) {
      mkdirSync(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ backend, rules }, null, 2));
      renameSync(temporary, file);
    },
  };
}
