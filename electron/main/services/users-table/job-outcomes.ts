import type { User } from '../../../../shared/api/index.ts';
import type { JobSummary, JobUserResult } from '../../../../shared/ipc/index.ts';
import type { TableNames } from './table-names.ts';
import type { UsersTable } from './users-table.ts';

const SETTLED = new Set<JobSummary['state']>([
  'completed',
  'cancelled',
  'interrupted',
  'unconfirmed',
]);

/**
 * What an intercept or license job did to its users, as a change to apply to the loaded users:
 * those it changed, or found already so, get the new setting (from the job's own results, so
 * nothing is read again). Null for the jobs that change nothing the table shows.
 */
export function changeOf(
  job: JobSummary,
  results: readonly JobUserResult[],
): { userIds: string[]; change: (user: User) => User } | null {
  const { params } = job;
  if (params.kind !== 'intercept' && params.kind !== 'license') return null;
  const userIds = results
    .filter((r) => r.outcome === 'changed' || r.outcome === 'unchanged')
    .map((r) => r.userId);
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
  return { userIds, change };
}

/**
 * Follows the jobs' updates for the table: when a job's state changes, its users' last actions
 * are read again (a sort by them is made anew); when it settles, what it changed goes into the
 * loaded users.
 */
export function followJobs(
  table: Pick<UsersTable, 'patch'>,
  names: Pick<TableNames, 'lastActionsChanged'>,
  results: (jobId: string) => readonly JobUserResult[] | null,
) {
  const seen = new Map<string, JobSummary['state']>();
  return (job: JobSummary): void => {
    const before = seen.get(job.id);
    seen.set(job.id, job.state);
    if (before === job.state) return;
    names.lastActionsChanged();
    if (!SETTLED.has(job.state)) return;
    const outcome = changeOf(job, results(job.id) ?? []);
    if (outcome !== null) table.patch(outcome.userIds, outcome.change);
  };
}
