import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createIpcDispatcher } from '../../../electron/main/ipc/dispatcher.ts';
import { APP_ORIGIN } from '../../../electron/main/security/origins.ts';
import { isCheckedWith, markChecked } from '../../../electron/main/services/checked-answers.ts';
import { createProvisioningClient } from '../../../electron/main/services/provisioning-client.ts';
import { Location, User, UsersPage } from '../../../shared/api/index.ts';
import { ok, type IpcHandlers } from '../../../shared/ipc/index.ts';
import { silentLogger } from '../../../shared/log/index.ts';
import { startPageBackend } from '../../support/misbehaving-servers.ts';
import { startTestBackend, type TestBackend } from '../backend/harness.ts';

const ours = { frameUrl: 'app://passdesk/index.html', isMainFrame: true, isOurWindow: true };
const user: User = {
  id: '11635-01',
  firstName: 'Ana',
  lastName: 'Silva',
  email: null,
  locationId: 'loc-11635',
  intercepted: false,
  licenses: [],
};

function dispatcherWith(handlers: Partial<IpcHandlers>) {
  return createIpcDispatcher({
    handlers: handlers as IpcHandlers,
    trustedOrigins: [APP_ORIGIN],
    logger: silentLogger,
  });
}
const edit = { userId: user.id, email: null };
const view = { list: null, search: '', sort: [] };

describe('each answer is checked once on its way to the renderer', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(() => backend.close());

  it('the client parses, freezes and marks every answer it gives', async () => {
    const client = createProvisioningClient({
      kind: 'remote',
      url: backend.url,
      token: backend.token,
    });
    const page = await client.request('users', { query: { limit: 50 } });
    if (!page.ok) throw new Error(page.message);
    expect(isCheckedWith(page.data, UsersPage)).toBe(true);
    expect(isCheckedWith(page.data, Location)).toBe(false);
    expect(Object.isFrozen(page.data.users[0])).toBe(true);
    // Nothing can be added to it between the check and the renderer.
    expect(() => {
      (page.data.users[0] as unknown as Record<string, unknown>).password = 'x';
    }).toThrow(TypeError);
  });

  it('refuses a page where one user of many carries a field the contract lacks', async () => {
    const users = Array.from({ length: 2000 }, (_, at) => ({ ...user, id: `11635-${at}` }));
    users[1234] = { ...users[1234], applicationPassword: 'Tr0ub4dor&3' } as User;
    const server = await startPageBackend({ users, nextCursor: null, total: users.length });
    try {
      const client = createProvisioningClient({ kind: 'remote', url: server.url, token: 't' });
      const answer = await client.request('users', { query: { limit: 5000 } });
      // The quick check does not pass it, so the schema judges it and says where.
      expect(answer).toMatchObject({ ok: false, code: 'backend-error' });
      expect(answer.ok ? '' : answer.message).toMatch(/applicationPassword.* at users\.1234/u);
      expect(JSON.stringify(answer)).not.toContain('Tr0ub4dor');
    } finally {
      await server.close();
    }
  });

  it('the dispatcher does not parse a marked answer again, and parses anything else', async () => {
    const parse = vi.spyOn(User, 'safeParse');
    const marked = markChecked({ ...user }, User);
    const updateUser = () => Promise.resolve(ok(marked));
    expect(await dispatcherWith({ updateUser }).dispatch('users:update', edit, ours)).toEqual(
      ok(marked),
    );
    expect(parse).not.toHaveBeenCalled();

    // Not marked (or marked by another schema): parsed, and a stray field refused.
    const stray = { ...user, password: 'Tr0ub4dor&3' };
    const answer = await dispatcherWith({
      updateUser: () => Promise.resolve(ok(markChecked(stray, Location))),
    }).dispatch('users:update', edit, ours);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(answer).toMatchObject({ ok: false, code: 'internal' });
    expect(JSON.stringify(answer)).not.toContain('Tr0ub4dor');
    parse.mockRestore();
  });

  it('checks each block of the table main serves: a user with a stray field never passes', async () => {
    const load = {
      list: null,
      loaded: 1,
      total: 1,
      state: 'done',
      error: null,
      version: 1,
      rewrittenAt: 0,
      readAt: null,
      rereading: null,
    };
    const block = (users: unknown[]) => () =>
      Promise.resolve(ok({ users, matching: users.length, load }) as never);
    const input = { view, start: 0, end: 10 };
    const good = await dispatcherWith({ usersBlock: block([user]) }).dispatch(
      'users:block',
      input,
      ours,
    );
    expect(good).toEqual(ok({ users: [user], matching: 1, load }));
    const leaked = await dispatcherWith({
      usersBlock: block([{ ...user, voicePortalPasscode: '904417' }]),
    }).dispatch('users:block', input, ours);
    expect(leaked).toMatchObject({ ok: false, code: 'internal' });
    expect(JSON.stringify(leaked)).not.toContain('904417');
  });
});
