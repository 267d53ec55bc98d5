import { Resolver } from 'node:dns/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_VERSION, startBackend } from '../../../electron/backend/index.ts';
import {
  testConnection,
  type ConnectionTestDeps,
} from '../../../electron/main/services/backend/connection-test.ts';
import { API_VERSION } from '../../../shared/api/index.ts';
import { CONNECTION_CHECKS, ConnectionTestReport } from '../../../shared/ipc/index.ts';
import {
  startFakeBackend,
  startFutureApiBackend,
  startHangUpServer,
  startMalformedRulesBackend,
  startNonJsonHealth,
  startNoSuchNameDns,
  startNothingListening,
  startNotFoundEverywhere,
  startSelfSignedHttpsServer,
  startSilentServer,
  startTokenRefusingBackend,
  startWrongShapeHealth,
  GOOD_HEALTH,
  type TestServer,
} from '../../support/misbehaving-servers.ts';

const TOKEN = 'pdt_secret-token-9f8e7d6c5b4a3210';
const TIMEOUT_MS = 2_000;

/** A lookup that must not be reached (IP literals and bad addresses need none). */
const noLookup: ConnectionTestDeps = {
  lookup: (hostname) => Promise.reject(new Error(`unexpected lookup of ${hostname}`)),
};

const opened: TestServer[] = [];
async function serve<T extends TestServer>(start: Promise<T>): Promise<T> {
  const server = await start;
  opened.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((server) => server.close()));
});

/**
 * Runs the test and checks what every report must be: it fits the IPC contract, the token is
 * nowhere in it, and the checks before the failed one passed and those after it were skipped.
 */
async function check(
  url: string,
  options: { token?: string | null; timeoutMs?: number; deps?: ConnectionTestDeps } = {},
): Promise<ConnectionTestReport> {
  const token = options.token === undefined ? TOKEN : options.token;
  const report = await testConnection(
    { url, token, timeoutMs: options.timeoutMs ?? TIMEOUT_MS },
    options.deps ?? noLookup,
  );
  expect(ConnectionTestReport.parse(report)).toEqual(report);
  expect(JSON.stringify(report)).not.toContain(TOKEN);
  expect(report.checks.map((row) => row.id)).toEqual([...CONNECTION_CHECKS]);
  const statuses = report.checks.map((row) => row.status).join(' ');
  expect(statuses).toMatch(report.ok ? /^(passed ?){5}$/u : /^(passed )*failed( skipped)*$/u);
  expect(report.message).not.toBe('');
  return report;
}

const failedRow = (report: ConnectionTestReport) =>
  report.checks.find((row) => row.status === 'failed')?.id;

describe('Test connection, against the real built-in backend', () => {
  let backend: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    backend = await startBackend({
      dataDir: mkdtempSync(path.join(tmpdir(), 'passdesk-connection-test-')),
      seed: 'demo',
      hashCost: 'test',
      staticDir: null,
    });
  });
  afterAll(() => backend.close());

  it('passes all five checks and says which versions answered, how fast', async () => {
    const report = await testConnection(
      { url: backend.url, token: backend.adminToken, timeoutMs: TIMEOUT_MS },
      noLookup,
    );
    expect(ConnectionTestReport.parse(report)).toEqual(report);
    expect(report.ok).toBe(true);
    expect(report.problem).toBeNull();
    expect(report.checks.map((row) => row.status)).toEqual(Array(5).fill('passed'));
    expect(report.checks.map((row) => row.label)).toEqual([
      'Address',
      'Reaching the backend',
      'API version',
      'API token',
      'Rules',
    ]);
    expect(report.apiVersion).toBe(API_VERSION);
    expect(report.backendVersion).toBe(BACKEND_VERSION);
    expect(report.latencyMs).toBeGreaterThanOrEqual(0);
    expect(report.message).toBe(
      `Connected to ${backend.url} — PassDesk API ${API_VERSION}, backend ${BACKEND_VERSION}, answered in ${report.latencyMs ?? -1} ms.`,
    );
    expect(JSON.stringify(report)).not.toContain(backend.adminToken);
  });

  it('reports a token the real backend does not know as refused (401)', async () => {
    const report = await check(backend.url);
    expect(report.problem).toBe('token-refused');
    expect(failedRow(report)).toBe('token');
    expect(report.message).toContain('HTTP 401');
    expect(report.apiVersion).toBe(API_VERSION);
  });
});

