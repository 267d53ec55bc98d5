import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxMessage, RecoveryEmailResponse } from '../../../shared/api/index.ts';
import { REMOVED_AFTER_SENDING } from '../../../electron/backend/mail/mailer.ts';
import { startSmtpCatcher, type SmtpCatcher } from '../../support/smtp-catcher.ts';
import { startTestBackend, type TestBackend } from './harness.ts';

let smtp: SmtpCatcher;
let port: number;
let received: SmtpCatcher['received'];

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  ({ port, received } = smtp);
});
afterAll(() => smtp.close());

async function sendTo(backend: TestBackend, userId: string) {
  return (await backend.api('POST', '/api/v1/recovery-emails', { userIds: [userId] }))
    .json as RecoveryEmailResponse;
}

describe('with an SMTP server configured', () => {
  it('delivers the email and keeps a copy without the link’s token', async () => {
    const backend = await startTestBackend({ smtp: { host: '127.0.0.1', port } });
    try {
      expect((await sendTo(backend, '11635-01')).results).toEqual([
        { userId: '11635-01', outcome: 'sent' },
      ]);
      const delivered = received.at(-1);
      expect(delivered?.to).toMatch(/@example\.com$/u);
      const unfolded = (delivered?.data ?? '').replace(/=\r?\n/gu, '');
      const token = /\/reset\/([A-Za-z0-9_-]{43})/u.exec(unfolded)?.[1];
      expect(token).toBeDefined();

      const outbox = (await backend.api('GET', '/api/v1/outbox')).json as {
        messages: { id: number; delivery: string }[];
      };
      expect(outbox.messages[0]?.delivery).toBe('delivered');
      const kept = (await backend.api('GET', `/api/v1/outbox/${outbox.messages[0]?.id}`))
        .json as OutboxMessage;
      // The link and its button give way to words; the rest of the email stays as it was sent.
      expect(kept.text).toContain(REMOVED_AFTER_SENDING);
      expect(kept.html).toContain(REMOVED_AFTER_SENDING);
      expect(kept.text).toMatch(/Nothing on your account has changed yet/u);
      for (const part of [kept.text, kept.html, kept.raw]) expect(part).not.toMatch(/\/reset\//u);
      expect(kept.headers['Message-ID']).toBe(
        /^Message-ID: (.+)$/mu.exec(delivered?.data ?? '')?.[1],
      );
      await backend.close();
      expect(backend.everythingOnDisk()).not.toContain(token);
    } finally {
      await backend.close().catch(() => undefined);
    }
  });

  it('reports send-failed when the server stops answering, and keeps the message', async () => {
    const leaving = await startSmtpCatcher();
    const backend = await startTestBackend({ smtp: { host: '127.0.0.1', port: leaving.port } });
    await leaving.close();
    try {
      expect((await sendTo(backend, '11635-02')).results).toEqual([
        { userId: '11635-02', outcome: 'send-failed' },
      ]);
      const outbox = (await backend.api('GET', '/api/v1/outbox')).json as {
        messages: { delivery: string }[];
      };
      expect(outbox.messages[0]?.delivery).toBe('failed');
    } finally {
      await backend.close();
    }
  });
});
