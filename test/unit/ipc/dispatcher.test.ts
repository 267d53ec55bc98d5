import { describe, expect, it, vi } from 'vitest';
import {
  createEventPublisher,
  createIpcDispatcher,
} from '../../../electron/main/ipc/dispatcher.ts';
import { createIpcHandlers } from '../../../electron/main/ipc/handlers.ts';
import { createRulesService } from '../../../electron/main/services/rules-service.ts';
import { APP_ORIGIN } from '../../../electron/main/security/origins.ts';
import { invokeContract, ok, type IpcHandlers } from '../../../shared/ipc/index.ts';
import { createLogger, silentLogger } from '../../../shared/log/index.ts';
import { createJobRunner } from '../../../electron/main/services/jobs/job-runner.ts';
import { openJournal } from '../../../electron/main/services/jobs/journal.ts';
import { openSessionUsers } from '../../../electron/main/services/users-table/session-users.ts';
import { createOutboxService } from '../../../electron/main/services/outbox-service.ts';
import { createProvisioningClient } from '../../../electron/main/services/provisioning-client.ts';
import {
  createSettingsService,
  memorySettingsStorage,
} from '../../../electron/main/services/settings-service.ts';
import { createConnectionMonitor } from '../../../electron/main/services/backend/connection-monitor.ts';
import type { BackendSession } from '../../../electron/main/services/backend/backend-session.ts';
import { createCredentialsService } from '../../../electron/main/services/credentials-service.ts';
import { createSettingsController } from '../../../electron/main/services/settings-controller.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_RULES } from '../../../shared/rules/index.ts';

const ours = { frameUrl: 'app://passdesk/index.html', isMainFrame: true, isOurWindow: true };

function setup(overrides: Partial<IpcHandlers> = {}) {
  const lines: string[] = [];
  const sent: { channel: string; payload: unknown }[] = [];
  const rules = createRulesService();
  const client = createProvisioningClient(
    { kind: 'remote', url: 'http://127.0.0.1:9', token: 't' },
    { retries: 0 },
  );
  const settings = createSettingsService(memorySettingsStorage(), () => 'os-user');
  const events = createEventPublisher((channel, payload) => sent.push({ channel, payload }));
  const jobs = createJobRunner({
    client,
    journal: openJournal(mkdtempSync(path.join(tmpdir(), 'passdesk-journal-'))),
    rules: rules.current,
    actor: settings.operator,
    onUpdate: (summary) => events.publish('onJobUpdate', summary),
    logger: silentLogger,
  });
  rules.onChange((next) => events.publish('onRulesChanged', next));
  const connection = createConnectionMonitor({
    client,
    onChange: () => undefined,
    logger: silentLogger,
  });
  const session: BackendSession = {
    id: 'remote:http://127.0.0.1:9',
    config: {
      kind: 'remote',
      url: 'http://127.0.0.1:9',
      timeoutMs: 1000,
      maxConcurrentRequests: 2,
    },
    target: client.target,
    client,
    connection,
    rules,
    jobs,
    outbox: createOutboxService({ client, builtInUrl: 'http://127.0.0.1:9' }),
    users: openSessionUsers({
      client,
      connection,
      jobs: () => jobs,
      onChange: (load) => events.publish('onUsersChanged', load),
    }),
    close: () => Promise.resolve(),
  };
  const controller = createSettingsController({
    settings,
    credentials: createCredentialsService({
      storage: memorySettingsStorage(),
      cipher: null,
      logger: silentLogger,
    }),
    backends: { busy: () => null, switchTo: () => Promise.resolve(null) },
    osUser: () => 'os-user',
  });
  const handlers = {
    ...createIpcHandlers({
      takeNotices: () => [],
      appInfo: () => ({
        name: 'PassDesk',
        version: '1.2.3',
        backend: { kind: 'remote', url: 'https://pbx.example.com' },
      }),
      session: () => session,
      settings: controller,
      testConnection: () => Promise.reject(new Error('not in this test')),
    }),
    ...overrides,
  };
  const dispatcher = createIpcDispatcher({
    handlers,
    trustedOrigins: [APP_ORIGIN],
    logger: createLogger({ sink: (line) => lines.push(line) }),
  });
  return { dispatcher, lines, sent, rules };
}

