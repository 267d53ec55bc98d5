/**
 * The named admin tokens file (`--admin-tokens <file>`): one entry per operator or client, each
 * with the SHA-256 of its token, never the token. It is written by `token add` and `token remove`
 * (see token-command.ts) and read by the backend, which re-reads it when it changes.
 *
 * SHA-256 (not a slow password hash) is the right tool here: every token is 256 bits from the
 * CSPRNG, so a stolen file gives no practical way back to one, and the hash can be checked on
 * every request. A hand-written entry must hold such a token too.
 *
 * ```json
 * { "tokens": [{ "name": "alice", "hash": "sha256:<64 hex digits>", "createdAt": "2026-…Z" }] }
 * ```
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { describeZodError } from '../../../shared/ipc/result.ts';
import { writePrivateFile } from '../db/private-files.ts';

/**
 * The name of the one unnamed admin token (PASSDESK_ADMIN_TOKEN, `--admin-token-file`, or the
 * random one of a start without either). Reserved: no named token may take it, so an audit row
 * naming "admin" always means that token.
 */
export const SINGLE_TOKEN_NAME = 'admin';

export const TOKEN_NAME_RULE = '1-64 letters, digits, ".", "_" or "-"';
export const TokenName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/u, TOKEN_NAME_RULE)
  .refine((name) => name !== SINGLE_TOKEN_NAME, {
    error: `"${SINGLE_TOKEN_NAME}" is the name of the unnamed admin token`,
  });

export const StoredToken = z.strictObject({
  name: TokenName,
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/u, 'sha256: and 64 lower-case hex digits'),
  /** Set by `token add`; a hand-written entry may leave it out. */
  createdAt: z.iso.datetime().optional(),
});
export type StoredToken = z.infer<typeof StoredToken>;

const TokenFile = z
  .strictObject({ tokens: z.array(StoredToken) })
  .superRefine(({ tokens }, context) => {
    const names = new Set<string>();
    const hashes = new Set<string>();
    tokens.forEach(({ name, hash }, index) => {
      if (names.has(name))
        context.addIssue({ code: 'custom', path: ['tokens', index, 'name'], message: 'repeated' });
      if (hashes.has(hash))
        context.addIssue({
          code: 'custom',
          path: ['tokens', index, 'hash'],
          message: 'the same as another token’s',
        });
      names.add(name);
      hashes.add(hash);
    });
  });

/** A tokens file that cannot be used, with a message naming the file and what is wrong. */
export class AdminTokensError extends Error {
  override readonly name = 'AdminTokensError';
}

/** How a token is kept in the file. */
export function storedHash(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/**
 * Anyone who can write the file can add a token of their own, so it must be writable by its
 * owner only (POSIX; on Windows the folder's ACL decides). Reading it gives away no token.
 */
function checkMode(file: string): void {
  if (process.platform === 'win32') return;
  const { mode } = statSync(file);
  if ((mode & 0o022) !== 0) {
    throw new AdminTokensError(
      `${file} can be written by other users than its owner (chmod 600 ${file})`,
    );
  }
}

/** The file's tokens; throws an AdminTokensError naming what is wrong. */
export function readTokenFile(file: string): StoredToken[] {
  let json: unknown;
  try {
    checkMode(file);
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof AdminTokensError) throw error;
    const reason =
      (error as { code?: unknown }).code === 'ENOENT'
        ? 'no such file'
        : error instanceof Error
          ? error.message
          : String(error);
    throw new AdminTokensError(`cannot read ${file} as JSON (${reason})`);
  }
  const parsed = TokenFile.safeParse(json);
  if (!parsed.success) throw new AdminTokensError(`${file}: ${describeZodError(parsed.error)}`);
  return parsed.data.tokens;
}

/** Replaces the file as a whole (a reader sees the old list or the new one), as 0600. */
export function writeTokenFile(file: string, tokens: readonly StoredToken[]): void {
  writePrivateFile(file, `${JSON.stringify({ tokens }, null, 2)}\n`);
}
