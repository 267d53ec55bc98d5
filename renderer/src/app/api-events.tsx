import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { JobSummary } from '../../../shared/ipc/index.ts';
import { applyJobUpdate } from '../features/jobs/index.ts';
import { LAST_ACTIONS_KEY, USERS_KEY } from '../features/users/index.ts';
import { getApi } from '../lib/api.ts';
import { LICENSES_KEY } from '../lib/use-licenses.ts';
import { RULES_KEY } from '../lib/use-rules.ts';

const SETTLED = new Set<JobSummary['state']>([
  'completed',
  'cancelled',
  'interrupted',
  'unconfirmed',
]);

/**
 * Main → renderer events, into the query cache: job updates into the jobs list, and when a job
 * settles, the users' last actions (and, for jobs that change users' data, the users
 * themselves); new rules into the rules.
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
      if (before === job.state || !SETTLED.has(job.state)) return;
      void client.invalidateQueries({ queryKey: LAST_ACTIONS_KEY });
      if (job.params.kind === 'intercept' || job.params.kind === 'license')
        void client.invalidateQueries({ queryKey: USERS_KEY });
      if (job.params.kind === 'license') void client.invalidateQueries({ queryKey: LICENSES_KEY });
    });
    const offRules = api.onRulesChanged((rules) => client.setQueryData(RULES_KEY, rules));
    return () => {
      offJobs();
      offRules();
    };
  }, [client]);
  return null;
}
