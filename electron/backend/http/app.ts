import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import {
  API_PREFIX,
  apiRoutes,
  buildOpenApiDocument,
  CursorQuery,
  InterceptBody,
  LicenseAssignmentBody,
  PasswordResetBody,
  RecoveryEmailBody,
  SelfServicePasswordBody,
  UpdateUserBody,
  UsersQuery,
} from '../../../shared/api/index.ts';
import type { Logger } from '../../../shared/log/index.ts';
import type { RuleSets } from '../../../shared/rules/index.ts';
import type { Clock } from '../clock.ts';
import type { SecretHasher } from '../crypto/secret-hasher.ts';
import { sameSecret } from '../crypto/tokens.ts';
import { decodeCursor, encodeCursor } from '../db/cursor.ts';
import type { IdempotencyStore, RecordsStore } from '../db/records-store.ts';
import type { UsersStore } from '../db/users-store.ts';
import { ApiFailure, notFound } from '../errors.ts';
import type { Directory } from '../services/directory.ts';
import type { PasswordResets } from '../services/password-resets.ts';
import type { Recovery } from '../services/recovery.ts';
import { createIdempotency } from './idempotency.ts';
import { rateLimit, type RateLimit } from './rate-limit.ts';
import { bearerToken, readJson, readParams, readQuery } from './request.ts';
import { securityHeaders } from './security-headers.ts';

export interface HttpDeps {
  version: string;
  adminToken: string;
  users: UsersStore;
  records: RecordsStore;
  idempotencyStore: IdempotencyStore;
  hasher: SecretHasher;
  clock: Clock;
  directory: Directory;
  passwordResets: PasswordResets;
  recovery: Recovery;
  rules: () => RuleSets;
  logger: Logger;
  /** The built renderer, for the end user's reset page; null when it is not built. */
  staticDir: string | null;
  adminRateLimit: RateLimit;
  selfServiceRateLimit: RateLimit;
  maxBodyBytes: number;
}

const ACTOR = /^[^\p{Cc}]{1,100}$/u;

/**
 * Who the audit names: the operator PassDesk sends in X-PassDesk-Actor (percent-encoded UTF-8,
 * as headers are ASCII), else "admin".
 */
function actorOf(c: Context): string {
  let given: string | undefined;
  try {
    given = decodeURIComponent(c.req.header('x-passdesk-actor') ?? '').trim();
  } catch {
    given = undefined;
  }
  return given !== undefined && ACTOR.test(given) ? given : 'admin';
}

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const p = (route: { path: string }): string =>
  `${API_PREFIX}${route.path.replace(/\{(\w+)\}/gu, ':$1')}`;

