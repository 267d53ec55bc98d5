import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startBackend, type RunningBackend } from '../../../electron/backend/index.ts';
import { createAppCore, type AppCore } from '../../../electron/main/app-core.ts';
import type { TokenCipher } from '../../../electron/main/services/credentials-service.ts';
import {
  memorySettingsStorage,
  type SettingsStorage,
} from '../../../electron/main/services/settings-service.ts';
import { fileSettingsStorage } from '../../support/file-settings-storage.ts';
import {
  invokeContract,
  type InvokeMethod,
  type OutputOf,
  type Result,
  type UsersLoad,
} from '../../../shared/ipc/index.ts';
import { createLogger } from '../../../shared/log/index.ts';
import { startFaultProxy, type FaultProxy } from '../jobs/fault-proxy.ts';
import { startNothingListening } from '../../support/misbehaving-servers.ts';
import { testTokenCipher } from '../../support/test-token-cipher.ts';

const ours = { frameUrl: 'app://passdesk/index.html', isMainFrame: true, isOurWindow: true };
const TOKEN = 'remote-admin-token-0123456789abcdef0123';
const PASSWORD = 'Jb7#kQ2!mx';

function dataOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result.data;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The remote backend: a standalone built-in backend with its own data, behind a fault proxy. */
async function remoteBackend(): Promise<{ backend: RunningBackend; proxy: FaultProxy }> {
  const backend = await startBackend({
    dataDir: mkdtempSync(path.join(tmpdir(), 'passdesk-remote-')),
    seed: 'large:300',
    hashCost: 'test',
    staticDir: null,
    adminToken: TOKEN,
  });
  const proxy = await startFaultProxy(backend.url);
  cleanups.push(async () => {
    await proxy.close();
    await backend.close();
  });
  return { backend, proxy };
}

interface Profile {
  dataDir: string;
  credentials: SettingsStorage;
  cipher: TokenCipher;
}

function newProfile(): Profile {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'passdesk-profile-'));
  mkdirSync(path.join(dataDir, 'renderer'));
  return { dataDir, credentials: memorySettingsStorage(), cipher: testTokenCipher() };
}

