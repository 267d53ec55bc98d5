/**
 * Security events of recovery links and administrators' resets: logged at info level as
 * `security event` with an `event` field, and never with a token, password or passcode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestLink, startTestBackend, tokenOf, type TestBackend } from './harness.ts';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.close());

interface Entry {
  level: string;
  message: string;
  event?: string;
  [field: string]: unknown;
}

const securityEvents = (): Entry[] =>
  backend.logLines
    .map((line) => JSON.parse(line) as Entry)
    .filter((entry) => entry.message === 'security event');

const eventsOf = (userId: string): Entry[] =>
  securityEvents()
    .filter((entry) => entry.userId === userId)
    .map((entry) => {
      const { at, ...rest } = entry;
      expect(typeof at).toBe('string');
      return rest;
    });

async function linkFor(userId: string, email: string): Promise<string> {
  await backend.api('PATCH', `/api/v1/users/${userId}`, { email });
  await backend.api('POST', '/api/v1/recovery-emails', { userIds: [userId] });
  return tokenOf(await latestLink(backend, email));
}

const self = (token: string, what: 'password' | 'passcode', body?: unknown) =>
  backend.raw('POST', `/api/v1/self-service/${what}`, {
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const secrets: string[] = [];
const ACTOR = { 'X-PassDesk-Actor': 'Dana at the help desk' };

describe('security events', () => {
  it('log a link issued, replaced by a newer one, used for both actions, and expired', async () => {
    const first = await linkFor('11635-41', 'events.one@example.org');
    const second = await linkFor('11635-41', 'events.one@example.org');
    const password = 'Kq7!mP2#wz';
    await self(second, 'password', { password, confirmation: password });
    const { passcode } = (await self(second, 'passcode')).json as { passcode: string };
    secrets.push(first, second, password, passcode);
    backend.clock.advance(20 * 60_000 + 1_000);
    await backend.api('GET', '/api/v1/outbox');

    const events = eventsOf('11635-41');
    const link = events.find((e) => e.event === 'link-used')?.link;
    expect(events.map((e) => [e.event, e.level])).toEqual([
      ['link-issued', 'info'],
      ['link-voided', 'info'],
      ['link-issued', 'info'],
      ['link-used', 'info'],
      ['link-used', 'info'],
      ['link-expired', 'info'],
    ]);
    // Each event an admin request causes names the operator it claimed and the token verified.
    expect(events[1]).toMatchObject({ reason: 'newer-link', links: 1, verifiedAs: 'admin' });
    expect(events[2]).toMatchObject({
      link,
      actor: expect.any(String) as string,
      verifiedAs: 'admin',
    });
    expect(events[0]?.link).not.toBe(link);
    expect(events.slice(3, 5).map((e) => e.action)).toEqual([
      'password-changed',
      'passcode-generated',
    ]);
    expect(events[5]).toMatchObject({ link, expiredAt: expect.any(String) as string });
    expect(String(link)).toMatch(/^[0-9a-f]{12}$/u);
  });

  it('log an administrator’s reset, and the links it voided with the reason', async () => {
    secrets.push(await linkFor('11635-42', 'events.two@example.org'));
    const password = 'Zx9/Qw8#kk';
    const passcode = '583920';
    secrets.push(password, passcode);
    await backend.api(
      'POST',
      '/api/v1/password-resets',
      { userIds: ['11635-42'], applicationPassword: password, voicePortalPasscode: passcode },
      ACTOR,
    );
    const events = eventsOf('11635-42').slice(1);
    expect(events).toEqual([
      {
        level: 'info',
        message: 'security event',
        event: 'admin-reset',
        userId: '11635-42',
        reset: ['applicationPassword', 'voicePortalPasscode'],
        actor: 'Dana at the help desk',
        verifiedAs: 'admin',
      },
      {
        level: 'info',
        message: 'security event',
        event: 'link-voided',
        userId: '11635-42',
        reason: 'admin-reset',
        links: 1,
        actor: 'Dana at the help desk',
        verifiedAs: 'admin',
      },
    ]);
  });

  it('log the links an email change voided', async () => {
    secrets.push(await linkFor('11635-43', 'events.three@example.org'));
    await backend.api('PATCH', '/api/v1/users/11635-43', { email: 'moved@example.org' }, ACTOR);
    expect(eventsOf('11635-43').at(-1)).toMatchObject({
      event: 'link-voided',
      reason: 'email-changed',
      links: 1,
      actor: 'Dana at the help desk',
      verifiedAs: 'admin',
    });
  });

  it('never hold a token, password or passcode', () => {
    const logs = backend.logLines.join('\n');
    expect(securityEvents().length).toBeGreaterThan(8);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
