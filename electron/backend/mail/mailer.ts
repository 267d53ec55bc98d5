import nodemailer from 'nodemailer';
import type { OutboxSummary } from '../../../shared/api/index.ts';
import type { Logger } from '../../../shared/log/index.ts';
import type { Clock } from '../clock.ts';
import type { Delivery, RecordsStore } from '../db/records-store.ts';
import type { SpentCopiesStore, SpentCopy } from '../db/spent-copies-store.ts';
import type { OutboxFiles } from './outbox-files.ts';
import type { SmtpTransport } from './smtp-transport.ts';
import type { ComposedEmail } from './templates.ts';

export interface OutgoingEmail extends ComposedEmail {
  kind: OutboxSummary['kind'];
  to: string;
  toName: string;
  /**
   * Parts of the message that are secrets (a recovery link's token). The outbox never keeps
   * them once they could be misused: with SMTP set it keeps a copy without them from the start;
   * without SMTP (the outbox is then the only mailbox) it keeps them only while the link lives.
   */
  secrets?: readonly string[];
  /**
   * The message with its secrets replaced by the words `note` (the link and its button by a
   * sentence); without it, each secret itself is replaced by `note`.
   */
  withoutSecrets?: (note: string) => ComposedEmail;
}

/** A message composed and ready to store: what the outbox keeps, and what SMTP gets. */
export interface PreparedEmail {
  message: OutgoingEmail;
  sentAt: Date;
  /** The whole message, secrets and all: only handed to SMTP, never stored with SMTP set. */
  raw: string;
  /** What the outbox stores now. */
  kept: SpentCopy;
  /** Outbox-only mode, a message with secrets: what replaces `kept` once they stop working. */
  spent: SpentCopy | null;
}

export interface Mailer {
  /** Stores the message in the outbox (database + .eml file), then hands it to SMTP if set. */
  send(message: OutgoingEmail): Promise<Delivery>;
  /** Composes a message (async), so that storing it can be part of a transaction. */
  prepare(message: OutgoingEmail): Promise<PreparedEmail>;
  /** Stores a prepared message in the outbox database (synchronous: inside the caller's transaction). */
  store(prepared: PreparedEmail): number;
  /** After the transaction: writes the .eml copy and hands the message to SMTP if set. */
  deliver(id: number, prepared: PreparedEmail): Promise<Delivery>;
  /**
   * At start, the emails the last run stored but did not see delivered (it stopped first): a
   * notice holds no secret and is sent again as stored; a recovery email's stored copy no longer
   * holds its link, so it is marked failed (the operator sends a new link). Resolves when done.
   */
  resumeUndelivered(): Promise<{ resent: number; failed: number }>;
  /**
   * Composes `content` as the stored copy of an email already sent (same From, To, Date and
   * Message-ID): for the spent copies of emails stored before they existed.
   */
  composeCopyOf(sent: SentEnvelope, content: ComposedEmail): Promise<SpentCopy>;
}

export interface SentEnvelope {
  from: string;
  to: string;
  toName: string;
  sentAt: Date;
  messageId: string | undefined;
}

/** Where the link was, in the copy the outbox keeps of an email SMTP delivers. */
export const REMOVED_AFTER_SENDING =
  '[The link is not kept in this copy: it was sent to the recipient by email.]';
/** Where the link was, in an outbox-only copy once the link has been used, voided or expired. */
export const LINK_NO_LONGER_VALID =
  '[Link removed: it was used, replaced by a newer link, voided, or it expired. It no longer works.]';

type Composer = ReturnType<typeof nodemailer.createTransport>;

