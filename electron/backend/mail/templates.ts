import { SECRET_NOUNS, type SecretKind } from '../../../shared/rules/index.ts';

/** The emails the backend sends. None ever contains a password or passcode. */

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/gu, (ch) => `&#${ch.charCodeAt(0)};`);

function layout(title: string, body: string, orgName: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:24px;background:#f3f5f8;font-family:Segoe UI,Arial,sans-serif;color:#1c2430">
<table role="presentation" width="100%" style="max-width:560px;margin:0 auto;background:#fff;border-radius:10px;padding:28px">
<tr><td>
<h1 style="margin:0 0 16px;font-size:20px">${escapeHtml(title)}</h1>
${body}
<p style="margin:24px 0 0;color:#5d6878;font-size:13px">${escapeHtml(orgName)}</p>
</td></tr></table></body></html>`;
}

/**
 * The recovery email. With `link: { removed }` it is the copy the outbox keeps once the link
 * must no longer be readable there: the same email, the words `removed` where the link and its
 * button were.
 */
export function recoveryEmail(input: {
  firstName: string;
  email: string;
  link: string | { removed: string };
  validMinutes: number;
  orgName: string;
}): ComposedEmail {
  const greeting = input.firstName.trim() === '' ? 'Hello,' : `Hello ${input.firstName},`;
  const subject = 'Reset your telephony passwords';
  const text = [
    greeting,
    '',
    `Someone asked to reset the Application Password and/or Voice Portal Passcode for ${input.email}.`,
    'Nothing on your account has changed yet.',
    '',
    `To choose a new password or get a new passcode, open this link within ${input.validMinutes} minutes:`,
    typeof input.link === 'string' ? input.link : input.link.removed,
    '',
    `The link stops working after ${input.validMinutes} minutes, or as soon as a newer link is sent.`,
    'If you did not ask for this, ignore this email: your passwords stay as they are.',
    '',
    input.orgName,
  ].join('\n');
  const html = layout(
    subject,
    `<p>${escapeHtml(greeting)}</p>
<p>Someone asked to reset the Application Password and/or Voice Portal Passcode for
<strong>${escapeHtml(input.email)}</strong>. Nothing on your account has changed yet.</p>
<p>To choose a new password or get a new passcode, use the button within ${input.validMinutes} minutes.</p>
${
  typeof input.link === 'string'
    ? `<p style="margin:24px 0"><a href="${escapeHtml(input.link)}"
 style="background:#2f6fed;color:#fff;padding:12px 28px;border-radius:6px;text-decoration:none;font-weight:600">Reset</a></p>`
    : `<p style="margin:24px 0;color:#5d6878"><em>${escapeHtml(input.link.removed)}</em></p>`
}
<p style="font-size:13px;color:#5d6878">The link stops working after ${input.validMinutes} minutes, or as soon as a newer
link is sent. If you did not ask for this, ignore this email: your passwords stay as they are.</p>`,
    input.orgName,
  );
  return { subject, text, html };
}

const whenOf = (at: Date): string => `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

export function changeConfirmationEmail(input: {
  firstName: string;
  what: 'applicationPassword' | 'voicePortalPasscode';
  at: Date;
  orgName: string;
}): ComposedEmail {
  const greeting = input.firstName.trim() === '' ? 'Hello,' : `Hello ${input.firstName},`;
  const thing =
    input.what === 'applicationPassword'
      ? 'your Application Password was changed'
      : 'a temporary Voice Portal Passcode was set for you';
  const when = whenOf(input.at);
  const subject =
    input.what === 'applicationPassword'
      ? 'Your Application Password was changed'
      : 'Your Voice Portal Passcode was reset';
  const tail =
    input.what === 'voicePortalPasscode'
      ? 'Enter the temporary passcode at your voicemail portal; it will ask you to choose your own.'
      : 'Use the new password the next time you sign in.';
  const text = [
    greeting,
    '',
    `This is to confirm that ${thing} on ${when} using a password-reset link.`,
    tail,
    '',
    'If this was not you, contact your administrator straight away.',
    '',
    input.orgName,
  ].join('\n');
  const html = layout(
    subject,
    `<p>${escapeHtml(greeting)}</p>
<p>This is to confirm that ${escapeHtml(thing)} on ${escapeHtml(when)} using a password-reset link.</p>
<p>${escapeHtml(tail)}</p>
<p><strong>If this was not you, contact your administrator straight away.</strong></p>`,
    input.orgName,
  );
  return { subject, text, html };
}

/**
 * The notice a user gets when an administrator resets their secrets: what was reset and when,
 * whether it is temporary, and what to do if they did not expect it. It names no value and
 * holds no link (a notice with a link is what a phishing email looks like).
 */
export function adminResetNoticeEmail(input: {
  firstName: string;
  /** The secrets reset, at least one. */
  what: readonly SecretKind[];
  temporary: boolean;
  at: Date;
  orgName: string;
}): ComposedEmail {
  const greeting = input.firstName.trim() === '' ? 'Hello,' : `Hello ${input.firstName},`;
  const names = input.what.map((kind) => SECRET_NOUNS[kind].title);
  const both = names.length > 1;
  const thing = `your ${names.join(' and your ')}`;
  const when = whenOf(input.at);
  const subject = `Your ${names.join(' and ')} ${both ? 'were' : 'was'} reset by the help desk`;
  const lines = [
    `This is to let you know that the help desk reset ${thing} on ${when}.`,
    `For your security, this email does not contain the new ${both ? 'ones' : 'one'}. The help desk will never ask you for your password or passcode.`,
    ...(input.temporary
      ? [
          `The new ${both ? 'ones are' : 'one is'} temporary: replace ${both ? 'them' : 'it'} with your own as soon as you can.${input.what.includes('voicePortalPasscode') ? ' Your voice portal asks you to choose your own passcode when you next enter the temporary one.' : ''}`,
        ]
      : []),
  ];
  const warning =
    'If you did not expect this, contact your help desk straight away: someone else may be trying to get into your account.';
  const text = [greeting, ...lines, warning, input.orgName].join('\n\n');
  const html = layout(
    subject,
    `<p>${escapeHtml(greeting)}</p>
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<p><strong>${escapeHtml(warning)}</strong></p>`,
    input.orgName,
  );
  return { subject, text, html };
}
