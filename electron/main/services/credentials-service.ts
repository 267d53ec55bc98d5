import { z } from 'zod';
import type { Logger } from '../../../shared/log/index.ts';
import type { BackendId, TokenStatus } from '../../../shared/settings/settings.ts';
import type { SettingsStorage } from './settings-service.ts';

/**
 * The system's way of encrypting a secret for this user on this computer (Electron's
 * `safeStorage` in the app, see `adapters/safe-storage-cipher.ts`; a fake in tests).
 */
export interface TokenCipher {
  /** Whether secrets can be kept encrypted here; if not, why, as a clause in plain words. */
  availability(): Promise<{ encrypted: true } | { encrypted: false; why: string }>;
  encrypt(plain: string): Promise<Uint8Array>;
  /** Throws when the ciphertext cannot be decrypted (another keychain, another computer). */
  decrypt(cipher: Uint8Array): Promise<{ plain: string; shouldReEncrypt: boolean }>;
}

export const MAX_TOKEN_LENGTH = 4096;

/** Why tokens cannot be kept encrypted when the main process has no cipher at all. */
export const NO_CIPHER_WHY = 'this computer offers no way to encrypt it';

/**
 * What `save` did. `why` is a clause in plain words (lower case, no final stop) for a sentence
 * such as "PassDesk keeps the API token for this run only: <why>." An invalid token is data,
 * not an exception: `{ ok: false, code: 'invalid-token', message }`, with a whole sentence that
 * never quotes the token, and nothing stored or forgotten.
 */
export type SaveTokenResult =
  | { ok: true; kept: 'encrypted' }
  | { ok: true; kept: 'this-run-only'; why: string }
  | { ok: false; code: 'invalid-token'; message: string };

/** The stored shape, version 1: each backend's token as base64 ciphertext. Never plain text. */
const StoredCredentials = z.strictObject({
  version: z.literal(1),
  tokens: z.record(z.string().min(1), z.base64().min(1)),
});
type StoredCredentials = z.infer<typeof StoredCredentials>;

type Availability = Awaited<ReturnType<TokenCipher['availability']>>;

/** Control characters, and every kind of space or line break (Unicode White_Space). */
const NOT_ALLOWED_INSIDE = /[\p{Cc}\p{Cf}\p{White_Space}]/u;

/** Why this is not an API token PassDesk will keep, or null. Never quotes the token. */
export function checkToken(token: string): string | null {
  if (token === '') return 'Give the API token; it is empty.';
  if (token.length > MAX_TOKEN_LENGTH)
    return `The API token is too long (${token.length} characters; at most ${MAX_TOKEN_LENGTH}).`;
  if (NOT_ALLOWED_INSIDE.test(token))
    return 'The API token cannot contain spaces, line breaks, tabs or other invisible characters; paste it again as one word.';
  return null;
}

/** An error as a log field, with any copy of the secret taken out of its message. */
function describeError(error: unknown, secret?: string): Record<string, string> {
  const name = error instanceof Error ? error.name : typeof error;
  const raw = error instanceof Error ? error.message : '';
  const message = secret === undefined || secret === '' ? raw : raw.split(secret).join('…');
  return { name, message };
}

/**
 * The API tokens of remote backends. A token is kept with the system's encryption (the
 * ciphertext, base64, in `storage` under the backend's id) and decrypted only when a request
 * needs it. Where encryption is not available it is refused for the disk and kept in memory
 * for this run only. No method but `token()` ever returns a token, and nothing is logged of one.
 *
 * Only the main process uses this service; the renderer learns `status()` and
 * `storageStatus()` through the settings IPC, never a token.
 */
