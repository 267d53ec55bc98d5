import { closeSync, openSync, rmSync } from 'node:fs';
import { AdminTokensError } from './token-store.ts';

/** How long a command waits for another one to finish with the file (each takes milliseconds). */
const WAIT_MS = 5000;
const RETRY_MS = 25;

const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Runs `change` (a read, then a write, of `file`) while holding `<file>.lock`, made with
 * O_EXCL, so that two token commands at once cannot each write back the list without the
 * other's change (a token printed as added, but not in the file). A lock left by a command that
 * died is not taken over: the message says to remove it, as only a person can tell.
 */
export function withFileLock<T>(file: string, change: () => T, waitMs = WAIT_MS): T {
  const lock = `${file}.lock`;
  const giveUpAt = Date.now() + waitMs;
  let descriptor: number;
  for (;;) {
    try {
      descriptor = openSync(lock, 'wx', 0o600);
      break;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      if (Date.now() >= giveUpAt)
        throw new AdminTokensError(
          `${lock} is held by another token command; if none is running, one stopped half-way: remove ${lock} and try again`,
        );
      pause(RETRY_MS);
    }
  }
  try {
    return change();
  } finally {
    closeSync(descriptor);
    rmSync(lock, { force: true });
  }
}
