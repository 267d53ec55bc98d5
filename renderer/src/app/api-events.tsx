import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { User } from '../../../shared/api/index.ts';
import type { AppInfo, ConnectionStatus, JobSummary } from '../../../shared/ipc/index.ts';
import { applyJobUpdate, JOBS_KEY, resultsKey } from '../features/jobs/index.ts';
import { OUTBOX_KEY } from '../features/outbox/index.ts';
import { SETTINGS_KEY } from '../features/settings/index.ts';
import {
  LAST_ACTIONS_KEY,
  patchLoadedUsers,
  USERS_KEY,
  usersMayHaveChanged,
} from '../features/users/index.ts';
import { getApi } from '../lib/api.ts';
import { useCommands, type CommandStore } from '../lib/commands.tsx';
import { unwrap } from '../lib/query.ts';
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

/**
 * What a settled intercept or license job did, into the loaded users: the users it changed (or
 * found already so) get the new setting, from the job's own results — the users are not loaded
 * again.
 */
async function patchUsersAfter(client: QueryClient, job: JobSummary): Promise<void> {
  const { params } = job;
  if (params.kind !== 'intercept' && params.kind !== 'license') return;
  const results = await unwrap(getApi().jobResults({ jobId: job.id }));
  const done = new Set(
    results
      .filter((r) => r.outcome === 'changed' || r.outcome === 'unchanged')
      .map((r) => r.userId),
  );
  const change =
    params.kind === 'intercept'
      ? (user: User): User => ({ ...user, intercepted: params.intercepted })
      : (user: User): User => ({
          ...user,
          licenses: [
            ...user.licenses.filter((id) => !params.remove.includes(id)),
            ...params.add.filter((id) => !user.licenses.includes(id)),
          ],
        });
  patchLoadedUsers(client, done, change);
  if (params.kind === 'license') await client.invalidateQueries({ queryKey: LICENSES_KEY });
}

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
 * state changes, its results; when it settles, the users' last actions and whatever it changed
 * about the users; new rules into the rules; the connection's state (and what failed to load,
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
      // Its batches change what the table shows, while a load may be reading pages ahead.
      if (job.params.kind === 'intercept' || job.params.kind === 'license') usersMayHaveChanged();
      const before = seen.get(job.id);
      seen.set(job.id, job.state);
      if (before === job.state) return;
      void client.invalidateQueries({ queryKey: resultsKey(job.id) });
      if (!SETTLED.has(job.state)) return;
      void client.invalidateQueries({ queryKey: LAST_ACTIONS_KEY });
      patchUsersAfter(client, job).catch(() =>
        // The users could not be patched from the results: load them again instead.
        client.invalidateQueries({ queryKey: ['users', 'list'] }),
      );
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
