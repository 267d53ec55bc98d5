import { useEffect, useMemo, useRef, useState } from 'react';
import type { JobSummary, JobUserResult } from '../../../../../shared/ipc/index.ts';
import { getApi } from '../../../lib/api.ts';
import type { LastAction } from '../../../lib/last-action.ts';

const FINISHED = new Set<JobSummary['state']>([
  'completed',
  'cancelled',
  'interrupted',
  'unconfirmed',
]);

/** Jobs newest first, kept current by jobs:update events. */
export function useJobs(): { jobs: JobSummary[]; error: string | null } {
  const [jobs, setJobs] = useState<JobSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const api = getApi();
    let live = true;
    const merge = (job: JobSummary) =>
      setJobs((previous) => {
        const rest = previous.filter((j) => j.id !== job.id);
        return [job, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      });
    const unsubscribe = api.onJobUpdate(merge);
    void api.listJobs().then((result) => {
      if (!live) return;
      if (result.ok) setJobs((previous) => mergeAll(result.data, previous));
      else setError(result.message);
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  return { jobs, error };
}

/** Keeps whichever copy of each job is further along (events may beat the first list). */
function mergeAll(listed: JobSummary[], seen: JobSummary[]): JobSummary[] {
  const byId = new Map(listed.map((job) => [job.id, job]));
  for (const job of seen) {
    const other = byId.get(job.id);
    if (other === undefined || job.done >= other.done) byId.set(job.id, job);
  }
  return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * The latest outcome for each user, from the finished jobs (newest wins), for the users
 * table's "Last action" column.
 */
export function useLastActions(jobs: readonly JobSummary[]): ReadonlyMap<string, LastAction> {
  const [results, setResults] = useState<
    ReadonlyMap<string, { job: JobSummary; rows: JobUserResult[] }>
  >(new Map());
  const requested = useRef(new Set<string>());

  useEffect(() => {
    const wanted = jobs
      .filter((job) => FINISHED.has(job.state))
      .slice(0, 20)
      .filter((job) => !requested.current.has(`${job.id}:${job.state}:${job.done}`));
    for (const job of wanted) requested.current.add(`${job.id}:${job.state}:${job.done}`);
    for (const job of wanted) {
      void getApi()
        .jobResults({ jobId: job.id })
        .then((result) => {
          if (result.ok)
            setResults((previous) => new Map(previous).set(job.id, { job, rows: result.data }));
        });
    }
  }, [jobs]);

  return useMemo(() => {
    const latest = new Map<string, LastAction>();
    const oldestFirst = [...results.values()].sort((a, b) =>
      a.job.createdAt.localeCompare(b.job.createdAt),
    );
    for (const { job, rows } of oldestFirst) {
      for (const row of rows) {
        // A user a retry skipped keeps the earlier job's outcome.
        if (row.outcome !== 'pending' && row.outcome !== 'skipped')
          latest.set(row.userId, { outcome: row.outcome, at: job.finishedAt ?? job.createdAt });
      }
    }
    return latest;
  }, [results]);
}
