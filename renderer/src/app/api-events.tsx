import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { User } from '../../../shared/api/index.ts';
import type { JobSummary } from '../../../shared/ipc/index.ts';
import { applyJobUpdate, resultsKey } from '../features/jobs/index.ts';
import { LAST_ACTIONS_KEY, patchLoadedUsers } from '../features/users/index.ts';
import { getApi } from '../lib/api.ts';
import { unwrap } from '../lib/query.ts';
import { LICENSES_KEY } from '../lib/use-licenses.ts';
import { RULES_KEY } from '../lib/use-rules.ts';

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

/**
 * Main → renderer events, into the query cache: job updates into the jobs list; when a job's
 * state changes, its results; when it settles, the users' last actions and whatever it changed
 * about the users; new rules into the rules.
 */
export function ApiEvents() {
  const client = useQueryClient();
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
      patchUsersAfter(client, job).catch(() =>
        // The users could not be patched from the results: load them again instead.
        client.invalidateQueries({ queryKey: ['users', 'list'] }),
      );
    });
    const offRules = api.onRulesChanged((rules) => client.setQueryData(RULES_KEY, rules));
    return () => {
      offJobs();
      offRules();
    };
  }, [client]);
  return null;
}
