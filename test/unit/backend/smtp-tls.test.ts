import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SmtpUnavailableError, type SmtpOptions } from '../../../electron/backend/index.ts';
import { isLoopbackHost, smtpTlsOf } from '../../../electron/backend/mail/smtp-transport.ts';
import {
  startSmtpCatcher,
  type SmtpCatcher,
  type SmtpCatcherOptions,
} from '../../support/smtp-catcher.ts';
import { startTestBackend, type TestBackend } from './harness.ts';
import { testCertificate, type TestCertificate } from './test-certificate.ts';

let certificate: TestCertificate;
beforeAll(async () => {
  certificate = await testCertificate();
});

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()));
});

async function catcher(options: SmtpCatcherOptions = {}): Promise<SmtpCatcher> {
  const started = await startSmtpCatcher({ certificate, ...options });
  open.push(started);
  return started;
}

async function backendWith(smtp: SmtpOptions): Promise<TestBackend> {
  const backend = await startTestBackend({ smtp });
  open.push(backend);
  return backend;
}

/** Sends one recovery email and says what the backend answered. */
async function sendOne(backend: TestBackend): Promise<string | undefined> {
  const answer = await backend.api('POST', '/api/v1/recovery-emails', { userIds: ['11635-01'] });
  return (answer.json as { results: { outcome: string }[] }).results[0]?.outcome;
}

/** What starting a backend with `smtp` fails with (null when it starts). */
async function startFailure(smtp: SmtpOptions): Promise<SmtpUnavailableError | null> {
  try {
    await backendWith(smtp);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(SmtpUnavailableError);
    return error as SmtpUnavailableError;
  }
}

describe('which hosts count as loopback', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.45.6.7', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
    ['::2', false],
    ['localhost.example.com', false],
    ['127.0.0.1.nip.io', false],
    ['mail.example.com', false],
  ])('%s: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('requires TLS (STARTTLS) by default except to loopback', () => {
    expect(smtpTlsOf({ host: 'mail.example.com' })).toBe('starttls');
    expect(smtpTlsOf({ host: '192.168.1.20' })).toBe('starttls');
    expect(smtpTlsOf({ host: '127.0.0.1' })).toBe('optional');
    expect(smtpTlsOf({ host: 'mail.example.com', tls: 'implicit' })).toBe('implicit');
  });
});

describe('SMTP with TLS required', () => {
  it('refuses to start when the server does not offer STARTTLS, naming host:port', async () => {
    const plain = await catcher({ tls: 'none' });
    const failure = await startFailure({ host: '127.0.0.1', port: plain.port, tls: 'starttls' });
    expect(failure?.message).toMatch(
      new RegExp(
        `^SMTP server 127\\.0\\.0\\.1:${plain.port} refused TLS: STARTTLS is required`,
        'u',
      ),
    );
  });

  it('delivers over STARTTLS to a server whose certificate it trusts', async () => {
    const server = await catcher({ tls: 'starttls' });
    const backend = await backendWith({
      host: '127.0.0.1',
      port: server.port,
      tls: 'starttls',
      ca: certificate.cert,
    });
    expect(await sendOne(backend)).toBe('sent');
    expect(server.received.map((m) => m.secure)).toEqual([true]);
  });

  it('refuses to start when the server’s certificate is not trusted', async () => {
    const server = await catcher({ tls: 'starttls' });
    const failure = await startFailure({ host: '127.0.0.1', port: server.port, tls: 'starttls' });
    expect(failure?.message).toMatch(/refused TLS: .*certificate/u);
    expect(server.received).toEqual([]);
  });

  it('speaks implicit TLS (SMTPS) when told, and refuses a server that does not', async () => {
    const smtps = await catcher({ tls: 'implicit' });
    const backend = await backendWith({
      host: '127.0.0.1',
      port: smtps.port,
      tls: 'implicit',
      ca: certificate.cert,
    });
    expect(await sendOne(backend)).toBe('sent');
    expect(smtps.received.map((m) => m.secure)).toEqual([true]);

    const plain = await catcher({ tls: 'none' });
    const failure = await startFailure({ host: '127.0.0.1', port: plain.port, tls: 'implicit' });
    expect(failure?.message).toMatch(
      new RegExp(`^SMTP server 127\\.0\\.0\\.1:${plain.port} .*(TLS|did not answer)`, 'u'),
    );
  });

  it('uses STARTTLS to a loopback host when offered, and plain SMTP when not', async () => {
    const tlsServer = await catcher({ tls: 'starttls' });
    const backend = await backendWith({
      host: '127.0.0.1',
      port: tlsServer.port,
      ca: certificate.cert,
    });
    expect(await sendOne(backend)).toBe('sent');
    expect(tlsServer.received.map((m) => m.secure)).toEqual([true]);

    const plain = await catcher({ tls: 'none' });
    const plainBackend = await backendWith({ host: '127.0.0.1', port: plain.port });
    expect(await sendOne(plainBackend)).toBe('sent');
    expect(plain.received.map((m) => m.secure)).toEqual([false]);
  });
});

describe('SMTP sign-in', () => {
  const PASSWORD = 'smtp-Secret-4711!';

  it('signs in with the given user and password', async () => {
    const server = await catcher({ tls: 'starttls', users: { 'passdesk-mailer': PASSWORD } });
    const backend = await backendWith({
      host: '127.0.0.1',
      port: server.port,
      tls: 'starttls',
      ca: certificate.cert,
      auth: { user: 'passdesk-mailer', password: PASSWORD },
    });
    expect(await sendOne(backend)).toBe('sent');
    expect(server.received.map((m) => [m.user, m.secure])).toEqual([['passdesk-mailer', true]]);
    expect(backend.logLines.join('\n')).not.toContain(PASSWORD);
  });

  it('refuses to start when the server refuses the credentials, without saying the password', async () => {
    const server = await catcher({ tls: 'starttls', users: { 'passdesk-mailer': PASSWORD } });
    const failure = await startFailure({
      host: '127.0.0.1',
      port: server.port,
      ca: certificate.cert,
      auth: { user: 'passdesk-mailer', password: 'not-the-password' },
    });
    expect(server.passwordsOffered).toEqual(['not-the-password']);
    expect(failure?.message).toMatch(
      new RegExp(`^SMTP server 127\\.0\\.0\\.1:${server.port} refused the credentials`, 'u'),
    );
    expect(failure?.message).not.toContain('not-the-password');
  });

  it('never sends a password unencrypted to a host that is not loopback', async () => {
    const failure = await startFailure({
      host: 'mail.example.com',
      port: 25,
      tls: 'optional',
      auth: { user: 'passdesk-mailer', password: PASSWORD },
    });
    expect(failure?.message).toMatch(/mail\.example\.com:25: signing in without TLS/u);
    expect(failure?.message).not.toContain(PASSWORD);
  });
});

describe('an SMTP server that cannot be reached', () => {
  it('stops the start with a message naming host:port', async () => {
    const gone = await startSmtpCatcher();
    await gone.close();
    const failure = await startFailure({ host: '127.0.0.1', port: gone.port });
    expect(failure?.message).toMatch(
      new RegExp(`^SMTP server 127\\.0\\.0\\.1:${gone.port} cannot be reached`, 'u'),
    );
  });
});
