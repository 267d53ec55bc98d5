import { isLoopbackHost } from './smtp-transport.ts';

/** The sender and signature flags of the standalone backend, in `node:util` parseArgs form. */
export const MAIL_FLAGS = {
  'mail-from': { type: 'string' },
  'org-name': { type: 'string' },
} as const;

export const MAIL_USAGE = `  --mail-from <sender>       the From of every email, e.g. "Help desk <password-reset@example.com>":
                             one your SMTP server lets --smtp-user send as (required with a
                             non-loopback --smtp-host; the default's .invalid domain is refused
                             by real servers)
  --org-name <name>          the signature under every email (default "Your telephony help desk")`;

/** `Name <user@host>` or `user@host`, with a dot in the host. */
const SENDER =
  /^(?:[^<>\p{Cc}]{0,100}<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/u;
const ORG_NAME = /^[^\p{Cc}]{1,100}$/u;

/**
 * The sender and signature as startBackend options, or the message saying what is wrong. A
 * real SMTP server needs a sender it accepts, so `--smtp-host` (off loopback) needs `--mail-from`.
 */
export function mailFromFlags(values: {
  'mail-from'?: string | undefined;
  'org-name'?: string | undefined;
  'smtp-host'?: string | undefined;
}): { ok: true; mailFrom?: string; orgName?: string } | { ok: false; message: string } {
  const from = values['mail-from']?.trim();
  const org = values['org-name']?.trim();
  const host = values['smtp-host'];
  if (from === undefined && host !== undefined && !isLoopbackHost(host))
    return {
      ok: false,
      message:
        '--smtp-host needs --mail-from: the sender your SMTP server accepts, e.g. "Help desk <password-reset@example.com>"',
    };
  if (from !== undefined && !SENDER.test(from))
    return {
      ok: false,
      message: `--mail-from must be an address ("user@example.com" or "Name <user@example.com>"), not "${from}"`,
    };
  if (org !== undefined && !ORG_NAME.test(org))
    return { ok: false, message: '--org-name must be 1-100 characters on one line' };
  return {
    ok: true,
    ...(from === undefined ? {} : { mailFrom: from }),
    ...(org === undefined ? {} : { orgName: org }),
  };
}
