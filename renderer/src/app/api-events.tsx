import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { AppInfo, ConnectionStatus, JobSummary } from '../../../shared/ipc/index.ts';
import { applyJobUpdate, JOBS_KEY, resultsKey } from '../features/jobs/index.ts';
import { OUTBOX_KEY } from '../features/outbox/index.ts';
import { SETTINGS_KEY } from '../features/settings/index.ts';
import { LAST_ACTIONS_KEY, USERS_KEY } from '../features/users/index.ts';
import { getApi } from '../lib/api.ts';
import { useCommands, type CommandStore } from '../lib/commands.tsx';
import { CONNECTION_KEY } from '../lib/use-connection.ts';
import { LICENSES_KEY } from '../lib/use-licenses.ts';
import { RULES_KEY } from '../lib/use-rules.ts';
import { APP_INFO_KEY } from './use-app-info.ts';

const SETTLED = new Set<JobSummary['state']>([
  'completed',
  'cancelled',
  'interrupted',
  'unconfirmed',
]);

/** What belongs to one backend: its users, jobs, licenses, rules and outbox. */
const BACKEND_DATA = [USERS_KEY, JOBS_KEY, LICENSES_KEY, RULES_KEY, OUTBOX_KEY] as const;

/**
 * PassDesk now talks to another backend: everything shown of the old one goes. What no screen
 * shows is dropped; what one shows is reset and loaded again from the new backend (the table
 * its locations and users, the jobs panel its jobs). The selection goes and the open dialog
 * closes, unless it is Settings (see `backendChanged`).
 */
export function resetForBackend(client: QueryClient, commands: CommandStore, info: AppInfo) {
  client.setQueryData(APP_INFO_KEY, info);
  for (const queryKey of BACKEND_DATA) {
    void client.cancelQueries({ queryKey });
    client.removeQueries({ queryKey, type: 'inactive' });
    void client.resetQueries({ queryKey });
  }
  void client.invalidateQueries({ queryKey: SETTINGS_KEY });
  void client.invalidateQueries({ queryKey: CONNECTION_KEY });
  commands.backendChanged();
}

const answering = (status: ConnectionStatus): boolean =>
  status.state === 'connected' || status.state === 'slow';

/**
 * The backend answers again: what failed to load while it did not (the users, the locations,
 * the licenses…) loads again by itself, without the user pressing Retry.
 */
function reloadFailed(client: QueryClient): void {
  void client.refetchQueries({
    type: 'active',
    predicate: (query) => query.state.status === 'error',
  });
}

/**
 * Main → renderer events, into the query cache: job updates into the jobs list; when a job's
 * state changes, its results; when it settles, the users' last actions (main itself patches
 * what it changed about the users); new rules into the rules; the connection's state (and what failed to load,
 * once it answers again); and a switch of backend.
 */
export function ApiEvents() {
  const client = useQueryClient();
  const commands = useCommands();
  useEffect(() => {
    const api = getApi();
    const seen = new Map<string, JobSummary['state']>();
    const offJobs = api.onJobUpdate((job) => {
      applyJobUpdate(client, job);
      const before = seen.get(job.id);
      seen.set(job.id, job.state);
      if (before === job.state) return;
      void client.invalidateQueries({ queryKey: resultsKey(job.id) });
      if (!SETTLED.has(job.state)) return;
      void client.invalidateQueries({ queryKey: LAST_ACTIONS_KEY });
      // What a license job assigned changes the licenses' counts (main patches the users).
      if (job.params.kind === 'license') void client.invalidateQueries({ queryKey: LICENSES_KEY });
    });
    const offRules = api.onRulesChanged((rules) => client.setQueryData(RULES_KEY, rules));
    const offConnection = api.onConnectionChanged((status) => {
      const before = client.getQueryData<ConnectionStatus>(CONNECTION_KEY);
      client.setQueryData(CONNECTION_KEY, status);
      if (answering(status) && (before === undefined || !answering(before))) reloadFailed(client);
    });
    const offBackend = api.onBackendChanged((info) => {
      seen.clear();
      resetForBackend(client, commands, info);
    });
    return () => {
      offJobs();
      offRules();
      offConnection();
      offBackend();
    };
  }, [client, commands]);
  return null;
}
