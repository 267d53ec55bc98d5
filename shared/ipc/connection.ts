import { z } from 'zod';
import { REQUEST_TIMEOUT_SECONDS } from '../settings/settings.ts';

/**
 * How the provisioning backend in use is answering, as the main process last saw it (from its
 * own checks and from every request it sent).
 */
export const CONNECTION_STATES = [
  /** Not asked yet (just started, or just switched). */
  'connecting',
  'connected',
  /** Answering, but slowly: its answers take seconds, or some did not come in time. */
  'slow',
  /** Not answering at all: refused, unknown host, bad TLS, or no answer in time. */
  'unreachable',
  /** Answering, but refusing PassDesk's API token (401/403). */
  'token-refused',
  /** Answering outside the PassDesk API: another API version, or answers that do not fit it. */
  'incompatible',
] as const;
export const ConnectionState = z.enum(CONNECTION_STATES);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const ConnectionStatus = z.strictObject({
  state: ConnectionState,
  /** Since when it has been in this state. */
  since: z.iso.datetime(),
  /** The last time the main process heard from (or tried) the backend. */
  checkedAt: z.iso.datetime().nullable(),
  /** The last check's round trip, when it was answered. */
  latencyMs: z.number().nullable(),
  /** What is wrong, in words (empty when connected). */
  message: z.string(),
  backend: z.strictObject({ kind: z.enum(['built-in', 'remote']), url: z.string() }),
  /**
   * The API version the backend last said it speaks (kept through an outage); null until it
   * has answered. What PassDesk may ask of it follows from it (`apiHas`).
   */
  apiVersion: z.string().nullable(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

/** What Test connection found wrong, one value per way a backend can fail it. */
export const CONNECTION_PROBLEMS = [
  'invalid-url',
  'no-token',
  /** The host name does not resolve. */
  'dns',
  /** Nothing listens there. */
  'refused',
  /** The TLS certificate is not trusted (self-signed, expired, another host's). */
  'tls',
  'timeout',
  /** The connection broke, or another network error. */
  'network',
  /** 401/403 to the API token. */
  'token-refused',
  /** It answers, but speaks another version of the PassDesk API. */
  'api-version',
  /** It answers with something that is not the PassDesk API (not JSON, wrong shape). */
  'malformed',
  /** An HTTP error that is none of the above (404 at /api/v1/health, 500, …). */
  'http-error',
] as const;
export const ConnectionProblem = z.enum(CONNECTION_PROBLEMS);
export type ConnectionProblem = z.infer<typeof ConnectionProblem>;

export const CONNECTION_CHECKS = ['address', 'reach', 'api', 'token', 'rules'] as const;
export const ConnectionCheckId = z.enum(CONNECTION_CHECKS);

export const ConnectionTestInput = z.strictObject({
  url: z.string().max(2048),
  /** The token typed in the form; left out, the one kept for this URL is used. */
  token: z.string().max(4096).optional(),
  timeoutSeconds: z
    .int()
    .min(REQUEST_TIMEOUT_SECONDS.min)
    .max(REQUEST_TIMEOUT_SECONDS.max)
    .default(REQUEST_TIMEOUT_SECONDS.default),
});
export type ConnectionTestInput = z.input<typeof ConnectionTestInput>;

export const ConnectionTestReport = z.strictObject({
  ok: z.boolean(),
  /** The first thing that failed, or null when all passed. */
  problem: ConnectionProblem.nullable(),
  /** One sentence: all good, or exactly what failed and what to do. */
  message: z.string(),
  /** Each check in order; those after a failed one are `skipped`. */
  checks: z.array(
    z.strictObject({
      id: ConnectionCheckId,
      label: z.string(),
      status: z.enum(['passed', 'failed', 'skipped']),
      detail: z.string(),
    }),
  ),
  /** The backend's software and API versions, when it said. */
  backendVersion: z.string().nullable(),
  apiVersion: z.string().nullable(),
  /** The health check's round trip. */
  latencyMs: z.number().nullable(),
});
export type ConnectionTestReport = z.infer<typeof ConnectionTestReport>;
