import { createSocket } from 'node:dgram';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  createServer as createTcpServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';
import { generate } from 'selfsigned';
import { API_VERSION } from '../../shared/api/index.ts';
import { DEFAULT_RULES } from '../../shared/rules/index.ts';

/**
 * Real servers on 127.0.0.1 (port 0) that fail the way remote backends do, for tests of the
 * code that must tell those failures apart. Each is closed by its `close()`, which also drops
 * any connection still open (keep-alive ones included), so a test never waits on one.
 */

export interface TestServer {
  /** `http://127.0.0.1:<port>` (or https://). */
  url: string;
  close(): Promise<void>;
}

/** What a fake backend heard: each request's method, path and whether it carried a token. */
export interface HeardRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface FakeBackend extends TestServer {
  heard: HeardRequest[];
}

/** One canned answer. A string body is sent as it is; anything else as JSON. */
export interface CannedAnswer {
  status: number;
  body: unknown;
}

export const GOOD_HEALTH = { status: 'ok', version: '9.9.9-fake', apiVersion: API_VERSION };

const notFound: CannedAnswer = {
  status: 404,
  body: { error: { code: 'not-found', message: 'No such route.' } },
};
const unauthorized: CannedAnswer = {
  status: 401,
  body: { error: { code: 'unauthorized', message: 'A valid admin token is required.' } },
};

function urlOf(server: Server, scheme: 'http' | 'https'): string {
  const { port } = server.address() as AddressInfo;
  return `${scheme}://127.0.0.1:${port}`;
}

async function listen(server: Server): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Closes a server after destroying every connection it still has. */
function closer(server: Server): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => {
        resolve();
      });
    });
}

function send(response: ServerResponse, answer: CannedAnswer): void {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'Content-Type': typeof answer.body === 'string' ? 'text/html' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * An HTTP server that answers `/api/v1/health` and `/api/v1/rules` as told (the rules only to a
 * bearer token, else 401 like a real backend), and 404 to everything else.
 */
export async function startFakeBackend(answers: {
  health?: CannedAnswer;
  rules?: CannedAnswer;
}): Promise<FakeBackend> {
  const heard: HeardRequest[] = [];
  const server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    heard.push({
      method: request.method ?? '',
      path,
      authorization: request.headers.authorization,
    });
    request.resume();
    if (request.method === 'GET' && path === '/api/v1/health' && answers.health !== undefined) {
      send(response, answers.health);
      return;
    }
    if (request.method === 'GET' && path === '/api/v1/rules' && answers.rules !== undefined) {
      const bearer = request.headers.authorization?.startsWith('Bearer ') === true;
      send(response, bearer ? answers.rules : unauthorized);
      return;
    }
    send(response, notFound);
  });
  const close = closer(server);
  await listen(server);
  return { url: urlOf(server, 'http'), heard, close };
}

/**
 * A backend that answers every request with `page` as JSON, 200: for a page of users that does
 * not fit the contract (a stray field, a secret echoed back).
 */
export async function startPageBackend(page: unknown): Promise<TestServer> {
  const server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    send(response, { status: 200, body: page });
  });
  const close = closer(server);
  await listen(server);
  return { url: urlOf(server, 'http'), close };
}

/** A port on 127.0.0.1 that nothing listens on: bound to learn a free one, then let go. */
export async function startNothingListening(): Promise<TestServer> {
  const server = createTcpServer();
  await listen(server);
  const url = urlOf(server, 'http');
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return { url, close: () => Promise.resolve() };
}

/** Accepts connections and never says a word. */
export async function startSilentServer(): Promise<TestServer> {
  const server = createTcpServer((socket) => {
    socket.resume();
  });
  const close = closer(server);
  await listen(server);
  return { url: urlOf(server, 'http'), close };
}

/** Accepts each connection and drops it at once, before any answer (a reset). */
export async function startHangUpServer(): Promise<TestServer> {
  const server = createTcpServer((socket) => {
    socket.resetAndDestroy();
  });
  const close = closer(server);
  await listen(server);
  return { url: urlOf(server, 'http'), close };
}

