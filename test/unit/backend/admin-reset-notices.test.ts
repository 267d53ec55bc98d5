import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretHasher } from '../../../electron/backend/crypto/secret-hasher.ts';
import type { Mailer } from '../../../electron/backend/mail/mailer.ts';
import type { SmtpTransport } from '../../../electron/backend/mail/smtp-transport.ts';
import {
  createPasswordResets,
  type PasswordResetRequest,
} from '../../../electron/backend/services/password-resets.ts';
import { createLogger } from '../../../shared/log/index.ts';
import { DEFAULT_RULES } from '../../../shared/rules/index.ts';
import { demoMailWorld } from './mail-world.ts';

const PASSWORD = 'Tr0ub4dor&3';
const PASSCODE = '975311';
const ORG = 'Acme Telephony Help Desk';

/** An SMTP server that refuses every message. */
const refusingSmtp: SmtpTransport = {
  sendMail: () => Promise.reject(new Error('550 mailbox unavailable')),
  close: () => undefined,
};

/**
 * The password-reset service over a fresh demo database with the backend's real mailer (outbox
 * table + .eml files; SMTP when given), as startBackend wires it.
 */
function world(
  options: {
    notifyOnAdminReset?: boolean;
    smtp?: SmtpTransport;
    breakMailer?: (mailer: Mailer) => Mailer;
  } = {},
) {
  const logLines: string[] = [];
  const logger = createLogger({ sink: (line) => logLines.push(line), minLevel: 'debug' });
  const { dataDir, db, clock, records, users, tokens, secrets, mailer, commit, linkSweep } =
    demoMailWorld({
      prefix: 'passdesk-reset-notices-',
      from: 'help@passdesk.invalid',
      smtp: options.smtp ?? null,
      logger,
    });
  const resets = createPasswordResets({
    users,
    secrets,
    records,
    tokens,
    hasher: createSecretHasher('test', { threads: 1 }),
    rules: () => DEFAULT_RULES,
    clock,
    commit,
    linkSweep,
    mail: { mailer: options.breakMailer?.(mailer) ?? mailer, orgName: ORG },
    ...(options.notifyOnAdminReset === undefined
      ? {}
      : { notifyOnAdminReset: options.notifyOnAdminReset }),
    logger,
  });
  const ids = (where: string, limit = 3) =>
    (
      db.prepare(`SELECT id FROM users WHERE ${where} ORDER BY id LIMIT ${limit}`).all() as {
        id: string;
      }[]
    ).map((row) => row.id);
  const emailOf = (userId: string) => users.get(userId)?.email ?? null;
  const outbox = () => records.messages(Number.MAX_SAFE_INTEGER).messages;
  const audit = () => records.auditPage(Number.MAX_SAFE_INTEGER).entries;
  const reset = (body: PasswordResetRequest) =>
    resets.reset(body, { actor: 'Renée Okafor', idempotency: null });
  const history = (userId: string) =>
    db
      .prepare('SELECT kind, temporary FROM secret_history WHERE user_id = ? ORDER BY id')
      .all(userId) as { kind: string; temporary: number }[];
  const emlFiles = () =>
    readdirSync(path.join(dataDir, 'outbox')).map((name) =>
      readFileSync(path.join(dataDir, 'outbox', name), 'utf8'),
    );
  return {
    db,
    resets,
    reset,
    ids,
    emailOf,
    outbox,
    audit,
    history,
    emlFiles,
    records,
    logLines,
    close: () => db.close(),
  };
}

