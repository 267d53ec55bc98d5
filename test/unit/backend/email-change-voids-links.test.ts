import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../../shared/api/index.ts';
import { latestLink, startTestBackend, tokenOf, type TestBackend } from './harness.ts';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.close());

const setEmail = async (userId: string, email: string | null) => {
  const answer = await backend.api('PATCH', `/api/v1/users/${userId}`, { email });
  expect(answer.status).toBe(200);
};

/** Gives the user `email`, mails them a link and returns its token. */
async function linkFor(userId: string, email: string): Promise<string> {
  await setEmail(userId, email);
  const sent = await backend.api('POST', '/api/v1/recovery-emails', { userIds: [userId] });
  expect(sent.json).toEqual({ results: [{ userId, outcome: 'sent' }] });
  return tokenOf(await latestLink(backend, email));
}

const self = (token: string, method: 'GET' | 'POST', what: string, body?: unknown) =>
  backend.raw(method, `/api/v1/self-service/${what}`, {
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** What a link replaced by a newer one is answered: the answer a voided link must get too. */
async function replacedLinkAnswer(): Promise<{ status: number; json: unknown }> {
  const older = await linkFor('11635-56', 'replaced@example.org');
  await linkFor('11635-56', 'replaced@example.org');
  const { status, json } = await self(older, 'GET', 'session');
  expect(status).toBe(410);
  return { status, json };
}

const auditOf = async (userId: string) =>
  ((await backend.api('GET', '/api/v1/audit')).json as ResponseOf<'audit'>).entries.filter(
    (e) => e.userId === userId,
  );

describe('changing a user’s email address', () => {
  it('voids their live recovery links, as a newer link would', async () => {
    const replaced = await replacedLinkAnswer();
    const token = await linkFor('11635-51', 'old.address@example.org');
    expect((await self(token, 'GET', 'session')).status).toBe(200);

    await setEmail('11635-51', 'new.address@example.org');
    const session = await self(token, 'GET', 'session');
    expect({ status: session.status, json: session.json }).toEqual(replaced);
    expect((await self(token, 'POST', 'passcode')).status).toBe(410);
    const password = await self(token, 'POST', 'password', {
      password: 'Zx9/Qw8#',
      confirmation: 'Zx9/Qw8#',
    });
    expect(password.status).toBe(410);

    // A link sent to the new address works.
    const fresh = await linkFor('11635-51', 'new.address@example.org');
    expect((await self(fresh, 'GET', 'session')).status).toBe(200);
  });

  it('voids them when the address is cleared', async () => {
    const replaced = await replacedLinkAnswer();
    const token = await linkFor('11635-52', 'to.be.cleared@example.org');
    await setEmail('11635-52', null);
    const session = await self(token, 'GET', 'session');
    expect({ status: session.status, json: session.json }).toEqual(replaced);
  });

  it('leaves them working when the address is set to the one the user already has', async () => {
    const token = await linkFor('11635-53', 'unchanged@example.org');
    await setEmail('11635-53', 'unchanged@example.org');
    expect((await self(token, 'GET', 'session')).status).toBe(200);
    expect((await auditOf('11635-53')).map((e) => e.action)).not.toContain('recovery-link void');
  });

  it('audits the voiding under the admin who changed the address, without the addresses', async () => {
    await linkFor('11635-54', 'audited.old@example.org');
    const changed = await backend.api(
      'PATCH',
      '/api/v1/users/11635-54',
      { email: 'audited.new@example.org' },
      { 'X-PassDesk-Actor': encodeURIComponent('Dana Desk') },
    );
    expect(changed.status).toBe(200);
    const entries = await auditOf('11635-54');
    expect(entries[0]).toMatchObject({
      actor: 'Dana Desk',
      action: 'recovery-link void',
      outcome: '1 voided: the email address changed',
    });
    expect(entries[1]).toMatchObject({ actor: 'Dana Desk', action: 'email-update' });
    expect(JSON.stringify(entries)).not.toMatch(/audited\.(old|new)@/u);

    // No live link, nothing to void and nothing more to audit.
    await setEmail('11635-54', 'audited.newer@example.org');
    expect(
      (await auditOf('11635-54')).filter((e) => e.action === 'recovery-link void'),
    ).toHaveLength(1);
  });
});
