/**
 * Outbox-only mode (no SMTP server): the outbox is the only mailbox, so it holds each live
 * link; once the link has been used, voided or has expired, neither the database row nor the
 * .eml file (nor the database's free pages or its write-ahead log) may still hold its token.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../../../electron/backend/clock.ts';
import { newToken, tokenHash } from '../../../electron/backend/crypto/tokens.ts';
import { DATABASE_FILE } from '../../../electron/backend/db/database.ts';
import { MIGRATIONS } from '../../../electron/backend/db/migrations.ts';
import { openSqlite } from '../../../electron/backend/db/sqlite.ts';
import { LINK_NO_LONGER_VALID } from '../../../electron/backend/mail/mailer.ts';
import type { OutboxMessage } from '../../../shared/api/index.ts';
import { startTestBackend, tokenOf, type TestBackend } from './harness.ts';

const MINUTE = 60_000;

/** Quoted-printable soft line breaks taken out, so that a token split by one is found. */
const unfolded = (text: string): string => text.replace(/=\r?\n/gu, '');

const emlOf = (backend: TestBackend, id: number): string =>
  unfolded(
    readFileSync(
      path.join(backend.dataDir, 'outbox', `${String(id).padStart(8, '0')}.eml`),
      'utf8',
    ),
  );

const diskHolds = (backend: TestBackend, token: string): boolean =>
  unfolded(backend.everythingOnDisk()).includes(token);

const message = async (backend: TestBackend, id: number): Promise<OutboxMessage> =>
  (await backend.api('GET', `/api/v1/outbox/${id}`)).json as OutboxMessage;

interface SentLink {
  id: number;
  token: string;
  messageId: string;
}

/** Gives the user `email`, mails them a link, and reads it from the outbox. */
async function sendLink(backend: TestBackend, userId: string, email: string): Promise<SentLink> {
  expect((await backend.api('PATCH', `/api/v1/users/${userId}`, { email })).status).toBe(200);
  const sent = await backend.api('POST', '/api/v1/recovery-emails', { userIds: [userId] });
  expect(sent.json).toEqual({ results: [{ userId, outcome: 'sent' }] });
  const list = (await backend.api('GET', '/api/v1/outbox')).json as {
    messages: { id: number; to: string; kind: string }[];
  };
  const id = list.messages.find((m) => m.to === email && m.kind === 'recovery-link')?.id ?? 0;
  const live = await message(backend, id);
  const link = /https?:\/\/\S+\/reset\/[A-Za-z0-9_-]{43}/u.exec(live.text)?.[0] ?? '';
  return { id, token: tokenOf(link), messageId: live.headers['Message-ID'] ?? '' };
}

