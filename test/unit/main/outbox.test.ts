import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type RunningBackend } from '../../../electron/backend/index.ts';
import { createAppCore, type AppCore } from '../../../electron/main/app-core.ts';
import { APP_CSP } from '../../../electron/main/security/content-security-policy.ts';
import { createOutboxHandlers } from '../../../electron/main/ipc/outbox.ts';
import {
  createOutboxService,
  type OutboxService,
  OUTBOX_NEEDS_BUILT_IN,
} from '../../../electron/main/services/outbox-service.ts';
import { createProvisioningClient } from '../../../electron/main/services/provisioning-client.ts';
import { memorySettingsStorage } from '../../../electron/main/services/settings-service.ts';
import {
  HIDDEN_LINK_TOKEN,
  invokeContract,
  type InvokeMethod,
  type OutputOf,
  type Result,
} from '../../../shared/ipc/index.ts';
import { silentLogger } from '../../../shared/log/index.ts';

const ours = { frameUrl: 'app://passdesk/index.html', isMainFrame: true, isOurWindow: true };
const RESET_LINK = /^http:\/\/127\.0\.0\.1:\d+\/reset\/[A-Za-z0-9_-]{43}$/u;

function dataOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result.data;
}

/** Users of the demo seed that have an email address. */
async function usersWithEmail(core: AppCore, count: number): Promise<string[]> {
  const page = dataOf(await core.client.request('users', { query: { limit: 200 } }));
  return page.users
    .filter((user) => user.email !== null)
    .slice(0, count)
    .map((user) => user.id);
}

/** The one part of a backend session the outbox handlers use. */
const sessionWith = (outbox: OutboxService) => () => ({ outbox });

