import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import {
  API_PREFIX,
  apiRoutes,
  type ApiRoutes,
  type ResponseOf,
  type RouteName,
  type RouteSpec,
} from '../../../shared/api/index.ts';
import { describeZodError } from '../../../shared/ipc/result.ts';
import type { RequestContext } from '../services/context.ts';
import { verifiedTokenName } from './admin-auth.ts';
import type { Idempotency } from './idempotency.ts';
import { bearerToken, readJson, readParams, readQuery } from './request.ts';
import type { RouteAuth, RouteScope } from './route-scopes.ts';

/** What a spec's optional schema parses to, or `undefined` where the spec has none. */
type Parsed<S, K extends 'params' | 'query' | 'body'> =
  S extends Record<K, infer Z extends z.ZodType> ? z.infer<Z> : undefined;

/** A handler's input: the request parsed by its spec, and who is asking. */
export interface RouteInput<R extends RouteName> {
  params: Parsed<ApiRoutes[R], 'params'>;
  query: Parsed<ApiRoutes[R], 'query'>;
  body: Parsed<ApiRoutes[R], 'body'>;
  /** Who the audit names. */
  actor: string;
  /** The actor and, under an Idempotency-Key, where the service's commit keeps the answer. */
  context: RequestContext;
  /** On a `recovery` route, the link's token, found live by its scope; on others, nothing. */
  token: ApiRoutes[R]['auth'] extends 'recovery' ? string : undefined;
}

/** One handler per route of `apiRoutes`, no more and no fewer. */
export type RouteHandlers = {
  [R in RouteName]: (input: RouteInput<R>) => ResponseOf<R> | Promise<ResponseOf<R>>;
};

/** The loosest shape every handler fits, for the one place that calls them generically. */
type AnyHandler = (input: {
  params: unknown;
  query: unknown;
  body: unknown;
  actor: string;
  context: RequestContext;
  token: string | undefined;
}) => unknown;

export interface RouteOptions {
  scopes: Readonly<Record<RouteAuth, RouteScope>>;
  idempotent: Idempotency['idempotent'];
  /** Parse every answer with its spec's response schema (tests); a mismatch is a 500. */
  checkResponses: boolean;
}

/** `/users/{id}` (OpenAPI) → `/api/v1/users/:id` (Hono). */
function honoPath(spec: RouteSpec): string {
  return `${API_PREFIX}${spec.path.replace(/\{(\w+)\}/gu, ':$1')}`;
}

/**
 * The name an answer is stored under with its Idempotency-Key: the method and the concrete path,
 * e.g. `PATCH /users/11635-03`. The path's parameters must be in it, as they are not in the body:
 * the same key and body sent for another user is another request, refused with 422, not replayed.
 */
function idempotencyLabel(spec: RouteSpec, params: unknown): string {
  const values = (params ?? {}) as Record<string, unknown>;
  const path = spec.path.replace(/\{(\w+)\}/gu, (_, name: string) => String(values[name]));
  return `${spec.method.toUpperCase()} ${path}`;
}

/**
 * Serves every route of `apiRoutes` from its spec: method and path; the guards of the scope its
 * `auth` names; its params, query and body parsed by its schemas (400 naming the field); and,
 * for an `idempotent` route, the Idempotency-Key handling. The handler sees only valid input.
 */
export function registerRoutes(app: Hono, handlers: RouteHandlers, options: RouteOptions): void {
  for (const name of Object.keys(apiRoutes) as RouteName[]) {
    const spec: RouteSpec = apiRoutes[name];
    // Each handler is typed against its own spec (RouteHandlers); here they are called alike.
    const handler = handlers[name] as unknown as AnyHandler;
    const scope = options.scopes[spec.auth];

    const serve = async (c: Context): Promise<Response> => {
      const params: unknown = spec.params === undefined ? undefined : readParams(c, spec.params);
      const query: unknown = spec.query === undefined ? undefined : readQuery(c, spec.query);
      const body: unknown = spec.body === undefined ? undefined : await readJson(c, spec.body);
      const actor = scope.actorOf(c);
      const who = { actor, tokenName: verifiedTokenName(c) };
      const token = spec.auth === 'recovery' ? (bearerToken(c) ?? '') : undefined;
      const run = async (context: RequestContext): Promise<unknown> => {
        const answer = await handler({ params, query, body, actor, context, token });
        if (options.checkResponses) checkResponse(name, spec, answer);
        return answer;
      };
      if (spec.idempotent === true) {
        return options.idempotent(c, idempotencyLabel(spec, params), body, who, run);
      }
      return c.json(await run({ ...who, idempotency: null }));
    };

    // Hono types a chain of handlers as a tuple; one built at run time has to be named non-empty.
    const chain: MiddlewareHandler[] = [...scope.guards, serve];
    app.on(
      spec.method.toUpperCase(),
      honoPath(spec),
      ...(chain as [MiddlewareHandler, ...MiddlewareHandler[]]),
    );
  }
}

/** Throws (a bug, so a 500) when a handler answered outside its spec. */
function checkResponse(name: RouteName, spec: RouteSpec, answer: unknown): void {
  const parsed = spec.response.safeParse(answer);
  if (!parsed.success) {
    throw new Error(
      `${name} answered outside its response schema: ${describeZodError(parsed.error)}`,
    );
  }
}