export function createMailer(options: {
  from: string;
  /** A transport whose server answered at start (openSmtpTransport); null: outbox only. */
  smtp: SmtpTransport | null;
  records: RecordsStore;
  spentCopies: SpentCopiesStore;
  files: OutboxFiles;
  clock: Clock;
  logger: Logger;
}): Mailer {
  const { smtp } = options;
  const composer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });

  const mailer: Mailer = {
    async prepare(message) {
      const sentAt = options.clock.now();
      const envelope = {
        from: options.from,
        to: { name: message.toName, address: message.to },
        subject: message.subject,
        date: sentAt,
      };
      const raw = rawOf(await composer.sendMail({ ...envelope, ...bodyOf(message) }));
      const whole = { headers: headersOf(raw), text: message.text, html: message.html, raw };
      if ((message.secrets ?? []).length === 0)
        return { message, sentAt, raw, kept: whole, spent: null };
      // The copies share the message's Message-ID: they are the same email, its link taken out.
      const same = { ...envelope, messageId: whole.headers['Message-ID'] };
      if (smtp !== null) {
        const kept = await copyWithout(composer, same, message, REMOVED_AFTER_SENDING);
        return { message, sentAt, raw, kept, spent: null };
      }
      const spent = await copyWithout(composer, same, message, LINK_NO_LONGER_VALID);
      return { message, sentAt, raw, kept: whole, spent };
    },
    store({ message, sentAt, kept, spent }) {
      const id = options.records.addMessage({
        kind: message.kind,
        to: message.to,
        from: options.from,
        subject: message.subject,
        sentAt: sentAt.toISOString(),
        delivery: smtp === null ? 'outbox-only' : 'sending',
        ...kept,
      });
      if (spent !== null) options.spentCopies.add(id, spent);
      return id;
    },
    async deliver(id, prepared) {
      // The message as stored now: its link may have ended, and its copy been replaced, since.
      options.files.write(id, options.records.messageRaw(id) ?? prepared.kept.raw);
      if (smtp === null) return 'outbox-only';
      try {
        await smtp.sendMail({
          envelope: { from: options.from, to: prepared.message.to },
          raw: prepared.raw,
        });
        options.records.setDelivery(id, 'delivered');
        return 'delivered';
      } catch (error) {
        options.logger.warn('smtp delivery failed', { outboxId: id, error });
        options.records.setDelivery(id, 'failed');
        return 'failed';
      }
    },
    async composeCopyOf(sent, content) {
      const raw = rawOf(
        await composer.sendMail({
          from: sent.from,
          to: { name: sent.toName, address: sent.to },
          subject: content.subject,
          date: sent.sentAt,
          ...(sent.messageId === undefined ? {} : { messageId: sent.messageId }),
          ...bodyOf(content),
        }),
      );
      return { headers: headersOf(raw), text: content.text, html: content.html, raw };
    },
    async resumeUndelivered() {
      let resent = 0;
      let failed = 0;
      for (const row of options.records.undelivered()) {
        if (smtp === null || row.kind === 'recovery-link') {
          options.records.setDelivery(row.id, 'failed');
          failed += 1;
          continue;
        }
        try {
          await smtp.sendMail({ envelope: { from: row.from, to: row.to }, raw: row.raw });
          options.records.setDelivery(row.id, 'delivered');
          resent += 1;
        } catch (error) {
          options.logger.warn('smtp delivery failed', { outboxId: row.id, error });
          options.records.setDelivery(row.id, 'failed');
          failed += 1;
        }
      }
      if (resent + failed > 0)
        options.logger.info('emails the last run did not see delivered', { resent, failed });
      return { resent, failed };
    },
    async send(message) {
      const prepared = await mailer.prepare(message);
      return mailer.deliver(mailer.store(prepared), prepared);
    },
  };
  return mailer;
}

const bodyOf = (content: Pick<ComposedEmail, 'text' | 'html'>) => ({
  text: content.text,
  html: content.html,
});

/** The message composed again with its secrets replaced by `note`; refuses one that still has any. */
async function copyWithout(
  composer: Composer,
  envelope: Record<string, unknown>,
  message: OutgoingEmail,
  note: string,
): Promise<SpentCopy> {
  const secrets = message.secrets ?? [];
  const content: Pick<ComposedEmail, 'text' | 'html'> = message.withoutSecrets?.(note) ?? {
    text: secrets.reduce((out, secret) => out.split(secret).join(note), message.text),
    html: secrets.reduce((out, secret) => out.split(secret).join(note), message.html),
  };
  const raw = rawOf(await composer.sendMail({ ...envelope, ...bodyOf(content) }));
  if (secrets.some((s) => raw.includes(s) || content.text.includes(s) || content.html.includes(s)))
    throw new Error('the copy of an email meant to be without its secrets still holds one');
  return { headers: headersOf(raw), text: content.text, html: content.html, raw };
}

/** The message a buffering stream transport built. */
function rawOf(info: unknown): string {
  const message = (info as { message?: unknown }).message;
  if (!Buffer.isBuffer(message)) throw new Error('the mail composer returned no message');
  return message.toString('utf8');
}

/** The top-level headers of a raw message, unfolded. */
function headersOf(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/u, 1)[0] ?? '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/gu, ' ').split(/\r?\n/u)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}
