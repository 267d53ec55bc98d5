/**
 * The standalone backend's SMTP flags: what they mean, the password kept out of the arguments,
 * and a start that stops with a clear message (exit code 1) when the server cannot be used.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { smtpFromFlags } from '../../../electron/backend/mail/smtp-flags.ts';
import { startSmtpCatcher, type SmtpCatcher } from '../../support/smtp-catcher.ts';
import { runCli, type CliRun } from './cli-process.ts';
import { testCertificate, type TestCertificate } from './test-certificate.ts';

const PASSWORD = 'cli-Smtp-Secret-2718';
const scratch = mkdtempSync(path.join(tmpdir(), 'passdesk-cli-smtp-'));

describe('smtpFromFlags', () => {
  const ok = (values: Parameters<typeof smtpFromFlags>[0], env = {}) => {
    const parsed = smtpFromFlags(values, env);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.smtp;
  };
  const refusal = (values: Parameters<typeof smtpFromFlags>[0], env = {}) => {
    const parsed = smtpFromFlags(values, env);
    return parsed.ok ? null : parsed.message;
  };

  it('is outbox only without --smtp-host', () => {
    expect(ok({})).toBeUndefined();
    expect(refusal({ 'smtp-user': 'mailer' })).toBe('--smtp-user needs --smtp-host');
  });

  it('requires STARTTLS on port 587 by default; --smtp-secure is implicit TLS on 465', () => {
    expect(ok({ 'smtp-host': 'mail.example.com' })).toEqual({
      host: 'mail.example.com',
      port: 587,
    });
    expect(ok({ 'smtp-host': 'mail.example.com', 'smtp-secure': true })).toEqual({
      host: 'mail.example.com',
      port: 465,
      tls: 'implicit',
    });
    expect(
      ok({ 'smtp-host': 'mail.example.com', 'smtp-insecure': true, 'smtp-port': '25' }),
    ).toEqual({ host: 'mail.example.com', port: 25, tls: 'optional' });
    expect(refusal({ 'smtp-host': 'm', 'smtp-secure': true, 'smtp-insecure': true })).toMatch(
      /contradict/u,
    );
    expect(refusal({ 'smtp-host': 'm', 'smtp-port': '70000' })).toMatch(/--smtp-port must be/u);
  });

  it('takes the password from PASSDESK_SMTP_PASSWORD or a file, once, and only with a user', () => {
    const file = path.join(scratch, 'smtp-password');
    writeFileSync(file, `${PASSWORD}\n`, { mode: 0o600 });
    const auth = { user: 'mailer', password: PASSWORD };
    expect(
      ok({ 'smtp-host': 'm', 'smtp-user': 'mailer' }, { PASSDESK_SMTP_PASSWORD: PASSWORD })?.auth,
    ).toEqual(auth);
    expect(
      ok({ 'smtp-host': 'm', 'smtp-user': 'mailer', 'smtp-password-file': file })?.auth,
    ).toEqual(auth);
    expect(
      refusal(
        { 'smtp-host': 'm', 'smtp-user': 'mailer', 'smtp-password-file': file },
        { PASSDESK_SMTP_PASSWORD: PASSWORD },
      ),
    ).toMatch(/not both/u);
    expect(refusal({ 'smtp-host': 'm', 'smtp-user': 'mailer' })).toMatch(
      /needs a name and a password/u,
    );
    expect(refusal({ 'smtp-host': 'm' }, { PASSDESK_SMTP_PASSWORD: PASSWORD })).toMatch(
      /without --smtp-user/u,
    );
    expect(
      refusal({ 'smtp-host': 'm', 'smtp-user': 'x', 'smtp-password-file': `${file}-missing` }),
    ).toMatch(/cannot read/u);
  });
});

describe('the backend process', () => {
  let certificate: TestCertificate;
  let caFile: string;
  beforeAll(async () => {
    certificate = await testCertificate();
    caFile = path.join(scratch, 'ca.pem');
    writeFileSync(caFile, certificate.cert);
  });
  const running: (CliRun | SmtpCatcher)[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => ('stop' in r ? r.stop() : r.close())));
  });
  const track = <T extends CliRun | SmtpCatcher>(thing: T): T => {
    running.push(thing);
    return thing;
  };

  it('has no flag that takes the password', async () => {
    const run = track(await runCli(['--smtp-host', '127.0.0.1', '--smtp-password', PASSWORD]));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown option '--smtp-password'/u);
    expect(run.stderr).toMatch(/PASSDESK_SMTP_PASSWORD/u);
  });

  it('exits 1 naming host:port when the SMTP server cannot be reached', async () => {
    const gone = await startSmtpCatcher();
    await gone.close();
    const run = track(await runCli(['--smtp-host', '127.0.0.1', '--smtp-port', String(gone.port)]));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^PassDesk backend did not start: SMTP server 127\\.0\\.0\\.1:${gone.port} cannot be reached`,
        'u',
      ),
    );
  });

  it('exits 1 when the server refuses the credentials, without showing or logging the password', async () => {
    const server = track(
      await startSmtpCatcher({ tls: 'starttls', certificate, users: { mailer: PASSWORD } }),
    );
    const args = ['--smtp-host', '127.0.0.1', '--smtp-port', String(server.port)];
    const run = track(
      await runCli([...args, '--smtp-user', 'mailer'], {
        env: { PASSDESK_SMTP_PASSWORD: 'wrong-Password-1', NODE_EXTRA_CA_CERTS: caFile },
      }),
    );
    expect(server.passwordsOffered).toEqual(['wrong-Password-1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/SMTP server 127\.0\.0\.1:\d+ refused the credentials/u);
    const log = readFileSync(path.join(run.dataDir, 'logs', 'backend.log'), 'utf8');
    expect(`${run.stdout}${run.stderr}${log}`).not.toContain('wrong-Password-1');
  });

  it('signs in over STARTTLS with the password from a file, and delivers', async () => {
    const server = track(
      await startSmtpCatcher({ tls: 'starttls', certificate, users: { mailer: PASSWORD } }),
    );
    const passwordFile = path.join(scratch, 'password-file');
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    const token = 'cli-smtp-admin-token-0123456789abcdef';
    const args = ['--smtp-host', '127.0.0.1', '--smtp-port', String(server.port)];
    const run = track(
      await runCli([...args, '--smtp-user', 'mailer', '--smtp-password-file', passwordFile], {
        env: { PASSDESK_ADMIN_TOKEN: token, NODE_EXTRA_CA_CERTS: caFile },
      }),
    );
    expect(run.url, run.stderr).not.toBeNull();
    expect(run.stdout).toMatch(/Email: +SMTP 127\.0\.0\.1:\d+ as mailer/u);
    const sent = await fetch(`${run.url}/api/v1/recovery-emails`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ userIds: ['11635-01'] }),
    });
    expect(await sent.json()).toEqual({ results: [{ userId: '11635-01', outcome: 'sent' }] });
    expect(server.received.map((m) => [m.user, m.secure])).toEqual([['mailer', true]]);
    await run.stop();
    const log = readFileSync(path.join(run.dataDir, 'logs', 'backend.log'), 'utf8');
    expect(`${run.stdout}${run.stderr}${log}`).not.toContain(PASSWORD);
  });
});
