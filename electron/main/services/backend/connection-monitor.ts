import { API_VERSION } from '../../../../shared/api/index.ts';
import type { ConnectionState, ConnectionStatus } from '../../../../shared/ipc/index.ts';
import type { Logger } from '../../../../shared/log/index.ts';
import type { RuleSets } from '../../../../shared/rules/index.ts';
import {
  UNREACHABLE_CODES,
  type AttemptReport,
  type ProvisioningClient,
} from '../provisioning-client.ts';
import {
  diagnoseAnswer,
  diagnoseApiVersion,
  diagnoseNoAnswer,
  majorOf,
  type Diagnosis,
} from './connection-problems.ts';

/** Why a job cannot send now; it waits, and goes on by itself when this clears. */
export interface Outage {
  reason: 'unreachable' | 'token-refused';
  since: string;
}

/**
 * What a job needs of the connection: to wait while the backend is not answering, and to hear
 * when it answers again. The monitor is the only implementation; tests may use their own.
 */
export interface BackendGate {
  /** The outage now, or null while the backend answers (or is thought to). */
  outage(): Outage | null;
  /**
   * A request could not get through (the backend did not answer, or refused the token). Asks
   * the backend at once, and resolves when it answers again: at once if the check passes, else
   * when a later one does. `onWait` is told `true` when it starts waiting and `false` when the
   * wait ends. Resolves early if `signal` aborts.
   */
  recheck(signal: AbortSignal, onWait?: (waiting: boolean) => void): Promise<void>;
}

export interface ConnectionMonitorOptions {
  client: Pick<ProvisioningClient, 'send' | 'target'>;
  /** Told of every change of state or message. */
  onChange: (status: ConnectionStatus) => void;
  /** Told of the rules each successful check fetched. */
  onRules?: (rules: RuleSets) => void;
  /** Why there is no token to send, when none is kept (checked before each probe). */
  missingToken?: () => string | null;
  logger: Logger;
  /** Between checks while answering (default 15 s). */
  intervalMs?: number;
  /** First wait between checks while not answering; doubles up to `maxRetryMs` (default 1 s). */
  retryMs?: number;
  maxRetryMs?: number;
  /** A health check slower than this makes the state `slow` (default 2 s). */
  slowMs?: number;
  /** Longest wait for one check's answer (default 10 s). */
  checkTimeoutMs?: number;
  now?: () => Date;
}

interface Reading {
  state: ConnectionState;
  message: string;
  latencyMs: number | null;
  /** The API version the health check named (undefined: it did not answer one). */
  apiVersion?: string;
}

/** Answered requests that timed out within this window keep the state `slow`. */
const SLOW_MEMORY_MS = 60_000;

/**
 * Watches the backend in use: asks it (health, then the rules, with the token) now and then,
 * and hears of every request the client sends. It tells the header what state the connection
 * is in, and lets jobs wait out an outage (see `BackendGate`).
 */
