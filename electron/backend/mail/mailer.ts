import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { OutboxSummary } from '../../../shared/api/index.ts';
import type { Logger } from '../../../shared/log/index.ts';
import type { Clock } from '../clock.ts';
import type { Delivery, RecordsStore } from '../db/records-store.ts';
import type { ComposedEmail } from './templates.ts';

export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  user?: string;
  password?: string;
}

export interface OutgoingEmail extends ComposedEmail {
  kind: OutboxSummary['kind'];
  to: string;
  toName: string;
  /**
   * Parts of the message that are secrets (a recovery link's token). With SMTP set, the outbox
   * keeps a copy with them removed; without SMTP the outbox is the only mailbox, so it keeps them.
   */
  secrets?: readonly string[];
}

/** A message composed and ready to store: what the outbox keeps, and what SMTP gets. */
export interface PreparedEmail {
  message: OutgoingEmail;
  sentAt: Date;
  /** The whole message, secrets and all: only handed to SMTP, never stored with SMTP set. */
  raw: string;
  kept: { raw: string; text: string; html: string };
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
}

export const REMOVED_AFTER_SENDING = '[removed-after-sending]';

export function createMailer(options: {
  dataDir: string;
  from: string;
  smtp?: SmtpOptions | undefined;
  records: RecordsStore;
  clock: Clock;
  logger: Logger;
}): Mailer {
  const outboxDir = path.join(options.dataDir, 'outbox');
  mkdirSync(outboxDir, { recursive: true });
  const composer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });
  const smtp =
    options.smtp === undefined
      ? null
      : nodemailer.createTransport({
          host: options.smtp.host,
          port: options.smtp.port,
          secure: options.smtp.secure ?? false,
          ...(options.smtp.user === undefined
            ? {}
            : { auth: { user: options.smtp.user, pass: options.smtp.password ?? '' } }),
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 20_000,
        });

  const mailer: Mailer = {
    async prepare(message) {
      const sentAt = options.clock.now();
      const envelope = { from: options.from, to: { name: message.toName, address: message.to } };
      const composed = await composer.sendMail({
        ...envelope,
        subject: message.subject,
        text: message.text,
        html: message.html,
        date: sentAt,
      });
      const raw = rawOf(composed);
      const kept =
        smtp === null
          ? { raw, text: message.text, html: message.html }
          : await keptCopy(
              composer,
              { ...envelope, subject: message.subject, date: sentAt },
              message,
            );
      return { message, sentAt, raw, kept };
    },
    store({ message, sentAt, kept }) {
      return options.records.addMessage({
        kind: message.kind,
        to: message.to,
        from: options.from,
        subject: message.subject,
        sentAt: sentAt.toISOString(),
        headers: headersOf(kept.raw),
        delivery: smtp === null ? 'outbox-only' : 'sending',
        ...kept,
      });
    },
    async deliver(id, prepared) {
      writeFileSync(path.join(outboxDir, `${String(id).padStart(8, '0')}.eml`), prepared.kept.raw, {
        mode: 0o600,
      });
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
    async send(message) {
      const prepared = await mailer.prepare(message);
      return mailer.deliver(mailer.store(prepared), prepared);
    },
  };
  return mailer;
}

/** The copy the outbox keeps of a message that SMTP delivers: its secrets taken out. */
async function keptCopy(
  composer: ReturnType<typeof nodemailer.createTransport>,
  envelope: Record<string, unknown>,
  message: OutgoingEmail,
): Promise<{ raw: string; text: string; html: string }> {
  const scrub = (value: string): string =>
    (message.secrets ?? []).reduce(
      (out, secret) => out.split(secret).join(REMOVED_AFTER_SENDING),
      value,
    );
  const text = scrub(message.text);
  const html = scrub(message.html);
  return { raw: rawOf(await composer.sendMail({ ...envelope, text, html })), text, html };
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
