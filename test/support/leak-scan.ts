import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * What a leak test looks through: everything PassDesk wrote somewhere (a log line, an IPC answer
 * or event, a CSV export, a file), as the bytes written, and where it was. A secret must be in
 * none of it, in any spelling it could have been written in.
 */
export interface Written {
  where: string;
  bytes: Buffer;
}

export const writtenText = (where: string, text: string): Written => ({
  where,
  bytes: Buffer.from(text, 'utf8'),
});

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Every row of every table of a SQLite database, as JSON lines: a long value that SQLite split
 * over overflow pages is whole here, as an audit or outbox row is when it is read.
 */
function rowsOf(file: string): string {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .all()
      .map((row) => String(row.name));
    return tables
      .flatMap((table) =>
        db
          .prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`)
          .all()
          .map((row) => `${table}: ${JSON.stringify(row)}`),
      )
      .join('\n');
  } finally {
    db.close();
  }
}

/** Quoted-printable as mail writes it: soft line breaks taken out and =XX turned into bytes. */
function unquote(text: string): Buffer {
  const unfolded = text.replace(/=\r?\n/gu, '');
  return Buffer.from(
    unfolded.replace(/=([0-9A-F]{2})/gu, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    ),
    'latin1',
  );
}

/** The bodies of MIME parts sent as base64, and header words encoded as =?charset?B?…?=. */
function base64Parts(text: string): Buffer[] {
  const bodies = [
    ...text.matchAll(
      /Content-Transfer-Encoding:\s*base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\w+/=\r\n]+)/giu,
    ),
  ].map((match) => Buffer.from((match[1] ?? '').replace(/\s/gu, ''), 'base64'));
  const words = [...text.matchAll(/=\?[\w-]+\?B\?([\w+/=]+)\?=/giu)].map((match) =>
    Buffer.from(match[1] ?? '', 'base64'),
  );
  return [...bodies, ...words];
}

/** The readings of one written thing: its bytes, and, for mail, its decoded parts. */
function readings(written: Written): Written[] {
  const text = written.bytes.toString('latin1');
  if (!/Content-Transfer-Encoding:/iu.test(text)) return [written];
  return [
    written,
    { where: `${written.where} (quoted-printable decoded)`, bytes: unquote(text) },
    ...base64Parts(text).map((bytes, index) => ({
      where: `${written.where} (base64 part ${index + 1} decoded)`,
      bytes,
    })),
  ];
}

/**
 * Every file under `dir` as raw bytes: databases with their write-ahead logs and free pages,
 * .eml files, settings, cached rules. A SQLite database is read a second time, row by row.
 */
export function filesUnder(dir: string, root = dir): Written[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): Written[] => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full, root);
    if (!entry.isFile()) return [];
    const where = path.relative(root, full);
    const bytes = readFileSync(full);
    const file = { where, bytes };
    if (!bytes.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) return readings(file);
    return [file, ...readings(writtenText(`${where} (rows)`, rowsOf(full)))];
  });
}

const escapeHtml = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

/**
 * The spellings a secret could be written in: as typed, escaped for JSON, a URL, HTML or a CSV
 * field, in base64, and normalised (NFC, NFKC).
 */
export function spellingsOf(secret: string): { name: string; text: string }[] {
  const spellings = [
    { name: 'as typed', text: secret },
    { name: 'JSON-escaped', text: JSON.stringify(secret).slice(1, -1) },
    { name: 'URL-encoded', text: encodeURIComponent(secret) },
    { name: 'HTML-escaped', text: escapeHtml(secret) },
    { name: 'CSV-quoted', text: secret.replaceAll('"', '""') },
    { name: 'base64', text: Buffer.from(secret, 'utf8').toString('base64') },
    { name: 'base64url', text: Buffer.from(secret, 'utf8').toString('base64url') },
    { name: 'NFC', text: secret.normalize('NFC') },
    { name: 'NFKC', text: secret.normalize('NFKC') },
  ];
  return spellings.filter(
    (spelling, index) => spellings.findIndex((other) => other.text === spelling.text) === index,
  );
}

export interface Sighting {
  secret: string;
  spelling: string;
  where: string;
  /** The bytes around it, the secret marked «like this». */
  context: string;
}

const isDigit = (byte: number | undefined): boolean =>
  byte !== undefined && byte >= 0x30 && byte <= 0x39;

/**
 * Where any of `secrets` is written, in any of its spellings. A secret of digits only (a
 * passcode) counts only where no digit stands next to it: inside a longer number (a user id, a
 * phone number) it is only digits that happen to be the same.
 */
export function sightingsOf(written: readonly Written[], secrets: readonly string[]): Sighting[] {
  const found: Sighting[] = [];
  for (const secret of new Set(secrets)) {
    for (const spelling of spellingsOf(secret)) {
      const needle = Buffer.from(spelling.text, 'utf8');
      const digitsOnly = /^\d+$/u.test(spelling.text);
      for (const { where, bytes } of written) {
        for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
          const end = at + needle.length;
          if (digitsOnly && (isDigit(bytes[at - 1]) || isDigit(bytes[end]))) continue;
          const context = [
            bytes.subarray(Math.max(0, at - 60), at),
            Buffer.from('«'),
            needle,
            Buffer.from('»'),
            bytes.subarray(end, end + 60),
          ]
            .map((part) => part.toString('utf8'))
            .join('')
            .replace(/\p{Cc}/gu, '.');
          found.push({ secret, spelling: spelling.name, where, context });
          break;
        }
      }
    }
  }
  return found;
}

/** One line per sighting, for a test's failure message. */
export const describeSighting = (s: Sighting): string =>
  `${JSON.stringify(s.secret)} (${s.spelling}) in ${s.where}: …${s.context}…`;
