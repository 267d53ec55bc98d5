import { createHash, timingSafeEqual } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Logger } from '../../../shared/log/index.ts';
import { logSecurityEvent } from '../services/security-events.ts';
import { readTokenFile, SINGLE_TOKEN_NAME } from './token-store.ts';

/** The admin tokens a backend accepts, each known by its name. */
export interface AdminTokens {
  /**
   * The name of the admin token `token` is, or null when it is none of them. Every known token
   * is compared, in constant time, whichever matches: the answer's timing tells nothing.
   */
  nameOf(token: string): string | null;
}

interface KnownToken {
  name: string;
  digest: Buffer;
}

const digestOf = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** `sha256:<hex>` (as token-store.ts keeps it) → its 32 bytes. */
const digestOfStored = (hash: string): Buffer => Buffer.from(hash.slice('sha256:'.length), 'hex');

/** What tells a changed file apart: a rewrite (rename) gives a new inode, an edit a new mtime. */
function versionOf(file: string): string | null {
  const stats = statSync(file, { bigint: true, throwIfNoEntry: false });
  return stats === undefined
    ? null
    : `${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

/**
 * The admin tokens of one backend: the unnamed one (`single`, named "admin") if given, and the
 * named ones of `file` if given.
 *
 * The file is read at once (an AdminTokensError if it cannot be used, so the backend does not
 * start) and again whenever it has changed, looked at before each check: `token add` and
 * `token remove` apply to a running backend at its next request, without a restart. A file that
 * becomes unusable (removed, broken by hand, writable by others) fails closed: none of its tokens
 * is accepted until it is fixed, and an error is logged. The unnamed token is not affected.
 */
export function createAdminTokens(options: {
  single?: string;
  file?: string;
  logger: Logger;
}): AdminTokens {
  const single: KnownToken[] =
    options.single === undefined
      ? []
      : [{ name: SINGLE_TOKEN_NAME, digest: digestOf(options.single) }];
  const { file, logger } = options;
  let named: KnownToken[] = [];
  let version: string | null = null;

  /** Reads the file as it is now; throws an AdminTokensError if it cannot be used. */
  const load = (path: string): void => {
    const stored = readTokenFile(path);
    named = stored.map(({ name, hash }) => ({ name, digest: digestOfStored(hash) }));
    logSecurityEvent(logger, {
      event: 'admin-tokens-loaded',
      file: path,
      names: stored.map(({ name }) => name),
    });
  };
  const currentVersion = (path: string): string | null => {
    try {
      return versionOf(path);
    } catch {
      return 'unreadable';
    }
  };
  if (file !== undefined) {
    version = currentVersion(file);
    load(file);
  }

  /** Reads the file again if it changed since it was last read (once per change). */
  const refresh = (path: string): void => {
    const now = currentVersion(path);
    if (now === version) return;
    version = now;
    try {
      load(path);
    } catch (error) {
      named = [];
      logger.error('the admin tokens file is unusable: its tokens are refused until it is fixed', {
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  };

  return {
    nameOf(token) {
      if (file !== undefined) refresh(file);
      const given = digestOf(token);
      let match: string | null = null;
      for (const known of [...single, ...named]) {
        if (timingSafeEqual(given, known.digest) && match === null) match = known.name;
      }
      return match;
    },
  };
}
