import { createHash, randomBytes } from 'node:crypto';

/** A new recovery-link or admin token: 256 bits from the CSPRNG, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored and looked up only as their SHA-256. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Recovery tokens look like this; anything else is refused before a database lookup. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/u;
