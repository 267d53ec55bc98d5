import * as crypto from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createHashPool, HashPoolUnavailable } from './hash-pool.ts';
import {
  ARGON2_AVAILABLE,
  deriveKey,
  workKiB,
  type Argon2Params,
  type KeyRequest,
  type ScryptParams,
} from './key-derivation.ts';

/** Production meets OWASP's minimums; `test` is cheap, for test suites only. */
export type HashCost = 'production' | 'test';

export interface SecretHasher {
  /** A salted, self-describing hash (PHC string format) of `secret`. */
  hash(secret: string): Promise<string>;
  /**
   * Whether `secret` is the value behind `stored`; false for anything unreadable or tampered.
   * Rejects only when hashing itself fails (the hasher closed, a worker thread died).
   */
  verify(secret: string, stored: string): Promise<boolean>;
  readonly algorithm: 'argon2id' | 'scrypt';
  /**
   * How many hashes it computes at once (its worker threads). A caller with many to do keeps
   * about this many in flight, so that others' requests queue behind little.
   */
  readonly parallelism: number;
  /** Ends its worker threads; hash and verify reject afterwards. Idempotent. */
  close(): Promise<void>;
}

export interface SecretHasherOptions {
  /** argon2id unless asked otherwise; scrypt wherever the runtime lacks argon2id. */
  algorithm?: 'argon2id' | 'scrypt';
  /** Worker threads; defaults to every core (`os.availableParallelism()`). */
  threads?: number;
  /** The worker's file; defaults to the one next to this module (see hash-pool.ts). */
  workerUrl?: URL;
  /** Told if the worker threads cannot start; hashing then carries on through libuv, as before. */
  onPoolUnavailable?: (error: Error) => void;
}

/** OWASP Password Storage Cheat Sheet: argon2id m=19 MiB, t=2, p=1; scrypt N=2^17, r=8, p=1. */
const ARGON2 = { production: { m: 19_456, t: 2, p: 1 }, test: { m: 64, t: 1, p: 1 } } as const;
const SCRYPT = { production: { ln: 17, r: 8, p: 1 }, test: { ln: 4, r: 8, p: 1 } } as const;

const SALT_LENGTH = 16;

/**
 * Work up to this size is derived in this thread (through libuv), not in a worker. Measured
 * here: a test-cost hash (64 KiB) takes 0.07 ms in process against 0.1–0.2 ms through the pool,
 * whose round trip costs more than the hash; a production one (38,912 KiB) takes 20–30 ms.
 * 1 MiB of work is under 1 ms, too short to matter to libuv's other users.
 */
const IN_PROCESS_MAX_WORK_KIB = 1024;

const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('base64')
    .replace(/=+$/u, '');
const unb64 = (text: string): Buffer => Buffer.from(text, 'base64');

const PHC =
  /^\$(argon2id|scrypt)\$(?:v=19\$)?([a-z]+=\d+(?:,[a-z]+=\d+)*)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/u;

function parseParams(text: string): Record<string, number> {
  const params: Record<string, number> = {};
  for (const pair of text.split(',')) {
    const [name = '', value = ''] = pair.split('=');
    params[name] = Number(value);
  }
  return params;
}

function formatPhc(request: KeyRequest, key: Uint8Array): string {
  if (request.algorithm === 'argon2id') {
    const { m, t, p } = request.params;
    return `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(request.salt)}$${b64(key)}`;
  }
  const { ln, r, p } = request.params;
  return `$scrypt$ln=${ln},r=${r},p=${p}$${b64(request.salt)}$${b64(key)}`;
}

/** The derivation `stored` describes, for `secret`; null if it is not a hash of ours. */
function parsePhc(secret: string, stored: string): { request: KeyRequest; key: Buffer } | null {
  const match = PHC.exec(stored);
  if (match === null) return null;
  const [, kind, paramText = '', saltText = '', keyText = ''] = match;
  const params = parseParams(paramText);
  const salt = unb64(saltText);
  const key = unb64(keyText);
  if (kind === 'argon2id') {
    const argon2: Argon2Params = { m: params.m ?? 0, t: params.t ?? 0, p: params.p ?? 0 };
    return { request: { algorithm: 'argon2id', secret, salt, params: argon2 }, key };
  }
  const scrypt: ScryptParams = { ln: params.ln ?? 0, r: params.r ?? 0, p: params.p ?? 0 };
  return { request: { algorithm: 'scrypt', secret, salt, params: scrypt }, key };
}

/**
 * argon2id where the runtime has it (Electron 45, Node ≥ 24.7), scrypt otherwise. Expensive
 * derivations run on a pool of worker threads, one per core unless `threads` says otherwise,
 * started on first use; `close()` ends them. Verifying follows the stored hash's own
 * parameters, so either algorithm's hashes verify whichever one this hasher makes.
 */
export function createSecretHasher(
  cost: HashCost,
  options: SecretHasherOptions = {},
): SecretHasher {
  const algorithm =
    (options.algorithm ?? 'argon2id') === 'argon2id' && ARGON2_AVAILABLE ? 'argon2id' : 'scrypt';
  let poolUnavailable = false;
  const pool = createHashPool({
    threads: options.threads ?? availableParallelism(),
    ...(options.workerUrl === undefined ? {} : { workerUrl: options.workerUrl }),
    onUnavailable: (error) => {
      // Slower, never wrong: the same derivation, on libuv's threads as before the pool.
      poolUnavailable = true;
      options.onPoolUnavailable?.(error);
    },
  });
  let closed = false;

  /** The key, or null for parameters the algorithm refuses. */
  async function derive(request: KeyRequest): Promise<Uint8Array | null> {
    if (closed) throw new Error('the secret hasher is closed');
    if (!poolUnavailable && workKiB(request) > IN_PROCESS_MAX_WORK_KIB) {
      try {
        return await pool.run(request);
      } catch (error) {
        if (!(error instanceof HashPoolUnavailable)) throw error;
      }
    }
    return deriveKey(request).catch(() => null);
  }

  return {
    algorithm,
    parallelism: pool.threads,
    async hash(secret) {
      const salt = crypto.randomBytes(SALT_LENGTH);
      const request: KeyRequest =
        algorithm === 'argon2id'
          ? { algorithm, secret, salt, params: ARGON2[cost] }
          : { algorithm, secret, salt, params: SCRYPT[cost] };
      const key = await derive(request);
      if (key === null) throw new Error(`${algorithm} refused the ${cost} parameters`);
      return formatPhc(request, key);
    },
    async verify(secret, stored) {
      const parsed = parsePhc(secret, stored);
      if (parsed === null) return false;
      const actual = await derive(parsed.request);
      return (
        actual !== null &&
        actual.length === parsed.key.length &&
        crypto.timingSafeEqual(actual, parsed.key)
      );
    },
    close() {
      closed = true;
      return pool.close();
    },
  };
}
