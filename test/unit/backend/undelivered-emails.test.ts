import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../electron/backend/clock.ts';
import { openDatabase } from '../../../electron/backend/db/database.ts';
import { createRecordsStore } from '../../../electron/backend/db/records-store.ts';
import { createSpentCopiesStore } from '../../../electron/backend/db/spent-copies-store.ts';
import { createMailer } from '../../../electron/backend/mail/mailer.ts';
import { createOutboxFiles } from '../../../electron/backend/mail/outbox-files.ts';
import type { SmtpTransport } from '../../../electron/backend/mail/smtp-transport.ts';
import { silentLogger } from '../../../shared/log/index.ts';

/** An outbox the last run left with two emails handed to SMTP and never confirmed. */
function lastRunsOutbox() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'passdesk-undelivered-'));
  const db = openDatabase(dataDir);
  const records = createRecordsStore(db);
  const stored = (kind: 'recovery-link' | 'change-confirmation', raw: string) =>
    records.addMessage({
      kind,
      to: 'ana@example.com',
      from: 'Help desk <reset@example.com>',
      subject: kind,
      sentAt: new Date(0).toISOString(),
      headers: {},
      text: raw,
      html: raw,
      raw,
      delivery: 'sending',
    });
  const notice = stored('change-confirmation', 'Subject: reset by the help desk\n\nHello');
  const link = stored('recovery-link', 'Subject: Reset\n\n[The link is not kept in this copy]');
  const mailerWith = (smtp: SmtpTransport | null) =>
    createMailer({
      from: 'Help desk <reset@example.com>',
      smtp,
      records,
      spentCopies: createSpentCopiesStore(db),
      files: createOutboxFiles(dataDir),
      clock: createManualClock(),
      logger: silentLogger,
    });
  const deliveryOf = (id: number) =>
    records.messages(Number.MAX_SAFE_INTEGER).messages.find((m) => m.id === id)?.delivery;
  return { notice, link, mailerWith, deliveryOf, close: () => db.close() };
}

describe('emails the last run did not see delivered', () => {
  it('sends a notice again as stored, and marks a recovery email failed (its link is gone)', async () => {
    const outbox = lastRunsOutbox();
    const sent: { raw: unknown; envelope: unknown }[] = [];
    const smtp: SmtpTransport = {
      sendMail: (message: { raw: unknown; envelope: unknown }) => {
        sent.push(message);
        return Promise.resolve({});
      },
      close: () => undefined,
    } as unknown as SmtpTransport;
    try {
      expect(await outbox.mailerWith(smtp).resumeUndelivered()).toEqual({ resent: 1, failed: 1 });
      expect(sent).toEqual([
        {
          envelope: { from: 'Help desk <reset@example.com>', to: 'ana@example.com' },
          raw: 'Subject: reset by the help desk\n\nHello',
        },
      ]);
      expect(outbox.deliveryOf(outbox.notice)).toBe('delivered');
      expect(outbox.deliveryOf(outbox.link)).toBe('failed');
      // Nothing is left to go over at the next start.
      expect(await outbox.mailerWith(smtp).resumeUndelivered()).toEqual({ resent: 0, failed: 0 });
    } finally {
      outbox.close();
    }
  });

  it('marks them failed when this run has no SMTP server', async () => {
    const outbox = lastRunsOutbox();
    try {
      expect(await outbox.mailerWith(null).resumeUndelivered()).toEqual({ resent: 0, failed: 2 });
    } finally {
      outbox.close();
    }
  });
});