describe('the IPC dispatcher', () => {
  it('serves one channel per operation of the contract', () => {
    const { dispatcher } = setup();
    expect([...dispatcher.channels].sort()).toEqual(
      Object.values(invokeContract)
        .map((spec) => spec.channel)
        .sort(),
    );
  });

  it('answers app:info and rules:get', async () => {
    const { dispatcher } = setup();
    expect(await dispatcher.dispatch('app:info', undefined, ours)).toEqual({
      ok: true,
      data: {
        name: 'PassDesk',
        version: '1.2.3',
        backend: { kind: 'remote', url: 'https://pbx.example.com' },
      },
    });
    expect(await dispatcher.dispatch('rules:get', undefined, ours)).toEqual({
      ok: true,
      data: DEFAULT_RULES,
    });
  });

  it.each([
    ['a foreign origin', { ...ours, frameUrl: 'https://evil.example.net/' }],
    ['a sub-frame', { ...ours, isMainFrame: false }],
    ['another window', { ...ours, isOurWindow: false }],
  ])('refuses %s before running anything', async (_name, sender) => {
    const getAppInfo = vi.fn<IpcHandlers['getAppInfo']>();
    const { dispatcher, lines } = setup({ getAppInfo });
    expect(await dispatcher.dispatch('app:info', undefined, sender)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(getAppInfo).not.toHaveBeenCalled();
    expect(lines.join('\n')).toContain('foreign sender');
  });

  it('refuses bad input with a message that names the problem', async () => {
    const { dispatcher } = setup();
    const result = await dispatcher.dispatch('rules:get', { sneaky: true }, ours);
    expect(result).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(!result.ok && result.message).toMatch(/^Invalid input for rules:get: input: /);
  });

  it('refuses an unknown channel', async () => {
    const { dispatcher } = setup();
    expect(await dispatcher.dispatch('users:delete-all', undefined, ours)).toMatchObject({
      ok: false,
      code: 'unknown-operation',
    });
  });

  it('turns a handler bug into "internal" and logs it without secrets', async () => {
    const { dispatcher, lines } = setup({
      getAppInfo: () => {
        const error = new Error('boom');
        Object.assign(error, { config: { data: '{"applicationPassword":"Zx9/Qw8#"}' } });
        return Promise.reject(error);
      },
    });
    const result = await dispatcher.dispatch('app:info', undefined, ours);
    expect(result).toEqual({
      ok: false,
      code: 'internal',
      message: 'PassDesk hit an internal error; the details are in its log.',
    });
    expect(lines.join('\n')).toContain('boom');
    expect(lines.join('\n')).not.toContain('Zx9/Qw8#');
  });

  it('refuses to send data outside the contract', async () => {
    const { dispatcher } = setup({
      getAppInfo: () =>
        Promise.resolve(
          ok({
            name: 'x',
            version: '1',
            backend: { kind: 'built-in', url: 'u' },
            password: 'leak',
          } as never),
        ),
    });
    expect(await dispatcher.dispatch('app:info', undefined, ours)).toMatchObject({
      ok: false,
      code: 'internal',
    });
  });

  it('passes expected failures through as data', async () => {
    const { dispatcher } = setup({
      getRules: () => Promise.resolve({ ok: false, code: 'backend-unavailable', message: 'down' }),
    });
    expect(await dispatcher.dispatch('rules:get', undefined, ours)).toEqual({
      ok: false,
      code: 'backend-unavailable',
      message: 'down',
    });
  });
});

describe('events', () => {
  it('publishes rules:changed when the rules change, and only then', () => {
    const { rules, sent } = setup();
    rules.replace(DEFAULT_RULES);
    expect(sent).toEqual([]);
    const next = {
      ...DEFAULT_RULES,
      voicePortalPasscode: { ...DEFAULT_RULES.voicePortalPasscode, minLength: 4 },
    };
    rules.replace(next);
    expect(sent).toEqual([{ channel: 'rules:changed', payload: next }]);
  });

  it('refuses a payload that does not match its schema', () => {
    const publisher = createEventPublisher(() => undefined);
    expect(() =>
      publisher.publish('onRulesChanged', { ...DEFAULT_RULES, token: 'x' } as never),
    ).toThrow();
  });
});