const self = (backend: TestBackend, token: string, what: 'password' | 'passcode', body?: unknown) =>
  backend.raw('POST', `/api/v1/self-service/${what}`, {
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** The link is gone from every copy, in words the operator can read; the email is intact. */
async function expectSpent(backend: TestBackend, sent: SentLink): Promise<void> {
  // The files first: no read of the outbox (which would sweep) has happened since.
  expect(emlOf(backend, sent.id)).not.toContain(sent.token);
  expect(diskHolds(backend, sent.token)).toBe(false);
  const kept = await message(backend, sent.id);
  for (const part of [kept.text, kept.html, kept.raw]) expect(part).not.toMatch(/\/reset\//u);
  expect(kept.text).toContain(LINK_NO_LONGER_VALID);
  expect(kept.html).toContain(LINK_NO_LONGER_VALID);
  expect(kept.text).toMatch(/Nothing on your account has changed yet/u);
  expect(kept.subject).toBe('Reset your telephony passwords');
  expect(kept.headers['Message-ID']).toBe(sent.messageId);
  expect(kept.headers['Content-Type']).toMatch(/^multipart\/alternative; boundary=/u);
  expect(kept.delivery).toBe('outbox-only');
  expect(emlOf(backend, sent.id)).toBe(unfolded(kept.raw));
}

describe('while a link works', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(() => backend.close());

  it('the outbox keeps it (it is the only mailbox)', async () => {
    const sent = await sendLink(backend, '11635-21', 'live@example.org');
    expect(emlOf(backend, sent.id)).toContain(sent.token);
    expect((await message(backend, sent.id)).text).toContain(`/reset/${sent.token}`);
  });
});

describe('once a link has ended, its outbox copies lose it', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(() => backend.close());

  it('when the password is changed with it', async () => {
    const sent = await sendLink(backend, '11635-22', 'used.password@example.org');
    const password = 'Kq7!mP2#wz';
    expect(
      (await self(backend, sent.token, 'password', { password, confirmation: password })).status,
    ).toBe(200);
    await expectSpent(backend, sent);
    // It still works for the other action in the page that holds it.
    expect((await self(backend, sent.token, 'passcode')).status).toBe(200);
  });

  it('when a temporary passcode is generated with it', async () => {
    const sent = await sendLink(backend, '11635-23', 'used.passcode@example.org');
    expect((await self(backend, sent.token, 'passcode')).status).toBe(200);
    await expectSpent(backend, sent);
  });

  it('when a newer link replaces it (the newer one is kept)', async () => {
    const older = await sendLink(backend, '11635-24', 'replaced@example.org');
    const sent = await backend.api('POST', '/api/v1/recovery-emails', { userIds: ['11635-24'] });
    expect(sent.status).toBe(200);
    await expectSpent(backend, older);
    expect(diskHolds(backend, older.token)).toBe(false);
    const newer = (
      (await backend.api('GET', '/api/v1/outbox')).json as { messages: { id: number }[] }
    ).messages[0];
    expect((await message(backend, newer?.id ?? 0)).text).toMatch(/\/reset\/[A-Za-z0-9_-]{43}/u);
  });

  it('when an administrator resets the user’s password', async () => {
    const sent = await sendLink(backend, '11635-31', 'admin.reset@example.org');
    const reset = await backend.api('POST', '/api/v1/password-resets', {
      userIds: ['11635-31'],
      applicationPassword: 'Zx9/Qw8#kk',
    });
    expect(reset.json).toEqual({ results: [{ userId: '11635-31', outcome: 'changed' }] });
    await expectSpent(backend, sent);
  });

  it('when the user’s email address changes', async () => {
    const sent = await sendLink(backend, '11635-26', 'before@example.org');
    const changed = await backend.api('PATCH', '/api/v1/users/11635-26', {
      email: 'after@example.org',
    });
    expect(changed.status).toBe(200);
    await expectSpent(backend, sent);
  });
});

describe('once a link has expired', () => {
  it('no read of the outbox returns it: the list and the message sweep first', async () => {
    const backend = await startTestBackend();
    try {
      const first = await sendLink(backend, '11635-27', 'expired.list@example.org');
      backend.clock.advance(20 * MINUTE + 1_000);
      expect((await backend.api('GET', '/api/v1/outbox')).status).toBe(200);
      expect(emlOf(backend, first.id)).not.toContain(first.token);
      expect(diskHolds(backend, first.token)).toBe(false);

      const second = await sendLink(backend, '11635-28', 'expired.message@example.org');
      backend.clock.advance(20 * MINUTE + 1_000);
      const kept = await message(backend, second.id);
      expect(kept.text).not.toContain(second.token);
      expect(kept.text).toContain(LINK_NO_LONGER_VALID);
      await expectSpent(backend, second);
    } finally {
      await backend.close();
    }
  });

  it('it is taken out at start when it expired while the backend was stopped', async () => {
    const first = await startTestBackend();
    const sent = await sendLink(first, '11635-29', 'expired.stopped@example.org');
    await first.close();
    expect(emlOf(first, sent.id)).toContain(sent.token);

    const later = createManualClock(new Date(first.clock.now().getTime() + 21 * MINUTE));
    const second = await startTestBackend({ dataDir: first.dataDir, clock: later });
    try {
      await expectSpent(second, sent);
    } finally {
      await second.close();
    }
  });

  it('it is taken out by the sweep’s timer, with no one reading the outbox', async () => {
    const backend = await startTestBackend({ linkSweepMaxWaitMs: 25 });
    try {
      const sent = await sendLink(backend, '11635-30', 'expired.timer@example.org');
      backend.clock.advance(20 * MINUTE + 1_000);
      await vi.waitFor(() => expect(emlOf(backend, sent.id)).not.toContain(sent.token), {
        timeout: 5_000,
        interval: 20,
      });
      await expectSpent(backend, sent);
    } finally {
      await backend.close();
    }
  });
});

describe('recovery emails stored by a version before this one', () => {
  it('lose their links too: at start if ended, when used if still live', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'passdesk-older-outbox-'));
    const clock = createManualClock();
    const at = (minutes: number) =>
      new Date(clock.now().getTime() + minutes * MINUTE).toISOString();
    const live = newToken();
    const ended = newToken();
    const old = openSqlite(path.join(dataDir, DATABASE_FILE), MIGRATIONS.slice(0, 2));
    old.exec(`INSERT INTO locations (id, name) VALUES ('loc', 'A')`);
    old.exec(`INSERT INTO users (id, first_name, last_name, email, location_id)
              VALUES ('u-1', 'Ann', 'Lee', 'ann@example.org', 'loc')`);
    [live, ended].forEach((token, index) => {
      const id = index + 1;
      old
        .prepare(
          'INSERT INTO recovery_tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
        )
        .run(tokenHash(token), 'u-1', at(-30), at(token === live ? 10 : -1));
      const text = `Hello Ann,\n\nopen this link within 20 minutes:\nhttp://127.0.0.1:1/reset/${token}\n`;
      const raw = `From: a@passdesk.invalid\nTo: ann@example.org\nSubject: Reset your telephony passwords\nMessage-ID: <m${id}@passdesk.invalid>\n\n${text}`;
      old
        .prepare(
          `INSERT INTO outbox (id, kind, to_address, from_address, subject, sent_at, headers, text_body, html_body, raw, delivery)
           VALUES (?, 'recovery-link', 'ann@example.org', 'a@passdesk.invalid', 'Reset your telephony passwords', ?, ?, ?, ?, ?, 'outbox-only')`,
        )
        .run(
          id,
          at(-30),
          JSON.stringify({ 'Message-ID': `<m${id}@passdesk.invalid>` }),
          text,
          `<a href="http://127.0.0.1:1/reset/${token}">Reset</a>`,
          raw,
        );
      mkdirSync(path.join(dataDir, 'outbox'), { recursive: true });
      writeFileSync(path.join(dataDir, 'outbox', `${String(id).padStart(8, '0')}.eml`), raw);
    });
    old.close();

    const backend = await startTestBackend({ dataDir, seed: 'none', clock });
    try {
      expect(emlOf(backend, 1)).toContain(live);
      expect(emlOf(backend, 2)).not.toContain(ended);
      expect(diskHolds(backend, ended)).toBe(false);
      const password = 'Kq7!mP2#wz';
      expect(
        (await self(backend, live, 'password', { password, confirmation: password })).status,
      ).toBe(200);
      for (const [id, token] of [
        [1, live],
        [2, ended],
      ] as const) {
        await expectSpent(backend, { id, token, messageId: `<m${id}@passdesk.invalid>` });
      }
      expect((await message(backend, 2)).text).toMatch(/^Hello Ann,/u);
    } finally {
      await backend.close();
    }
  });
});
