import Papa from 'papaparse';
import { fail, ok, outcomeWord, type IpcHandlers } from '../../../shared/ipc/index.ts';
import type { BackendSession } from '../services/backend/backend-session.ts';
import { operationOf } from '../services/jobs/operations.ts';

/** Each call goes to the jobs of the backend in use; another backend's jobs are not found. */
export function createJobsHandlers(deps: {
  session: () => Pick<BackendSession, 'jobs'>;
}): Pick<
  IpcHandlers,
  | 'startJob'
  | 'cancelJob'
  | 'checkJobAgain'
  | 'listJobs'
  | 'jobResults'
  | 'lastActions'
  | 'exportJobCsv'
> {
  const jobs = () => deps.session().jobs;
  return {
    startJob: (input) => Promise.resolve(jobs().start(input)),
    cancelJob: ({ jobId }) => Promise.resolve(ok({ cancelled: jobs().cancel(jobId) })),
    checkJobAgain: ({ jobId }) => {
      if (jobs().job(jobId) === null)
        return Promise.resolve(fail('not-found', 'There is no such job.'));
      return Promise.resolve(ok({ checking: jobs().checkAgain(jobId) }));
    },
    listJobs: () => Promise.resolve(ok(jobs().list())),
    lastActions: ({ since }) => Promise.resolve(ok(jobs().lastActions(since))),
    jobResults: ({ jobId }) => {
      const results = jobs().results(jobId);
      return Promise.resolve(
        results === null ? fail('not-found', 'There is no such job.') : ok(results),
      );
    },
    exportJobCsv: ({ jobId }) => {
      const job = jobs().job(jobId);
      const results = jobs().results(jobId);
      if (job === null || results === null)
        return Promise.resolve(fail('not-found', 'There is no such job.'));
      const csv = Papa.unparse(
        results.map((r) => ({
          user_id: r.userId,
          outcome: r.outcome,
          result: outcomeWord(job.kind, r.outcome),
          reason: r.reason ?? '',
          job: job.id,
          started: job.createdAt,
          operator: job.actor,
          action: operationOf(job.kind).action(job.params),
          backend: job.backend,
        })),
        { escapeFormulae: true, newline: '\r\n' },
      );
      const stamp = job.createdAt.slice(0, 19).replace(/[:T]/gu, '-');
      return Promise.resolve(ok({ fileName: `passdesk-${job.kind}-${stamp}.csv`, csv }));
    },
  };
}
