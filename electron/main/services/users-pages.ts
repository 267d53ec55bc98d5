import { UsersQuery, type UsersPage } from '../../../shared/api/index.ts';
import type { Result } from '../../../shared/ipc/index.ts';
import type { ProvisioningClient } from './provisioning-client.ts';

type PageQuery = Partial<UsersQuery>;

/**
 * Reads one page. `onNextCursor` is told the cursor of the page after it as soon as the answer
 * is there, before the page is checked (null: the last page), so the next read can start while
 * this page is checked; a read that cannot tell early is read on from once it is checked.
 */
export type ReadPage = (
  client: ProvisioningClient,
  query: PageQuery,
  onNextCursor: (cursor: string | null) => void,
) => Promise<Result<UsersPage>>;

/** A page being read, and the cursor after it once that is known (undefined until seen). */
interface Reading {
  query: PageQuery;
  next: string | null | undefined;
}

/** A page read ahead, held for the request that will ask for it. */
interface Ahead extends Reading {
  client: object;
  key: string;
  epoch: number;
  answer: Promise<Result<UsersPage>>;
}

const keyOf = (query: PageQuery): string =>
  JSON.stringify([query.locationId ?? null, query.limit ?? null, query.cursor ?? null]);

const Cursor = UsersQuery.shape.cursor.unwrap().nullable();

/** `"nextCursor": <null or a JSON string>`, then the next field or the object's end. */
const CURSOR_FIELD = /"nextCursor"\s*:\s*(null|"(?:[^"\\]|\\.)*")\s*[,}]/u;
/** How much of each end of an answer is searched for the cursor. */
const CURSOR_EDGE = 512;

/**
 * The `nextCursor` of a page's text, before the page is parsed, when one can be seen: in the
 * answer's last or first 512 characters (the built-in backend writes it after the users; a
 * backend may write it first), and a string of at most 200 characters, or null; else undefined.
 * Inside a JSON string every quote is escaped, so the field is only ever found where it is one.
 * It is only sent back to the backend that gave it, to read ahead; what reaches the renderer is
 * the checked page (and a page read ahead from a cursor its checked page does not have is read
 * again).
 */
export function nextCursorIn(text: string): string | null | undefined {
  for (const edge of [text.slice(-CURSOR_EDGE), text.slice(0, CURSOR_EDGE)]) {
    const token = CURSOR_FIELD.exec(edge)?.[1];
    if (token === undefined) continue;
    try {
      const parsed = Cursor.safeParse(JSON.parse(token));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Pages read ahead of the last one asked for. */
const DEPTH = 2;

/**
 * Pages of users for the table, with the next pages read while the renderer takes in this one:
 * the backend's time, main's and the window's then overlap, instead of adding up page after
 * page. Two are read ahead, one after the other (a page's cursor comes with the page before).
 * Each next read starts as soon as the page before it has arrived, while main still checks that
 * page: the backend works on the next page meanwhile.
 *
 * A page read ahead is given only to the request it was read for (same client, location, size
 * and cursor, in order) and only if it is still current: no write (an email edit, a job's
 * batch) was out when it was read, or has been sent since. Otherwise, or if reading it failed,
 * the page is read again, and what was read ahead is dropped; so is whatever was read on from a
 * page that then failed its check. At most `depth` pages are held.
 */
export function createUsersPages(read: ReadPage, depth = DEPTH) {
  /** The pages read ahead, in the order they will be asked for. */
  let ahead: Ahead[] = [];
  /** The page last asked for that was not held: what is held was read on from it. */
  let origin: Reading | null = null;

  const current = (entry: Ahead, client: ProvisioningClient): boolean =>
    entry.client === client && entry.epoch === client.writes().epoch;

  /** Reads `reading`'s page, and reads on from it as soon as the cursor after it is seen. */
  const start = (client: ProvisioningClient, reading: Reading): Promise<Result<UsersPage>> => {
    const seen = (cursor: string | null): void => {
      if (reading.next !== undefined) return;
      reading.next = cursor;
      readOn(client, reading);
    };
    const answer = read(client, reading.query, seen);
    void answer.then((result) => {
      if (result.ok) seen(result.data.nextCursor);
      // What was read on from a page that then failed (its check, say) goes.
      else if (reading === origin) ahead = [];
      else if (ahead.includes(reading as Ahead))
        ahead = ahead.slice(0, ahead.indexOf(reading as Ahead) + 1);
    });
    return answer;
  };

  /**
   * Reads the page after `from` ahead, if `from` ends what is held (or nothing is held: it is
   * the page just asked for), its cursor is known, and fewer than `depth` are held.
   */
  const readOn = (client: ProvisioningClient, from: Reading): void => {
    const last = ahead.at(-1);
    if ((last !== undefined && last !== from) || ahead.length >= depth) return;
    if (from.next === undefined || from.next === null) return;
    const { inFlight, epoch } = client.writes();
    if (inFlight !== 0) return;
    const query = { ...from.query, cursor: from.next };
    const entry = { client, query, key: keyOf(query), epoch, next: undefined } as Ahead;
    ahead.push(entry);
    entry.answer = start(client, entry);
    // Held, maybe never asked for: its failure must not go unhandled.
    entry.answer.catch(() => undefined);
  };

  /** Reads `query`'s page now, as the first of what will be held. */
  const readNow = (client: ProvisioningClient, query: PageQuery) => {
    origin = { query, next: undefined };
    return start(client, origin);
  };

  return async function page(
    client: ProvisioningClient,
    query: PageQuery,
  ): Promise<Result<UsersPage>> {
    const held = ahead[0];
    const usable = held?.key === keyOf(query) && current(held, client);
    if (!usable) {
      ahead = [];
      return readNow(client, query);
    }
    ahead.shift();
    const result = await held.answer;
    // Reading it ahead failed: read it now (the backend may answer again), and nothing after.
    if (!result.ok) {
      ahead = [];
      return readNow(client, query);
    }
    // One page fewer is held now: read on from the last one held, or from this one.
    readOn(client, ahead.at(-1) ?? held);
    return result;
  };
}
