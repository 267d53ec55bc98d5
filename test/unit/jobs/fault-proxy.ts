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
  | { kind: 'status'; status: number; retryAfter?: number }
  /** Drop the connection before the backend sees the request. */
  | { kind: 'reset-before' }
  /** Let the backend act, then drop the connection instead of answering. */
  | { kind: 'reset-after' }
  /** Forward late: the client has given up (timed out) by the time the backend acts. */
  | { kind: 'delay'; ms: number };

export interface SeenRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  fault: Fault['kind'];
}

/**
 * A proxy in front of a real backend that injects faults by plan: 5xx, 429 with Retry-After,
 * resets before and after the backend acts, and delays past the client's timeout. The target
 * can change (a restarted backend on a new port) or vanish (null: every request is reset).
 */
export async function startFaultProxy(initialTarget: string) {
  let target: string | null = initialTarget;
  let plan: (seen: SeenRequest, index: number) => Fault = () => ({ kind: 'pass' });
  const seen: SeenRequest[] = [];

  const forward = (
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    dropAnswer: boolean,
  ): void => {
    if (target === null) {
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
          if (dropAnswer || res.destroyed) {
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        });
      },
    );
    upstream.on('error', () => req.socket.destroy());
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
        fault: 'pass',
      };
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
            JSON.stringify({ error: { code: 'injected', message: `Injected ${fault.status}.` } }),
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
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    setPlan(next: (seen: SeenRequest, index: number) => Fault): void {
      plan = next;
    },
    setTarget(next: string | null): void {
      target = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;
