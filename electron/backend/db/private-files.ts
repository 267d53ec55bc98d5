import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  writeFileSync,
} from 'node:fs';

/**
 * The data folder holds hashes, the audit trail and, in outbox-only mode, live recovery links:
 * only the operating-system user the backend runs as may read it. Folders are 0700, files 0600
 * (on Windows these modes do little; the folder's ACL decides).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and any missing parents) as 0700. With `tighten`, a folder that already exists
 * is made 0700 too: for the folders the backend owns outright (outbox/, logs/), whose older
 * copies may have been created readable by others.
 */
export function makePrivateDir(dir: string, options: { tighten?: boolean } = {}): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (options.tighten === true) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Creates `file` empty as 0600 when it is missing; makes it 0600 when it exists. */
export function makePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** Makes each of `files` that exists 0600. */
export function tightenFiles(files: readonly string[]): void {
  for (const file of files) if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * Replaces `file`'s content as a whole (a reader sees the old copy or the new, never half of
 * one), as 0600: written beside it, then renamed over it.
 */
export function writePrivateFile(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: PRIVATE_FILE_MODE });
  chmodSync(temporary, PRIVATE_FILE_MODE);
  renameSync(temporary, file);
}
