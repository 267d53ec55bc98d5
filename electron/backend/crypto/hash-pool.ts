import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import type { KeyRequest } from './key-derivation.ts';

/**
 * The hashing worker's file, next to the module that asks: `hash-worker.ts` beside this file
 * when it runs from source (plain Node, Vitest), `hash-worker.js` beside out/main/index.js once
 * built (the worker is its own entry of the main build, and this module is inlined into
 * index.js). The extension follows the asking module's own, so nothing is probed or guessed.
 * The name is passed as a variable on purpose: Vite rewrites `new URL('literal',
 * import.meta.url)` into an asset, which would copy the .ts source into the build.
 */
export function hashWorkerUrl(moduleUrl: string = import.meta.url): URL {
  const fileName = `hash-worker${new URL(moduleUrl).pathname.endsWith('.ts') ? '.ts' : '.js'}`;
  return new URL(fileName, moduleUrl);
}

/** The pool's worker could not start (a missing or unloadable file); no task will run in it. */
export class HashPoolUnavailable extends Error {
  override readonly name = 'HashPoolUnavailable';
}

export interface HashPoolOptions {
  /** How many worker threads at most; each hashes one key at a time. */
  threads: number;
  /** Defaults to `hashWorkerUrl()`. */
  workerUrl?: URL;
  /** Idle threads exit after this long, so an idle app holds none; the next task starts them. */
  idleTimeoutMs?: number;
  /** Told once when the pool becomes unavailable, with the cause. */
  onUnavailable?: (error: Error) => void;
}

export interface HashPool {
  readonly threads: number;
  /** Threads alive right now: 0 before the first task, after the idle timeout and after close. */
  readonly liveThreads: number;
  /**
   * Derives one key on a worker thread: the key, or null if the parameters were refused.
   * Tasks queue in arrival order. Rejects with `HashPoolUnavailable` if the worker cannot
   * start, and with an error once the pool is closed.
   */
  run(request: KeyRequest): Promise<Uint8Array | null>;
  /** Ends every thread (waiting for hashes in progress) and rejects queued tasks. Idempotent. */
  close(): Promise<void>;
}

/**
 * A worker-thread pool for key derivation, started on first use. The threads block on
 * argon2Sync/scryptSync, so neither the event loop nor libuv's shared thread pool (file and
 * DNS I/O) waits for a hash.
 */
export function createHashPool(options: HashPoolOptions): HashPool {
  const { threads } = options;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`hash threads must be a whole number of at least 1, not ${threads}`);
  }
  const workerUrl = options.workerUrl ?? hashWorkerUrl();
  let pool: Tinypool | null = null;
  let unavailable: HashPoolUnavailable | null = null;
  // Read through a call: the 'error' listener can set it while a run() awaits.
  const failure = (): HashPoolUnavailable | null => unavailable;
  let closing: Promise<void> | null = null;

  function markUnavailable(cause: unknown): HashPoolUnavailable {
    if (unavailable !== null) return unavailable;
    const reason = cause instanceof Error ? cause.message : String(cause);
    unavailable = new HashPoolUnavailable(`the hashing worker could not start: ${reason}`, {
      cause,
    });
    options.onUnavailable?.(unavailable);
    // A worker that fails while starting leaves the queued tasks waiting forever: cancelling
    // rejects them, and run() turns that into HashPoolUnavailable. Not destroy(): it waits on
    // each worker with events.once, which throws an uncaught TypeError if a worker that is
    // still starting then fails too (Tinypool's worker wrapper has no removeListener).
    pool?.cancelPendingTasks();
    return unavailable;
  }

  function started(): Tinypool {
    if (pool !== null) return pool;
    const file = fileURLToPath(workerUrl);
    if (!existsSync(file)) throw markUnavailable(new Error(`${file} does not exist`));
    pool = new Tinypool({
      filename: workerUrl.href,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: options.idleTimeoutMs ?? 30_000,
    });
    // Tinypool emits 'error' for a worker that dies with no task of its own, which is what a
    // worker that cannot load its file does; unheard, that event would crash the process.
    pool.on('error', markUnavailable);
    return pool;
  }

  return {
    threads,
    get liveThreads() {
      return pool?.threads.length ?? 0;
    },
    async run(request) {
      if (closing !== null) throw new Error('the hash pool is closed');
      const failed = failure();
      if (failed !== null) throw failed;
      // A copy of exactly the salt's bytes: a Buffer can be a view into a larger slab, and
      // structured cloning copies the whole slab.
      const task = { ...request, salt: new Uint8Array(request.salt) };
      try {
        return (await started().run(task)) as Uint8Array | null;
      } catch (error) {
        throw failure() ?? error;
      }
    },
    close() {
      // An unavailable pool has only failed workers left, which end by themselves (unref'd,
      // so they hold nothing open); destroying it could meet the TypeError described above.
      closing ??= pool === null || failure() !== null ? Promise.resolve() : pool.destroy();
      return closing;
    },
  };
}
