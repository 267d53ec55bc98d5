/**
 * `npm run backend -- token add|remove|list …`: manages the named admin tokens file without ever
 * writing a token into it. `add` prints the new token once, alone on stdout (so it can be
 * redirected into a file or a secret store), and keeps only its hash.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { newToken } from '../crypto/tokens.ts';
import { withFileLock } from './file-lock.ts';
import {
  AdminTokensError,
  readTokenFile,
  storedHash,
  TOKEN_NAME_RULE,
  TokenName,
  writeTokenFile,
  type StoredToken,
} from './token-store.ts';

export const TOKEN_USAGE = `Usage: npm run backend -- token add <name> --admin-tokens <file>
       npm run backend -- token remove <name> --admin-tokens <file>
       npm run backend -- token list --admin-tokens <file>
  add     makes a new admin token named <name> (${TOKEN_NAME_RULE}),
          prints it once and keeps only its SHA-256 in <file> (created 0600 if missing)
  remove  forgets the token named <name>
  list    names each token and when it was made (never a token or its hash)
A backend started with --admin-tokens <file> applies each change at its next request.`;

/** Where the command writes: the token alone to `out`, everything said about it to `err`. */
export interface TokenCommandIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: TokenCommandIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** Runs `token <args>`; returns the exit code: 0 done, 1 refused, 2 misused. */
export function runTokenCommand(args: readonly string[], io: TokenCommandIo = consoleIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { 'admin-tokens': { type: 'string' }, help: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${TOKEN_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(TOKEN_USAGE);
    return 0;
  }
  const [action, name, ...extra] = positionals;
  const file = values['admin-tokens'];
  const usage = (message: string): number => {
    io.err(`${message}\n${TOKEN_USAGE}`);
    return 2;
  };
  if (file === undefined || file === '') return usage('--admin-tokens <file> is required');
  const wantsName = action === 'add' || action === 'remove';
  if (action !== 'list' && !wantsName) return usage('token: say add, remove or list');
  if (wantsName && name === undefined) return usage(`token ${action}: name the token`);
  const unexpected = wantsName ? extra : positionals.slice(1);
  if (unexpected.length > 0) return usage(`token ${action}: unexpected "${unexpected.join(' ')}"`);

  try {
    if (action === 'list') return list(file, io);
    const checked = TokenName.safeParse(name);
    if (!checked.success) {
      io.err(`token ${action}: "${name}" is not a token name: ${checked.error.issues[0]?.message}`);
      return 2;
    }
    return withFileLock(file, () =>
      action === 'add' ? add(file, checked.data, io) : remove(file, checked.data, io),
    );
  } catch (error) {
    if (!(error instanceof AdminTokensError) && !isFileError(error)) throw error;
    io.err(`token ${action}: ${error.message}`);
    return 1;
  }
}

const isFileError = (error: unknown): error is Error =>
  error instanceof Error && typeof (error as { code?: unknown }).code === 'string';

function add(file: string, name: string, io: TokenCommandIo): number {
  const tokens = existsSync(file) ? readTokenFile(file) : [];
  if (tokens.some((token) => token.name === name)) {
    io.err(`token add: ${file} already has a token named "${name}" (token remove it first)`);
    return 1;
  }
  const token = newToken();
  const entry: StoredToken = { name, hash: storedHash(token), createdAt: new Date().toISOString() };
  writeTokenFile(file, [...tokens, entry]);
  io.err(`Admin token "${name}" added to ${file}. It is shown this once; only its hash is kept:`);
  io.out(token);
  return 0;
}

function remove(file: string, name: string, io: TokenCommandIo): number {
  const tokens = readTokenFile(file);
  const kept = tokens.filter((token) => token.name !== name);
  if (kept.length === tokens.length) {
    io.err(`token remove: ${file} has no token named "${name}"`);
    return 1;
  }
  writeTokenFile(file, kept);
  io.err(`Admin token "${name}" removed from ${file}.`);
  return 0;
}

function list(file: string, io: TokenCommandIo): number {
  const tokens = readTokenFile(file);
  if (tokens.length === 0) {
    io.err(`${file} has no admin tokens (token add makes one).`);
    return 0;
  }
  const width = Math.max(4, ...tokens.map((token) => token.name.length));
  io.out(`${'NAME'.padEnd(width)}  CREATED`);
  for (const token of tokens) io.out(`${token.name.padEnd(width)}  ${token.createdAt ?? '-'}`);
  return 0;
}
