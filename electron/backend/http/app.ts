import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { API_PREFIX, buildOpenApiDocument } from '../../../shared/api/index.ts';
import type { Logger } from '../../../shared/log/index.ts';
import type { RuleSets } from '../../../shared/rules/index.ts';
import type { AdminTokens } from '../admin-tokens/admin-tokens.ts';
import type { Clock } from '../clock.ts';
import type { SecretHasher } from '../crypto/secret-hasher.ts';
import type { IdempotencyStore, RecordsStore } from '../db/records-store.ts';
import type { UsersStore } from '../db/users-store.ts';
import { ApiFailure } from '../errors.ts';
import type { Directory } from '../services/directory.ts';
import type { PasswordResets } from '../services/password-resets.ts';
import type { Recovery } from '../services/recovery.ts';
import { requireAdminToken, verifiedTokenName } from './admin-auth.ts';
import { createApiHandlers } from './api-handlers.ts';
import { createClientAddress } from './client-address.ts';
import { createIdempotency } from './idempotency.ts';
import { rateLimitedPage, stylesheetsOf } from './limited-page.ts';
import type { RateLimit } from './rate-limit.ts';
import { registerRoutes } from './register-routes.ts';
import { createRouteScopes } from './route-scopes.ts';
import { createSecurityLog } from './security-log.ts';
import { securityHeaders } from './security-headers.ts';
import { createSelfServiceLimits } from './self-service-limits.ts';

export interface HttpDeps {
  version: string;
  /** The admin tokens the admin API accepts, each known by the name the audit gives it. */
  adminTokens: AdminTokens;
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
  /** Admin API requests per window, all admin clients together (after the token is checked). */
  adminRateLimit: RateLimit;
  /** Reset page loads per client, and self-service API calls per link, per window. */
  selfServiceRateLimit: RateLimit;
  /** Wrong admin tokens per client and window; then that client is refused until it ends. */
  adminAuthFailureLimit?: RateLimit;
  /** Tokens that open no live link, per client and window; then that client is refused. */
  selfServiceFailureLimit?: RateLimit;
  /**
   * The reverse proxies in front of this server (addresses or networks such as 10.0.0.0/8):
   * only for a request whose socket peer is one of them is X-Forwarded-For read for the client's
   * address. Empty (the default): the socket's peer is the client.
   */
  trustProxy?: readonly string[];
  maxBodyBytes: number;
  /** Parse every API answer with its spec's response schema (see BackendOptions). */
  checkResponses: boolean;
  /** The public base URL (where end users open their links) is https: send HSTS. */
  publicUrlIsHttps: boolean;
}

/** Wrong tokens allowed per client a minute, admin or recovery link alike. */
export const DEFAULT_AUTH_FAILURE_LIMIT: RateLimit = { points: 20, windowSeconds: 60 };

/** The backend's HTTP surface: the admin API, the self-service API and the reset page. */
export function createHttpApp(deps: HttpDeps): Hono {
  const app = new Hono();
  const { idempotent, lookup } = createIdempotency(deps.idempotencyStore, deps.hasher, deps.clock);
  const openApi = buildOpenApiDocument(deps.version);
  const clientOf = createClientAddress(deps.trustProxy ?? []);
  const securityLog = createSecurityLog(deps.logger);
  const adminAuth = requireAdminToken({
    tokens: deps.adminTokens,
    failureLimit: deps.adminAuthFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT,
    clientOf,
    securityLog,
  });
  const logAdminLimited = securityLog.repeated(
    'admin-rate-limited',
    deps.adminRateLimit.windowSeconds,
  );
  const selfService = createSelfServiceLimits({
    useLimit: deps.selfServiceRateLimit,
    failureLimit: deps.selfServiceFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT,
    clientOf,
    checkLink: (token) => {
      deps.recovery.checkLink(token);
    },
    securityLog,
  });

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

  // The page's assets are not counted: loading the page once takes a handful of them.
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

  app.get('/reset/:token', async (c) => {
    const built = resetPage !== null && existsSync(resetPage);
    const wait = await selfService.pageLoads(c);
    if (wait > 0) {
      const stylesheets = built ? stylesheetsOf(readFileSync(resetPage, 'utf8')) : [];
      return c.html(rateLimitedPage(wait, stylesheets), 429, { 'Retry-After': String(wait) });
    }
    if (!built) {
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
        requireAdminToken: adminAuth,
        adminRateLimit: deps.adminRateLimit,
        onAdminLimited: (c, seconds) =>
          logAdminLimited(clientOf(c), {
            retryAfterSeconds: seconds,
            verifiedAs: verifiedTokenName(c),
          }),
        maxBodyBytes: deps.maxBodyBytes,
        requireLiveLink: selfService.requireLiveLink,
      }),
      idempotent,
      checkResponses: deps.checkResponses,
    },
  );
  // Any other address under the API asks for the admin token before it answers 404, so nothing
  // there can be probed without it.
  app.use(`${API_PREFIX}/*`, adminAuth);

  return app;
}
