import { describe, expect, it } from 'vitest';
import { createProvisioningClient } from '../../../electron/main/services/provisioning-client.ts';
import { startTestBackend } from '../backend/harness.ts';
import type { ProvisioningClient } from '../../../electron/main/services/provisioning-client.ts';
import { createUsersPages } from '../../../electron/main/services/users-pages.ts';
import type { UsersPage } from '../../../shared/api/index.ts';
import { fail, ok, type Result } from '../../../shared/ipc/index.ts';

/** A client whose writes a test moves, and a backend of `pages` pages of one user each. */
function world(pages = 3) {
  const writes = { inFlight: 0, epoch: 0 };
  const client = { writes: () => ({ ...writes }) } as unknown as ProvisioningClient;
  const reads: string[] = [];
  /** Pages whose next read fails (once). */
  const failing = new Set<string>();
  const read = (_client: ProvisioningClient, query: { cursor?: string }) => {
    const at = Number(query.cursor ?? 0);
    reads.push(String(at));
    if (failing.delete(String(at))) {
      return Promise.resolve(fail('backend-unavailable', 'No answer.') as Result<UsersPage>);
    }
    return Promise.resolve(
      ok({
        users: [],
        nextCursor: at + 1 < pages ? String(at + 1) : null,
        total: pages,
      }) as Result<UsersPage>,
    );
  };
  return { writes, client, reads, read, failing };
}

/** Lets the reads ahead that a page started run (they go on as each read answers). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('pages of users, read two ahead', () => {
  it('reads the next two pages while this one is taken in, and gives them without reading again', async () => {
    const w = world(5);
    const page = createUsersPages(w.read);
    await page(w.client, {});
    await settle();
    expect(w.reads).toEqual(['0', '1', '2']); // two held, no more
    await page(w.client, { cursor: '1' });
    await settle();
    expect(w.reads).toEqual(['0', '1', '2', '3']);
    await page(w.client, { cursor: '2' });
    await page(w.client, { cursor: '3' });
    await settle();
    const last = await page(w.client, { cursor: '4' });
    expect(last).toMatchObject({ ok: true, data: { nextCursor: null } });
    await settle();
    expect(w.reads).toEqual(['0', '1', '2', '3', '4']); // each once, nothing after the last
  });

  it('reads again when a write was sent since, or was out when it read ahead', async () => {
    const w = world();
    const page = createUsersPages(w.read);
    await page(w.client, {});
    await settle();
    w.writes.epoch += 2; // an email edit, sent and answered
    await page(w.client, { cursor: '1' });
    await settle();
    expect(w.reads).toEqual(['0', '1', '2', '1', '2']);
    w.writes.inFlight = 1;
    w.writes.epoch += 1;
    await page(w.client, {}); // read while a write is out: nothing read ahead
    await settle();
    expect(w.reads).toEqual(['0', '1', '2', '1', '2', '0']);
  });

  it('gives a page read ahead only to the request it was read for, from the same backend', async () => {
    const w = world();
    const page = createUsersPages(w.read);
    await page(w.client, {});
    await settle();
    await page(w.client, { cursor: '1', locationId: 'loc-b' }); // another location
    await settle();
    const other = world();
    await page(other.client, { cursor: '2' }); // another backend's client
    expect(w.reads).toEqual(['0', '1', '2', '1', '2', '2']);
  });

  it('reads a page again when reading it ahead failed, and drops what came after', async () => {
    const w = world();
    const page = createUsersPages(w.read);
    w.failing.add('1');
    await page(w.client, {}); // page 0, then page 1 ahead, which fails (so no page 2)
    await settle();
    expect(w.reads).toEqual(['0', '1']);
    const answer = await page(w.client, { cursor: '1' });
    expect(answer.ok).toBe(true);
    await settle();
    expect(w.reads).toEqual(['0', '1', '1', '2']);
  });
});

describe('the client’s writes', () => {
  it('counts each write out and back, and no read', async () => {
    const backend = await startTestBackend();
    try {
      const client = createProvisioningClient({
        kind: 'remote',
        url: backend.url,
        token: backend.token,
      });
      await client.request('users', { query: { limit: 5 } });
      expect(client.writes()).toEqual({ inFlight: 0, epoch: 0 });
      const edit = client.request('updateUser', {
        params: { id: '11635-01' },
        body: { email: 'new@example.com' },
        idempotencyKey: 'passdesk-user-test-1',
      });
      expect(client.writes()).toEqual({ inFlight: 1, epoch: 1 });
      await edit;
      expect(client.writes()).toEqual({ inFlight: 0, epoch: 2 });
    } finally {
      await backend.close();
    }
  });
});
