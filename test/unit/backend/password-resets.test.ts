import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PasswordResetResponse, SelfServiceSession } from '../../../shared/api/index.ts';
import { latestLink, startTestBackend, tokenOf, type TestBackend } from './harness.ts';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.close());

const reset = async (body: unknown) =>
  (await backend.api('POST', '/api/v1/password-resets', body)).json as PasswordResetResponse;

const SECRETS = ['Tr0ub4dor&3', 'Zx9/Qw8#', '975311', '135792', 'Qw8#Zx9/kk'];

describe('POST /password-resets', () => {
  it('changes both secrets for each user it knows and says which it does not', async () => {
    const answer = await reset({
      userIds: ['11635-01', '11635-02', 'nobody-here'],
      applicationPassword: 'Tr0ub4dor&3',
      voicePortalPasscode: '975311',
    });
    expect(answer.results).toEqual([
      { userId: '11635-01', outcome: 'changed' },
      { userId: '11635-02', outcome: 'changed' },
      { userId: 'nobody-here', outcome: 'not-found' },
    ]);
  });

  it('rejects per user with the ids of the rules broken, changing nothing', async () => {
    const answer = await reset({
      userIds: ['11635-05'],
      applicationPassword: 'Abc12345!',
      voicePortalPasscode: '12a456',
    });
    expect(answer.results).toEqual([
      {
        userId: '11635-05',
        outcome: 'rejected',
        rejected: [
          { secret: 'applicationPassword', ruleIds: ['max-sequence'] },
          { secret: 'voicePortalPasscode', ruleIds: ['allowed-characters', 'max-sequence'] },
        ],
      },
    ]);
    // Still free to take a valid value: nothing was stored.
    expect(
      (await reset({ userIds: ['11635-05'], voicePortalPasscode: '135792' })).results[0]?.outcome,
    ).toBe('changed');
  });

  it('refuses a value from the user’s own history, but not another user’s', async () => {
    await reset({ userIds: ['11635-06'], applicationPassword: 'Zx9/Qw8#' });
    const again = await reset({
      userIds: ['11635-06', '11635-07'],
      applicationPassword: 'Zx9/Qw8#',
    });
    expect(again.results).toEqual([
      {
        userId: '11635-06',
        outcome: 'rejected',
        rejected: [{ secret: 'applicationPassword', ruleIds: ['not-previous'] }],
      },
      { userId: '11635-07', outcome: 'changed' },
    ]);
  });

  it('remembers only as many previous values as the rules say (one by default)', async () => {
    await reset({ userIds: ['11635-08'], voicePortalPasscode: '135792' });
    await reset({ userIds: ['11635-08'], voicePortalPasscode: '975311' });
    expect(
      (await reset({ userIds: ['11635-08'], voicePortalPasscode: '135792' })).results[0]?.outcome,
    ).toBe('changed');
  });

  it('gives a user all the secrets or none: a reused password keeps the passcode unchanged', async () => {
    await reset({ userIds: ['11635-09'], applicationPassword: 'Qw8#Zx9/kk' });
    const answer = await reset({
      userIds: ['11635-09'],
      applicationPassword: 'Qw8#Zx9/kk',
      voicePortalPasscode: '975311',
    });
    expect(answer.results[0]?.outcome).toBe('rejected');
    expect(
      (await reset({ userIds: ['11635-09'], voicePortalPasscode: '975311' })).results[0]?.outcome,
    ).toBe('changed');
  });

  it('audits who, what, when, to whom and the outcome — never the secret', async () => {
    await backend.api(
      'POST',
      '/api/v1/password-resets',
      { userIds: ['11635-10'], applicationPassword: 'Tr0ub4dor&3' },
      { 'X-PassDesk-Actor': encodeURIComponent('Renée Okafor') },
    );
    const audit = (await backend.api('GET', '/api/v1/audit')).json as {
      entries: { at: string; actor: string; action: string; userId: string; outcome: string }[];
    };
    // The newest reset row (a notice to the user, when one is sent, comes after it).
    expect(audit.entries.find((e) => e.action.startsWith('password-reset'))).toMatchObject({
      at: backend.clock.now().toISOString(),
      actor: 'Renée Okafor',
      action: 'password-reset (applicationPassword)',
      userId: '11635-10',
      outcome: 'changed',
    });
    const text = JSON.stringify(audit);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});

describe('temporary secrets (API 1.1)', () => {
  const session = async (token: string) =>
    (
      await backend.raw('GET', '/api/v1/self-service/session', {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json as SelfServiceSession;
  const linkFor = async (userId: string, email: string) => {
    await backend.api('PATCH', `/api/v1/users/${userId}`, { email });
    await backend.api('POST', '/api/v1/recovery-emails', { userIds: [userId] });
    return tokenOf(await latestLink(backend, email));
  };

  it('marks the secrets temporary where the request asks, and each result says so', async () => {
    const answer = await reset({
      userIds: ['11635-11', 'nobody-here'],
      applicationPassword: 'Tr0ub4dor&3',
      temporary: true,
    });
    expect(answer.results).toEqual([
      { userId: '11635-11', outcome: 'changed', temporary: true },
      { userId: 'nobody-here', outcome: 'not-found' },
    ]);
  });

  it('refuses a temporary that is not true or false', async () => {
    const answer = await backend.api('POST', '/api/v1/password-resets', {
      userIds: ['11635-12'],
      applicationPassword: 'Tr0ub4dor&3',
      temporary: 'yes',
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.json)).toContain('temporary');
    expect(JSON.stringify(answer.json)).not.toContain('Tr0ub4dor&3');
  });

  it('tells the end user’s page which of their secrets are temporary, until they choose their own', async () => {
    await reset({
      userIds: ['11635-13'],
      applicationPassword: 'Qw8#Zx9/kk',
      voicePortalPasscode: '975311',
      temporary: true,
    });
    const token = await linkFor('11635-13', 'temp13@example.org');
    expect((await session(token)).temporary).toEqual({
      applicationPassword: true,
      voicePortalPasscode: true,
    });
    const changed = await backend.raw('POST', '/api/v1/self-service/password', {
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ password: 'Zx9/Qw8#mine', confirmation: 'Zx9/Qw8#mine' }),
    });
    expect(changed.status).toBe(200);
    // Their own password is not temporary; the passcode the help desk set still is.
    expect((await session(token)).temporary).toEqual({
      applicationPassword: false,
      voicePortalPasscode: true,
    });
  });

  it('says nothing is temporary after a reset that did not ask', async () => {
    await reset({ userIds: ['11635-14'], applicationPassword: 'Qw8#Zx9/kk' });
    const token = await linkFor('11635-14', 'temp14@example.org');
    expect((await session(token)).temporary).toEqual({
      applicationPassword: false,
      voicePortalPasscode: false,
    });
  });

  it('documents the field in the OpenAPI document', async () => {
    const doc = JSON.stringify((await backend.raw('GET', '/api/v1/openapi.json')).json);
    expect(doc).toContain('mark the secrets set as temporary');
    expect(doc).toContain("which of the user's secrets are temporary now");
  });
});

describe('at rest', () => {
  it('keeps no secret in plain text: not in the database, its WAL, the outbox or the logs', async () => {
    await backend.close();
    const disk = backend.everythingOnDisk();
    expect(disk.length).toBeGreaterThan(10_000);
    for (const secret of SECRETS) {
      expect(disk).not.toContain(secret);
      expect(backend.logLines.join('\n')).not.toContain(secret);
    }
    expect(disk).toContain('$argon2id$v=19$');
    backend = await startTestBackend({ dataDir: backend.dataDir });
  });
});
