import * as crypto from 'node:crypto';
import { promisify } from 'node:util';

/** Production meets OWASP's minimums; `test` is cheap, for test suites only. */
export type HashCost = 'production' | 'test';

export interface SecretHasher {
  /** A salted, self-describing hash (PHC string format) of `secret`. */
  hash(secret: string): Promise<string>;
  /** Whether `secret` is the value behind `stored`; false for anything unreadable. */
  verify(secret: string, stored: string): Promise<boolean>;
  readonly algorithm: 'argon2id' | 'scrypt';
}

/** OWASP Password Storage Cheat Sheet: argon2id m=19 MiB, t=2, p=1; scrypt N=2^17, r=8, p=1. */
const ARGON2 = { production: { m: 19_456, t: 2, p: 1 }, test: { m: 64, t: 1, p: 1 } } as const;
const SCRYPT = { production: { ln: 17, r: 8, p: 1 }, test: { ln: 4, r: 8, p: 1 } } as const;

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

type Argon2 = (
  algorithm: 'argon2id',
  parameters: {
    message: string;
    nonce: Buffer;
    parallelism: number;
    tagLength: number;
    memory: number;
    passes: number;
  },
  callback: (error: Error | null, key: Buffer) => void,
) => void;

// crypto.argon2 arrived in Node 24.7; older Node falls back to scrypt.
const argon2 = (crypto as unknown as { argon2?: Argon2 }).argon2;
const argon2Async = argon2 === undefined ? undefined : promisify(argon2);
const scryptAsync = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

const b64 = (buffer: Buffer): string => buffer.toString('base64').replace(/=+$/u, '');
const unb64 = (text: string): Buffer => Buffer.from(text, 'base64');

async function argon2Hash(
  secret: string,
  salt: Buffer,
  p: { m: number; t: number; p: number },
): Promise<Buffer> {
  if (argon2Async === undefined) throw new Error('argon2id needs Node 24.7 or newer');
  return argon2Async('argon2id', {
    message: secret,
    nonce: salt,
    parallelism: p.p,
    tagLength: KEY_LENGTH,
    memory: p.m,
    passes: p.t,
  });
}

function scryptHash(
  secret: string,
  salt: Buffer,
  p: { ln: number; r: number; p: number },
): Promise<Buffer> {
  const N = 2 ** p.ln;
  return scryptAsync(secret, salt, KEY_LENGTH, {
    N,
    r: p.r,
    p: p.p,
    maxmem: 256 * N * p.r + 1024 * 1024,
  });
}

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

/** argon2id where the runtime has it (Electron 45, Node ≥ 24.7), scrypt otherwise. */
export function createSecretHasher(
  cost: HashCost,
  prefer: 'argon2id' | 'scrypt' = 'argon2id',
): SecretHasher {
  const algorithm = prefer === 'argon2id' && argon2Async !== undefined ? 'argon2id' : 'scrypt';
  return {
    algorithm,
    async hash(secret) {
      const salt = crypto.randomBytes(SALT_LENGTH);
      if (algorithm === 'argon2id') {
        const p = ARGON2[cost];
        const key = await argon2Hash(secret, salt, p);
        return `$argon2id$v=19$m=${p.m},t=${p.t},p=${p.p}$${b64(salt)}$${b64(key)}`;
      }
      const p = SCRYPT[cost];
      const key = await scryptHash(secret, salt, p);
      return `$scrypt$ln=${p.ln},r=${p.r},p=${p.p}$${b64(salt)}$${b64(key)}`;
    },
    async verify(secret, stored) {
      const match = PHC.exec(stored);
      if (match === null) return false;
      const [, kind, paramText = '', saltText = '', keyText = ''] = match;
      const params = parseParams(paramText);
      const salt = unb64(saltText);
      const expected = unb64(keyText);
      try {
        const actual =
          kind === 'argon2id'
            ? await argon2Hash(secret, salt, {
                m: params.m ?? 0,
                t: params.t ?? 0,
                p: params.p ?? 0,
              })
            : await scryptHash(secret, salt, {
                ln: params.ln ?? 0,
                r: params.r ?? 0,
                p: params.p ?? 0,
              });
        return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
      } catch {
        return false;
      }
    },
  };
}
