import axios, { type AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import axiosRetry, { exponentialDelay, isNetworkError } from 'axios-retry';
import type { z } from 'zod';
import {
  API_PREFIX,
  ApiError,
  apiRoutes,
  type ResponseOf,
  type RouteName,
} from '../../../shared/api/index.ts';
import { fail, ok, type Failure, type Result } from '../../../shared/ipc/index.ts';

export interface BackendTarget {
  kind: 'built-in' | 'remote';
  /** Base URL without `/api/v1`. */
  url: string;
  /** The admin API token; held in the main process only. */
  token: string;
}

export interface ClientOptions {
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts after the first, for network errors, 429 and 5xx only. */
  retries?: number;
  /** Longest wait between attempts (exponential backoff). */
  maxDelayMs?: number;
  /** Longest wait a Retry-After is honoured for; a longer one is cut to this. */
  maxRetryAfterMs?: number;
  /** The operator's name, sent for the backend's audit trail. */
  actor?: () => string;
}

export interface RequestInput {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Makes a POST or PATCH safe to retry: the backend replays its stored answer. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Per attempt, instead of the client's default (a bulk request's follows its size). */
  timeoutMs?: number;
}

/** What a caller that must not act twice needs to know about a request's attempts. */
export interface Delivery {
  /** Some attempt may have reached the backend (anything but a refused or unresolved connection). */
  mayHaveReached: boolean;
  /**
   * Some attempt may have been acted on without its answer arriving: a timeout, a connection
   * lost after it was made, or a 5xx (a gateway may have passed it on).
   */
  ambiguous: boolean;
  /** Some attempt got no answer within its timeout. */
  timedOut: boolean;
  /** Some attempt was turned away for load (429, 503). */
  throttled: boolean;
  /** The last answer's status and API error code, when there was an answer. */
  status?: number;
  apiCode?: string;
}

/** Errors that prove the request never left this computer, or never reached the backend. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_INVALID_URL',
  // TLS refused before anything was sent: the certificate, its chain, its name.
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/** What one failed attempt says about delivery. */
function noteFailedAttempt(delivery: Delivery, error: AxiosError): void {
  const status = error.response?.status;
  const code = error.code ?? '';
  if (status === undefined) {
    const notSent = NOT_SENT_CODES.has(code);
    delivery.mayHaveReached ||= !notSent;
    delivery.ambiguous ||= !notSent;
    delivery.timedOut ||= TIMEOUT_CODES.has(code);
    delete delivery.status;
    delete delivery.apiCode;
    return;
  }
  delivery.mayHaveReached = true;
  delivery.ambiguous ||= status >= 500;
  delivery.throttled ||= status === 429 || status === 503;
  delivery.status = status;
  const body = ApiError.safeParse(error.response?.data);
  if (body.success) delivery.apiCode = body.data.error.code;
  else delete delivery.apiCode;
}

/**
 * Carried on each request's config (a function: axios merges configs by string key and keeps a
 * function as it is), so the retry hook can tell the caller about each failed attempt.
 */
interface TrackedConfig {
  passdeskNoteAttempt?: (error: AxiosError) => void;
}

/** HTTPS is required, except to this machine. */
export function checkBackendUrl(url: string): string | null {
  if (!URL.canParse(url)) return 'The backend URL is not a valid URL.';
  const parsed = new URL(url);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && loopback) return null;
  return 'The backend URL must use https:// (plain http is allowed only to this computer).';
}

/** Seconds or an HTTP date, as Retry-After allows; capped. */
export function retryAfterMs(error: AxiosError, cap: number): number | null {
  const header = error.response?.headers['retry-after'] as string | undefined;
  if (header === undefined) return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(cap, Math.max(0, ms)) : null;
}

/**
 * The one HTTP client for a provisioning backend, built-in or remote: typed by shared/api,
 * every answer checked against its schema, expected failures returned as data. Network errors,
 * 429 and 5xx are retried with capped exponential backoff that honours Retry-After — POSTs only
 * when they carry an Idempotency-Key; other 4xx never.
 */
