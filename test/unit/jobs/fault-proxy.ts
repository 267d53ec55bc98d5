import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request. */
export type Fault =
  | { kind: 'pass' }
  | { kind: 'status'; status: number; retryAfter?: number; message?: string }
  /** Drop the connection before the backend sees the request. */
  | { kind: 'reset-before' }
  /** Let the backend act, then drop the connection instead of answering. */
  | { kind: 'reset-after' }
  /** Forward late: the client has given up (timed out) by the time the backend acts. */
  | { kind: 'delay'; ms: number }
  /** Let the backend act, then answer 200 with something that is not its answer. */
  | { kind: 'malformed'; body: string }
  /** Let the backend act, then send only the first half of its answer and drop the connection. */
  | { kind: 'truncate' }
  /** Let the backend act, then send its answer slowly, in pieces spread over `ms`. */
  | { kind: 'trickle'; ms: number }
  /**
   * A slow backend at work: for `ms` the request is "running" — every request under its key
   * (a copy sent again, a lookup) gets the backend's 409 "still running" — then it is forwarded,
   * and the key stays running until the backend has answered.
   */
  | { kind: 'hold'; ms: number };

export interface SeenRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  /** How many users the JSON body names (`userIds`), or null. */
  users: number | null;
  /** `busy`: answered 409 by the proxy because the key is held. */
  fault: Fault['kind'] | 'busy';
  /** When the proxy received it (ms since the epoch). */
  at: number;
}

/** A password-reset request (the job's own sends, not its lookups). */
export const isReset = (request: SeenRequest): boolean =>
  request.method === 'POST' && request.path.startsWith('/api/v1/password-resets');

/**
 * The "slow backend" plan: each password reset takes `fixedMs` + `msPerUser` × its users, on
 * one of `lanes` workers (a request waits for a free one, as on a busy server), so requests in
 * parallel beyond `lanes` only wait longer. Everything else passes.
 */
export function slowBackend(options: {
  msPerUser: number;
  fixedMs?: number;
  lanes?: number;
}): (request: SeenRequest) => Fault {
  const free = Array.from({ length: Math.max(1, options.lanes ?? 1) }, () => 0);
  return (request) => {
    if (!isReset(request)) return { kind: 'pass' };
    const work = (options.fixedMs ?? 0) + options.msPerUser * (request.users ?? 0);
    let lane = 0;
    free.forEach((at, index) => {
      if (at < (free[lane] ?? 0)) lane = index;
    });
    const start = Math.max(request.at, free[lane] ?? 0);
    free[lane] = start + work;
    return { kind: 'hold', ms: start + work - request.at };
  };
}

/** How many users a request's JSON body names. */
function usersIn(body: Buffer): number | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { userIds?: unknown };
    return Array.isArray(parsed.userIds) ? parsed.userIds.length : null;
  } catch {
    return null;
  }
}

/** The Idempotency-Key a request is about: its header, or the key it looks up. */
function keyOf(req: IncomingMessage): string | undefined {
  const lookup = /^\/api\/v1\/idempotency-keys\/([^/?]+)/u.exec(req.url ?? '');
  if (lookup?.[1] !== undefined) return decodeURIComponent(lookup[1]);
  return req.headers['idempotency-key'] as string | undefined;
}

/**
 * A proxy in front of a real backend that injects faults by plan: 5xx, 429 with Retry-After,
 * resets before and after the backend acts, delays past the client's timeout, and a slow
 * backend that keeps a request's key "running" while it works (see `slowBackend`). The target
 * can change (a restarted backend on a new port) or vanish (null: every request is reset).
 */
