/**
 * The body of each hashing worker thread (see hash-pool.ts). It is loaded three ways: as
 * `hash-worker.ts` from source by Node's type stripping (the standalone backend, Vitest), and
 * as `hash-worker.js`, its own entry of the main-process build (electron.vite.config.ts).
 * Keep it to erasable TypeScript and relative `.ts` imports so all three work.
 */
import { deriveKeySync, type KeyRequest } from './key-derivation.ts';

/**
 * Derives one key, blocking this worker thread (which is what it is for). Null when the
 * parameters are refused, e.g. a tampered stored hash: to the caller that is "does not match",
 * while a failure of the pool itself still rejects.
 */
export default function deriveInWorker(request: KeyRequest): Uint8Array | null {
  try {
    return deriveKeySync(request);
  } catch {
    return null;
  }
}