/** The backend's HTTP surface: the admin API, the self-service API and the reset page. */
export function createHttpApp(deps: HttpDeps): Hono {
  const app = new Hono();
  const { idempotent, lookup } = createIdempotency(deps.idempotencyStore, deps.hasher, deps.clock);
  const openApi = buildOpenApiDocument(deps.version);

  const requestLog: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    await next();
    // Route pattern only: a URL can carry a recovery token.
    deps.logger.debug('request', {
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  };
  app.use('*', requestLog);
  app.use('*', securityHeaders);

  app.onError((error, c) => {
    if (error instanceof ApiFailure) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      if (error.status === 401) c.header('WWW-Authenticate', 'Bearer');
      return c.json(
        {
          error: {
            code: error.code,
            message: error.message,
            ...(error.details === undefined ? {} : { details: error.details }),
          },
        },
        error.status as 400,
      );
    }
    deps.logger.error('request failed', { route: routePath(c, -1), error });
    return c.json(
      { error: { code: 'internal', message: 'The server hit an internal error.' } },
      500,
    );
  });
  app.notFound((c) =>
    c.json({ error: { code: 'not-found', message: 'There is nothing at this address.' } }, 404),
  );

  // ── Open routes.
  app.get(p(apiRoutes.health), (c) => c.json({ status: 'ok', version: deps.version }));
  app.get(`${API_PREFIX}/openapi.json`, (c) => c.json(openApi));

  // ── The end user's side: rate-limited per address, authorised by the recovery token.
  const selfServiceLimit = rateLimit(deps.selfServiceRateLimit, (c) => `self:${clientAddress(c)}`);
  app.use(`${API_PREFIX}/self-service/*`, selfServiceLimit);
  app.use('/reset/*', selfServiceLimit);
  const recoveryToken = (c: Context): string => bearerToken(c) ?? '';

  app.get(p(apiRoutes.selfServiceSession), (c) => c.json(deps.recovery.session(recoveryToken(c))));
  app.post(
    p(apiRoutes.selfServicePassword),
    bodyLimit({ maxSize: 4096, onError: tooLarge }),
    async (c) => {
      const body = await readJson(c, SelfServicePasswordBody);
      return c.json(
        await deps.recovery.changePassword(recoveryToken(c), body.password, body.confirmation),
      );
    },
  );
  app.post(p(apiRoutes.selfServicePasscode), async (c) =>
    c.json(await deps.recovery.generatePasscode(recoveryToken(c))),
  );

  const resetPage = deps.staticDir === null ? null : path.join(deps.staticDir, 'reset.html');
  if (deps.staticDir !== null) {
    app.get(
      '/reset/assets/*',
      serveStatic({
        root: deps.staticDir,
        rewriteRequestPath: (url) => url.replace(/^\/reset/u, ''),
      }),
    );
  }

  app.get('/reset/:token', (c) => {
    if (resetPage === null || !existsSync(resetPage)) {
      return c.text(
        'The password reset page is not built on this server (run "npm run build").',
        503,
      );
    }
    return c.html(readFileSync(resetPage, 'utf8'));
  });

  // ── The admin API: bearer token, then the rate limit, then a bounded body.
  const adminAuth: MiddlewareHandler = async (c, next) => {
    const open = c.req.path === p(apiRoutes.health) || c.req.path === `${API_PREFIX}/openapi.json`;
    if (open || c.req.path.startsWith(`${API_PREFIX}/self-service/`)) return next();
    const token = bearerToken(c);
    if (token === null || !sameSecret(token, deps.adminToken)) {
      throw new ApiFailure(401, 'unauthorized', 'A valid admin token is required.');
    }
    return next();
  };
  app.use(`${API_PREFIX}/*`, adminAuth);
  const adminLimit = rateLimit(deps.adminRateLimit, () => 'admin');
  const adminBody = bodyLimit({ maxSize: deps.maxBodyBytes, onError: tooLarge });
  const admin = [adminLimit, adminBody] as const;

  app.get(p(apiRoutes.rules), ...admin, (c) => c.json(deps.rules()));
  app.get(p(apiRoutes.idempotencyRecord), ...admin, (c) =>
    c.json(lookup(readParams(c, apiRoutes.idempotencyRecord.params).key)),
  );
  app.get(p(apiRoutes.locations), ...admin, (c) => c.json(deps.users.locations()));
  app.get(p(apiRoutes.licenses), ...admin, (c) => c.json(deps.users.licenses()));
  app.get(p(apiRoutes.users), ...admin, (c) =>
    c.json(deps.directory.page(readQuery(c, UsersQuery))),
  );

  app.patch(p(apiRoutes.updateUser), ...admin, async (c) => {
    const { id } = readParams(c, apiRoutes.updateUser.params);
    const body = await readJson(c, UpdateUserBody);
    return idempotent(c, `PATCH /users/${id}`, body, actorOf(c), (context) =>
      Promise.resolve(deps.directory.updateEmail(id, body.email, context)),
    );
  });
  app.post(p(apiRoutes.passwordResets), ...admin, async (c) => {
    const body = await readJson(c, PasswordResetBody);
    return idempotent(c, 'POST /password-resets', body, actorOf(c), (context) =>
      deps.passwordResets.reset(body, context),
    );
  });
  app.post(p(apiRoutes.recoveryEmails), ...admin, async (c) => {
    const body = await readJson(c, RecoveryEmailBody);
    return idempotent(c, 'POST /recovery-emails', body, actorOf(c), (context) =>
      deps.recovery.sendEmails(body.userIds, context),
    );
  });
  app.post(p(apiRoutes.intercepts), ...admin, async (c) => {
    const body = await readJson(c, InterceptBody);
    return idempotent(c, 'POST /intercepts', body, actorOf(c), (context) =>
      Promise.resolve(deps.directory.setIntercepts(body.userIds, body.intercepted, context)),
    );
  });
  app.post(p(apiRoutes.licenseAssignments), ...admin, async (c) => {
    const body = await readJson(c, LicenseAssignmentBody);
    return idempotent(c, 'POST /license-assignments', body, actorOf(c), (context) =>
      Promise.resolve(deps.directory.assignLicenses(body, context)),
    );
  });

  const beforeId = (cursor: string | undefined): number => {
    if (cursor === undefined) return Number.MAX_SAFE_INTEGER;
    const value = decodeCursor(cursor);
    if (typeof value !== 'number')
      throw new ApiFailure(400, 'invalid-request', 'cursor: not a cursor this server gave out');
    return value;
  };
  app.get(p(apiRoutes.outbox), ...admin, (c) => {
    const page = deps.records.messages(beforeId(readQuery(c, CursorQuery).cursor));
    return c.json({
      messages: page.messages,
      nextCursor: page.nextBefore === null ? null : encodeCursor(page.nextBefore),
    });
  });
  app.get(p(apiRoutes.outboxMessage), ...admin, (c) => {
    const { id } = readParams(c, apiRoutes.outboxMessage.params);
    const message = deps.records.message(id);
    if (message === null) throw notFound(`Message ${id}`);
    return c.json(message);
  });
  app.get(p(apiRoutes.audit), ...admin, (c) => {
    const page = deps.records.auditPage(beforeId(readQuery(c, CursorQuery).cursor));
    return c.json({
      entries: page.entries,
      nextCursor: page.nextBefore === null ? null : encodeCursor(page.nextBefore),
    });
  });

  return app;
}

function tooLarge(): never {
  throw new ApiFailure(400, 'body-too-large', 'body: larger than this server accepts');
}
