import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { API_PREFIX, buildOpenApiDocument } from '../../../shared/api/index.ts';
import type { Logger } from '../../../shared/log/index.ts';
import type { RuleSets } from '../../../shared/rules/index.ts';
import type { Clock } from '../clock.ts';
import type { SecretHasher } from '../crypto/secret-hasher.ts';
import type { IdempotencyStore, RecordsStore } from '../db/records-store.ts';
import type { UsersStore } from '../db/users-store.ts';
import { ApiFailure } from '../errors.ts';
import type { Directory } from '../services/directory.ts';
import type { PasswordResets } from '../services/password-resets.ts';
import type { Recovery } from '../services/recovery.ts';
import { createApiHandlers } from './api-handlers.ts';
import { createIdempotency } from './idempotency.ts';
import { rateLimit, type RateLimit } from './rate-limit.ts';
import { registerRoutes } from './register-routes.ts';
import { createRouteScopes, requireAdminToken } from './route-scopes.ts';
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
  /** Parse every API answer with its spec's response schema (see BackendOptions). */
  checkResponses: boolean;
  /** The public base URL (where end users open their links) is https: send HSTS. */
  publicUrlIsHttps: boolean;
}

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

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
  app.use('*', securityHeaders({ https: deps.publicUrlIsHttps }));

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

  // Not API routes: the contract's own description, and the end user's page.
  app.get(`${API_PREFIX}/openapi.json`, (c) => c.json(openApi));

  const selfServiceLimit = rateLimit(deps.selfServiceRateLimit, (c) => `self:${clientAddress(c)}`);
  app.use('/reset/*', selfServiceLimit);
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

  // ── The API: every route, its auth, validation and idempotency from shared/api's specs.
  registerRoutes(
    app,
    createApiHandlers({
      version: deps.version,
      users: deps.users,
      records: deps.records,
      directory: deps.directory,
      passwordResets: deps.passwordResets,
      recovery: deps.recovery,
      rules: deps.rules,
      lookup,
    }),
    {
      scopes: createRouteScopes({
        adminToken: deps.adminToken,
        adminRateLimit: deps.adminRateLimit,
        maxBodyBytes: deps.maxBodyBytes,
        selfServiceLimit,
        checkLink: (token) => {
          deps.recovery.checkLink(token);
        },
      }),
      idempotent,
      checkResponses: deps.checkResponses,
    },
  );
  // Any other address under the API asks for the admin token before it answers 404, so nothing
  // there can be probed without it.
  app.use(`${API_PREFIX}/*`, requireAdminToken(deps.adminToken));

  return app;
}
