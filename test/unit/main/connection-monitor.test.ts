import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend, type RunningBackend } from '../../../electron/backend/index.ts';
import { createConnectionMonitor } from '../../../electron/main/services/backend/connection-monitor.ts';
import { createProvisioningClient } from '../../../electron/main/services/provisioning-client.ts';
import { API_VERSION } from '../../../shared/api/index.ts';
import type { ConnectionStatus } from '../../../shared/ipc/index.ts';
import { silentLogger } from '../../../shared/log/index.ts';
import { DEFAULT_RULES, type RuleSets } from '../../../shared/rules/index.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function builtIn(port = 0): Promise<RunningBackend> {
  const backend = await startBackend({
    dataDir: mkdtempSync(path.join(tmpdir(), 'passdesk-monitor-')),
    port,
    seed: 'demo',
    hashCost: 'test',
    staticDir: null,
    adminToken: 'monitor-test-token-0123456789abcdef',
  });
  return backend;
}

/** A monitor on a client for `url`, recording every status it reports. */
function watch(url: string, token = 'monitor-test-token-0123456789abcdef', slowMs = 2000) {
  const heard: ConnectionStatus[] = [];
  const rules: RuleSets[] = [];
  let monitor: ReturnType<typeof createConnectionMonitor> | null = null;
  const client = createProvisioningClient(
    { kind: 'remote', url, token },
    { retries: 0, timeoutMs: 1000, onAttempt: (report) => monitor?.observe(report) },
  );
  monitor = createConnectionMonitor({
    client,
    onChange: (status) => heard.push(status),
    onRules: (fetched) => rules.push(fetched),
    logger: silentLogger,
    intervalMs: 200,
    retryMs: 50,
    maxRetryMs: 200,
    slowMs,
    checkTimeoutMs: 500,
  });
  const watched = monitor;
  cleanups.push(() => {
    watched.stop();
    return Promise.resolve();
  });
  return { monitor: watched, client, heard, rules };
}

const until = async (check: () => boolean, ms = 5000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** A server that answers health after `delayMs`, and rules at once. */
async function slowHealthServer(delayMs: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url?.endsWith('/health'))
      setTimeout(() => send({ status: 'ok', version: 'x', apiVersion: API_VERSION }), delayMs);
    else send(DEFAULT_RULES);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the connection monitor', () => {
  it('says connected and hands over the rules; unreachable, with the reason, when the backend stops; connected again when it is back', async () => {
    let backend = await builtIn();
    const { port } = new URL(backend.url);
    const { monitor, heard, rules } = watch(backend.url);
    expect(monitor.status().state).toBe('connecting');
    expect(monitor.status().apiVersion).toBeNull();
    monitor.start();
    await until(() => monitor.status().state === 'connected');
    expect(rules.at(-1)).toEqual(DEFAULT_RULES);
    expect(monitor.gate.outage()).toBeNull();
    // What the backend may be asked for follows from the version it speaks.
    expect(monitor.status().apiVersion).toBe(API_VERSION);

    await backend.close();
    const stillDown = new AbortController();
    const waited = monitor.gate.recheck(stillDown.signal);
    // The first check may find the kept-alive connection reset; the next ones are refused.
    await until(() => monitor.status().message.includes('refused'));
    expect(monitor.status().state).toBe('unreachable');
    expect(monitor.status().message).toBe(
      `Nothing answers at ${backend.url}: the connection was refused. Check that the backend is running and that the port is right.`,
    );
    expect(monitor.gate.outage()).toEqual({
      reason: 'unreachable',
      since: monitor.status().since,
    });
    // Kept through the outage: the backend that comes back is most likely the same.
    expect(monitor.status().apiVersion).toBe(API_VERSION);

    backend = await builtIn(Number(port));
    cleanups.push(() => backend.close());
    await waited;
    expect(monitor.status().state).toBe('connected');
    // One event per change, not per check.
    expect(heard.map((status) => status.state).filter((s, i, all) => s !== all[i - 1])).toEqual([
      'connected',
      'unreachable',
      'connected',
    ]);
    expect(heard.length).toBeLessThanOrEqual(4);
  });

  it('says the token is refused as soon as a request is refused', async () => {
    const backend = await builtIn();
    cleanups.push(() => backend.close());
    const { monitor, client } = watch(backend.url, 'not-the-token-0123456789abcdef0123');
    await client.request('locations');
    expect(monitor.status()).toMatchObject({
      state: 'token-refused',
      message:
        'The backend refused the API token (HTTP 401). Check the token, or ask for a new one.',
    });
    expect(monitor.gate.outage()?.reason).toBe('token-refused');
  });

  it('says a backend of another API version is incompatible, and does not keep jobs waiting on it', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', version: '5.0.0', apiVersion: '2.0' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const { monitor } = watch(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const status = await monitor.checkNow();
    expect(status.state).toBe('incompatible');
    expect(status.message).toContain(
      `speaks PassDesk API 2.0, but this PassDesk speaks API ${API_VERSION}`,
    );
    await monitor.gate.recheck(new AbortController().signal);
  });

  it('says slow when the health check takes seconds', async () => {
    const { url } = await slowHealthServer(300);
    const { monitor } = watch(url, undefined, 200);
    const status = await monitor.checkNow();
    expect(status.state).toBe('slow');
    expect(status.message).toMatch(/^The backend takes 0\.\d s to answer a health check\.$/u);
  });

  it('asks for a token when none is kept, before sending anything that needs one', async () => {
    const backend = await builtIn();
    cleanups.push(() => backend.close());
    const client = createProvisioningClient({
      kind: 'remote',
      url: backend.url,
      token: () => Promise.resolve(null),
    });
    const monitor = createConnectionMonitor({
      client,
      onChange: () => undefined,
      missingToken: () => 'No API token is kept for this backend.',
      logger: silentLogger,
    });
    cleanups.push(() => {
      monitor.stop();
      return Promise.resolve();
    });
    expect(await monitor.checkNow()).toMatchObject({
      state: 'token-refused',
      message: 'No API token is kept for this backend.',
    });
  });

  it('lets a waiting job go when it is cancelled', async () => {
    const { monitor } = watch('http://127.0.0.1:9');
    const cancel = new AbortController();
    const told: boolean[] = [];
    const waiting = monitor.gate.recheck(cancel.signal, (on) => {
      told.push(on);
    });
    await until(() => told.length > 0);
    expect(told).toEqual([true]);
    cancel.abort();
    await waiting;
    expect(told).toEqual([true, false]);
    expect(monitor.status().state).toBe('unreachable');
  });
});
