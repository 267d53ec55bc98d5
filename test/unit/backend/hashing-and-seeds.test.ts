import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSecretHasher } from '../../../electron/backend/crypto/secret-hasher.ts';
import { openDatabase } from '../../../electron/backend/db/database.ts';
import { parseSeed, seedDatabase } from '../../../electron/backend/db/seed.ts';
import { MIGRATIONS } from '../../../electron/backend/db/migrations.ts';
import { DEFAULT_RULES } from '../../../shared/rules/index.ts';

describe('the secret hasher', () => {
  it.each(['argon2id', 'scrypt'] as const)(
    '%s round-trips and salts every hash',
    async (algorithm) => {
      const hasher = createSecretHasher('test', { algorithm });
      const a = await hasher.hash('Zx9/Qw8#');
      const b = await hasher.hash('Zx9/Qw8#');
      expect(a).not.toBe(b);
      expect(a.startsWith(`$${hasher.algorithm}$`)).toBe(true);
      expect(await hasher.verify('Zx9/Qw8#', a)).toBe(true);
      expect(await hasher.verify('Zx9/Qw8', a)).toBe(false);
      expect(await hasher.verify('Zx9/Qw8#', 'garbage')).toBe(false);
      expect(await hasher.verify('Zx9/Qw8#', a.replace(/m=\d+|ln=\d+/u, 'm=0'))).toBe(false);
    },
  );

  it('uses OWASP’s minimum cost in production', async () => {
    const argon2id = createSecretHasher('production', { algorithm: 'argon2id' });
    const scrypt = createSecretHasher('production', { algorithm: 'scrypt' });
    try {
      expect(await argon2id.hash('x')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/u);
      expect(await scrypt.hash('x')).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/u);
    } finally {
      await Promise.all([argon2id.close(), scrypt.close()]);
    }
  });

  it('verifies hashes made with the other algorithm', async () => {
    const stored = await createSecretHasher('test', { algorithm: 'scrypt' }).hash('135792');
    expect(await createSecretHasher('test').verify('135792', stored)).toBe(true);
  });
});

describe('the database', () => {
  it('is migrated to the newest version and refuses a newer one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'passdesk-db-'));
    const db = openDatabase(dir);
    expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(
      MIGRATIONS.length,
    );
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe(
      'wal',
    );
    db.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openDatabase(dir)).toThrow(/newer than this version of PassDesk knows/);
  });

  it('parses seed names', () => {
    expect(parseSeed('demo')).toBe('demo');
    expect(parseSeed('large:100000')).toBe('large:100000');
    for (const bad of ['large:', 'large:0', 'large:-5', 'big', 'large:99999999'])
      expect(parseSeed(bad)).toBeNull();
  });

  it('seeds large:<n> with exactly n users, only once', () => {
    const db = openDatabase(mkdtempSync(path.join(tmpdir(), 'passdesk-db-')));
    expect(seedDatabase(db, 'large:20000')).toEqual({ users: 20000 });
    expect(seedDatabase(db, 'large:20000')).toEqual({ users: 0 });
    const ids = db.prepare('SELECT count(DISTINCT id) AS n FROM users').get() as { n: number };
    expect(ids.n).toBe(20000);
    db.close();
  });
});

describe('npm run backend', () => {
  const cli = path.resolve(import.meta.dirname, '../../../electron/backend/cli.ts');

  it('prints its URL and admin token and serves until stopped', async () => {
    const child = spawn(process.execPath, [
      cli,
      '--data-dir',
      mkdtempSync(path.join(tmpdir(), 'passdesk-cli-')),
      '--seed',
      'large:1000',
      '--test-hashing',
      '--hash-threads',
      '1',
    ]);
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('Data:')) resolve(text);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${text}`)));
      });
      const url = /URL:\s+(\S+)/u.exec(output)?.[1] ?? '';
      const token = /Admin token:\s+(\S+)/u.exec(output)?.[1] ?? '';
      const users = await fetch(`${url}/api/v1/users?limit=1`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(((await users.json()) as { total: number }).total).toBe(1000);
      expect(output).toMatch(/Hashing:\s+1 worker threads/u);
    } finally {
      child.kill('SIGTERM');
    }
  }, 20_000);

  it('refuses bad arguments with a clear message', async () => {
    const run = promisify(execFile);
    await expect(run(process.execPath, [cli, '--seed', 'demo'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--data-dir is required/),
    });
    await expect(
      run(process.execPath, [cli, '--data-dir', '/tmp/x', '--seed', 'huge']),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/--seed must be demo, none or large:<n>/),
    });
    await expect(
      run(process.execPath, [cli, '--data-dir', '/tmp/x', '--hash-threads', '0']),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/--hash-threads must be 1-256/) });
    for (const grace of ['1.5', '601', '-1'])
      await expect(
        run(process.execPath, [cli, '--data-dir', '/tmp/x', `--stop-grace=${grace}`]),
      ).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining(`--stop-grace must be 0-600 seconds, not "${grace}"`),
      });
    const rules = path.join(mkdtempSync(path.join(tmpdir(), 'passdesk-rules-')), 'rules.json');
    writeFileSync(
      rules,
      JSON.stringify({
        ...DEFAULT_RULES,
        voicePortalPasscode: { ...DEFAULT_RULES.voicePortalPasscode, minLength: 9 },
      }),
    );
    await expect(
      run(process.execPath, [cli, '--data-dir', '/tmp/x', '--rules', rules]),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(
        /--rules: voicePortalPasscode\.minLength: minLength \(9\) is greater than maxLength \(6\)/,
      ),
    });
  }, 20_000);
});
