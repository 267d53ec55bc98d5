/**
 * An SMTP server on 127.0.0.1 that accepts every message and keeps it, for the backend to send
 * its recovery emails to in tests. By default plain SMTP without STARTTLS or sign-in; it can
 * speak TLS (STARTTLS or implicit) with a test certificate, and require a user and password.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  /** The envelope's recipients, comma-separated. */
  to: string;
  /** The message as sent (headers and body, quoted-printable as it came). */
  data: string;
  /** Whether the session was encrypted (implicit TLS or after STARTTLS). */
  secure: boolean;
  /** Who signed in, if anyone. */
  user: string | null;
}

export interface SmtpCatcherOptions {
  /** `none` (default): no STARTTLS offered; `starttls`: offered; `implicit`: TLS from the start. */
  tls?: 'none' | 'starttls' | 'implicit';
  /** The certificate and key for `starttls` and `implicit` (PEM). */
  certificate?: { cert: string; key: string };
  /** When given, signing in is required (over TLS only), and only these users get in. */
  users?: Record<string, string>;
}

export interface SmtpCatcher {
  port: number;
  /** Every message received, in order. */
  received: CaughtMail[];
  /** Every password offered when signing in, right or wrong. */
  passwordsOffered: string[];
  close(): Promise<void>;
}

export async function startSmtpCatcher(options: SmtpCatcherOptions = {}): Promise<SmtpCatcher> {
  const received: CaughtMail[] = [];
  const passwordsOffered: string[] = [];
  const tls = options.tls ?? 'none';
  const { users } = options;
  if (tls !== 'none' && options.certificate === undefined)
    throw new Error('a TLS catcher needs a certificate');
  const smtp = new SMTPServer({
    secure: tls === 'implicit',
    ...(tls === 'none' ? { disabledCommands: ['STARTTLS'] } : options.certificate),
    authOptional: users === undefined,
    ...(users === undefined ? {} : { authMethods: ['PLAIN', 'LOGIN'] }),
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      passwordsOffered.push(auth.password ?? '');
      if (users !== undefined && users[auth.username ?? ''] === auth.password)
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address).join(','),
          data,
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : null,
        });
        callback();
      });
    },
  });
  // A failed TLS handshake is the client's problem, not the test process's.
  smtp.on('error', () => undefined);
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return {
    port: (smtp.server.address() as AddressInfo).port,
    received,
    passwordsOffered,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
