import * as crypto from 'node:crypto';
import { promisify } from 'node:util';

export interface Argon2Params {
  /** Memory in KiB. */
  m: number;
  /** Passes. */
  t: number;
  /** Lanes. */
  p: number;
}

export interface ScryptParams {
  /** log2 of the cost N. */
  ln: number;
  r: number;
  p: number;
}

/** One key to derive: everything a worker thread needs, and nothing that cannot be cloned. */
export type KeyRequest =
  | { algorithm: 'argon2id'; secret: string; salt: Uint8Array; params: Argon2Params }
  | { algorithm: 'scrypt'; secret: string; salt: Uint8Array; params: ScryptParams };

export const KEY_LENGTH = 32;

// crypto.argon2 and argon2Sync arrived in Node 24.7 (older runtimes hash with scrypt); the
// types always declare them, so ask the runtime.
export const ARGON2_AVAILABLE = typeof (crypto as Partial<typeof crypto>).argon2Sync === 'function';

const argon2Async = ARGON2_AVAILABLE ? promisify(crypto.argon2) : undefined;
const scryptAsync = promisify(crypto.scrypt) as (
  password: string,
  salt: Uint8Array,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

function argon2Parameters(request: Extract<KeyRequest, { algorithm: 'argon2id' }>) {
  return {
    message: request.secret,
    nonce: request.salt,
    parallelism: request.params.p,
    tagLength: KEY_LENGTH,
    memory: request.params.m,
    passes: request.params.t,
  };
}

function scryptOptions({ ln, r, p }: ScryptParams): crypto.ScryptOptions {
  const N = 2 ** ln;
  return { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
}

function argon2Missing(): Error {
  return new Error('argon2id needs Node 24.7 or newer');
}

/**
 * Derives the key on the calling thread, blocking it for the whole cost. Meant for worker
 * threads, where blocking is the point: the async variants would hand the work to libuv's
 * thread pool, which the process shares with file and DNS I/O. Throws for parameters the
 * algorithm refuses.
 */
export function deriveKeySync(request: KeyRequest): Buffer {
  if (request.algorithm === 'scrypt') {
    return crypto.scryptSync(
      request.secret,
      request.salt,
      KEY_LENGTH,
      scryptOptions(request.params),
    );
  }
  if (!ARGON2_AVAILABLE) throw argon2Missing();
  return crypto.argon2Sync('argon2id', argon2Parameters(request));
}

/**
 * Derives the key on libuv's thread pool without blocking the calling thread. Used only for
 * cheap parameters (test suites), where a round trip to a worker thread costs more than the hash.
 */
export async function deriveKey(request: KeyRequest): Promise<Buffer> {
  if (request.algorithm === 'scrypt') {
    return scryptAsync(request.secret, request.salt, KEY_LENGTH, scryptOptions(request.params));
  }
  if (argon2Async === undefined) throw argon2Missing();
  return argon2Async('argon2id', argon2Parameters(request));
}

/**
 * Roughly how many KiB of memory the derivation sweeps, a proxy for its time: argon2id touches
 * m KiB t times; scrypt touches 128·N·r bytes about twice.
 */
export function workKiB(request: KeyRequest): number {
  if (request.algorithm === 'argon2id') return request.params.m * request.params.t;
  return (2 ** request.params.ln * request.params.r * 128 * 2) / 1024;
}
