import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { OutboxMessage, RecoveryEmailResponse } from '../../../shared/api/index.ts';
import { REMOVED_AFTER_SENDING } from '../../../electron/backend/mail/mailer.ts';
import { startTestBackend, type TestBackend } from './harness.ts';

const received: { to: string; data: string }[] = [];
let smtp: SMTPServer;
let port: number;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

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
      expect(kept.text).toContain(`/reset/${REMOVED_AFTER_SENDING}`);
      await backend.close();
      expect(backend.everythingOnDisk()).not.toContain(token);
    } finally {
      await backend.close().catch(() => undefined);
    }
  });

  it('reports send-failed when the server cannot be reached, and keeps the message', async () => {
    const backend = await startTestBackend({ smtp: { host: '127.0.0.1', port: 1 } });
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
