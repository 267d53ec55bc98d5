import type { UsersPage, UsersQuery } from '../../../shared/api/index.ts';
import type { Result } from '../../../shared/ipc/index.ts';
import type { ProvisioningClient } from './provisioning-client.ts';

type PageQuery = Partial<UsersQuery>;

interface Ahead {
  client: object;
  key: string;
  epoch: number;
  answer: Promise<Result<UsersPage>>;
}

const keyOf = (query: PageQuery): string =>
  JSON.stringify([query.locationId ?? null, query.limit ?? null, query.cursor ?? null]);

/**
 * Pages of users for the table, with the next page read while the renderer takes in this one:
 * the backend's time and the window's then overlap, instead of adding up page after page.
 *
 * The page read ahead is given only to the request it was read for (same client, location,
 * size and cursor) and only if it is still current: no write (an email edit, a job's batch)
 * was out when it was read, or has been sent since. Otherwise, or if reading it failed, the
 * page is read again. At most one page is held.
 */
export function createUsersPages(
  read: (client: ProvisioningClient, query: PageQuery) => Promise<Result<UsersPage>>,
) {
  let ahead: Ahead | null = null;

  const current = (entry: Ahead, client: ProvisioningClient): boolean =>
    entry.client === client && entry.epoch === client.writes().epoch;

  return async function page(
    client: ProvisioningClient,
    query: PageQuery,
  ): Promise<Result<UsersPage>> {
    const held = ahead;
    ahead = null;
    const usable = held !== null && held.key === keyOf(query) && current(held, client);
    let result = usable ? await held.answer : await read(client, query);
    // Reading it ahead failed: read it now (the backend may answer again).
    if (usable && !result.ok) result = await read(client, query);
    if (result.ok && result.data.nextCursor !== null) {
      const next = { ...query, cursor: result.data.nextCursor };
      const { inFlight, epoch } = client.writes();
      if (inFlight === 0) {
        const answer = read(client, next);
        // Held, maybe never asked for: its failure must not go unhandled.
        answer.catch(() => undefined);
        ahead = { client, key: keyOf(next), epoch, answer };
      }
    }
    return result;
  };
}