export async function startFaultProxy(initialTarget: string) {
  let target: string | null = initialTarget;
  let plan: (seen: SeenRequest, index: number) => Fault = () => ({ kind: 'pass' });
  const seen: SeenRequest[] = [];
  /** Keys of requests a slow backend is "running" (held here, or forwarded and unanswered). */
  const held = new Set<string>();
  let inFlight = 0;
  let maxInFlight = 0;

  type Answer = 'as-is' | 'drop' | { malformed: string } | 'truncate' | { trickleMs: number };
  const forward = (
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    answerMode: Answer | boolean,
    onAnswered: () => void = () => undefined,
  ): void => {
    const mode: Answer = answerMode === true ? 'drop' : answerMode === false ? 'as-is' : answerMode;
    if (target === null) {
      onAnswered();
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', target);
    const upstream = httpRequest(
      url,
      { method: req.method, headers: { ...req.headers, host: url.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          onAnswered();
          if (mode === 'drop' || res.destroyed) {
            req.socket.destroy();
            return;
          }
          const full = Buffer.concat(chunks);
          if (typeof mode === 'object' && 'malformed' in mode) {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(mode.malformed);
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          if (mode === 'truncate') {
            res.write(full.subarray(0, Math.floor(full.length / 2)));
            setTimeout(() => req.socket.destroy(), 20);
            return;
          }
          if (typeof mode === 'object') {
            const pieces = 10;
            const size = Math.ceil(full.length / pieces);
            let sent = 0;
            const next = (): void => {
              if (res.destroyed) return;
              res.write(full.subarray(sent, sent + size));
              sent += size;
              if (sent >= full.length) res.end();
              else setTimeout(next, mode.trickleMs / pieces);
            };
            next();
            return;
          }
          res.end(full);
        });
      },
    );
    upstream.on('error', () => {
      onAnswered();
      req.socket.destroy();
    });
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request: SeenRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        users: usersIn(body),
        fault: 'pass',
        at: Date.now(),
      };
      const key = keyOf(req);
      if (key !== undefined && held.has(key)) {
        // What the backend itself answers while a request under this key runs.
        request.fault = 'busy';
        seen.push(request);
        res.writeHead(409, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              code: 'idempotency-key-in-use',
              message: 'A request with this Idempotency-Key is still running.',
            },
          }),
        );
        return;
      }
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.once('close', () => {
        inFlight -= 1;
      });
      const fault = plan(request, seen.length);
      request.fault = fault.kind;
      seen.push(request);
      switch (fault.kind) {
        case 'pass':
          forward(req, body, res, false);
          break;
        case 'status':
          res.writeHead(fault.status, {
            'Content-Type': 'application/json',
            ...(fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) }),
          });
          res.end(
            JSON.stringify({
              error: { code: 'injected', message: fault.message ?? `Injected ${fault.status}.` },
            }),
          );
          break;
        case 'reset-before':
          req.socket.destroy();
          break;
        case 'reset-after':
          forward(req, body, res, true);
          break;
        case 'delay':
          setTimeout(() => forward(req, body, res, false), fault.ms);
          break;
        case 'malformed':
          forward(req, body, res, { malformed: fault.body });
          break;
        case 'truncate':
          forward(req, body, res, 'truncate');
          break;
        case 'trickle':
          forward(req, body, res, { trickleMs: fault.ms });
          break;
        case 'hold': {
          const heldKey = request.idempotencyKey;
          if (heldKey !== undefined) held.add(heldKey);
          setTimeout(
            () =>
              forward(req, body, res, false, () => heldKey !== undefined && held.delete(heldKey)),
            fault.ms,
          );
          break;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let down = false;

  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    /** The most requests the proxy had open at once. */
    maxInFlight: () => maxInFlight,
    /** How many keys a slow backend is "running" now. */
    holding: () => held.size,
    setPlan(next: (seen: SeenRequest, index: number) => Fault): void {
      plan = next;
    },
    setTarget(next: string | null): void {
      target = next;
    },
    /**
     * Stops listening, and drops every open connection: the backend is gone (connections are
     * refused) until `comeBack`.
     */
    async goDown(): Promise<void> {
      if (down) return;
      down = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    /** Listens again on the same port. */
    async comeBack(): Promise<void> {
      if (!down) return;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (down) {
          resolve();
          return;
        }
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;
