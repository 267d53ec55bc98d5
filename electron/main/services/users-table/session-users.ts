import type { JobSummary, UsersLoad } from '../../../../shared/ipc/index.ts';
import type { ConnectionCheck } from '../backend/when-answering.ts';
import { whenAnswering } from '../backend/when-answering.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import type { ProvisioningClient } from '../provisioning-client.ts';
import { createUsersPages, nextCursorIn } from '../users-pages.ts';
import { followJobs } from './job-outcomes.ts';
import { createTableNames } from './table-names.ts';
import { createUsersTable } from './users-table.ts';

/** Users per page read from the backend (its largest page). */
const PAGE_SIZE = 5000;

/**
 * A backend session's users table: its lists read from the session's backend (each next page
 * read ahead, and only while the backend answers), the names its sorts read, and the jobs'
 * outcomes patched in as they settle.
 */
export function openSessionUsers(deps: {
  client: ProvisioningClient;
  connection: ConnectionCheck;
  jobs: () => Pick<JobRunner, 'lastActions' | 'results'>;
  onChange: (load: UsersLoad) => void;
  /** Users per page asked of the backend (its largest, 5,000, unless a test wants more pages). */
  pageSize?: number;
}) {
  const pageSize = deps.pageSize ?? PAGE_SIZE;
  // `send`, not `request`: the pages stay in main (the window gets blocks of rows), so they need
  // not be frozen and marked for the dispatcher; each is still parsed with its schema.
  const pages = createUsersPages((client, query, onNextCursor) =>
    whenAnswering(deps.connection, async () => {
      const { result } = await client.send('users', {
        query: {
          limit: query.limit ?? pageSize,
          cursor: query.cursor,
          locationId: query.locationId,
        },
        onArrival: (text) => {
          const cursor = nextCursorIn(text);
          if (cursor !== undefined) onNextCursor(cursor);
        },
      });
      return result;
    }),
  );
  const names = createTableNames(() => deps.jobs().lastActions(null).entries);
  const table = createUsersTable({
    readPage: (list, cursor) =>
      pages(deps.client, {
        limit: pageSize,
        ...(cursor === undefined ? {} : { cursor }),
        ...(list === null ? {} : { locationId: list }),
      }),
    context: names.context,
    onChange: deps.onChange,
  });
  const follow = followJobs(table, names, (jobId) => deps.jobs().results(jobId));
  return {
    table,
    names,
    /** Call with each job update. */
    jobUpdated: (job: JobSummary): void => follow(job),
  };
}

export type SessionUsers = ReturnType<typeof openSessionUsers>;
