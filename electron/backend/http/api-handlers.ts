import { API_VERSION } from '../../../shared/api/index.ts';
import type { RuleSets } from '../../../shared/rules/index.ts';
import { decodeCursor, encodeCursor } from '../db/cursor.ts';
import type { RecordsStore } from '../db/records-store.ts';
import type { UsersStore } from '../db/users-store.ts';
import { ApiFailure, notFound } from '../errors.ts';
import type { Directory } from '../services/directory.ts';
import type { PasswordResets } from '../services/password-resets.ts';
import type { Recovery } from '../services/recovery.ts';
import type { Idempotency } from './idempotency.ts';
import type { RouteHandlers } from './register-routes.ts';

export interface ApiHandlerDeps {
  version: string;
  users: UsersStore;
  records: RecordsStore;
  directory: Directory;
  passwordResets: PasswordResets;
  recovery: Recovery;
  rules: () => RuleSets;
  lookup: Idempotency['lookup'];
}

/** The outbox and the audit trail page by row id, newest first; their cursor wraps that id. */
function beforeId(cursor: string | undefined): number {
  if (cursor === undefined) return Number.MAX_SAFE_INTEGER;
  const value = decodeCursor(cursor);
  if (typeof value !== 'number') {
    throw new ApiFailure(400, 'invalid-request', 'cursor: not a cursor this server gave out');
  }
  return value;
}

const cursorOf = (nextBefore: number | null): string | null =>
  nextBefore === null ? null : encodeCursor(nextBefore);

/**
 * What each route of shared/api does on the built-in backend. Input arrives parsed and
 * authorised (see register-routes.ts); each handler only hands it to its service.
 */
export function createApiHandlers(deps: ApiHandlerDeps): RouteHandlers {
  return {
    health: () => ({ status: 'ok', version: deps.version, apiVersion: API_VERSION }),
    rules: () => deps.rules(),
    locations: () => deps.users.locations(),
    users: ({ query }) => deps.directory.page(query),
    updateUser: ({ params, body, context }) =>
      deps.directory.updateEmail(params.id, body.email, context),
    passwordResets: ({ body, context }) => deps.passwordResets.reset(body, context),
    recoveryEmails: ({ body, context }) => deps.recovery.sendEmails(body.userIds, context),
    intercepts: ({ body, context }) =>
      deps.directory.setIntercepts(body.userIds, body.intercepted, context),
    licenses: () => deps.users.licenses(),
    licenseAssignments: ({ body, context }) => deps.directory.assignLicenses(body, context),
    outbox: ({ query }) => {
      const page = deps.records.messages(beforeId(query.cursor));
      return { messages: page.messages, nextCursor: cursorOf(page.nextBefore) };
    },
    outboxMessage: ({ params }) => {
      const message = deps.records.message(params.id);
      if (message === null) throw notFound(`Message ${params.id}`);
      return message;
    },
    audit: ({ query }) => {
      const page = deps.records.auditPage(beforeId(query.cursor));
      return { entries: page.entries, nextCursor: cursorOf(page.nextBefore) };
    },
    idempotencyRecord: ({ params }) => deps.lookup(params.key),
    selfServiceSession: ({ token }) => deps.recovery.session(token),
    selfServicePassword: ({ token, body }) =>
      deps.recovery.changePassword(token, body.password, body.confirmation),
    selfServicePasscode: ({ token }) => deps.recovery.generatePasscode(token),
  };
}
