import {
  ok,
  type ConnectionTestReport,
  type IpcHandlers,
  type InputOf,
} from '../../../shared/ipc/index.ts';
import type { BackendSession } from '../services/backend/backend-session.ts';

export interface ConnectionIpcDeps {
  session: () => Pick<BackendSession, 'connection'>;
  /** Test connection, with the typed token or else the one kept for that URL. */
  testConnection: (input: InputOf<'testConnection'>) => Promise<ConnectionTestReport>;
}

export function createConnectionHandlers(
  deps: ConnectionIpcDeps,
): Pick<IpcHandlers, 'getConnection' | 'testConnection'> {
  return {
    getConnection: () => Promise.resolve(ok(deps.session().connection.status())),
    testConnection: async (input) => ok(await deps.testConnection(input)),
  };
}