describe('the outbox through the app core (built-in backend)', () => {
  const opened: string[] = [];
  let dataDir: string;
  let core: AppCore;
  /** One call as the renderer makes it: through the checked dispatcher, on the method's channel. */
  const call = <M extends InvokeMethod>(method: M, input: unknown) =>
    core.dispatcher.dispatch(invokeContract[method].channel, input, ours) as Promise<
      Result<OutputOf<M>>
    >;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'passdesk-outbox-'));
    mkdirSync(path.join(dataDir, 'renderer'));
    core = await createAppCore({
      name: 'PassDesk',
      version: '0.0.0',
      dataDir,
      rendererDir: path.join(dataDir, 'renderer'),
      trustedOrigins: ['app://passdesk'],
      eventSink: () => undefined,
      logger: silentLogger,
      settingsStorage: memorySettingsStorage(),
      credentialsStorage: memorySettingsStorage(),
      tokenCipher: null,
      osUser: () => 'tester',
      hashCost: 'test',
      openExternal: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
    });
  });
  afterAll(async () => {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists nothing before an email is sent', async () => {
    expect(dataOf(await call('listOutbox', {}))).toEqual({
      messages: [],
      nextCursor: null,
    });
  });

  it('lists sent emails newest first and shows one without its token or raw .eml', async () => {
    const [first, second] = await usersWithEmail(core, 2);
    for (const userId of [first, second]) {
      dataOf(await core.client.request('recoveryEmails', { body: { userIds: [userId] } }));
    }
    const list = dataOf(await call('listOutbox', {}));
    expect(list.nextCursor).toBeNull();
    expect(list.messages).toHaveLength(2);
    const [newest, older] = list.messages;
    expect(newest?.id).toBeGreaterThan(older?.id ?? Infinity);
    expect(newest).toMatchObject({
      kind: 'recovery-link',
      subject: 'Reset your telephony passwords',
      delivery: 'outbox-only',
    });

    const view = dataOf(await call('getOutboxMessage', { id: newest?.id }));
    expect(Object.keys(view).sort()).toEqual(
      [
        'delivery',
        'from',
        'hasResetLink',
        'html',
        'id',
        'kind',
        'sentAt',
        'subject',
        'text',
        'to',
      ].sort(),
    );
    expect(view.to).toBe(newest?.to);
    expect(view.hasResetLink).toBe(true);
    expect(view.text).toContain(`/reset/${HIDDEN_LINK_TOKEN}`);
    expect(view.html).toContain(`/reset/${HIDDEN_LINK_TOKEN}`);
    // The backend's copy has the live token; the renderer's copy has none of it.
    const stored = dataOf(
      await core.client.request('outboxMessage', { params: { id: String(view.id) } }),
    );
    const token = /\/reset\/([A-Za-z0-9_-]{43})/u.exec(stored.text)?.[1] ?? 'missing';
    expect(JSON.stringify(view)).not.toContain(token);
  });

  it('lets the page policy apply exactly the sent emails’ inline styles (by hash)', async () => {
    const [newest] = dataOf(await call('listOutbox', {})).messages;
    const view = dataOf(await call('getOutboxMessage', { id: newest?.id }));
    const styles = [...view.html.matchAll(/\sstyle="([^"]*)"/gu)].map((match) => match[1] ?? '');
    expect(styles.length).toBeGreaterThan(3);
    const attrPolicy = /style-src-attr ([^;]*)/u.exec(APP_CSP)?.[1] ?? '';
    expect(attrPolicy).toMatch(/^'unsafe-hashes' 'sha256-/u);
    for (const style of styles) {
      const hash = createHash('sha256').update(style, 'utf8').digest('base64');
      expect(attrPolicy, style).toContain(`'sha256-${hash}'`);
    }
    expect(APP_CSP).not.toMatch(/unsafe-inline/u);
  });

  it('opens exactly the Reset link of the message asked for', async () => {
    const list = dataOf(await call('listOutbox', {}));
    opened.length = 0;
    for (const message of list.messages) {
      expect(dataOf(await call('openOutboxLink', { id: message.id }))).toEqual({
        opened: true,
      });
    }
    expect(opened).toHaveLength(2);
    for (const [index, message] of list.messages.entries()) {
      const stored = dataOf(
        await core.client.request('outboxMessage', { params: { id: String(message.id) } }),
      );
      expect(opened[index]).toMatch(RESET_LINK);
      expect(stored.text).toContain(opened[index]);
    }
    expect(new Set(opened).size).toBe(2);
  });

  it('opens nothing for an email without a Reset link', async () => {
    // The end user generates a passcode with the link: the confirmation email has no link.
    opened.length = 0;
    const [newest] = dataOf(await call('listOutbox', {})).messages;
    const stored = dataOf(
      await core.client.request('outboxMessage', { params: { id: String(newest?.id) } }),
    );
    const link = /http:\/\/\S+\/reset\/([A-Za-z0-9_-]{43})/u.exec(stored.text);
    const answer = await fetch(`${new URL(link?.[0] ?? '').origin}/api/v1/self-service/passcode`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${link?.[1] ?? ''}` },
    });
    expect(answer.status).toBe(200);
    const [confirmation] = dataOf(await call('listOutbox', {})).messages;
    expect(confirmation?.kind).toBe('change-confirmation');

    const view = dataOf(await call('getOutboxMessage', { id: confirmation?.id }));
    expect(view.hasResetLink).toBe(false);
    expect(await call('openOutboxLink', { id: confirmation?.id })).toEqual({
      ok: false,
      code: 'not-found',
      message: 'This email has no Reset link.',
    });
    expect(opened).toEqual([]);
  });

  it('answers not-found for a message that does not exist, and checks the input', async () => {
    expect(await call('getOutboxMessage', { id: 9999 })).toMatchObject({
      ok: false,
      code: 'not-found',
    });
    expect(await call('openOutboxLink', { id: 9999 })).toMatchObject({
      ok: false,
      code: 'not-found',
    });
    expect(await call('openOutboxLink', { url: 'https://evil.example/' })).toMatchObject({
      ok: false,
      code: 'invalid-input',
    });
    expect(opened).toEqual([]);
  });
});

describe('the outbox service on its own', () => {
  let backend: RunningBackend;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'passdesk-outbox-'));
    // Links that point somewhere other than the backend PassDesk runs.
    backend = await startBackend({
      dataDir,
      seed: 'demo',
      hashCost: 'test',
      staticDir: null,
      publicBaseUrl: 'https://reset.example.com',
    });
  });
  afterAll(async () => {
    await backend.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const clientOf = (kind: 'built-in' | 'remote') =>
    createProvisioningClient({ kind, url: backend.url, token: backend.adminToken }, { retries: 0 });

  it('refuses a Reset link whose origin is not the built-in backend’s', async () => {
    const client = clientOf('built-in');
    const users = dataOf(await client.request('users', { query: { limit: 50 } }));
    const userId = users.users.find((user) => user.email !== null)?.id ?? '';
    dataOf(await client.request('recoveryEmails', { body: { userIds: [userId] } }));
    const opened: string[] = [];
    const handlers = createOutboxHandlers({
      session: sessionWith(
        createOutboxService({
          client,
          builtInUrl: backend.url,
          openExternal: (url) => {
            opened.push(url);
            return Promise.resolve();
          },
        }),
      ),
    });
    const [message] = dataOf(await handlers.listOutbox({})).messages;
    const view = dataOf(await handlers.getOutboxMessage({ id: message?.id ?? 0 }));
    expect(view.hasResetLink).toBe(true);
    expect(view.text).toContain(`https://reset.example.com/reset/${HIDDEN_LINK_TOKEN}`);

    const answer = await handlers.openOutboxLink({ id: message?.id ?? 0 });
    expect(answer).toEqual({
      ok: false,
      code: 'forbidden',
      message: `PassDesk opens only links to the built-in backend (${backend.url}); this email's Reset link points to https://reset.example.com.`,
    });
    expect(opened).toEqual([]);
  });

  it('opens nothing, and says so, where there is no system browser', async () => {
    const local = mkdtempSync(path.join(tmpdir(), 'passdesk-outbox-'));
    const own = await startBackend({
      dataDir: local,
      seed: 'demo',
      hashCost: 'test',
      staticDir: null,
    });
    try {
      const client = createProvisioningClient(
        { kind: 'built-in', url: own.url, token: own.adminToken },
        { retries: 0 },
      );
      const users = dataOf(await client.request('users', { query: { limit: 50 } }));
      const userId = users.users.find((user) => user.email !== null)?.id ?? '';
      dataOf(await client.request('recoveryEmails', { body: { userIds: [userId] } }));
      const handlers = createOutboxHandlers({
        session: sessionWith(createOutboxService({ client, builtInUrl: own.url })),
      });
      const [message] = dataOf(await handlers.listOutbox({})).messages;
      expect(await handlers.openOutboxLink({ id: message?.id ?? 0 })).toEqual({
        ok: true,
        data: { opened: false },
      });
    } finally {
      await own.close();
      rmSync(local, { recursive: true, force: true });
    }
  });

  it('refuses everything with a clear message for a remote backend, without asking it', async () => {
    const opened: string[] = [];
    const handlers = createOutboxHandlers({
      session: sessionWith(
        createOutboxService({
          // A backend that would answer: the refusal comes from its kind, not from it.
          client: clientOf('remote'),
          builtInUrl: backend.url,
          openExternal: (url) => {
            opened.push(url);
            return Promise.resolve();
          },
        }),
      ),
    });
    const refused = { ok: false, code: 'not-found', message: OUTBOX_NEEDS_BUILT_IN };
    expect(await handlers.listOutbox({})).toEqual(refused);
    expect(await handlers.getOutboxMessage({ id: 1 })).toEqual(refused);
    expect(await handlers.openOutboxLink({ id: 1 })).toEqual(refused);
    expect(OUTBOX_NEEDS_BUILT_IN).toBe(
      'The outbox is kept only by the built-in backend; PassDesk is using a remote backend.',
    );
    expect(opened).toEqual([]);
  });
});
