import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { JobSummary } from '../../../../../shared/ipc/index.ts';
import { getApi } from '../../../lib/api.ts';
import { unwrap } from '../../../lib/query.ts';

export const JOBS_KEY = ['jobs'] as const;
export const resultsKey = (jobId: string) => ['jobs', jobId, 'results'] as const;

const newestFirst = (jobs: JobSummary[]): JobSummary[] =>
  jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));

/** Jobs newest first, kept current by jobs:update events (see `applyJobUpdate`). */
export function useJobs() {
  const client = useQueryClient();
  return useQuery({
    queryKey: JOBS_KEY,
    queryFn: async () => {
      const listed = await unwrap(getApi().listJobs());
      // Events may have beaten the list: keep whichever copy of a job is further along.
      const byId = new Map(listed.map((job) => [job.id, job]));
      for (const seen of client.getQueryData<JobSummary[]>(JOBS_KEY) ?? []) {
        const other = byId.get(seen.id);
        if (other === undefined || seen.done >= other.done) byId.set(seen.id, seen);
      }
      return newestFirst([...byId.values()]);
    },
  });
}

/** A jobs:update event, into the cache: the job's card and its open results follow. */
export function applyJobUpdate(client: QueryClient, job: JobSummary): void {
  client.setQueryData<JobSummary[]>(JOBS_KEY, (jobs = []) =>
    newestFirst([job, ...jobs.filter((other) => other.id !== job.id)]),
  );
}

/**
 * Each user's outcome in a job. Fetched when the results open and again whenever the job's
 * state changes (see api-events.tsx); not on every progress event (a large job's results are
 * many): while it runs, the dialog offers Refresh.
 */
export function useJobResults(jobId: string) {
  return useQuery({
    queryKey: resultsKey(jobId),
    queryFn: () => unwrap(getApi().jobResults({ jobId })),
  });
}

export function useCancelJob() {
  return useMutation({
    mutationFn: (jobId: string) => unwrap(getApi().cancelJob({ jobId })),
  });
}

export function useCheckJobAgain() {
  return useMutation({
    mutationFn: (jobId: string) => unwrap(getApi().checkJobAgain({ jobId })),
  });
}

/** A job's results as a CSV file the browser downloads. */
export function useExportJobCsv() {
  return useMutation({
    mutationFn: async (jobId: string) => {
      const { fileName, csv } = await unwrap(getApi().exportJobCsv({ jobId }));
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
}
