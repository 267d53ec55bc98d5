import { randomUUID } from 'node:crypto';
import { ok, SelectionSummary, UsersByIds, type IpcHandlers } from '../../../shared/ipc/index.ts';
import { markChecked } from '../services/checked-answers.ts';
import type { BackendSession } from '../services/backend/backend-session.ts';
import { whenAnswering } from '../services/backend/when-answering.ts';

/**
 * The users table (served from main's copy of the users), the locations and licenses (whose
 * names the table's sorts read), and a user's edit. The backend is asked only while it answers.
 */
export function createUsersHandlers(deps: {
  session: () => Pick<BackendSession, 'client' | 'connection' | 'users'>;
}): Pick<
  IpcHandlers,
  | 'listLocations'
  | 'loadUsers'
  | 'reloadUsers'
  | 'usersBlock'
  | 'viewIds'
  | 'usersByIds'
  | 'selectionSummary'
  | 'updateUser'
  | 'listLicenses'
> {
  const ask: BackendSession['client']['request'] = (route, ...input) => {
    const { client, connection } = deps.session();
    return whenAnswering(connection, () => client.request(route, ...input));
  };
  const table = () => deps.session().users.table;
  return {
    listLocations: async () => {
      const { names } = deps.session().users;
      const answer = await ask('locations');
      if (answer.ok) names.locationsSeen(answer.data);
      return answer;
    },
    loadUsers: ({ list, retry }) => Promise.resolve(ok(table().load(list, retry))),
    reloadUsers: ({ list }) => Promise.resolve(ok(table().reload(list))),
    usersBlock: ({ view, start, end }) => Promise.resolve(ok(table().block(view, start, end))),
    viewIds: (view) => Promise.resolve(ok(table().ids(view))),
    // Not parsed again: every user the table holds passed the API's strict `User` schema when it
    // came in (a page, a patch; see createUsersTable), and a selection can be 200,000 users.
    usersByIds: ({ userIds }) =>
      Promise.resolve(ok(markChecked({ users: table().byIds(userIds) }, UsersByIds))),
    // Not parsed again either: made in main of those same users (the counts, and the ids of the
    // users without an email, which may be 200,000).
    selectionSummary: ({ userIds }) =>
      Promise.resolve(ok(markChecked(table().summary(userIds), SelectionSummary))),
    // Under its own key: a retry after a lost answer replays the change, never repeats it.
    updateUser: async ({ userId, email }) => {
      const { users } = deps.session();
      const answer = await ask('updateUser', {
        params: { id: userId },
        body: { email },
        idempotencyKey: `passdesk-user-${randomUUID()}`,
      });
      if (answer.ok) users.table.patch([userId], () => answer.data);
      return answer;
    },
    listLicenses: async () => {
      const { names } = deps.session().users;
      const answer = await ask('licenses');
      if (answer.ok) names.licensesSeen(answer.data);
      return answer;
    },
  };
}
