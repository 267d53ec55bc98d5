import { randomUUID } from 'node:crypto';
import type { IpcHandlers } from '../../../shared/ipc/index.ts';
import type { BackendSession } from '../services/backend/backend-session.ts';

export function createUsersHandlers(deps: {
  session: () => Pick<BackendSession, 'client'>;
}): Pick<IpcHandlers, 'listLocations' | 'listUsers' | 'updateUser' | 'listLicenses'> {
  const client = () => deps.session().client;
  return {
    listLocations: () => client().request('locations'),
    listUsers: (query) =>
      client().request('users', {
        query: { limit: query.limit ?? 5000, cursor: query.cursor, locationId: query.locationId },
      }),
    // Under its own key: a retry after a lost answer replays the change, never repeats it.
    updateUser: ({ userId, email }) =>
      client().request('updateUser', {
        params: { id: userId },
        body: { email },
        idempotencyKey: `passdesk-user-${randomUUID()}`,
      }),
    listLicenses: () => client().request('licenses'),
  };
}
