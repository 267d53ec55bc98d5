/** The two emails the backend sends. Neither ever contains a password or passcode. */

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
  const when = `${input.at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
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
