import type { UsersPage, UsersQuery } from '../../../shared/api/index.ts';
import type { Result } from '../../../shared/ipc/index.ts';
import type { ProvisioningClient } from './provisioning-client.ts';

type PageQuery = Partial<UsersQuery>;

interface Ahead {
  client: object;
  query: PageQuery;
  key: string;
  epoch: number;
  answer: Promise<Result<UsersPage>>;
}

const keyOf = (query: PageQuery): string =>
  JSON.stringify([query.locationId ?? null, query.limit ?? null, query.cursor ?? null]);

/** Pages read ahead of the last one asked for. */
const DEPTH = 2;

/**
 * Pages of users for the table, with the next pages read while the renderer takes in this one:
 * the backend's time, main's and the window's then overlap, instead of adding up page after
 * page. Two are read ahead, one after the other (a page's cursor comes with the page before),
 * so the backend has the next page to serve while main checks the one it just sent.
 *
 * A page read ahead is given only to the request it was read for (same client, location, size
 * and cursor, in order) and only if it is still current: no write (an email edit, a job's
 * batch) was out when it was read, or has been sent since. Otherwise, or if reading it failed,
 * the page is read again, and what was read ahead is dropped. At most `DEPTH` pages are held.
 */
export function createUsersPages(
  read: (client: ProvisioningClient, query: PageQuery) => Promise<Result<UsersPage>>,
  depth = DEPTH,
) {
  /** The pages read ahead, in the order they will be asked for. */
  let ahead: Ahead[] = [];

  const current = (entry: Ahead, client: ProvisioningClient): boolean =>
    entry.client === client && entry.epoch === client.writes().epoch;

  /** Reads the page after `page` (the answer to `query`) ahead, and on, up to `depth` held. */
  const readAfter = (client: ProvisioningClient, query: PageQuery, page: Result<UsersPage>) => {
    if (!page.ok || page.data.nextCursor === null || ahead.length >= depth) return;
    const { inFlight, epoch } = client.writes();
    if (inFlight !== 0) return;
    const next = { ...query, cursor: page.data.nextCursor };
    const answer = read(client, next);
    // Held, maybe never asked for: its failure must not go unhandled.
    answer.catch(() => undefined);
    const entry: Ahead = { client, query: next, key: keyOf(next), epoch, answer };
    ahead.push(entry);
    goOnFrom(client, entry);
  };
  /** Once `entry` is read, reads the one after it, if `entry` is still the last held. */
  const goOnFrom = (client: ProvisioningClient, entry: Ahead): void => {
    void entry.answer.then((result) => {
      if (ahead.at(-1) === entry) readAfter(client, entry.query, result);
    });
  };

  return async function page(
    client: ProvisioningClient,
    query: PageQuery,
  ): Promise<Result<UsersPage>> {
    const held = ahead[0];
    const usable = held?.key === keyOf(query) && current(held, client);
    if (usable) ahead.shift();
    else ahead = [];
    let result = usable ? await held.answer : await read(client, query);
    // Reading it ahead failed: read it now (the backend may answer again), and nothing after.
    if (usable && !result.ok) {
      ahead = [];
      result = await read(client, query);
    }
    // One page fewer is held now: read on from the last one held, or from this one.
    const last = ahead.at(-1);
    if (last === undefined) readAfter(client, query, result);
    else goOnFrom(client, last);
    return result;
  };
}
