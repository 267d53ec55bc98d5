import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { API_PREFIX, API_VERSION } from '../../shared/api/index.ts';
import { DEFAULT_RULES } from '../../shared/rules/index.ts';

/** One request the echoing backend heard, with its body as text. */
export interface EchoedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export interface EchoingBackend {
  /** Takes any API token; refuses every password reset, quoting the request's body. */
  accepting: string;
  /** Refuses the API token at `/rules`, quoting the Authorization header it was sent. */
  refusing: string;
  /** Answers `/rules` with the Authorization header it was sent as a field name. */
  mirroring: string;
  heard: EchoedRequest[];
  close(): Promise<void>;
}

const json = (response: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
};

const refusal = (code: string, message: string) => ({ error: { code, message } });

/**
 * A remote backend on 127.0.0.1 that repeats back what it is sent, as careless servers do in
 * their error messages: PassDesk must keep such echoes of a secret out of everything it writes.
 * It answers health and rules as a PassDesk backend does, so a session with it connects.
 */
export async function startEchoingBackend(): Promise<EchoingBackend> {
  const heard: EchoedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      const authorization = request.headers.authorization;
      heard.push({ method: request.method ?? '', path: url.pathname, authorization, body });
      const [, mode = '', ...rest] = url.pathname.split('/');
      const route = `/${rest.join('/')}`.replace(API_PREFIX, '');
      if (route === '/health') {
        json(response, 200, { status: 'ok', version: '0.0.1-echo', apiVersion: API_VERSION });
      } else if (route === '/rules' && mode === 'accept') {
        json(response, 200, DEFAULT_RULES);
      } else if (route === '/rules' && mode === 'mirror') {
        json(response, 200, { ...DEFAULT_RULES, [authorization ?? '']: true });
      } else if (route === '/rules') {
        json(
          response,
          400,
          refusal('bad-token', `"${authorization ?? ''}" is not a token of ours`),
        );
      } else if (route === '/password-resets') {
        json(response, 400, refusal('invalid-body', `Cannot take ${body}`));
      } else {
        json(response, 404, refusal('not-found', `No route ${url.pathname}`));
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    accepting: `${origin}/accept`,
    refusing: `${origin}/refuse`,
    mirroring: `${origin}/mirror`,
    heard,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