/** Health answered with a web page, as a proxy or a wrong port would. */
export const startNonJsonHealth = (): Promise<FakeBackend> =>
  startFakeBackend({ health: { status: 200, body: '<html><body>It works!</body></html>' } });

/** Health answered with JSON that is not PassDesk's. */
export const startWrongShapeHealth = (): Promise<FakeBackend> =>
  startFakeBackend({ health: { status: 200, body: { healthy: true, uptime: 1234 } } });

/** A PassDesk backend of another API major version. */
export const startFutureApiBackend = (apiVersion = '2.0'): Promise<FakeBackend> =>
  startFakeBackend({
    health: { status: 200, body: { ...GOOD_HEALTH, apiVersion } },
    rules: { status: 200, body: DEFAULT_RULES },
  });

/** Some other web server: 404 to every path. */
export const startNotFoundEverywhere = (): Promise<FakeBackend> => startFakeBackend({});

/** A PassDesk backend that refuses the token: 401 (unknown token) or 403 (not an admin's). */
export const startTokenRefusingBackend = (status: 401 | 403): Promise<FakeBackend> =>
  startFakeBackend({
    health: { status: 200, body: GOOD_HEALTH },
    rules: {
      status,
      body: {
        error: {
          code: status === 401 ? 'unauthorized' : 'forbidden',
          message: status === 401 ? 'Unknown token.' : 'This token may not administer users.',
        },
      },
    },
  });

/** Healthy, takes the token, but its rules do not fit (`applicationPassword.minLength`). */
export const startMalformedRulesBackend = (): Promise<FakeBackend> =>
  startFakeBackend({
    health: { status: 200, body: GOOD_HEALTH },
    rules: {
      status: 200,
      body: {
        ...DEFAULT_RULES,
        applicationPassword: { ...DEFAULT_RULES.applicationPassword, minLength: 'eight' },
      },
    },
  });

/**
 * HTTPS with a certificate made just now, signed by its own key (so no computer trusts it),
 * for 127.0.0.1 and localhost; behind it, a healthy backend, so the only fault is the TLS one.
 */
export async function startSelfSignedHttpsServer(): Promise<TestServer> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const server = createHttpsServer({ key: pems.private, cert: pems.cert }, (request, response) => {
    request.resume();
    send(
      response,
      request.url === '/api/v1/health' ? { status: 200, body: GOOD_HEALTH } : notFound,
    );
  });
  server.on('tlsClientError', () => undefined);
  const close = closer(server);
  await listen(server);
  return { url: urlOf(server, 'https'), close };
}

/**
 * A DNS server on 127.0.0.1 (UDP) that knows no name: every query gets NXDOMAIN. Point a
 * `node:dns` Resolver at it to get a real ENOTFOUND without asking any other resolver.
 */
export async function startNoSuchNameDns(): Promise<{ server: string; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    if (query.length < 12) return;
    const answer = Buffer.from(query);
    // QR = answer, keep opcode and RD; RA set; RCODE 3 = the name does not exist.
    answer[2] = 0x80 | ((query[2] ?? 0) & 0x79);
    answer[3] = 0x80 | 0x03;
    answer.writeUInt16BE(0, 6); // no answers
    answer.writeUInt16BE(0, 8); // no authority records
    answer.writeUInt16BE(0, 10); // no additional records (drops an EDNS OPT from the query)
    const question = questionEnd(query);
    socket.send(answer.subarray(0, question), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => {
    socket.bind(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = socket.address();
  return {
    server: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        socket.close(() => {
          resolve();
        });
      }),
  };
}

/** Where a DNS query's first question ends (after its name, type and class). */
function questionEnd(query: Buffer): number {
  let at = 12;
  while (at < query.length && query[at] !== 0) at += 1 + (query[at] ?? 0);
  return Math.min(query.length, at + 1 + 4);
}
