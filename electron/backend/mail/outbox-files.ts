import path from 'node:path';
import { makePrivateDir, writePrivateFile } from '../db/private-files.ts';

export interface OutboxFiles {
  /** Writes (or replaces) message `id`'s .eml copy, 0600. */
  write(id: number, raw: string): void;
}

/** The outbox's .eml copies, one per message, in `<dataDir>/outbox` (a 0700 folder). */
export function createOutboxFiles(dataDir: string): OutboxFiles {
  const dir = path.join(dataDir, 'outbox');
  makePrivateDir(dir, { tighten: true });
  return {
    write(id, raw) {
      writePrivateFile(path.join(dir, `${String(id).padStart(8, '0')}.eml`), raw);
    },
  };
}