describe('Test connection, against misbehaving servers', () => {
  it('rejects addresses PassDesk may not use before sending anything', async () => {
    const cases: [string, RegExp][] = [
      ['http://provisioning.example.com', /must start with https:\/\//u],
      ['ftp://provisioning.example.com', /must start with https:\/\//u],
      ['not a url at all', /is not a URL/u],
      ['', /Give the backend’s URL/u],
      ['https://user:pw@provisioning.example.com', /API token in its own field/u],
    ];
    for (const [url, words] of cases) {
      const report = await check(url);
      expect(report.problem, url).toBe('invalid-url');
      expect(failedRow(report), url).toBe('address');
      expect(report.message, url).toMatch(words);
      expect(report.latencyMs).toBeNull();
    }
  });

  it('calls an unknown host name a DNS problem (a real ENOTFOUND, from a resolver on 127.0.0.1)', async () => {
    const dns = await serve(startNoSuchNameDns().then((d) => ({ url: d.server, close: d.close })));
    const resolver = new Resolver({ timeout: 500, tries: 1 });
    resolver.setServers([dns.url]);
    // The missing token must not hide it: names come first.
    const report = await check('https://no-such-backend.invalid', {
      token: null,
      deps: { lookup: (hostname) => resolver.resolve4(hostname) },
    });
    expect(report.problem).toBe('dns');
    expect(failedRow(report)).toBe('reach');
    expect(report.message).toContain('no-such-backend.invalid could not be found (DNS)');
    expect(report.checks[1]?.detail).toContain('ENOTFOUND');
  });

  it('calls a name lookup that never finishes a DNS problem, within the timeout', async () => {
    const started = Date.now();
    const report = await check('https://slow-dns.example.com', {
      timeoutMs: 300,
      deps: { lookup: () => new Promise(() => undefined) },
    });
    expect(report.problem).toBe('dns');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('calls a port with nothing listening refused', async () => {
    const server = await serve(startNothingListening());
    const report = await check(server.url);
    expect(report.problem).toBe('refused');
    expect(failedRow(report)).toBe('reach');
    expect(report.message).toContain('connection was refused');
    expect(report.latencyMs).toBeNull();
  });

  it('calls a self-signed certificate a TLS problem, though the backend behind it is fine', async () => {
    const server = await serve(startSelfSignedHttpsServer());
    const report = await check(server.url);
    expect(report.problem).toBe('tls');
    expect(failedRow(report)).toBe('reach');
    expect(report.message).toContain('self-signed');
    expect(report.checks[1]?.detail).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('gives up on a server that never answers after the timeout', async () => {
    const server = await serve(startSilentServer());
    const started = Date.now();
    const report = await check(server.url, { timeoutMs: 300 });
    const elapsed = Date.now() - started;
    expect(report.problem).toBe('timeout');
    expect(failedRow(report)).toBe('reach');
    expect(report.checks[1]?.detail).toContain('300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('calls a connection dropped without an answer a network problem', async () => {
    const server = await serve(startHangUpServer());
    const report = await check(server.url);
    expect(report.problem).toBe('network');
    expect(failedRow(report)).toBe('reach');
    expect(report.message).toContain('ECONNRESET');
  });

  it('says there is no PassDesk API when everything is 404', async () => {
    const server = await serve(startNotFoundEverywhere());
    const report = await check(server.url);
    expect(report.problem).toBe('http-error');
    expect(failedRow(report)).toBe('api');
    expect(report.message).toContain('no PassDesk API at /api/v1 (HTTP 404)');
    expect(report.latencyMs).not.toBeNull();
  });

  it('calls a health answer that is not JSON malformed', async () => {
    const server = await serve(startNonJsonHealth());
    const report = await check(server.url);
    expect(report.problem).toBe('malformed');
    expect(failedRow(report)).toBe('api');
    expect(report.message).toContain('not with the PassDesk API (health: not JSON)');
    expect(report.apiVersion).toBeNull();
  });

  it('calls a health answer of the wrong shape malformed, naming the field', async () => {
    const server = await serve(startWrongShapeHealth());
    const report = await check(server.url);
    expect(report.problem).toBe('malformed');
    expect(failedRow(report)).toBe('api');
    expect(report.message).toMatch(/not with the PassDesk API \(health: .+ at status\)/u);
  });

  it('names both versions when the backend speaks another major API version', async () => {
    const server = await serve(startFutureApiBackend('2.0'));
    const report = await check(server.url);
    expect(report.problem).toBe('api-version');
    expect(failedRow(report)).toBe('api');
    expect(report.message).toContain('PassDesk API 2.0');
    expect(report.message).toContain(`API ${API_VERSION}`);
    expect(report.apiVersion).toBe('2.0');
    expect(report.backendVersion).toBe(GOOD_HEALTH.version);
  });

  it('accepts a newer minor version of the same major one', async () => {
    const server = await serve(startFutureApiBackend('1.7'));
    const report = await check(server.url);
    expect(report.ok).toBe(true);
    expect(report.apiVersion).toBe('1.7');
  });

  it('asks for a token when none is given, once the backend is known to answer', async () => {
    const server = await serve(startFakeBackend({ health: { status: 200, body: GOOD_HEALTH } }));
    for (const token of [null, '', '   ']) {
      const report = await check(server.url, { token });
      expect(report.problem).toBe('no-token');
      expect(failedRow(report)).toBe('token');
      expect(report.checks.slice(0, 3).map((row) => row.status)).toEqual([
        'passed',
        'passed',
        'passed',
      ]);
    }
    expect(server.heard.map((request) => request.path)).toEqual(Array(3).fill('/api/v1/health'));
  });

  it('calls 401 and 403 to the rules a refused token, with different advice', async () => {
    const unknown = await serve(startTokenRefusingBackend(401));
    const notAdmin = await serve(startTokenRefusingBackend(403));
    const first = await check(unknown.url);
    const second = await check(notAdmin.url);
    for (const report of [first, second]) {
      expect(report.problem).toBe('token-refused');
      expect(failedRow(report)).toBe('token');
    }
    expect(first.message).toContain('HTTP 401');
    expect(second.message).toContain('HTTP 403');
    expect(second.message).toContain('admin rights');
    // The open health route never gets the token; the rules route gets it as a bearer token.
    expect(unknown.heard).toEqual([
      { method: 'GET', path: '/api/v1/health', authorization: undefined },
      { method: 'GET', path: '/api/v1/rules', authorization: `Bearer ${TOKEN}` },
    ]);
  });

  it('calls rules that do not fit malformed, naming the field', async () => {
    const server = await serve(startMalformedRulesBackend());
    const report = await check(server.url);
    expect(report.problem).toBe('malformed');
    expect(failedRow(report)).toBe('rules');
    expect(report.checks[3]?.status).toBe('passed');
    expect(report.message).toContain('applicationPassword.minLength');
  });

  it('answers with a report instead of throwing, even on a bug', async () => {
    const input = {
      get url(): string {
        throw new Error(`no url for ${TOKEN}`);
      },
      token: TOKEN,
      timeoutMs: TIMEOUT_MS,
    };
    const report = await testConnection(input, noLookup);
    expect(ConnectionTestReport.parse(report)).toEqual(report);
    expect(report.problem).toBe('network');
    expect(failedRow(report)).toBe('address');
    expect(report.message).toContain('unexpected error');
    expect(JSON.stringify(report)).not.toContain(TOKEN);
  });
});
