import { ApiError, type RouteName } from '../../../../shared/api/index.ts';
import type { Failure } from '../../../../shared/ipc/index.ts';
import type { BackendGate } from '../backend/connection-monitor.ts';
import {
  UNREACHABLE_CODES,
  type Delivery,
  type ProvisioningClient,
} from '../provisioning-client.ts';

/**
 * What became of a batch's request, as far as the backend can tell. `why` is in an operator's
 * words; `detail` (for the log) has the backend's own message, address and error code.
 */
export type BatchAnswer =
  /** The backend's answer for each user (first-hand, replayed, or found under the key). */
  | { kind: 'answered'; response: unknown }
  /**
   * Nothing was done: the backend refused the request, or retired every key it was sent under.
   * `stopJob`: the refusal holds for every batch (the API token was refused).
   */
  | { kind: 'not-applied'; why: string; detail: string; stopJob: boolean }
  /** No attempt can have reached the backend (refused connection, unknown host, bad TLS). */
  | { kind: 'not-delivered'; why: string; detail: string }
  /** It may have been done; the backend has not said yet. `stillRunning`: it says it is working. */
  | { kind: 'unconfirmed'; why: string; detail: string; stillRunning: boolean }
  /** The backend keeps no record PassDesk can rely on: what it did cannot be learnt. */
  | { kind: 'unknown'; why: string; detail: string }
  /** The app is quitting: the batch stays in flight, and the next start asks its key. */
  | { kind: 'stopped' }
  /** Cancelled while it waited for the backend to answer again; it never got through. */
  | { kind: 'withdrawn' };

/** What a key lookup tells about the request sent under it. */
export type KeyAnswer =
  /** The answer stored under the key, as the backend kept it (the caller reads it). */
  | { kind: 'completed'; response: unknown }
  /** The backend stored a refusal under the key: nothing was done. */
  | { kind: 'refused'; why: string }
  /** Nothing was done under the key, and the lookup retired it: nothing ever will be. */
  | { kind: 'retired' }
  /** 404 without the retired code: the backend does not say whether a copy may still act. */
  | { kind: 'no-record' }
  | { kind: 'still-running' }
  | { kind: 'unknown'; why: string; detail: string };

export interface BatchSenderOptions {
  client: ProvisioningClient;
  /**
   * Lets a batch wait out an outage (no answer at all, or the token refused) and go on when the
   * backend answers again. Without it, such a batch ends "not sent" and stops its job.
   */
  gate?: BackendGate;
  /** First wait between lookups of a batch the backend is still running (default 1 s). */
  pollMs?: number;
  /** Longest wait between lookups (default 15 s). */
  maxPollMs?: number;
  /**
   * How long a batch the backend says it is still working on is asked about, counted from when
   * it was sent (default 10 min). Past that it is "not confirmed yet", never "failed".
   */
  stillRunningLimitMs?: number;
}

/** How many times a batch is sent (each with the client's own retries) before giving up. */
const SEND_ROUNDS = 3;
const RETIRED = 'idempotency-key-retired';

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * The request got no usable answer because the backend is down or turning everyone away, not
 * because of this request: worth waiting for the backend, not worth giving up on.
 */
export function isOutage(delivery: Delivery): boolean {
  const { status, errorCode } = delivery;
  if (status === undefined)
    return errorCode === undefined || UNREACHABLE_CODES.has(errorCode) || delivery.timedOut;
  return status === 401 || status === 403 || status === 502 || status === 503 || status === 504;
}

/** A failed request in an operator's words: what went wrong, not how it is spelt on the wire. */
export function plainWhy(
  failure: Failure,
  delivery: Pick<Delivery, 'status' | 'timedOut'>,
): string {
  const { status } = delivery;
  if (status === undefined)
    return delivery.timedOut
      ? 'the backend did not answer in time'
      : 'the backend could not be reached';
  if (status === 401 || status === 403) return 'the backend refused PassDesk’s API token';
  if (status === 404) return 'the backend at this address does not offer this operation';
  if (status === 429) return 'the backend asked PassDesk to slow down and did not take the batch';
  if (status >= 500) return `the backend failed (it answered ${status})`;
  // A refusal: the backend's own explanation, without a trailing full stop.
  return failure.message.replace(/\.\s*$/u, '');
}

