import { z } from 'zod';
import { apiRoutes, type RouteSpec } from './routes.ts';
import { API_PREFIX, ApiError } from './schemas.ts';

const ERROR_STATUSES: Record<string, string> = {
  '400': 'The request is malformed or too large; the message names the field',
  '401': 'Missing or wrong token',
  '404': 'No such thing',
  '409': 'The same Idempotency-Key is still being processed, or the action was already used',
  '410': 'The recovery link has expired, was replaced or is unknown',
  '422': 'The Idempotency-Key was used with a different body',
  '429': 'Too many requests; see Retry-After',
};

const schema = (type: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(type, { io, unrepresentable: 'any', target: 'draft-2020-12' });

function parameters(route: RouteSpec) {
  const out: Record<string, unknown>[] = [];
  for (const [where, object] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (object === undefined) continue;
    for (const [name, field] of Object.entries(object.shape)) {
      out.push({
        name,
        in: where,
        required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
        schema: schema(field as z.ZodType, 'input'),
      });
    }
  }
  if (route.idempotent === true) {
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Same key and body: the stored answer, without acting again',
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    });
  }
  return out;
}

/** The OpenAPI 3.1 document of `apiRoutes`, generated from the same zod schemas the server uses. */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, route] of Object.entries(apiRoutes) as [string, RouteSpec][]) {
    const security =
      route.auth === 'admin'
        ? [{ adminToken: [] }]
        : route.auth === 'recovery'
          ? [{ recoveryToken: [] }]
          : [];
    const path = `${API_PREFIX}${route.path}`;
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId,
      summary: route.summary,
      security,
      parameters: parameters(route),
      ...(route.body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schema(route.body, 'input') } },
            },
          }),
      responses: {
        '200': {
          description: 'OK',
          content: { 'application/json': { schema: schema(route.response, 'output') } },
        },
        ...Object.fromEntries(
          Object.entries(ERROR_STATUSES).map(([status, description]) => [
            status,
            {
              description,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          ]),
        ),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'PassDesk provisioning API', version },
    paths,
    components: {
      schemas: { Error: schema(ApiError, 'output') },
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'The backend admin token' },
        recoveryToken: { type: 'http', scheme: 'bearer', description: "A recovery link's token" },
      },
    },
  };
}