describe('a notice after an admin reset', () => {
  it('emails each user with an address once, naming both secrets, holding neither', async () => {
    const w = world();
    const [ann, ben] = w.ids('email IS NOT NULL', 2);
    const answer = await w.reset({
      userIds: [ann ?? '', ben ?? ''],
      applicationPassword: PASSWORD,
      voicePortalPasscode: PASSCODE,
    });
    expect(answer.results.map((r) => r.outcome)).toEqual(['changed', 'changed']);
    await w.resets.noticesDelivered();

    const notices = w.outbox();
    expect(notices.map((m) => m.to).sort()).toEqual(
      [w.emailOf(ann ?? ''), w.emailOf(ben ?? '')].sort(),
    );
    for (const summary of notices) {
      expect(summary.kind).toBe('change-confirmation');
      expect(summary.subject).toBe(
        'Your Application Password and Voice Portal Passcode were reset by the help desk',
      );
      const message = w.records.message(summary.id);
      expect(message?.text).toContain(
        'the help desk reset your Application Password and your Voice Portal Passcode on',
      );
      expect(message?.text).toContain('If you did not expect this, contact your help desk');
      expect(message?.text).toContain(ORG);
      expect(message?.text).not.toMatch(/https?:\/\//u);
      const everything = JSON.stringify(message);
      expect(everything).not.toContain(PASSWORD);
      expect(everything).not.toContain(PASSCODE);
    }
    // The .eml copies too, and the log.
    expect(w.emlFiles()).toHaveLength(2);
    for (const eml of w.emlFiles()) {
      expect(eml).not.toContain(PASSWORD);
      expect(eml).not.toContain(PASSCODE);
    }
    expect(w.logLines.join('\n')).not.toContain(PASSWORD);
    expect(w.logLines.join('\n')).not.toContain(PASSCODE);

    // Newest first.
    const rows = w
      .audit()
      .filter((e) => e.action === 'admin-reset notice')
      .map((e) => [e.userId, e.actor, e.outcome]);
    expect(rows).toEqual([
      [ben, 'Renée Okafor', 'queued'],
      [ann, 'Renée Okafor', 'queued'],
    ]);
    w.close();
  });

  it('names only the secret reset, and says when it is temporary', async () => {
    const w = world();
    const [ann, ben] = w.ids('email IS NOT NULL', 2);
    await w.reset({ userIds: [ann ?? ''], applicationPassword: PASSWORD });
    await w.reset({ userIds: [ben ?? ''], voicePortalPasscode: PASSCODE, temporary: true });
    const byTo = new Map(w.outbox().map((m) => [m.to, w.records.message(m.id)]));
    const plain = byTo.get(w.emailOf(ann ?? '') ?? '');
    expect(plain?.subject).toBe('Your Application Password was reset by the help desk');
    expect(plain?.text).not.toContain('Voice Portal Passcode');
    expect(plain?.text).not.toContain('temporary');
    const temporary = byTo.get(w.emailOf(ben ?? '') ?? '');
    expect(temporary?.subject).toBe('Your Voice Portal Passcode was reset by the help desk');
    expect(temporary?.text).toContain('The new one is temporary');
    w.close();
  });

  it('sends nothing to a user without an address, nor for a reset that changed nobody', async () => {
    const w = world();
    const [noEmail] = w.ids('email IS NULL', 1);
    const [withEmail] = w.ids('email IS NOT NULL', 1);
    const changed = await w.reset({ userIds: [noEmail ?? ''], applicationPassword: PASSWORD });
    expect(changed.results[0]?.outcome).toBe('changed');
    // Breaks a rule: nobody is changed, so nobody is told.
    const rejected = await w.reset({ userIds: [withEmail ?? ''], voicePortalPasscode: '123456' });
    expect(rejected.results[0]?.outcome).toBe('rejected');
    await w.resets.noticesDelivered();
    expect(w.outbox()).toEqual([]);
    expect(w.audit().filter((e) => e.action === 'admin-reset notice')).toEqual([]);
    w.close();
  });

  it('is not sent when the backend is set not to (notifyOnAdminReset: false)', async () => {
    const w = world({ notifyOnAdminReset: false });
    const [ann] = w.ids('email IS NOT NULL', 1);
    const answer = await w.reset({ userIds: [ann ?? ''], applicationPassword: PASSWORD });
    expect(answer.results[0]?.outcome).toBe('changed');
    await w.resets.noticesDelivered();
    expect(w.outbox()).toEqual([]);
    w.close();
  });

  it('never fails or undoes the reset when the mail server refuses it: marked, audited, logged', async () => {
    const w = world({ smtp: refusingSmtp });
    const [ann] = w.ids('email IS NOT NULL', 1);
    const answer = await w.reset({ userIds: [ann ?? ''], applicationPassword: PASSWORD });
    expect(answer.results[0]?.outcome).toBe('changed');
    await w.resets.noticesDelivered();
    expect(w.outbox().map((m) => m.delivery)).toEqual(['failed']);
    expect(
      w
        .audit()
        .filter((e) => e.action === 'admin-reset notice')
        .map((e) => e.outcome),
    ).toEqual(['not delivered: the mail server did not take it (it is in the outbox)', 'queued']);
    expect(w.logLines.join('\n')).toContain('smtp delivery failed');
    expect(w.history(ann ?? '')).toHaveLength(1);
    w.close();
  });

  it('never fails or undoes the reset when composing or storing the notice throws', async () => {
    for (const broken of ['prepare', 'store', 'deliver'] as const) {
      const w = world({
        breakMailer: (mailer) => ({
          ...mailer,
          [broken]: () => {
            throw new Error(`${broken} broke`);
          },
        }),
      });
      const [ann] = w.ids('email IS NOT NULL', 1);
      const answer = await w.reset({ userIds: [ann ?? ''], applicationPassword: PASSWORD });
      expect(answer.results[0]?.outcome, broken).toBe('changed');
      await w.resets.noticesDelivered();
      expect(w.history(ann ?? ''), broken).toHaveLength(1);
      expect(w.logLines.join('\n'), broken).toMatch(/admin reset notice/u);
      w.close();
    }
  });
});

describe('temporary secrets', () => {
  it('are stored as temporary only when the request asks, and each result says so', async () => {
    const w = world();
    const [ann, ben] = w.ids('1 = 1', 2);
    const asked = await w.reset({
      userIds: [ann ?? ''],
      applicationPassword: PASSWORD,
      voicePortalPasscode: PASSCODE,
      temporary: true,
    });
    expect(asked.results).toEqual([{ userId: ann, outcome: 'changed', temporary: true }]);
    expect(w.history(ann ?? '')).toEqual([
      { kind: 'applicationPassword', temporary: 1 },
      { kind: 'voicePortalPasscode', temporary: 1 },
    ]);
    // Left out (as a 1.0 client does): not temporary.
    const plain = await w.reset({ userIds: [ben ?? ''], applicationPassword: PASSWORD });
    // Answered exactly as API 1.0 did, which a 1.0 client reads with a strict schema.
    expect(plain.results).toEqual([{ userId: ben, outcome: 'changed' }]);
    expect(w.history(ben ?? '')).toEqual([{ kind: 'applicationPassword', temporary: 0 }]);
    const rows = w
      .audit()
      .filter((e) => e.action.startsWith('password-reset'))
      .map((e) => [e.userId, e.action, e.outcome]);
    expect(rows).toEqual([
      [ben, 'password-reset (applicationPassword)', 'changed'],
      [ann, 'password-reset (applicationPassword, voicePortalPasscode, temporary)', 'changed'],
    ]);
    w.close();
  });
});
