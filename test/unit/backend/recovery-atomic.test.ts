import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretHasher } from '../../../electron/backend/crypto/secret-hasher.ts';
import type { Mailer } from '../../../electron/backend/mail/mailer.ts';
import { createRecovery } from '../../../electron/backend/services/recovery.ts';
import { silentLogger } from '../../../shared/log/index.ts';
import { DEFAULT_RULES } from '../../../shared/rules/index.ts';
import { demoMailWorld } from './mail-world.ts';

/** The recovery service over a fresh demo database, with a mailer the test can break. */
function world(breakMailer: (mailer: Mailer) => Mailer) {
  const mail = demoMailWorld({
    prefix: 'passdesk-recovery-atomic-',
    from: 'test@passdesk.invalid',
    logger: silentLogger,
  });
  const { dataDir, db, idempotency, users } = mail;
  const recovery = createRecovery({
    ...mail,
    hasher: createSecretHasher('test'),
    mailer: breakMailer(mail.mailer),
    rules: () => DEFAULT_RULES,
    publicBaseUrl: () => 'http://127.0.0.1:1',
    linkTtlMinutes: 20,
    orgName: 'Test',
    logger: silentLogger,
  });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return { db, dataDir, recovery, idempotency, users, count };
}

const withEmail = (w: ReturnType<typeof world>) =>
  (
    w.db.prepare('SELECT id FROM users WHERE email IS NOT NULL ORDER BY id LIMIT 5').all() as {
      id: string;
    }[]
  ).map((row) => row.id);

describe('recovery emails are all or nothing', () => {
  it('leaves no link, email, audit row or stored answer when the request fails part-way', async () => {
    let prepared = 0;
    const w = world((mailer) => ({
      ...mailer,
      prepare: (message) => {
        prepared += 1;
        if (prepared === 3) return Promise.reject(new Error('composer crashed'));
        return mailer.prepare(message);
      },
    }));
    const context = {
      actor: 'admin',
      idempotency: { key: 'batch-1', route: 'POST /recovery-emails', fingerprint: 'x' },
    };
    await expect(w.recovery.sendEmails(withEmail(w), context)).rejects.toThrow('composer crashed');
    expect(w.count('SELECT count(*) AS n FROM recovery_tokens')).toBe(0);
    expect(w.count('SELECT count(*) AS n FROM outbox')).toBe(0);
    expect(w.count("SELECT count(*) AS n FROM audit WHERE action = 'recovery-email'")).toBe(0);
    expect(w.idempotency.find('batch-1')).toBeNull();
    expect(readdirSync(path.join(w.dataDir, 'outbox'))).toEqual([]);
  });

  it('stores every link, email and audit row with the answer, then writes the .eml copies', async () => {
    const w = world((mailer) => mailer);
    const ids = withEmail(w);
    const context = {
      actor: 'admin',
      idempotency: { key: 'batch-2', route: 'POST /recovery-emails', fingerprint: 'x' },
    };
    const answer = await w.recovery.sendEmails(ids, context);
    expect(answer.results.map((r) => r.outcome)).toEqual(ids.map(() => 'sent'));
    expect(w.count('SELECT count(*) AS n FROM recovery_tokens')).toBe(5);
    expect(w.count('SELECT count(*) AS n FROM outbox')).toBe(5);
    expect(JSON.parse(w.idempotency.find('batch-2')?.response ?? 'null')).toEqual(answer);
    expect(readdirSync(path.join(w.dataDir, 'outbox'))).toHaveLength(5);
  });
});