export function createCredentialsService(deps: {
  storage: SettingsStorage;
  cipher: TokenCipher | null;
  logger: Logger;
}) {
  const { storage, cipher } = deps;
  const logger = deps.logger.child({ component: 'credentials' });
  /** Tokens that could not be encrypted: in memory, for this run only. */
  const thisRunOnly = new Map<BackendId, string>();
  /**
   * Bumped by every save and remove, so that a slower save or re-encryption started earlier
   * does not write over what a later call decided (the last call wins).
   */
  const generations = new Map<BackendId, number>();
  const nextGeneration = (backend: BackendId): number => {
    const generation = (generations.get(backend) ?? 0) + 1;
    generations.set(backend, generation);
    return generation;
  };
  const isCurrent = (backend: BackendId, generation: number): boolean =>
    generations.get(backend) === generation;

  /** The stored ciphertexts, validated on every read. Unreadable storage holds none. */
  function readStored(): StoredCredentials {
    let raw: unknown;
    try {
      raw = storage.read();
    } catch (error) {
      logger.warn('The stored API tokens could not be read; PassDesk counts them as none.', {
        error: describeError(error),
      });
      return { version: 1, tokens: {} };
    }
    if (raw === undefined || raw === null) return { version: 1, tokens: {} };
    // An empty file (a store that was never written) reads as an empty object.
    if (typeof raw === 'object' && Object.keys(raw).length === 0) return { version: 1, tokens: {} };
    const parsed = StoredCredentials.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    logger.warn(
      'The stored API tokens are not in a form PassDesk reads; it counts them as none, and the next saved token replaces them.',
      { at: issue?.path.map(String).join('.') ?? '', problem: issue?.code ?? 'unknown' },
    );
    return { version: 1, tokens: {} };
  }

  function writeStored(tokens: Record<string, string>): void {
    storage.write({ version: 1, tokens } satisfies StoredCredentials);
  }

  function withoutEntry(tokens: Record<string, string>, backend: BackendId) {
    return Object.fromEntries(Object.entries(tokens).filter(([key]) => key !== backend));
  }

  /** Forgets the stored ciphertext of `backend`, writing only if there was one. */
  function dropStored(backend: BackendId): void {
    const stored = readStored();
    if (!Object.hasOwn(stored.tokens, backend)) return;
    writeStored(withoutEntry(stored.tokens, backend));
  }

  async function availability(): Promise<Availability> {
    if (cipher === null) return { encrypted: false, why: NO_CIPHER_WHY };
    try {
      return await cipher.availability();
    } catch (error) {
      logger.warn('The system keychain could not be asked whether it can encrypt.', {
        error: describeError(error),
      });
      return { encrypted: false, why: 'the system keychain did not answer when asked' };
    }
  }

  /**
   * What a save reports when a later save or remove for the same backend started before it
   * finished: that later call decides what is kept, so this one changes nothing.
   */
  function superseded(answer: Availability): SaveTokenResult {
    return answer.encrypted
      ? { ok: true, kept: 'encrypted' }
      : { ok: true, kept: 'this-run-only', why: answer.why };
  }

  function keepThisRunOnly(backend: BackendId, token: string, why: string): SaveTokenResult {
    thisRunOnly.set(backend, token);
    try {
      dropStored(backend);
    } catch (error) {
      logger.error('The older stored API token could not be removed.', {
        backend,
        error: describeError(error, token),
      });
    }
    logger.warn('The API token is kept in memory for this run only.', { backend, why });
    return { ok: true, kept: 'this-run-only', why };
  }

  /** Drops a ciphertext that no longer decrypts, unless it was replaced meanwhile. */
  function forgetUndecryptable(backend: BackendId, ciphertext: string, error: unknown): void {
    logger.warn(
      'The stored API token could not be decrypted (the keychain changed, or the data folder came from another computer); it was dropped and must be given again.',
      { backend, error: describeError(error) },
    );
    try {
      const now = readStored();
      if (now.tokens[backend] === ciphertext) writeStored(withoutEntry(now.tokens, backend));
    } catch (writeError) {
      logger.error('The undecryptable API token could not be dropped.', {
        backend,
        error: describeError(writeError),
      });
    }
  }

  /** Stores a fresh ciphertext of `plain`, unless the stored one changed meanwhile. */
  async function reEncrypt(backend: BackendId, old: string, plain: string): Promise<void> {
    if (cipher === null) return;
    try {
      const fresh = Buffer.from(await cipher.encrypt(plain)).toString('base64');
      const now = readStored();
      if (now.tokens[backend] !== old) return;
      writeStored({ ...now.tokens, [backend]: fresh });
      logger.info('The API token was encrypted again, as the system asked.', { backend });
    } catch (error) {
      logger.warn('The API token could not be encrypted again; the older ciphertext is kept.', {
        backend,
        error: describeError(error, plain),
      });
    }
  }

  return {
    /** Whether tokens can be kept encrypted on this computer, and if not, why (a clause). */
    async storageStatus(): Promise<{ encrypted: boolean; why: string | null }> {
      const answer = await availability();
      return answer.encrypted
        ? { encrypted: true, why: null }
        : { encrypted: false, why: answer.why };
    },

    /** Whether `backend` has a token, and how it is kept. Never the token. */
    status(backend: BackendId): TokenStatus {
      if (thisRunOnly.has(backend)) return { set: true, kept: 'this-run-only' };
      if (Object.hasOwn(readStored().tokens, backend)) return { set: true, kept: 'encrypted' };
      return { set: false, kept: null };
    },

    /**
     * Keeps `token` (trimmed) for `backend`, replacing any earlier one: encrypted on disk when
     * the system can encrypt, else in memory for this run only (and any older stored
     * ciphertext for `backend` is removed). An invalid token changes nothing.
     */
    async save(backend: BackendId, token: string): Promise<SaveTokenResult> {
      const trimmed = token.trim();
      const problem = checkToken(trimmed);
      if (problem !== null) return { ok: false, code: 'invalid-token', message: problem };
      const generation = nextGeneration(backend);
      const answer = await availability();
      if (!isCurrent(backend, generation)) return superseded(answer);
      if (!answer.encrypted) return keepThisRunOnly(backend, trimmed, answer.why);
      if (cipher === null) return keepThisRunOnly(backend, trimmed, NO_CIPHER_WHY);
      let ciphertext: string;
      try {
        ciphertext = Buffer.from(await cipher.encrypt(trimmed)).toString('base64');
      } catch (error) {
        logger.warn('The system keychain could not encrypt the API token.', {
          backend,
          error: describeError(error, trimmed),
        });
        if (!isCurrent(backend, generation)) return superseded(answer);
        return keepThisRunOnly(backend, trimmed, 'the system keychain could not encrypt it');
      }
      if (!isCurrent(backend, generation)) return superseded(answer);
      try {
        writeStored({ ...readStored().tokens, [backend]: ciphertext });
      } catch (error) {
        logger.error('The encrypted API token could not be written.', {
          backend,
          error: describeError(error, trimmed),
        });
        return keepThisRunOnly(
          backend,
          trimmed,
          'PassDesk could not write it to its data folder, even encrypted',
        );
      }
      thisRunOnly.delete(backend);
      logger.info('The API token is kept encrypted.', { backend });
      return { ok: true, kept: 'encrypted' };
    },

    /** Forgets the token of `backend`, stored or in memory. */
    remove(backend: BackendId): void {
      nextGeneration(backend);
      const hadThisRunOnly = thisRunOnly.delete(backend);
      const stored = readStored();
      const hadStored = Object.hasOwn(stored.tokens, backend);
      if (hadStored) writeStored(withoutEntry(stored.tokens, backend));
      if (hadThisRunOnly || hadStored) logger.info('The API token was removed.', { backend });
    },

    /**
     * The token of `backend`, for the provisioning client's request, or null when there is
     * none. Decrypts at each call (nothing plain is cached, except this-run-only tokens), and
     * stores a fresh ciphertext when the system asks for it (`shouldReEncrypt`). A ciphertext
     * that no longer decrypts (the keychain changed, the file came from another computer) is
     * dropped with a warning, so `status()` then says the token is not set. While the system
     * cannot encrypt at all (a locked or missing keychain), the ciphertext is kept for later.
     */
    async token(backend: BackendId): Promise<string | null> {
      const inMemory = thisRunOnly.get(backend);
      if (inMemory !== undefined) return inMemory;
      const stored = readStored().tokens[backend];
      if (stored === undefined) return null;
      const answer = await availability();
      if (cipher === null || !answer.encrypted) {
        logger.warn('The stored API token cannot be decrypted right now; it is kept for later.', {
          backend,
          why: answer.encrypted ? NO_CIPHER_WHY : answer.why,
        });
        return null;
      }
      let plain: string;
      let shouldReEncrypt: boolean;
      try {
        ({ plain, shouldReEncrypt } = await cipher.decrypt(Buffer.from(stored, 'base64')));
      } catch (error) {
        forgetUndecryptable(backend, stored, error);
        return null;
      }
      if (checkToken(plain) !== null) {
        forgetUndecryptable(backend, stored, new Error('the decrypted text is not an API token'));
        return null;
      }
      if (shouldReEncrypt) await reEncrypt(backend, stored, plain);
      return plain;
    },
  };
}
export type CredentialsService = ReturnType<typeof createCredentialsService>;
