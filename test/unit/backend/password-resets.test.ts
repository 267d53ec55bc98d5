import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PasswordResetResponse } from '../../../shared/api/index.ts';
import { startTestBackend, type TestBackend } from './harness.ts';

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
    expect(audit.entries[0]).toEqual({
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
