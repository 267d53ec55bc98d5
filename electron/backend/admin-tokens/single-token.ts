/**
 * The unnamed admin token ("admin") kept across restarts, from PASSDESK_ADMIN_TOKEN or from a
 * file (`--admin-token-file`, e.g. a systemd credential: `LoadCredential=admin-token:/etc/…`
 * and `--admin-token-file ${CREDENTIALS_DIRECTORY}/admin-token`).
 */
import { readFileSync, statSync } from 'node:fs';

export const SINGLE_TOKEN_RULE = '32-512 printable characters without spaces';
const SINGLE_TOKEN = /^[\x21-\x7e]{32,512}$/u;

export type SingleToken = { ok: true; token: string } | { ok: false; message: string };

/** `value` as an admin token, or a message naming `where` it came from and what is wrong. */
export function checkSingleToken(value: string, where: string): SingleToken {
  return SINGLE_TOKEN.test(value)
    ? { ok: true, token: value }
    : { ok: false, message: `${where} must be ${SINGLE_TOKEN_RULE}` };
}

/**
 * The token in `file`: its first line, without the spaces around it. The file must be readable by
 * its owner only (as OpenSSH asks of a private key; systemd's credentials are), as anyone who can
 * read it holds the token. Never throws; the message never holds any of the file's content.
 */
export function readSingleTokenFile(file: string): SingleToken {
  let content: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
      return {
        ok: false,
        message: `--admin-token-file: ${file} can be read or written by other users than its owner (chmod 600 ${file})`,
      };
    }
    content = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as { code?: unknown }).code;
    return {
      ok: false,
      message: `--admin-token-file: cannot read ${file} (${typeof reason === 'string' ? reason : String(error)})`,
    };
  }
  return checkSingleToken(
    (content.split(/\r?\n/u)[0] ?? '').trim(),
    `--admin-token-file: the first line of ${file}`,
  );
}
