import { describe, expect, it } from 'vitest';
import { mailFromFlags } from '../../../electron/backend/mail/mail-flags.ts';

describe('the --mail-from and --org-name flags', () => {
  it('need a sender with a real SMTP server, not with loopback or the outbox alone', () => {
    expect(mailFromFlags({ 'smtp-host': 'smtp.example.com' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/--smtp-host needs --mail-from/u),
    });
    expect(mailFromFlags({ 'smtp-host': '127.0.0.1' })).toEqual({ ok: true });
    expect(mailFromFlags({})).toEqual({ ok: true });
  });

  it('take an address, with or without a name, and a one-line signature', () => {
    expect(
      mailFromFlags({
        'smtp-host': 'smtp.example.com',
        'mail-from': 'Help desk <password-reset@example.com>',
        'org-name': 'Example Telecom help desk',
      }),
    ).toEqual({
      ok: true,
      mailFrom: 'Help desk <password-reset@example.com>',
      orgName: 'Example Telecom help desk',
    });
    expect(mailFromFlags({ 'mail-from': 'reset@example.com' })).toEqual({
      ok: true,
      mailFrom: 'reset@example.com',
    });
    for (const bad of ['reset', 'reset@localhost', 'Help <reset@example.com', 'a b@example.com'])
      expect(mailFromFlags({ 'mail-from': bad }).ok, bad).toBe(false);
    expect(mailFromFlags({ 'org-name': 'two\nlines' }).ok).toBe(false);
  });
});
