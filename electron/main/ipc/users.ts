import { randomUUID } from 'node:crypto';
import type { IpcHandlers } from '../../../shared/ipc/index.ts';
import type { BackendSession } from '../services/backend/backend-session.ts';
import { whenAnswering } from '../services/backend/when-answering.ts';
import { createUsersPages, nextCursorIn } from '../services/users-pages.ts';

/** The users, their locations and licenses, and a user's edit: asked only while it answers. */
export function createUsersHandlers(deps: {
  session: () => Pick<BackendSession, 'client' | 'connection'>;
}): Pick<IpcHandlers, 'listLocations' | 'listUsers' | 'updateUser' | 'listLicenses'> {
  const ask: BackendSession['client']['request'] = (route, ...input) => {
    const { client, connection } = deps.session();
    return whenAnswering(connection, () => client.request(route, ...input));
  };
  // The table's pages, each next one read while main checks the last and the window takes it in.
  const pages = createUsersPages((client, query, onNextCursor) =>
    whenAnswering(deps.session().connection, () =>
      client.request('users', {
        query: { limit: query.limit ?? 5000, cursor: query.cursor, locationId: query.locationId },
        onArrival: (data) => {
          const cursor = nextCursorIn(data);
          if (cursor !== undefined) onNextCursor(cursor);
        },
      }),
    ),
  );
  return {
    listLocations: () => ask('locations'),
    listUsers: (query) => pages(deps.session().client, query),
    // Under its own key: a retry after a lost answer replays the change, never repeats it.
    updateUser: ({ userId, email }) =>
      ask('updateUser', {
        params: { id: userId },
        body: { email },
        idempotencyKey: `passdesk-user-${randomUUID()}`,
      }),
    listLicenses: () => ask('licenses'),
  };
}
