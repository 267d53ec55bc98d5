import { BlockList, isIP } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';

/**
 * How the SMTP connection is protected:
 * - `implicit`: TLS from the first byte (SMTPS, usually port 465);
 * - `starttls`: plain at first, then STARTTLS, which must succeed (usually port 587);
 * - `optional`: STARTTLS when the server offers it and it works, plain SMTP otherwise.
 * Certificates are always checked against the system's CAs (and `ca`, when given).
 */
export type SmtpTls = 'implicit' | 'starttls' | 'optional';

export interface SmtpOptions {
  host: string;
  port: number;
  /** Defaults to `starttls`, or to `optional` when `host` is a loopback address. */
  tls?: SmtpTls;
  auth?: { user: string; password: string };
  /** Certificates (PEM) to trust besides the system's: a private CA's. */
  ca?: string;
}

export type SmtpTransport = Pick<Transporter, 'sendMail' | 'close'>;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 'localhost', 127.0.0.0/8 and ::1 (also IPv4-mapped): a host this machine answers for itself. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/u, '$1');
  if (name === 'localhost' || name === 'localhost.') return true;
  const family = isIP(name);
  return family !== 0 && LOOPBACK.check(name, family === 4 ? 'ipv4' : 'ipv6');
}

/** The protection used for `options`: as asked, else TLS required except to a loopback host. */
export function smtpTlsOf(options: Pick<SmtpOptions, 'host' | 'tls'>): SmtpTls {
  return options.tls ?? (isLoopbackHost(options.host) ? 'optional' : 'starttls');
}

/** The backend cannot start: the SMTP server it was given cannot be used. */
export class SmtpUnavailableError extends Error {
  override readonly name = 'SmtpUnavailableError';
}

/**
 * Connects to the SMTP server, sets up TLS and signs in as a message would, and resolves with a
 * transport for sending only once all of that worked; otherwise rejects with an
 * SmtpUnavailableError that names the server and what failed (never the password).
 */
export async function openSmtpTransport(
  options: SmtpOptions,
  timeouts: { connectMs?: number } = {},
): Promise<SmtpTransport> {
  const where = `${options.host}:${options.port}`;
  const tls = smtpTlsOf(options);
  if (tls === 'optional' && options.auth !== undefined && !isLoopbackHost(options.host)) {
    throw new SmtpUnavailableError(
      `SMTP server ${where}: signing in without TLS would send the SMTP password unencrypted; use STARTTLS or implicit TLS.`,
    );
  }
  const connectMs = timeouts.connectMs ?? 10_000;
  // Pooled: a bulk job's notices and links share a few signed-in connections, instead of a TCP
  // connection, a TLS handshake and a sign-in per email (which servers' connection limits refuse).
  const settings: SMTPPool.Options = {
    pool: true,
    maxConnections: 3,
    host: options.host,
    port: options.port,
    secure: tls === 'implicit',
    requireTLS: tls === 'starttls',
    opportunisticTLS: tls === 'optional',
    tls: {
      minVersion: 'TLSv1.2',
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    },
    ...(options.auth === undefined
      ? {}
      : { auth: { user: options.auth.user, pass: options.auth.password } }),
    connectionTimeout: connectMs,
    greetingTimeout: connectMs,
    socketTimeout: 20_000,
  };
  const transport = nodemailer.createTransport(settings);
  try {
    await transport.verify();
  } catch (error) {
    transport.close();
    throw new SmtpUnavailableError(`SMTP server ${where} ${whatFailed(error, tls)}`);
  }
  return transport;
}

/** What nodemailer's error says went wrong, in words an operator can act on. */
function whatFailed(error: unknown, tls: SmtpTls): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  // OpenSSL's own lines ("…:SSL routines:fn:wrong version number:file:line:") by their reason.
  const detail =
    /SSL routines:[^:]*:([^:]+)/u.exec(message)?.[1] ?? message.split('\n', 1)[0]?.trim() ?? '';
  const tlsLike = /\b(tls|ssl|certificate|wrong version number|handshake)\b/iu.test(message);
  if (code === 'EAUTH' || code === 'ENOAUTH') return `refused the credentials (${detail})`;
  if (code === 'ETLS' || tlsLike) {
    const what = {
      implicit: 'implicit TLS is required',
      starttls: 'STARTTLS is required',
      optional: 'STARTTLS',
    }[tls];
    return `refused TLS: ${what} and failed (${detail})`;
  }
  if (code === 'ETIMEDOUT') return `did not answer in time (${detail})`;
  if (code === 'ECONNECTION' || code === 'ESOCKET' || code === 'EDNS')
    return `cannot be reached (${detail})`;
  return `failed the connection check (${detail})`;
}
