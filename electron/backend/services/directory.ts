import type {
  UpdateResponse,
  UpdateResult,
  User,
  UsersPage,
  UsersQuery,
} from '../../../shared/api/index.ts';
import type { Clock } from '../clock.ts';
import { decodeCursor, encodeCursor } from '../db/cursor.ts';
import type { RecordsStore } from '../db/records-store.ts';
import type { TokensStore } from '../db/tokens-store.ts';
import type { UsersStore } from '../db/users-store.ts';
import { ApiFailure, notFound } from '../errors.ts';
import type { Logger } from '../../../shared/log/index.ts';
import type { Commit, RequestContext } from './context.ts';
import type { LinkSweep } from './link-sweep.ts';
import { logSecurityEvent, operatorOf } from './security-events.ts';

/** Users, their locations, email addresses, intercept flags and licenses. */
export function createDirectory(deps: {
  users: UsersStore;
  records: RecordsStore;
  tokens: TokensStore;
  clock: Clock;
  commit: Commit;
  /** Run after a commit that voided links, so their outbox copies lose them at once. */
  linkSweep: Pick<LinkSweep, 'sweep'>;
  logger: Logger;
}) {
  return {
    page(query: UsersQuery): UsersPage {
      if (query.locationId !== undefined && !deps.users.locationExists(query.locationId)) {
        throw notFound(`Location ${query.locationId}`);
      }
      const after = query.cursor === undefined ? '' : decodeCursor(query.cursor);
      if (typeof after !== 'string') {
        throw new ApiFailure(400, 'invalid-request', 'cursor: not a cursor this server gave out');
      }
      const { users, total } = deps.users.page(query.locationId, after, query.limit + 1);
      const page = users.slice(0, query.limit);
      const last = page.at(-1);
      return {
        users: page,
        nextCursor: users.length > query.limit && last !== undefined ? encodeCursor(last.id) : null,
        total,
      };
    },

    /**
     * Sets or clears a user's email address (admin API). A change also voids the user's live
     * recovery links, in the same transaction: a link mailed to the old address must not keep
     * working once that address is no longer the user's. Setting the address the user already has
     * voids nothing.
     */
    updateEmail(id: string, email: string | null, context: RequestContext): User {
      let voided = 0;
      const user = deps.commit(context, () => {
        const before = deps.users.get(id);
        if (before === null) throw notFound(`User ${id}`);
        const at = deps.clock.now();
        deps.users.setEmail(id, email);
        deps.records.audit({
          at,
          actor: context.actor,
          action: 'email-update',
          userId: id,
          outcome: email === null ? 'cleared' : 'set',
        });
        if (before.email !== email) {
          voided = deps.tokens.voidLive(id, at);
          if (voided > 0) {
            deps.records.audit({
              at,
              actor: context.actor,
              action: 'recovery-link void',
              userId: id,
              outcome: `${voided} voided: the email address changed`,
            });
          }
        }
        const after = deps.users.get(id);
        if (after === null) throw notFound(`User ${id}`);
        return after;
      });
      if (voided > 0) {
        logSecurityEvent(deps.logger, {
          event: 'link-voided',
          userId: id,
          reason: 'email-changed',
          links: voided,
          ...operatorOf(context),
        });
        deps.linkSweep.sweep();
      }
      return user;
    },

    setIntercepts(
      userIds: readonly string[],
      intercepted: boolean,
      context: RequestContext,
    ): UpdateResponse {
      return deps.commit(context, () => {
        const at = deps.clock.now();
        const results = userIds.map((userId): UpdateResult => {
          const user = deps.users.get(userId);
          if (user === null) return { userId, outcome: 'not-found' };
          if (user.intercepted === intercepted) return { userId, outcome: 'unchanged' };
          deps.users.setIntercepted(userId, intercepted);
          return { userId, outcome: 'updated' };
        });
        for (const result of results) {
          deps.records.audit({
            at,
            actor: context.actor,
            action: intercepted ? 'intercept on' : 'intercept off',
            userId: result.userId,
            outcome: result.outcome,
          });
        }
        return { results };
      });
    },

    assignLicenses(
      body: { userIds: readonly string[]; add: readonly string[]; remove: readonly string[] },
      context: RequestContext,
    ): UpdateResponse {
      return deps.commit(context, () => {
        const at = deps.clock.now();
        const results = body.userIds.map((userId): UpdateResult => {
          const user = deps.users.get(userId);
          if (user === null) return { userId, outcome: 'not-found' };
          for (const licenseId of [...body.add, ...body.remove]) {
            if (deps.users.license(licenseId) === null)
              return { userId, outcome: 'unknown-license', licenseId };
          }
          const toAdd = body.add.filter((id) => !user.licenses.includes(id));
          const toRemove = body.remove.filter((id) => user.licenses.includes(id));
          for (const licenseId of toAdd) {
            const license = deps.users.license(licenseId);
            if (license !== null && license.assigned >= license.total) {
              return { userId, outcome: 'no-license-left', licenseId };
            }
          }
          for (const licenseId of toRemove) deps.users.removeLicense(userId, licenseId);
          for (const licenseId of toAdd) deps.users.addLicense(userId, licenseId);
          return { userId, outcome: toAdd.length + toRemove.length > 0 ? 'updated' : 'unchanged' };
        });
        for (const result of results) {
          deps.records.audit({
            at,
            actor: context.actor,
            action: `licenses +[${body.add.join(',')}] -[${body.remove.join(',')}]`,
            userId: result.userId,
            outcome:
              result.licenseId === undefined
                ? result.outcome
                : `${result.outcome} ${result.licenseId}`,
          });
        }
        return { results };
      });
    },
  };
}
export type Directory = ReturnType<typeof createDirectory>;
