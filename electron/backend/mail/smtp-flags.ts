import { readFileSync } from 'node:fs';
import type { SmtpOptions } from './smtp-transport.ts';

/** The standalone backend's SMTP flags, in `node:util` parseArgs form. */
export const SMTP_FLAGS = {
  'smtp-host': { type: 'string' },
  'smtp-port': { type: 'string' },
  'smtp-secure': { type: 'boolean' },
  'smtp-insecure': { type: 'boolean' },
  'smtp-user': { type: 'string' },
  'smtp-password-file': { type: 'string' },
} as const;

export const SMTP_USAGE = `Email (without --smtp-host, emails are kept only in the outbox: for trying PassDesk on one machine)
  --smtp-host <host>         the SMTP server; TLS is required unless it is a loopback host
                             (localhost, 127.0.0.0/8, ::1): STARTTLS by default
  --smtp-port <n>            default 587, or 465 with --smtp-secure
  --smtp-secure              implicit TLS from the first byte (SMTPS) instead of STARTTLS
  --smtp-insecure            TLS not required (STARTTLS still used when offered); refused with
                             --smtp-user unless the host is loopback
  --smtp-user <name>         sign in as <name>; the password comes from PASSDESK_SMTP_PASSWORD,
  --smtp-password-file <f>   or from the first line of file <f>: never from an argument (ps shows those)
  Certificates are checked against the system's CAs; NODE_EXTRA_CA_CERTS=<file.pem> adds a private CA.
  The server is checked at start (connection, TLS, sign-in): if that fails the backend exits 1.`;

export interface SmtpFlagValues {
  'smtp-host'?: string | undefined;
  'smtp-port'?: string | undefined;
  'smtp-secure'?: boolean | undefined;
  'smtp-insecure'?: boolean | undefined;
  'smtp-user'?: string | undefined;
  'smtp-password-file'?: string | undefined;
}

/**
 * The SMTP flags as SmtpOptions (undefined without --smtp-host), or the message saying what is
 * wrong with them. The password is read from `env.PASSDESK_SMTP_PASSWORD` or the password file.
 */
export function smtpFromFlags(
  values: SmtpFlagValues,
  env: { PASSDESK_SMTP_PASSWORD?: string | undefined },
): { ok: true; smtp: SmtpOptions | undefined } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message });
  const host = values['smtp-host'];
  if (host === undefined) {
    const stray = Object.keys(SMTP_FLAGS).find(
      (flag) => values[flag as keyof SmtpFlagValues] !== undefined,
    );
    return stray === undefined
      ? { ok: true, smtp: undefined }
      : fail(`--${stray} needs --smtp-host`);
  }
  if (host === '' || /\s/u.test(host)) return fail('--smtp-host must be a host name or address');
  const secure = values['smtp-secure'] === true;
  const insecure = values['smtp-insecure'] === true;
  if (secure && insecure)
    return fail(
      '--smtp-secure (implicit TLS) and --smtp-insecure (TLS not required) contradict each other',
    );
  const port = Number(values['smtp-port'] ?? (secure ? 465 : 587));
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return fail(`--smtp-port must be 1-65535, not "${values['smtp-port']}"`);

  const user = values['smtp-user'];
  const file = values['smtp-password-file'];
  if (file !== undefined && env.PASSDESK_SMTP_PASSWORD !== undefined)
    return fail(
      'give the SMTP password once: PASSDESK_SMTP_PASSWORD or --smtp-password-file, not both',
    );
  let password = env.PASSDESK_SMTP_PASSWORD;
  if (file !== undefined) {
    try {
      password = readFileSync(file, 'utf8').split(/\r?\n/u, 1)[0] ?? '';
    } catch (error) {
      return fail(
        `--smtp-password-file: cannot read ${file} (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  if (user === undefined && password !== undefined)
    return fail(
      'an SMTP password was given (PASSDESK_SMTP_PASSWORD or --smtp-password-file) without --smtp-user',
    );
  if (user !== undefined && (user === '' || password === undefined || password === ''))
    return fail(
      '--smtp-user needs a name and a password (PASSDESK_SMTP_PASSWORD or --smtp-password-file)',
    );
  return {
    ok: true,
    smtp: {
      host,
      port,
      ...(secure ? { tls: 'implicit' as const } : insecure ? { tls: 'optional' as const } : {}),
      ...(user === undefined || password === undefined ? {} : { auth: { user, password } }),
    },
  };
}
