/** The provisioning HTTP API contract, shared by the built-in backend and PassDesk's client. */
export * from './schemas.ts';
export { apiRoutes, IDEMPOTENCY_RETENTION_HOURS } from './routes.ts';
export type { ApiRoutes, BodyOf, ResponseOf, RouteName, RouteSpec } from './routes.ts';
export { buildOpenApiDocument } from './openapi.ts';
