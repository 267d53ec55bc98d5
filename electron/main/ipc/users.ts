import { randomUUID } from 'node:crypto';
import type { IpcHandlers } from '../../../shared/ipc/index.ts';
import type { ProvisioningClient } from '../services/provisioning-client.ts';

export function createUsersHandlers(deps: {
  client: ProvisioningClient;
}): Pick<IpcHandlers, 'listLocations' | 'listUsers' | 'updateUser' | 'listLicenses'> {
  return {
    listLocations: () => deps.client.request('locations'),
    listUsers: (query) =>
      deps.client.request('users', {
        query: { limit: query.limit ?? 5000, cursor: query.cursor, locationId: query.locationId },
      }),
    // Under its own key: a retry after a lost answer replays the change, never repeats it.
    updateUser: ({ userId, email }) =>
      deps.client.request('updateUser', {
        params: { id: userId },
        body: { email },
        idempotencyKey: `passdesk-user-${randomUUID()}`,
      }),
    listLicenses: () => deps.client.request('licenses'),
  };
}
