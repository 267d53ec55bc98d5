import type { IpcHandlers } from '../../../shared/ipc/index.ts';
import type { ProvisioningClient } from '../services/provisioning-client.ts';

export function createUsersHandlers(deps: {
  client: ProvisioningClient;
}): Pick<IpcHandlers, 'listLocations' | 'listUsers'> {
  return {
    listLocations: () => deps.client.request('locations'),
    listUsers: (query) =>
      deps.client.request('users', {
        query: { limit: query.limit ?? 5000, cursor: query.cursor, locationId: query.locationId },
      }),
  };
}