export function createProvisioningClient(target: BackendTarget, options: ClientOptions = {}) {
  const maxDelay = options.maxDelayMs ?? 10_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  const http: AxiosInstance = axios.create({
    baseURL: `${target.url.replace(/\/+$/u, '')}${API_PREFIX}`,
    timeout: options.timeoutMs ?? 30_000,
    headers: { Authorization: `Bearer ${target.token}`, Accept: 'application/json' },
    maxRedirects: 0,
    proxy: false,
  });
  axiosRetry(http, {
    retries: options.retries ?? 4,
    shouldResetTimeout: true,
    retryCondition: (error) => {
      const method = (error.config?.method ?? 'get').toLowerCase();
      const replayable = method === 'get' || error.config?.headers['Idempotency-Key'] !== undefined;
      const status = error.response?.status;
      const transient =
        isNetworkError(error) ||
        error.code === 'ECONNABORTED' ||
        error.code === 'ETIMEDOUT' ||
        status === 429 ||
        (status !== undefined && status >= 500);
      return replayable && transient && error.code !== 'ERR_CANCELED';
    },
    onRetry: (_count, error, config) => (config as TrackedConfig).passdeskNoteAttempt?.(error),
    retryDelay: (count, error) =>
      retryAfterMs(error, maxRetryAfter) ?? Math.min(maxDelay, exponentialDelay(count, error, 250)),
  });

  function failureOf(error: unknown): Failure {
    if (axios.isCancel(error)) return fail('conflict', 'The request was cancelled.');
    const axiosError = error as AxiosError;
    const status = axiosError.response?.status;
    if (status === undefined) {
      return fail(
        'backend-unavailable',
        `The provisioning backend at ${target.url} cannot be reached (${axiosError.code ?? 'no answer'}).`,
      );
    }
    const body = ApiError.safeParse(axiosError.response?.data);
    const message = body.success
      ? body.data.error.message
      : `The provisioning backend answered ${status}.`;
    if (status === 401)
      return fail('backend-error', 'The provisioning backend refused the API token.');
    if (status === 404) return fail('not-found', message);
    if (status === 409 && body.success && body.data.error.code === 'idempotency-key-in-use')
      return fail('in-progress', message);
    if (status === 409) return fail('conflict', message);
    if (status === 429 || status >= 500) return fail('backend-unavailable', message);
    return fail('backend-error', message);
  }

  return {
    target: { kind: target.kind, url: target.url } as const,

    /** One API call: the answer parsed with its `shared/api` schema, or a failure as data. */
    async request<R extends RouteName>(
      route: R,
      input: RequestInput = {},
    ): Promise<Result<ResponseOf<R>>> {
      return (await this.send(route, input)).result;
    },

    /**
     * As `request`, and says whether a failed request may have reached the backend: a bulk job
     * that knows no attempt was delivered can say "nothing was changed" without asking.
     */
    async send<R extends RouteName>(
      route: R,
      input: RequestInput = {},
    ): Promise<{ result: Result<ResponseOf<R>>; delivery: Delivery }> {
      const spec = apiRoutes[route];
      const path = spec.path.replace(/\{(\w+)\}/gu, (_, name: string) =>
        encodeURIComponent(input.params?.[name] ?? ''),
      );
      const delivery: Delivery = {
        mayHaveReached: false,
        ambiguous: false,
        timedOut: false,
        throttled: false,
      };
      const noteAttempt = (error: AxiosError): void => noteFailedAttempt(delivery, error);
      try {
        const config: AxiosRequestConfig & TrackedConfig = {
          method: spec.method,
          url: path,
          params: input.query,
          data: input.body,
          signal: input.signal,
          ...(input.timeoutMs === undefined ? {} : { timeout: input.timeoutMs }),
          headers: {
            ...(input.idempotencyKey === undefined
              ? {}
              : { 'Idempotency-Key': input.idempotencyKey }),
            ...(options.actor === undefined
              ? {}
              : { 'X-PassDesk-Actor': encodeURIComponent(options.actor()) }),
          },
          passdeskNoteAttempt: noteAttempt,
        };
        const response = await http.request(config);
        delivery.mayHaveReached = true;
        delivery.status = response.status;
        const parsed = (spec.response as z.ZodType).safeParse(response.data);
        if (!parsed.success) {
          return {
            result: fail(
              'backend-error',
              `The provisioning backend answered ${route} outside the API contract.`,
            ),
            delivery,
          };
        }
        return { result: ok(parsed.data as ResponseOf<R>), delivery };
      } catch (error) {
        if (axios.isAxiosError(error)) noteAttempt(error);
        return { result: failureOf(error), delivery };
      }
    },
  };
}
export type ProvisioningClient = ReturnType<typeof createProvisioningClient>;
