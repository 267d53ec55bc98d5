import { z } from 'zod';

/** Opaque page cursors: base64url JSON that only this backend reads back. */
export function encodeCursor(value: string | number): string {
  return Buffer.from(JSON.stringify({ k: value }), 'utf8').toString('base64url');
}

const Cursor = z.strictObject({ k: z.union([z.string().max(128), z.int()]) });

/** The key a cursor carries, or null when it is not one of ours. */
export function decodeCursor(cursor: string): string | number | null {
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data.k : null;
  } catch {
    return null;
  }
}