/**
 * The protocol of one batch with the backend: send it under its Idempotency-Key, and when the
 * answer does not come, ask under the key what became of it — for as long as the backend says
 * it is still working (with backoff, up to a limit) — so that "still running" is never taken for
 * "failed". A lookup that finds nothing retires the key (see shared/api), which proves nothing
 * was done under it; only then is the batch sent again, under a new key. A backend that does
 * not retire keys gets the same key again, so a late copy is a replay, never a second change.
 */
export function createBatchSender(options: BatchSenderOptions) {
  const { client, gate } = options;
  const pollMs = options.pollMs ?? 1000;
  const maxPollMs = Math.max(pollMs, options.maxPollMs ?? 15_000);
  const stillRunningLimitMs = options.stillRunningLimitMs ?? 600_000;

  /**
   * Asks what became of the request under `key` until the backend stops saying it is running,
   * or until `deadline` (epoch ms).
   */
  async function askKey(
    key: string,
    deadline: number,
    signal?: AbortSignal,
    waiting?: Waiting,
  ): Promise<KeyAnswer> {
    let wait = pollMs;
    for (;;) {
      const { result, delivery } = await client.send('idempotencyRecord', {
        params: { key },
        ...(signal === undefined ? {} : { signal }),
      });
      if (signal?.aborted === true)
        return { kind: 'unknown', why: 'PassDesk is closing', detail: 'aborted' };
      // The backend is down: ask again when it is back (a slow one only until the deadline).
      if (!result.ok && gate !== undefined && waiting !== undefined && isOutage(delivery)) {
        const cancelled = await waitOut(waiting);
        if (cancelled)
          return { kind: 'unknown', why: plainWhy(result, delivery), detail: result.message };
        // Still down, or back in time: ask again. Refused connections are waited out however
        // long they last; a backend that answers but not this lookup, only until the deadline.
        const down = delivery.status === undefined && !delivery.timedOut;
        if (gate.outage() !== null || down || Date.now() < deadline) continue;
      }
      if (result.ok) {
        const { status, response } = result.data;
        if (status >= 400) {
          const stored = ApiError.safeParse(response);
          return {
            kind: 'refused',
            why: stored.success
              ? stored.data.error.message.replace(/\.\s*$/u, '')
              : `the backend refused it (${status})`,
          };
        }
        return { kind: 'completed', response };
      }
      if (result.code === 'not-found')
        return delivery.apiCode === RETIRED ? { kind: 'retired' } : { kind: 'no-record' };
      if (result.code !== 'in-progress')
        return { kind: 'unknown', why: plainWhy(result, delivery), detail: result.message };
      if (Date.now() + wait > deadline) return { kind: 'still-running' };
      await sleep(wait, signal);
      wait = Math.min(maxPollMs, Math.round(wait * 1.5));
    }
  }

  /**
   * Waits until the backend answers again, telling the job it waits meanwhile. True when the
   * wait ended because the job was cancelled or PassDesk is closing.
   */
  async function waitOut(waiting: Waiting): Promise<boolean> {
    if (gate === undefined) return false;
    await gate.recheck(waiting.signal, waiting.onWait);
    return waiting.signal.aborted;
  }

  return {
    stillRunningLimitMs,

    /** What became of a request sent under `key` `sentAgoMs` ago; asks while it runs. */
    settle: (key: string, sentAgoMs: number, signal?: AbortSignal): Promise<KeyAnswer> =>
      askKey(key, Date.now() - sentAgoMs + stillRunningLimitMs, signal),

    /**
     * Sends one batch and follows it to an answer. `rekey` gives the batch a new key (and records
     * it) when the old one was retired; `onSlow` hears of each attempt that timed out or found an
     * earlier copy still running; `onOverloaded` of each turned away for load.
     */
    async deliver(batch: {
      route: RouteName;
      key: string;
      body: unknown;
      timeoutMs: number;
      signal: AbortSignal;
      rekey: () => string;
      onSlow?: () => void;
      onOverloaded?: () => void;
      /** Ends a wait for the backend (Cancel, or quitting); defaults to `signal`. */
      waitSignal?: AbortSignal;
      /** Told when the batch starts and stops waiting for the backend to answer again. */
      onWait?: (waiting: boolean) => void;
    }): Promise<BatchAnswer> {
      const { signal } = batch;
      let { key } = batch;
      const waiting: Waiting = {
        signal: batch.waitSignal ?? signal,
        onWait: batch.onWait ?? (() => undefined),
      };
      // A function, not a property read: it changes while the requests are awaited.
      const stopped = (): boolean => signal.aborted;
      const deadline = Date.now() + stillRunningLimitMs;
      /** Some attempt, under some key not yet retired, may have been acted on. */
      let ambiguous = false;
      let reached = false;
      let why = 'the backend did not complete it';
      let detail = '';
      let lastKeyWasRetired = false;
      for (let round = 0; round < SEND_ROUNDS; round += 1) {
        const { result, delivery } = await client.send(batch.route, {
          body: batch.body,
          idempotencyKey: key,
          signal,
          timeoutMs: batch.timeoutMs,
        });
        if (stopped()) return { kind: 'stopped' };
        if (result.ok) return { kind: 'answered', response: result.data };
        // Nothing got through (or the token was refused, before anything was done): wait for
        // the backend and send the same request again, as if this round had not happened.
        const untouched =
          !ambiguous &&
          !delivery.ambiguous &&
          (!delivery.mayHaveReached || delivery.status === 401 || delivery.status === 403);
        if (gate !== undefined && untouched && isOutage(delivery)) {
          why = plainWhy(result, delivery);
          detail = result.message;
          if (await waitOut(waiting))
            return stopped() ? { kind: 'stopped' } : { kind: 'withdrawn' };
          round -= 1;
          continue;
        }
        if (delivery.timedOut || result.code === 'in-progress') batch.onSlow?.();
        if (delivery.throttled) batch.onOverloaded?.();
        ambiguous ||= delivery.ambiguous || result.code === 'in-progress';
        reached ||= delivery.mayHaveReached;
        lastKeyWasRetired = false;
        if (result.code !== 'in-progress') {
          why = plainWhy(result, delivery);
          detail = result.message;
        }
        if (!delivery.mayHaveReached && !ambiguous) continue;
        const refusedOutright =
          !ambiguous &&
          delivery.status !== undefined &&
          delivery.status >= 400 &&
          delivery.status < 500 &&
          delivery.status !== 429 &&
          delivery.apiCode !== RETIRED;
        if (refusedOutright) {
          const stopJob = delivery.status === 401 || delivery.status === 403;
          return { kind: 'not-applied', why, detail, stopJob };
        }
        // A key the backend says is retired proves by itself that nothing was done under it.
        const settled: KeyAnswer =
          delivery.apiCode === RETIRED
            ? { kind: 'retired' }
            : await askKey(key, deadline, signal, waiting);
        if (stopped()) return { kind: 'stopped' };
        switch (settled.kind) {
          case 'completed':
            return { kind: 'answered', response: settled.response };
          case 'refused':
            return { kind: 'not-applied', why: settled.why, detail, stopJob: false };
          case 'still-running':
            return { kind: 'unconfirmed', why: 'still running', detail, stillRunning: true };
          case 'unknown':
            return {
              kind: 'unconfirmed',
              why: settled.why,
              detail: `${detail} / ${settled.detail}`,
              stillRunning: false,
            };
          case 'retired':
            // Nothing was or will be done under that key: send again under a new one.
            ambiguous = false;
            lastKeyWasRetired = true;
            key = batch.rekey();
            break;
          case 'no-record':
            // The same key again: a late copy of the earlier attempt would be a replay.
            break;
        }
      }
      if (!reached) return { kind: 'not-delivered', why, detail };
      if (lastKeyWasRetired || !ambiguous)
        return { kind: 'not-applied', why, detail, stopJob: false };
      return {
        kind: 'unknown',
        why: 'the backend keeps no record of it that PassDesk can rely on',
        detail,
      };
    },
  };
}
export type BatchSender = ReturnType<typeof createBatchSender>;

/** How a batch waits out an outage. */
interface Waiting {
  signal: AbortSignal;
  onWait: (waiting: boolean) => void;
}
