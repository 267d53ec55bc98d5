import { once } from 'node:events';
import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { PasswordResetResponse } from '../../../shared/api/index.ts';
import { closesGracefully } from '../../../electron/backend/http/graceful-close.ts';
import { runCli } from './cli-process.ts';
import { startTestBackend, type TestBackend } from './harness.ts';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request over `agent` (so that connections are kept alive and reused, as axios's are).
 * `sent` resolves once the request has gone out whole.
 */
function send(
  url: string,
  options: { agent: Agent; method?: string; headers?: Record<string, string>; body?: string },
) {
  const outgoing = request(url, {
    agent: options.agent,
    method: options.method ?? 'GET',
    headers: options.headers,
  });
  const reply = new Promise<Reply>((resolve, reject) => {
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
      response.on('error', reject);
    });
  });
  reply.catch(() => undefined);
  const sent = once(outgoing, 'finish').then(() => undefined);
  outgoing.end(options.body);
  return { sent, reply };
}

const agents: Agent[] = [];
const keepAlive = () => {
  const agent = new Agent({ keepAlive: true });
  agents.push(agent);
  return agent;
};
afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
});

/** A server whose answers wait until the test lets them go; it says when each request came. */
async function heldServer() {
  const arrived: (() => void)[] = [];
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((incoming, response) => {
    arrived.shift()?.();
    if (incoming.url === '/quick') response.end('quick');
    else void released.then(() => response.end('done'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    url,
    release,
    /** Resolves when the next request reaches the handler. */
    nextArrival: () => new Promise<void>((resolve) => arrived.push(resolve)),
  };
}

describe('closesGracefully', () => {
  it('lets the answer in flight finish, ends its kept-alive connection with it and takes no new one', async () => {
    const held = await heldServer();
    const stopping = closesGracefully(held.server);
    const agent = keepAlive();
    // A connection left idle after its answer, and one with an answer still being made.
    expect((await send(`${held.url}/quick`, { agent }).reply).body).toBe('quick');
    const inFlightArrived = held.nextArrival();
    const inFlight = send(`${held.url}/slow`, { agent: keepAlive() }).reply;
    await inFlightArrived;

    let closed = false;
    const closing = stopping.close(5000).then((result) => {
      closed = true;
      return result;
    });
    // Refused: nothing listens any more, and the idle connection was closed, not reused.
    await expect(send(`${held.url}/quick`, { agent }).reply).rejects.toThrow();
    expect(closed).toBe(false);

    held.release();
    const answer = await inFlight;
    expect(answer).toMatchObject({ status: 200, body: 'done' });
    expect(answer.headers.connection).toBe('close');
    expect(await closing).toEqual({ cut: 0 });
  });

  it('cuts what is still running when the grace runs out, and counts it', async () => {
    const held = await heldServer();
    const stopping = closesGracefully(held.server);
    const arrived = held.nextArrival();
    const inFlight = send(`${held.url}/slow`, { agent: keepAlive() }).reply;
    await arrived;
    const started = performance.now();
    expect(await stopping.close(100)).toEqual({ cut: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    await expect(inFlight).rejects.toThrow(/socket hang up|ECONNRESET/u);
    held.release();
  });
});

describe(
  'the backend stopping in the middle of a bulk reset (production hashing)',
  { timeout: 60_000 },
  () => {
    let backend: TestBackend | null = null;
    afterEach(async () => {
      await backend?.close();
      backend = null;
    });

    /**
     * A reset of the first `n` users as a job sends it (with its Idempotency-Key): `post` sends
     * it to a backend; `inFlight` too, and resolves once it is on the server's socket (well
     * within 100 ms of going out), with the answer still to come.
     */
    async function bulkReset(from: TestBackend, n: number, key: string) {
      const page = (await from.api('GET', `/api/v1/users?limit=${n}`)).json as {
        users: { id: string }[];
      };
      const userIds = page.users.map((user) => user.id);
      const body = JSON.stringify({ userIds, applicationPassword: 'Tr0ub4dor&3' });
      const post = (to: TestBackend) =>
        send(`${to.url}/api/v1/password-resets`, {
          agent: keepAlive(),
          method: 'POST',
          headers: {
            Authorization: `Bearer ${to.token}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': key,
          },
          body,
        });
      return {
        post,
        async inFlight(to: TestBackend) {
          const outgoing = post(to);
          await outgoing.sent;
          await sleep(100);
          // Wrapped: an async function would otherwise wait for the answer itself.
          return { reply: outgoing.reply };
        },
        changedEveryone(answer: Reply) {
          expect(answer.status).toBe(200);
          expect((JSON.parse(answer.body) as PasswordResetResponse).results).toEqual(
            userIds.map((userId) => ({ userId, outcome: 'changed' })),
          );
        },
      };
    }

    it('answers the reset in flight in full before it closes', async () => {
      backend = await startTestBackend({ hashCost: 'production', hashThreads: 1 });
      // 40 hashes on one thread take seconds: the close comes while they run.
      const reset = await bulkReset(backend, 40, 'drain-1');
      const { reply } = await reset.inFlight(backend);
      const closeCalledAt = performance.now();
      const closing = backend.close();
      backend = null;
      const answer = await reply;
      // The answer came after the close, so the close did find it in flight.
      expect(performance.now() - closeCalledAt).toBeGreaterThan(100);
      expect(answer.headers.connection).toBe('close');
      reset.changedEveryone(answer);
      await closing;
    });

    it('cut after its grace, the reset is done once when its batch is sent again after the restart', async () => {
      const first = await startTestBackend({
        hashCost: 'production',
        hashThreads: 1,
        shutdownGraceMs: 0,
      });
      const reset = await bulkReset(first, 12, 'drain-2');
      const { reply } = await reset.inFlight(first);
      await first.close();
      await expect(reply).rejects.toThrow();
      expect(first.logLines.join('\n')).toMatch(/stopped with requests still in flight.*"cut":1/u);

      backend = await startTestBackend({
        dataDir: first.dataDir,
        hashCost: 'production',
        hashThreads: 1,
      });
      // Done once: run twice, the second run would refuse the reused password (not-previous).
      reset.changedEveryone(await reset.post(backend).reply);
    });
  },
);

describe('npm run backend, stopped', () => {
  it('says on SIGTERM how long requests in flight may take, and exits 0 once closed', async () => {
    const cli = await runCli(['--seed', 'none', '--stop-grace', '3']);
    expect(cli.url).not.toBeNull();
    await cli.stop();
    expect(cli.stdout).toContain(
      'Stopping: requests in flight get up to 3 s (SIGTERM again stops now)',
    );
    expect(cli.code).toBe(0);
  }, 20_000);
});