/** One run of the app on `profile`: the settings persist in its folder between runs. */
async function open(profile: Profile) {
  const events: { channel: string; payload: unknown }[] = [];
  const logLines: string[] = [];
  const core: AppCore = await createAppCore({
    name: 'PassDesk',
    version: '0.0.0',
    dataDir: profile.dataDir,
    rendererDir: path.join(profile.dataDir, 'renderer'),
    trustedOrigins: ['app://passdesk'],
    eventSink: (channel, payload) => events.push({ channel, payload }),
    logger: createLogger({ sink: (line) => logLines.push(line) }),
    settingsStorage: fileSettingsStorage(profile.dataDir),
    credentialsStorage: profile.credentials,
    tokenCipher: profile.cipher,
    osUser: () => 'tester',
    hashCost: 'test',
    monitor: { intervalMs: 200, retryMs: 50, maxRetryMs: 200 },
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await core.close();
  };
  cleanups.push(close);
  const call = async <M extends InvokeMethod>(method: M, input?: unknown) =>
    (await core.dispatcher.dispatch(invokeContract[method].channel, input, ours)) as Result<
      OutputOf<M>
    >;
  return { core, call, events, logLines, close };
}

/** The first users of all locations, once main has read them from the backend in use. */
async function firstUsers(app: Awaited<ReturnType<typeof open>>, count: number) {
  await vi.waitFor(
    async () =>
      expect(dataOf(await app.call('loadUsers', { list: null, retry: false })).state).toBe('done'),
    { timeout: 10_000 },
  );
  const view = { list: null, search: '', sort: [] };
  const block = dataOf(await app.call('usersBlock', { view, start: 0, end: count }));
  return block.users.map((user) => user.id);
}

async function resetAndWait(app: Awaited<ReturnType<typeof open>>, userIds: string[]) {
  const { jobId } = dataOf(
    await app.call('startJob', { kind: 'password-reset', userIds, applicationPassword: PASSWORD }),
  );
  await app.core.jobs.idle(jobId);
  return jobId;
}

describe('switching backends', () => {
  it('reloads everything from the new backend, and never shows or sends one backend’s jobs to the other', async () => {
    const remote = await remoteBackend();
    const profile = newProfile();
    const app = await open(profile);
    const builtInJob = await resetAndWait(app, await firstUsers(app, 3));
    const builtInLocations = dataOf(await app.call('listLocations'));

    const switched = await app.call('updateSettings', {
      backend: 'remote',
      remote: { url: remote.proxy.url },
      token: TOKEN,
    });
    expect(dataOf(switched)).toMatchObject({
      backend: 'remote',
      remote: { url: remote.proxy.url },
      token: { set: true, kept: 'encrypted' },
    });
    expect(JSON.stringify(switched)).not.toContain(TOKEN);
    expect(app.events.find((e) => e.channel === 'backend:changed')?.payload).toMatchObject({
      backend: { kind: 'remote', url: remote.proxy.url },
    });
    expect(dataOf(await app.call('getAppInfo')).backend).toEqual({
      kind: 'remote',
      url: remote.proxy.url,
    });
    expect(dataOf(await app.call('listLocations'))).not.toEqual(builtInLocations);
    expect(dataOf(await app.call('listJobs'))).toEqual([]);
    expect((await app.call('jobResults', { jobId: builtInJob })).ok).toBe(false);
    expect(dataOf(await app.call('lastActions', { since: null })).entries).toEqual([]);

    const remoteUsers = await firstUsers(app, 5);
    const remoteJob = await resetAndWait(app, remoteUsers);
    expect(dataOf(await app.call('listJobs')).map((job) => job.id)).toEqual([remoteJob]);
    expect(app.core.session().jobs.job(remoteJob)?.backend).toBe(`remote:${remote.proxy.url}`);
    // Every request went with the token, and the remote changed exactly its own users.
    const posts = remote.proxy.seen.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    expect(
      new Set(dataOf(await app.call('lastActions', { since: null })).entries.map((e) => e.userId)),
    ).toEqual(new Set(remoteUsers));

    await app.call('updateSettings', { backend: 'built-in' });
    expect(dataOf(await app.call('listJobs')).map((job) => job.id)).toEqual([builtInJob]);
    expect(dataOf(await app.call('listLocations'))).toEqual(builtInLocations);
    // The token is in no event, log line, journal or settings file.
    expect(JSON.stringify(app.events)).not.toContain(TOKEN);
    expect(app.logLines.join('\n')).not.toContain(TOKEN);
    for (const file of readdirSync(profile.dataDir, { recursive: true })) {
      const full = path.join(profile.dataDir, String(file));
      if (statSync(full).isFile())
        expect(readFileSync(full).toString('latin1')).not.toContain(TOKEN);
    }
    // The remote's URL and token are kept for next time.
    expect(dataOf(await app.call('getSettings'))).toMatchObject({
      backend: 'built-in',
      remote: { url: remote.proxy.url },
      token: { set: true },
    });
  });

  it('reads every location’s users once a backend answers, before the window asks', async () => {
    const app = await open(newProfile());
    const everyoneRead = () =>
      app.events.some(
        (e) =>
          e.channel === 'users:changed' &&
          (e.payload as UsersLoad).list === null &&
          (e.payload as UsersLoad).state === 'done',
      );
    // The built-in backend, from the start: nothing here asked for them.
    await vi.waitFor(() => expect(everyoneRead()).toBe(true), { timeout: 10_000 });

    const remote = await remoteBackend();
    app.events.length = 0;
    await app.call('updateSettings', {
      backend: 'remote',
      remote: { url: remote.proxy.url },
      token: TOKEN,
    });
    await vi.waitFor(() => expect(everyoneRead()).toBe(true), { timeout: 10_000 });
    expect(remote.proxy.seen.some((r) => r.path.startsWith('/api/v1/users?'))).toBe(true);
  });

  it('refuses to switch while a job runs, and switches once it is done', async () => {
    const remote = await remoteBackend();
    const app = await open(newProfile());
    const users = await firstUsers(app, 50);
    const { jobId } = dataOf(
      await app.call('startJob', {
        kind: 'password-reset',
        userIds: users,
        applicationPassword: PASSWORD,
      }),
    );
    const refused = await app.call('updateSettings', {
      backend: 'remote',
      remote: { url: remote.proxy.url },
      token: TOKEN,
    });
    expect(refused).toEqual({
      ok: false,
      code: 'conflict',
      message:
        'A job is running or being checked on the current backend. Wait for it to finish, or cancel it, then change the backend.',
    });
    expect(dataOf(await app.call('getSettings')).backend).toBe('built-in');
    await app.core.jobs.idle(jobId);
    expect(
      (
        await app.call('updateSettings', {
          backend: 'remote',
          remote: { url: remote.proxy.url },
          token: TOKEN,
        })
      ).ok,
    ).toBe(true);
  });

  it('settles a job an earlier run left open only with the backend it was sent to', async () => {
    const remote = await remoteBackend();
    const profile = newProfile();
    const first = await open(profile);
    dataOf(
      await first.call('updateSettings', {
        backend: 'remote',
        remote: { url: remote.proxy.url },
        token: TOKEN,
      }),
    );
    // The remote works slowly: the app is closed while batches are out.
    remote.proxy.setPlan((request) =>
      request.method === 'POST' ? { kind: 'delay', ms: 400 } : { kind: 'pass' },
    );
    const users = await firstUsers(first, 200);
    const { jobId } = dataOf(
      await first.call('startJob', {
        kind: 'password-reset',
        userIds: users,
        applicationPassword: PASSWORD,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await first.close();
    remote.proxy.setPlan(() => ({ kind: 'pass' }));

    // Next run, on the built-in backend: the remote's job is not its business.
    const settings = JSON.parse(
      readFileSync(path.join(profile.dataDir, 'settings.json'), 'utf8'),
    ) as object;
    fileSettingsStorage(profile.dataDir).write({ ...settings, backend: 'built-in' });
    const lookupsBefore = remote.proxy.seen.filter((r) =>
      r.path.includes('idempotency-keys'),
    ).length;
    const second = await open(profile);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(dataOf(await second.call('listJobs'))).toEqual([]);
    expect(remote.proxy.seen.filter((r) => r.path.includes('idempotency-keys'))).toHaveLength(
      lookupsBefore,
    );

    // Back on the remote, the job is settled there, by key.
    dataOf(await second.call('updateSettings', { backend: 'remote' }));
    await second.core.jobs.idle(jobId);
    await second.core.jobs.recover();
    const [job] = dataOf(await second.call('listJobs'));
    expect(job?.id).toBe(jobId);
    expect(job?.counts.unconfirmed ?? 0).toBe(0);
    expect(
      remote.proxy.seen.filter((r) => r.path.includes('idempotency-keys')).length,
    ).toBeGreaterThan(lookupsBefore);
  });

  it('starts on a remote backend at once, and says when it does not answer or has no token', async () => {
    const nothing = await startNothingListening();
    cleanups.push(() => nothing.close());
    const profile = newProfile();
    fileSettingsStorage(profile.dataDir).write({
      version: 2,
      operatorName: '',
      backend: 'remote',
      remote: { url: nothing.url, timeoutSeconds: 5, maxConcurrentRequests: 2 },
    });
    const started = Date.now();
    const app = await open(profile);
    expect(Date.now() - started).toBeLessThan(3000);
    const until = Date.now() + 5000;
    while (dataOf(await app.call('getConnection')).state === 'connecting' && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(dataOf(await app.call('getConnection'))).toMatchObject({
      state: 'unreachable',
      message: expect.stringContaining('the connection was refused') as unknown,
    });
    // Nothing of the built-in backend was started.
    expect(readdirSync(profile.dataDir)).not.toContain('backend');
    await app.close();

    // A backend that answers, but no token is kept for it (it was kept for one run only).
    const remote = await remoteBackend();
    fileSettingsStorage(profile.dataDir).write({
      version: 2,
      operatorName: '',
      backend: 'remote',
      remote: { url: remote.proxy.url, timeoutSeconds: 5, maxConcurrentRequests: 2 },
    });
    const again = await open(profile);
    const status = dataOf(await again.call('getConnection'));
    const settled =
      status.state === 'connecting' ? await again.core.session().connection.checkNow() : status;
    expect(settled).toMatchObject({
      state: 'token-refused',
      message: expect.stringContaining('No API token is kept for this backend') as unknown,
    });
    expect(remote.proxy.seen.filter((r) => !r.path.endsWith('/health'))).toEqual([]);
  });
});
