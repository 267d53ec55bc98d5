import { PasswordResetResponse, type PasswordResetBody } from '../../../../shared/api/index.ts';
import type { ProvisioningClient } from '../provisioning-client.ts';

/** What became of a batch's request, as far as the backend can tell. */
export type BatchAnswer =
  /** The backend's answer for each user (first-hand, replayed, or found under the key). */
  | { kind: 'answered'; response: PasswordResetResponse }
  /** The backend refused or failed the request and has no record of running it: nothing changed. */
  | { kind: 'not-applied'; why: string }
  /** No attempt can have reached the backend (refused connection, unknown host). */
  | { kind: 'not-delivered'; why: string }
  /** It may have been applied; the backend has not said. `stillRunning`: it says it is working. */
  | { kind: 'unconfirmed'; why: string; stillRunning: boolean }
  /** The app is quitting: the batch stays in flight, and the next start asks its key. */
  | { kind: 'stopped' };

/** What a key lookup tells about a request sent under it. */
export type KeyAnswer =
  | { kind: 'completed'; response: PasswordResetResponse }
  | { kind: 'never-ran' }
  | { kind: 'still-running' }
  | { kind: 'unknown'; why: string };

export interface BatchSenderOptions {
  client: ProvisioningClient;
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
 * The protocol of one batch with the backend: send it under its Idempotency-Key, and when the
 * answer does not come, ask under the key what became of it — for as long as the backend says
 * it is still working (with backoff, up to a limit) — so that "still running" is never taken for
 * "failed", and a batch is only re-sent when the backend has no record of it (the key makes a
 * late copy a replay, never a second change).
 */
export function createBatchSender(options: BatchSenderOptions) {
  const { client } = options;
  const pollMs = options.pollMs ?? 1000;
  const maxPollMs = Math.max(pollMs, options.maxPollMs ?? 15_000);
  const stillRunningLimitMs = options.stillRunningLimitMs ?? 600_000;

  /**
   * Asks what became of the request under `key` until the backend stops saying it is running,
   * or until `deadline` (epoch ms).
   */
  async function askKey(key: string, deadline: number, signal?: AbortSignal): Promise<KeyAnswer> {
    let wait = pollMs;
    for (;;) {
      const record = await client.request('idempotencyRecord', {
        params: { key },
        ...(signal === undefined ? {} : { signal }),
      });
      if (signal?.aborted === true) return { kind: 'unknown', why: 'PassDesk is closing.' };
      if (record.ok) {
        const parsed = PasswordResetResponse.safeParse(record.data.response);
        return parsed.success
          ? { kind: 'completed', response: parsed.data }
          : { kind: 'unknown', why: 'the backend kept an answer PassDesk cannot read' };
      }
      if (record.code === 'not-found') return { kind: 'never-ran' };
      if (record.code !== 'in-progress') return { kind: 'unknown', why: record.message };
      if (Date.now() + wait > deadline) return { kind: 'still-running' };
      await sleep(wait, signal);
      wait = Math.min(maxPollMs, Math.round(wait * 1.5));
    }
  }

  return {
    stillRunningLimitMs,

    /** What became of a request sent under `key` `sentAgoMs` ago; asks while it runs. */
    settle: (key: string, sentAgoMs: number, signal?: AbortSignal): Promise<KeyAnswer> =>
      askKey(key, Date.now() - sentAgoMs + stillRunningLimitMs, signal),

    /**
     * Sends one batch and follows it to an answer. `onSlow` hears of each attempt that timed out
     * or found an earlier copy still running (the backend is slower than the timeout assumed).
     */
    async deliver(batch: {
      key: string;
      body: PasswordResetBody;
      timeoutMs: number;
      signal: AbortSignal;
      onSlow?: () => void;
      onOverloaded?: () => void;
    }): Promise<BatchAnswer> {
      const { key, signal } = batch;
      // A function, not a property read: it changes while the requests are awaited.
      const stopped = (): boolean => signal.aborted;
      const sentAt = Date.now();
      const deadline = sentAt + stillRunningLimitMs;
      let mayHaveReached = false;
      let why = '';
      for (let round = 0; round < SEND_ROUNDS; round += 1) {
        const { result, delivery } = await client.send('passwordResets', {
          body: batch.body,
          idempotencyKey: key,
          signal,
          timeoutMs: batch.timeoutMs,
        });
        if (stopped()) return { kind: 'stopped' };
        if (result.ok) return { kind: 'answered', response: result.data };
        mayHaveReached ||= delivery.mayHaveReached;
        if (delivery.timedOut || result.code === 'in-progress') batch.onSlow?.();
        if (result.code === 'backend-unavailable' && delivery.mayHaveReached)
          batch.onOverloaded?.();
        if (!mayHaveReached) {
          why = result.message;
          continue;
        }
        const refused =
          result.code === 'backend-error' ||
          result.code === 'not-found' ||
          result.code === 'conflict';
        why =
          result.code === 'not-found'
            ? `${result.message} The backend at this address does not offer password resets.`
            : result.code === 'in-progress'
              ? ''
              : result.message;
        // Even a refusal (4xx) is checked by key: an earlier automatic attempt may have acted
        // before its answer was lost.
        const settled = await askKey(key, deadline, signal);
        if (stopped()) return { kind: 'stopped' };
        switch (settled.kind) {
          case 'completed':
            return { kind: 'answered', response: settled.response };
          case 'still-running':
            return { kind: 'unconfirmed', why: 'still running', stillRunning: true };
          case 'unknown':
            return {
              kind: 'unconfirmed',
              why: why === '' ? settled.why : `${why}; ${settled.why}`,
              stillRunning: false,
            };
          case 'never-ran':
            if (refused) return { kind: 'not-applied', why };
            // Nothing was applied under the key: send it again (a late copy would be a replay).
            break;
        }
      }
      // Every lookup said the backend has no record of it: nothing was applied.
      if (why === '') why = 'The backend did not complete the request.';
      return mayHaveReached ? { kind: 'not-applied', why } : { kind: 'not-delivered', why };
    },
  };
}
export type BatchSender = ReturnType<typeof createBatchSender>;
