import { createHash } from 'node:crypto';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DATABASE_FILE } from '../../../electron/backend/db/database.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxMessage, RecoveryEmailResponse } from '../../../shared/api/index.ts';
import { latestLink, startTestBackend, tokenOf, type TestBackend } from './harness.ts';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startTestBackend({ publicBaseUrl: 'https://reset.example.com/' });
});
afterAll(() => backend.close());

const MINUTE = 60_000;

async function send(userIds: string[]): Promise<RecoveryEmailResponse> {
  return (await backend.api('POST', '/api/v1/recovery-emails', { userIds }))
    .json as RecoveryEmailResponse;
}

async function emailOf(userId: string): Promise<string> {
  const users = (await backend.api('GET', '/api/v1/users?limit=5000')).json as {
    users: { id: string; email: string | null }[];
  };
  const email = users.users.find((u) => u.id === userId)?.email;
  if (email == null) throw new Error(`${userId} has no email`);
  return email;
}

const self = (token: string, method: 'GET' | 'POST', what: string, body?: unknown) =>
  backend.raw(method, `/api/v1/self-service/${what}`, {
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function freshToken(userId: string): Promise<string> {
  expect((await send([userId])).results).toEqual([{ userId, outcome: 'sent' }]);
  return tokenOf(await latestLink(backend, await emailOf(userId)));
}

describe('POST /recovery-emails', () => {
  it('sends only to users with an email, and says which had none', async () => {
    const users = (await backend.api('GET', '/api/v1/users?locationId=loc-hq&limit=5000')).json as {
      users: { id: string; email: string | null }[];
    };
    const withEmail = users.users.find((u) => u.email !== null)?.id ?? '';
    const without = users.users.find((u) => u.email === null)?.id ?? '';
    expect((await send([withEmail, without, 'nobody-here'])).results).toEqual([
      { userId: withEmail, outcome: 'sent' },
      { userId: without, outcome: 'no-email' },
      { userId: 'nobody-here', outcome: 'not-found' },
    ]);
  });

  it('writes an email in our words with a link from the public base URL, never the Host header', async () => {
    const email = await emailOf('11635-11');
    await backend.api(
      'POST',
      '/api/v1/recovery-emails',
      { userIds: ['11635-11'] },
      { Host: 'evil.example.net' },
    );
    const link = await latestLink(backend, email);
    expect(link).toMatch(/^https:\/\/reset\.example\.com\/reset\/[A-Za-z0-9_-]{43}$/u);
    const outbox = (await backend.api('GET', '/api/v1/outbox')).json as {
      messages: { id: number; to: string }[];
    };
    const id = outbox.messages.find((m) => m.to === email)?.id;
    const message = (await backend.api('GET', `/api/v1/outbox/${id}`)).json as OutboxMessage;
    expect(message.subject).toBe('Reset your telephony passwords');
    expect(message.text).toContain(`for ${email}`);
    expect(message.text).toMatch(/Nothing on your account has changed yet/);
    expect(message.text).toMatch(/within 20 minutes/);
    expect(message.text).toMatch(/If you did not ask for this, ignore this email/);
    expect(message.html).toContain('>Reset</a>');
    expect(message.raw).toMatch(/^From: /mu);
    expect(message.headers.Subject).toBe('Reset your telephony passwords');
    expect(message.delivery).toBe('outbox-only');
  });

  it('changes nothing on the account', async () => {
    await send(['11635-12']);
    const audit = (await backend.api('GET', '/api/v1/audit')).json as {
      entries: { action: string; userId: string }[];
    };
    expect(audit.entries.filter((e) => e.userId === '11635-12').map((e) => e.action)).toEqual([
      'recovery-email',
    ]);
  });
});

describe('the recovery token', () => {
  it('is valid at 19 min 59 s and expired at 20 min 01 s', async () => {
    const token = await freshToken('11635-13');
    backend.clock.advance(19 * MINUTE + 59_000);
    const session = await self(token, 'GET', 'session');
    expect(session.status).toBe(200);
    expect(session.json).toMatchObject({ passwordChanged: false, passcodeGenerated: false });
    backend.clock.advance(2_000);
    const expired = await self(token, 'GET', 'session');
    expect(expired.status).toBe(410);
    expect(expired.json).toMatchObject({
      error: { code: 'link-expired', message: /Ask your administrator/ },
    });
    expect((await self(token, 'POST', 'passcode')).status).toBe(410);
  });

  it('is voided by a newer one', async () => {
    const older = await freshToken('11635-14');
    const newer = await freshToken('11635-14');
    expect(older).not.toBe(newer);
    expect((await self(older, 'GET', 'session')).status).toBe(410);
    expect((await self(newer, 'GET', 'session')).status).toBe(200);
  });

  it('dies when an administrator resets the user’s secrets, and the audit says why', async () => {
    for (const secret of [
      { applicationPassword: 'Zq7#Lm2!vx' },
      { voicePortalPasscode: '975311' },
    ]) {
      const token = await freshToken('11635-16');
      const reset = await backend.api('POST', '/api/v1/password-resets', {
        userIds: ['11635-16'],
        ...secret,
      });
      expect(reset.json).toEqual({ results: [{ userId: '11635-16', outcome: 'changed' }] });
      expect((await self(token, 'GET', 'session')).status).toBe(410);
    }
    const audit = (await backend.api('GET', '/api/v1/audit')).json as {
      entries: { action: string; userId: string; outcome: string }[];
    };
    expect(
      audit.entries.filter((e) => e.userId === '11635-16' && e.action === 'recovery-link void'),
    ).toMatchObject([
      { outcome: '1 voided: an administrator reset the Voice Portal Passcode' },
      { outcome: '1 voided: an administrator reset the Application Password' },
    ]);
  });

  it('keeps working when an administrator’s reset of the user is refused', async () => {
    const token = await freshToken('11635-17');
    const refused = await backend.api('POST', '/api/v1/password-resets', {
      userIds: ['11635-17'],
      voicePortalPasscode: '1',
    });
    expect(refused.json).toMatchObject({ results: [{ outcome: 'rejected' }] });
    expect((await self(token, 'GET', 'session')).status).toBe(200);
  });

  it('is refused when unknown or malformed', async () => {
    for (const token of ['A'.repeat(43), 'short', '', '../../etc/passwd']) {
      expect((await self(token, 'GET', 'session')).status).toBe(410);
    }
  });

  it('lets the user set the password once, checked by the rules and their history', async () => {
    const token = await freshToken('11635-15');
    const weak = await self(token, 'POST', 'password', {
      password: 'Abc12345!',
      confirmation: 'Abc12345!',
    });
    expect(weak.json).toEqual({ outcome: 'rejected', ruleIds: ['max-sequence'] });
    const mismatch = await self(token, 'POST', 'password', {
      password: 'Zx9/Qw8#',
      confirmation: 'Zx9/Qw8',
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json).toMatchObject({ error: { code: 'confirmation-mismatch' } });
    const done = await self(token, 'POST', 'password', {
      password: 'Zx9/Qw8#',
      confirmation: 'Zx9/Qw8#',
    });
    expect(done.json).toEqual({ outcome: 'changed', ruleIds: [] });
    const twice = await self(token, 'POST', 'password', {
      password: 'Tr0ub4dor&3',
      confirmation: 'Tr0ub4dor&3',
    });
    expect(twice.status).toBe(409);
    expect(twice.json).toMatchObject({ error: { code: 'already-used' } });
    expect((await self(token, 'GET', 'session')).json).toMatchObject({ passwordChanged: true });

    const next = await freshToken('11635-15');
    const reused = await self(next, 'POST', 'password', {
      password: 'Zx9/Qw8#',
      confirmation: 'Zx9/Qw8#',
    });
    expect(reused.json).toEqual({ outcome: 'rejected', ruleIds: ['not-previous'] });
  });

  it('gives one temporary passcode that meets the rules, then refuses a second', async () => {
    const token = await freshToken('11635-16');
    const first = await self(token, 'POST', 'passcode');
    expect(first.json).toEqual({ passcode: expect.stringMatching(/^\d{6}$/u), temporary: true });
    expect((await self(token, 'POST', 'passcode')).status).toBe(409);
  });

  it('confirms each change by email, without the secret', async () => {
    const token = await freshToken('11635-17');
    const email = await emailOf('11635-17');
    const { passcode } = (await self(token, 'POST', 'passcode')).json as { passcode: string };
    await self(token, 'POST', 'password', { password: 'Qw8#Zx9/kk', confirmation: 'Qw8#Zx9/kk' });
    const outbox = (await backend.api('GET', '/api/v1/outbox')).json as {
      messages: { id: number; to: string; kind: string }[];
    };
    const confirmations = outbox.messages.filter(
      (m) => m.to === email && m.kind === 'change-confirmation',
    );
    expect(confirmations).toHaveLength(2);
    for (const { id } of confirmations) {
      const message = (await backend.api('GET', `/api/v1/outbox/${id}`)).json as OutboxMessage;
      expect(message.raw).not.toContain(passcode);
      expect(message.raw).not.toContain('Qw8#Zx9/kk');
      expect(message.text).toMatch(/If this was not you, contact your administrator/);
    }
  });

  it('is stored only as its SHA-256 (the outbox is the mailbox while no SMTP server is set)', async () => {
    const token = await freshToken('11635-18');
    const db = new DatabaseSync(path.join(backend.dataDir, DATABASE_FILE), { readOnly: true });
    try {
      const tokens = JSON.stringify(db.prepare('SELECT * FROM recovery_tokens').all());
      expect(tokens).toContain(createHash('sha256').update(token).digest('hex'));
      expect(tokens).not.toContain(token);
      for (const table of ['users', 'secret_history', 'audit', 'idempotency']) {
        expect(JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all()), table).not.toContain(
          token,
        );
      }
    } finally {
      db.close();
    }
  });
});

describe('the reset page', () => {
  it('is served for any token with strict headers', async () => {
    const page = await backend.raw('GET', `/reset/${'A'.repeat(43)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe/);
    const script = /src="\.\/(assets\/[^"]+\.js)"/u.exec(page.text)?.[1];
    expect(script).toBeDefined();
    expect((await backend.raw('GET', `/reset/${script ?? ''}`)).status).toBe(200);
    expect((await backend.raw('GET', '/reset/assets/..%2f..%2fpackage.json')).status).toBe(404);
  });
});

// Token attempts and their limits: self-service-rate-limit.test.ts.

describe('logs and audit after all of the above', () => {
  it('hold no token, password or passcode', async () => {
    const token = await freshToken('11635-19');
    const { passcode } = (await self(token, 'POST', 'passcode')).json as { passcode: string };
    await self(token, 'POST', 'password', { password: 'Kq7!mP2#wz', confirmation: 'Kq7!mP2#wz' });
    const audit = JSON.stringify((await backend.api('GET', '/api/v1/audit')).json);
    const logs = backend.logLines.join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of [token, passcode, 'Kq7!mP2#wz', 'Zx9/Qw8#', 'Tr0ub4dor&3']) {
      expect(audit).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect((await backend.api('GET', '/api/v1/outbox/999999')).status).toBe(404);
    expect((await backend.api('GET', '/api/v1/outbox/abc')).status).toBe(400);
  });
});
