import { Agent as HttpsAgent } from 'node:https';
import { getCACertificates } from 'node:tls';
import axios, { type AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import axiosRetry, { exponentialDelay, isNetworkError } from 'axios-retry';
import type { z } from 'zod';
import { markChecked } from './checked-answers.ts';
import {
  API_PREFIX,
  ApiError,
  apiRoutes,
  type ResponseOf,
  type RouteName,
  type RouteSpec,
} from '../../../shared/api/index.ts';
import { fail, ok, type Failure, type Result } from '../../../shared/ipc/index.ts';

export interface BackendTarget {
  kind: 'built-in' | 'remote';
  /** Base URL without `/api/v1`. */
  url: string;
  /**
   * The admin API token, held in the main process only: the built-in backend's, or a getter
   * that decrypts a remote backend's for each request (null when none is kept).
   */
  token: string | (() => Promise<string | null>);
}

/** One request's attempt, as the connection monitor hears of it. Never a header or a body. */
export interface AttemptReport {
  route: RouteName;
  /** A 2xx answer that fits the contract. */
  ok: boolean;
  /** The HTTP status, when there was an answer. */
  status?: number;
  /** The network or TLS error code, when there was none (ECONNREFUSED, ETIMEDOUT, …). */
  errorCode?: string;
  /** The answer came but is not the PassDesk API (not JSON, or the wrong shape). */
  malformed?: boolean;
  ms: number;
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
  /** Hears of every attempt, answered or not (the connection monitor). */
  onAttempt?: (report: AttemptReport) => void;
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
  /** Attempts after the first, instead of the client's default (0 for a connection check). */
  retries?: number;
  /**
   * Told the answer's text the moment all of it has arrived, before it is parsed or checked:
   * only for what is sent back to the same backend (the next page's cursor, to read ahead,
   * while this answer is parsed), never to pass anything on.
   */
  onArrival?: (text: string) => void;
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
  /** The last attempt's network or TLS error code, when it got no answer. */
  errorCode?: string;
  /**
   * The answer came but does not fit the API contract (not JSON, or the wrong shape). The
   * backend may have acted, so this counts as `ambiguous` too.
   */
  malformed?: boolean;
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

/** Errors that mean the backend cannot be reached now (as opposed to a slow or broken answer). */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  ...NOT_SENT_CODES,
  'ECONNRESET',
  'EPIPE',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** What one failed attempt says about delivery. */
function noteFailedAttempt(delivery: Delivery, error: AxiosError): void {
  const status = error.response?.status;
  const code = error.code ?? '';
  if (status === undefined) {
    const notSent = NOT_SENT_CODES.has(code);
    delivery.mayHaveReached ||= !notSent;
    delivery.ambiguous ||= !notSent;
    delivery.timedOut ||= TIMEOUT_CODES.has(code);
    delivery.errorCode = code;
    delete delivery.status;
    delete delivery.apiCode;
    return;
  }
  delete delivery.errorCode;
  delivery.mayHaveReached = true;
  delivery.ambiguous ||= status >= 500;
  delivery.throttled ||= status === 429 || status === 503;
  delivery.status = status;
  const body = ApiError.safeParse(jsonOf(error.response?.data));
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

/** Seconds or an HTTP date, as Retry-After allows; capped. */
export function retryAfterMs(error: AxiosError, cap: number): number | null {
  const header = error.response?.headers['retry-after'] as string | undefined;
  if (header === undefined) return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(cap, Math.max(0, ms)) : null;
}

/**
 * TLS trust: Node's bundled roots and the operating system's, so a backend behind a company's
 * own certificate authority works as it does in the browser. Loaded once, on first use.
 */
let httpsAgent: HttpsAgent | undefined;
function trustingAgent(): HttpsAgent {
  if (httpsAgent !== undefined) return httpsAgent;
  let ca: string[] | undefined;
  try {
    ca = [...new Set([...getCACertificates('default'), ...getCACertificates('system')])];
  } catch {
    ca = undefined; // Node's defaults
  }
  httpsAgent = new HttpsAgent({ keepAlive: true, ...(ca === undefined ? {} : { ca }) });
  return httpsAgent;
}

/** A failed parse in words, naming the first field that does not fit. */
function describeMismatch(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'it does not fit the API contract';
  const at = issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
  return `${issue.message}${at}`;
}

/** An answer's text as JSON; the text itself where it is not JSON (as axios's own parse does). */
function jsonOf(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * An answer checked against its route's schema: by the route's quick test when it has one and
 * the answer passes it (the answer is then taken as it is), else parsed by the schema.
 */
function parseAnswer(spec: RouteSpec, answer: unknown): z.ZodSafeParseResult<unknown> {
  if (spec.accepts?.(answer) === true) return { success: true, data: answer };
  return spec.response.safeParse(answer);
}

/** Largest answer read: a page of 5,000 users is about 1.5 MB. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * The one HTTP client for a provisioning backend, built-in or remote: typed by shared/api,
 * every answer checked against its schema, expected failures returned as data. Network errors,
 * 429 and 5xx are retried with capped exponential backoff that honours Retry-After — POSTs only
 * when they carry an Idempotency-Key; other 4xx never.
 */
export function createProvisioningClient(target: BackendTarget, options: ClientOptions = {}) {
  const maxDelay = options.maxDelayMs ?? 10_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  const { token } = target;
  const http: AxiosInstance = axios.create({
    baseURL: `${target.url.replace(/\/+$/u, '')}${API_PREFIX}`,
    timeout: options.timeoutMs ?? 30_000,
    headers: { Accept: 'application/json' },
    // Answers stay text until `send` parses them (`jsonOf`): a page's cursor can then be read,
    // and the next page asked for, before the page's 1.5 MB of JSON is parsed.
    responseType: 'text',
    maxRedirects: 0,
    maxContentLength: MAX_ANSWER_BYTES,
    proxy: false,
    ...(target.url.startsWith('https:') ? { httpsAgent: trustingAgent() } : {}),
  });
  // The token is put on each attempt as it goes (a remote one decrypted just then), so it is
  // never kept in the instance's defaults.
  http.interceptors.request.use(async (config) => {
    const value = typeof token === 'string' ? token : await token();
    if (value !== null) config.headers.set('Authorization', `Bearer ${value}`);
    return config;
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
    const body = ApiError.safeParse(jsonOf(axiosError.response?.data));
    const message = body.success
      ? body.data.error.message
      : `The provisioning backend answered ${status}.`;
    if (status === 401 || status === 403)
      return fail('backend-error', 'The provisioning backend refused the API token.');
    if (status === 404) return fail('not-found', message);
    if (status === 409 && body.success && body.data.error.code === 'idempotency-key-in-use')
      return fail('in-progress', message);
    if (status === 409) return fail('conflict', message);
    if (status === 429 || status >= 500) return fail('backend-unavailable', message);
    return fail('backend-error', message);
  }

  // Writes (any request but a GET) sent and not yet settled, and a count that moves at each one's
  // start and end: a page read while none was out, with the count unmoved since, is current.
  const writes = { inFlight: 0, epoch: 0 };

  return {
    target: { kind: target.kind, url: target.url } as const,

    /** Where the client's writes stand (see `createUsersPages`, which reads a page ahead). */
    writes: (): Readonly<typeof writes> => ({ ...writes }),

    /**
     * One API call: the answer parsed with its `shared/api` schema, or a failure as data. The
     * answer is frozen and marked as checked, so the IPC dispatcher passes it on without a
     * second parse when it goes to the renderer as it is (see `checked-answers.ts`).
     */
    async request<R extends RouteName>(
      route: R,
      input: RequestInput = {},
    ): Promise<Result<ResponseOf<R>>> {
      const { result } = await this.send(route, input);
      if (result.ok) markChecked(result.data, apiRoutes[route].response as z.ZodType);
      return result;
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
      let attemptStarted = Date.now();
      const report = (fields: Omit<AttemptReport, 'route' | 'ms'>): void => {
        options.onAttempt?.({ route, ms: Date.now() - attemptStarted, ...fields });
        attemptStarted = Date.now();
      };
      const noteAttempt = (error: AxiosError): void => {
        noteFailedAttempt(delivery, error);
        if (axios.isCancel(error)) return;
        const status = error.response?.status;
        report(
          status === undefined
            ? { ok: false, ...(error.code === undefined ? {} : { errorCode: error.code }) }
            : { ok: false, status },
        );
      };
      try {
        const config: AxiosRequestConfig & TrackedConfig = {
          method: spec.method,
          url: path,
          params: input.query,
          data: input.body,
          signal: input.signal,
          ...(input.timeoutMs === undefined ? {} : { timeout: input.timeoutMs }),
          ...(input.retries === undefined ? {} : { 'axios-retry': { retries: input.retries } }),
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
        const writing = spec.method !== 'get';
        if (writing) {
          writes.inFlight += 1;
          writes.epoch += 1;
        }
        const response = await http.request(config).finally(() => {
          if (!writing) return;
          writes.inFlight -= 1;
          writes.epoch += 1;
        });
        delivery.mayHaveReached = true;
        delivery.status = response.status;
        if (input.onArrival !== undefined && typeof response.data === 'string') {
          input.onArrival(response.data);
          // Whatever that started goes out before this answer is parsed and checked (a page of
          // 5,000 users: about 10 ms).
          await new Promise((resolve) => setImmediate(resolve));
        }
        const answer = jsonOf(response.data);
        const parsed = parseAnswer(spec, answer);
        if (!parsed.success) {
          report({ ok: false, status: response.status, malformed: true });
          const what =
            typeof answer === 'string'
              ? 'text that is not JSON'
              : `JSON that does not fit the PassDesk API (${describeMismatch(parsed.error)})`;
          return {
            result: fail(
              'backend-error',
              `The provisioning backend answered “${spec.summary}” with ${what}.`,
            ),
            delivery: { ...delivery, malformed: true, ambiguous: true },
          };
        }
        report({ ok: true, status: response.status });
        return { result: ok(parsed.data as ResponseOf<R>), delivery };
      } catch (error) {
        if (axios.isAxiosError(error)) noteAttempt(error);
        return { result: failureOf(error), delivery };
      }
    },
  };
}
export type ProvisioningClient = ReturnType<typeof createProvisioningClient>;