export function createConnectionMonitor(options: ConnectionMonitorOptions) {
  const { client, logger } = options;
  const now = options.now ?? (() => new Date());
  const intervalMs = options.intervalMs ?? 15_000;
  const retryMs = options.retryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 10_000;
  const slowMs = options.slowMs ?? 2000;
  const checkTimeoutMs = options.checkTimeoutMs ?? 10_000;
  const url = client.target.url;

  let status: ConnectionStatus = {
    state: 'connecting',
    since: now().toISOString(),
    checkedAt: null,
    latencyMs: null,
    message: '',
    backend: { ...client.target },
    apiVersion: null,
  };
  let lastTimeoutAt = -Infinity;
  let checking: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let wait = retryMs;
  let stopped = false;
  const waiters = new Set<() => void>();

  const answering = (state: ConnectionState): boolean => state === 'connected' || state === 'slow';

  function set(reading: Reading): void {
    // Kept through an outage: the backend that comes back is most likely the same one.
    const apiVersion = reading.apiVersion ?? status.apiVersion;
    const changed =
      reading.state !== status.state ||
      reading.message !== status.message ||
      apiVersion !== status.apiVersion;
    status = {
      ...status,
      state: reading.state,
      message: reading.message,
      latencyMs: reading.latencyMs,
      apiVersion,
      checkedAt: now().toISOString(),
      since: reading.state === status.state ? status.since : now().toISOString(),
    };
    if (changed) {
      if (!answering(reading.state))
        logger.warn('backend not answering', { state: reading.state, reason: reading.message });
      else logger.info('backend answering', { state: reading.state });
      options.onChange(status);
    }
    if (answering(reading.state)) {
      for (const wake of [...waiters]) wake();
    }
  }

  /** One check: health (reachable, the right API), then the rules (the token). */
  async function probe(): Promise<Reading> {
    const started = Date.now();
    const health = await client.send('health', { timeoutMs: checkTimeoutMs, retries: 0 });
    const latencyMs = Date.now() - started;
    const no = (d: Diagnosis, state: ConnectionState, apiVersion?: string): Reading => ({
      state,
      message: d.message,
      latencyMs: null,
      ...(apiVersion === undefined ? {} : { apiVersion }),
    });
    if (!health.result.ok) {
      const { delivery } = health;
      if (delivery.status === undefined)
        return no(diagnoseNoAnswer(url, delivery.errorCode, checkTimeoutMs), 'unreachable');
      const d = diagnoseAnswer(url, delivery, 'health');
      return no(
        d,
        d.problem === 'malformed' || delivery.status === 404 ? 'incompatible' : 'unreachable',
      );
    }
    const { apiVersion } = health.result.data;
    if (majorOf(apiVersion) !== majorOf(API_VERSION))
      return no(diagnoseApiVersion(apiVersion, API_VERSION), 'incompatible', apiVersion);
    const missing = options.missingToken?.() ?? null;
    if (missing !== null)
      return no({ problem: 'no-token', message: missing }, 'token-refused', apiVersion);
    const rules = await client.send('rules', { timeoutMs: checkTimeoutMs, retries: 0 });
    if (!rules.result.ok) {
      const { delivery } = rules;
      if (delivery.status === undefined)
        return no(
          diagnoseNoAnswer(url, delivery.errorCode, checkTimeoutMs),
          'unreachable',
          apiVersion,
        );
      const d = diagnoseAnswer(url, delivery, 'admin');
      const state: ConnectionState =
        d.problem === 'token-refused'
          ? 'token-refused'
          : d.problem === 'malformed'
            ? 'incompatible'
            : 'unreachable';
      return no(d, state, apiVersion);
    }
    options.onRules?.(rules.result.data);
    const slow = latencyMs >= slowMs || Date.now() - lastTimeoutAt < SLOW_MEMORY_MS;
    return {
      state: slow ? 'slow' : 'connected',
      message: slow
        ? latencyMs >= slowMs
          ? `The backend takes ${(latencyMs / 1000).toFixed(1)} s to answer a health check.`
          : 'Some of the backend’s answers did not come in time.'
        : '',
      latencyMs,
      apiVersion,
    };
  }

  function schedule(): void {
    if (stopped) return;
    if (timer !== null) clearTimeout(timer);
    const delay = answering(status.state) ? intervalMs : wait;
    if (!answering(status.state)) wait = Math.min(maxRetryMs, wait * 2);
    else wait = retryMs;
    timer = setTimeout(() => void check(), delay);
    timer.unref();
  }

  /** Runs a check unless one is running; resolves when it is done. */
  function check(): Promise<void> {
    if (stopped) return Promise.resolve();
    checking ??= probe()
      .then(set, (error: unknown) => {
        logger.error('checking the backend failed', { error });
      })
      .finally(() => {
        checking = null;
        schedule();
      });
    return checking;
  }

  /** What the client saw: a refused token or no answer changes the state at once. */
  function observe(report: AttemptReport): void {
    if (stopped || report.route === 'health') return;
    if (report.ok) {
      if (!answering(status.state) && checking === null) void check();
      return;
    }
    if (report.errorCode === 'ECONNABORTED' || report.errorCode === 'ETIMEDOUT')
      lastTimeoutAt = Date.now();
    if (report.status === 401 || report.status === 403) {
      const d = diagnoseAnswer(url, { status: report.status }, 'admin');
      set({ state: 'token-refused', message: d.message, latencyMs: null });
      wait = retryMs;
      schedule();
      return;
    }
    const noAnswer = report.errorCode !== undefined && UNREACHABLE_CODES.has(report.errorCode);
    const unavailable = report.status === 502 || report.status === 503 || report.status === 504;
    if ((noAnswer || unavailable || report.malformed === true) && checking === null) void check();
  }

  return {
    status: (): ConnectionStatus => status,

    /** Starts checking: the first check at once, unless one was just made. */
    start(): void {
      if (status.checkedAt === null) void check();
      else schedule();
    },

    observe,

    /** Checks now (Test again from the header), and resolves with the status after it. */
    async checkNow(): Promise<ConnectionStatus> {
      wait = retryMs;
      await check();
      return status;
    },

    gate: {
      outage(): Outage | null {
        if (status.state === 'unreachable') return { reason: 'unreachable', since: status.since };
        if (status.state === 'token-refused')
          return { reason: 'token-refused', since: status.since };
        return null;
      },
      async recheck(signal: AbortSignal, onWait?: (waiting: boolean) => void): Promise<void> {
        wait = retryMs;
        await check();
        if (answering(status.state) || status.state === 'incompatible' || signal.aborted) return;
        onWait?.(true);
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            waiters.delete(wake);
            signal.removeEventListener('abort', wake);
            resolve();
          };
          waiters.add(wake);
          signal.addEventListener('abort', wake, { once: true });
        });
        onWait?.(false);
      },
    } satisfies BackendGate,

    stop(): void {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      for (const wake of [...waiters]) wake();
    },
  };
}
export type ConnectionMonitor = ReturnType<typeof createConnectionMonitor>;
