import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';

/** A log sink that appends JSON lines to `file` (creating its folder) and mirrors to stderr. */
export function fileLogSink(file: string, mirror = false): (line: string) => void {
  mkdirSync(path.dirname(file), { recursive: true });
  const stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
  return (line) => {
    stream.write(`${line}\n`);
    if (mirror) process.stderr.write(`${line}\n`);
  };
}
