import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/api/index.ts';
import { AdminTokensError, startBackend } from '../../../electron/backend/index.ts';
import { openDatabase } from '../../../electron/backend/db/database.ts';
import { createRecordsStore } from '../../../electron/backend/db/records-store.ts';
import { MIGRATIONS } from '../../../electron/backend/db/migrations.ts';
import { openSqlite } from '../../../electron/backend/db/sqlite.ts';
import {
  storedHash,
  writeTokenFile,
  type StoredToken,
} from '../../../electron/backend/admin-tokens/token-store.ts';
import { clientAt, statusesOf } from './from-address.ts';
import { latestLink, startTestBackend, tokenOf, type Answer, type TestBackend } from './harness.ts';

const ALICE = 'alice-token-0123456789-ABCDEFGHIJKLMNOPQRSTUVW';
const BOB = 'bob-token-0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WRONG = 'wrong-admin-token-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789';

const entry = (name: string, token: string): StoredToken => ({
  name,
  hash: storedHash(token),
  createdAt: '2026-12-01T10:00:00.000Z',
});

function tokensFile(tokens: StoredToken[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'passdesk-tokens-')), 'tokens.json');
  writeTokenFile(file, tokens);
  return file;
}

interface SecurityLine {
  event: string;
  [field: string]: unknown;
}
const securityLines = (backend: TestBackend): SecurityLine[] =>
  backend.logLines
    .map((line) => JSON.parse(line) as SecurityLine & { message: string })
    .filter((line) => line.message === 'security event');

/** An admin request with `token`, claiming to be `actor` if given. */
const as = (
  backend: TestBackend,
  token: string,
  method: string,
  pathname: string,
  body?: unknown,
  actor?: string,
): Promise<Answer> =>
  backend.api(method, pathname, body, {
    Authorization: `Bearer ${token}`,
    ...(actor === undefined ? {} : { 'X-PassDesk-Actor': encodeURIComponent(actor) }),
  });

const auditOf = async (backend: TestBackend, token: string): Promise<AuditEntry[]> => {
  const answer = await as(backend, token, 'GET', '/api/v1/audit');
  expect(answer.status).toBe(200);
  return (answer.json as { entries: AuditEntry[] }).entries;
};

describe('named admin tokens', () => {
  let backend: TestBackend;
  let file: string;
  beforeAll(async () => {
    file = tokensFile([entry('alice', ALICE), entry('bob', BOB)]);
    backend = await startTestBackend({ adminTokensFile: file });
  });
  afterAll(() => backend.close());

  it('each sign a request in, and no unnamed token is made beside them', async () => {
    expect((await as(backend, ALICE, 'GET', '/api/v1/locations')).status).toBe(200);
    expect((await as(backend, BOB, 'GET', '/api/v1/locations')).status).toBe(200);
    expect(backend.token).toBe('');
    expect((await backend.raw('GET', '/api/v1/locations')).status).toBe(401);
  });

  it('name the verified token in every audit row of an admin request, beside the operator it claims', async () => {
    const user = '11635-21';
    await as(
      backend,
      ALICE,
      'PATCH',
      `/api/v1/users/${user}`,
      { email: 'a@example.org' },
      'Alice A',
    );
    // Bob's token claiming to be Alice: the claim is kept, and so is whose token it was.
    await as(
      backend,
      BOB,
      'POST',
      '/api/v1/intercepts',
      { userIds: [user], intercepted: true },
      'Alice A',
    );
    // No X-PassDesk-Actor: the audit names the token's holder, not "admin".
    await as(backend, BOB, 'POST', '/api/v1/license-assignments', {
      userIds: [user],
      add: ['webex'],
    });
    // Under an Idempotency-Key, as PassDesk's bulk jobs send them.
    await backend.api(
      'POST',
      '/api/v1/password-resets',
      { userIds: [user], applicationPassword: 'Tr0ub4dor&3' },
      {
        Authorization: `Bearer ${ALICE}`,
        'X-PassDesk-Actor': 'Alice%20A',
        'Idempotency-Key': 'named-tokens-reset-1',
      },
    );
    await as(backend, BOB, 'POST', '/api/v1/recovery-emails', { userIds: [user] }, 'Bob B');

    const rows = (await auditOf(backend, ALICE)).filter((row) => row.userId === user);
    const who = (action: string) =>
      rows
        .filter((row) => row.action.startsWith(action))
        .map(({ actor, tokenName }) => ({ actor, tokenName }));
    expect(who('email-update')).toEqual([{ actor: 'Alice A', tokenName: 'alice' }]);
    expect(who('intercept on')).toEqual([{ actor: 'Alice A', tokenName: 'bob' }]);
    expect(who('licenses')).toEqual([{ actor: 'bob', tokenName: 'bob' }]);
    expect(who('password-reset')).toEqual([{ actor: 'Alice A', tokenName: 'alice' }]);
    expect(who('recovery-email')).toEqual([{ actor: 'Bob B', tokenName: 'bob' }]);
    // Every row, those named above and any other the requests wrote (a notice to the user).
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.filter((row) => row.tokenName === undefined)).toEqual([]);
  });

  it('leave the end user’s own changes with no token name', async () => {
    await as(backend, ALICE, 'PATCH', '/api/v1/users/11635-22', { email: 'self@example.org' });
    await as(backend, ALICE, 'POST', '/api/v1/recovery-emails', { userIds: ['11635-22'] });
    const asAlice: TestBackend = {
      ...backend,
      api: (method, pathname, body) => as(backend, ALICE, method, pathname, body),
    };
    const link = tokenOf(await latestLink(asAlice, 'self@example.org'));
    const changed = await backend.raw('POST', '/api/v1/self-service/password', {
      headers: { Authorization: `Bearer ${link}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ password: 'Zx9/Qw8#kk', confirmation: 'Zx9/Qw8#kk' }),
    });
    expect(changed.status).toBe(200);
    const rows = (await auditOf(backend, ALICE)).filter((row) => row.userId === '11635-22');
    const own = rows.find((row) => row.action === 'self-service password');
    expect(own).toBeDefined();
    expect(own).not.toHaveProperty('tokenName');
    expect(rows.find((row) => row.action === 'recovery-email')?.tokenName).toBe('alice');
  });

  it('log the verified name with an admin reset, never a token', async () => {
    await as(
      backend,
      BOB,
      'POST',
      '/api/v1/password-resets',
      { userIds: ['11635-23'], voicePortalPasscode: '975311' },
      'Somebody Else',
    );
    expect(
      securityLines(backend).find(
        (line) => line.event === 'admin-reset' && line.userId === '11635-23',
      ),
    ).toMatchObject({ actor: 'Somebody Else', verifiedAs: 'bob' });
    expect(securityLines(backend)[0]).toMatchObject({
      event: 'admin-tokens-loaded',
      names: ['alice', 'bob'],
    });
    const logs = backend.logLines.join('\n');
    for (const secret of [ALICE, BOB, storedHash(ALICE).slice(7)])
      expect(logs).not.toContain(secret);
  });

  it('count a token that is none of them as wrong, per client, and lock that client as before', async () => {
    const guesser = clientAt('127.0.0.12', backend.url);
    const statuses = await statusesOf(60, (i) => guesser('/api/v1/locations', `${WRONG}${i}`));
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    expect((await guesser('/api/v1/locations', ALICE)).status).toBe(429);
    expect((await clientAt('127.0.0.13', backend.url)('/api/v1/locations', BOB)).status).toBe(200);
  });
});

describe('the admin rate limit with named tokens', () => {
  it('is a budget per token: one operator using theirs up leaves the others theirs', async () => {
    const backend = await startTestBackend({
      adminTokensFile: tokensFile([entry('alice', ALICE), entry('bob', BOB)]),
      adminRateLimit: { points: 3, windowSeconds: 30 },
    });
    try {
      const statuses = async (token: string, n: number) => {
        const seen: number[] = [];
        for (let i = 0; i < n; i += 1)
          seen.push((await as(backend, token, 'GET', '/api/v1/locations')).status);
        return seen;
      };
      expect(await statuses(ALICE, 4)).toEqual([200, 200, 200, 429]);
      expect(await statuses(BOB, 3)).toEqual([200, 200, 200]);
      expect(await statuses(ALICE, 1)).toEqual([429]);
      expect(
        securityLines(backend).find((line) => line.event === 'admin-rate-limited'),
      ).toMatchObject({ verifiedAs: 'alice' });
    } finally {
      await backend.close();
    }
  });
});

describe('the named tokens file, changed while the backend runs', () => {
  let backend: TestBackend;
  let file: string;
  const UNNAMED = 'the-unnamed-admin-token-0123456789-ABCDEFG';
  beforeAll(async () => {
    file = tokensFile([entry('alice', ALICE)]);
    backend = await startTestBackend({ adminTokensFile: file, adminToken: UNNAMED });
  });
  afterAll(() => backend.close());

  const status = async (token: string) =>
    (await as(backend, token, 'GET', '/api/v1/locations')).status;

  it('applies an added and a removed token at the next request', async () => {
    expect(await status(BOB)).toBe(401);
    writeTokenFile(file, [entry('alice', ALICE), entry('bob', BOB)]);
    expect(await status(BOB)).toBe(200);
    writeTokenFile(file, [entry('bob', BOB)]);
    expect(await status(ALICE)).toBe(401);
    expect(await status(BOB)).toBe(200);
  });

  it('keeps the unnamed token, named "admin" in the audit, beside the named ones', async () => {
    expect(await status(UNNAMED)).toBe(200);
    await as(backend, UNNAMED, 'POST', '/api/v1/intercepts', {
      userIds: ['11635-24'],
      intercepted: true,
    });
    expect((await auditOf(backend, UNNAMED))[0]).toMatchObject({
      actor: 'admin',
      tokenName: 'admin',
      userId: '11635-24',
    });
  });

  it('fails closed when the file becomes unusable, logs why, and recovers once it is fixed', async () => {
    writeFileSync(file, '{ "tokens": [ broken');
    expect(await status(BOB)).toBe(401);
    expect(await status(UNNAMED)).toBe(200);
    expect(
      backend.logLines.filter((line) => line.includes('admin tokens file is unusable')),
    ).toHaveLength(1);
    writeTokenFile(file, [entry('bob', BOB)]);
    expect(await status(BOB)).toBe(200);
    if (process.platform !== 'win32') {
      chmodSync(file, 0o666);
      expect(await status(BOB)).toBe(401);
      chmodSync(file, 0o600);
      expect(await status(BOB)).toBe(200);
    }
  });
});

describe('a named tokens file that cannot be used', () => {
  const start = (adminTokensFile: string) =>
    startBackend({
      dataDir: mkdtempSync(path.join(tmpdir(), 'passdesk-backend-')),
      adminTokensFile,
      hashCost: 'test',
      staticDir: null,
    });
  const written = (content: string, mode = 0o600) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'passdesk-tokens-')), 'tokens.json');
    writeFileSync(file, content, { mode });
    chmodSync(file, mode);
    return file;
  };
  const valid = (tokens: unknown[]) => JSON.stringify({ tokens });

  it('stops the start with a message naming the file and what is wrong', async () => {
    const hash = storedHash(ALICE);
    const cases: [string, RegExp][] = [
      [path.join(tmpdir(), 'passdesk-no-such-tokens.json'), /no such file/],
      [written('not json'), /cannot read .* as JSON/],
      [written(valid([{ name: 'admin', hash }])), /tokens\.0\.name: "admin" is the name/],
      [written(valid([{ name: 'a b', hash }])), /1-64 letters/],
      [written(valid([{ name: 'alice', hash: 'plain-token' }])), /tokens\.0\.hash: sha256:/],
      [
        written(
          valid([
            { name: 'alice', hash },
            { name: 'alice', hash: storedHash(BOB) },
          ]),
        ),
        /repeated/,
      ],
      [
        written(
          valid([
            { name: 'alice', hash },
            { name: 'bob', hash },
          ]),
        ),
        /the same as another/,
      ],
      [written(valid([{ name: 'alice', hash, token: ALICE }])), /tokens\.0/],
    ];
    if (process.platform !== 'win32')
      cases.push([written(valid([{ name: 'alice', hash }]), 0o620), /written by other users/]);
    for (const [file, message] of cases) {
      const started = start(file);
      await expect(started).rejects.toBeInstanceOf(AdminTokensError);
      await expect(started).rejects.toThrow(message);
    }
  });
});

describe('audit rows from before verified tokens', () => {
  it('keep their actor and name no token', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'passdesk-backend-'));
    // The database as the last release left it (schema 3), with one audit row.
    const dbFile = path.join(dataDir, 'passdesk-backend.sqlite');
    const old = openSqlite(dbFile, MIGRATIONS.slice(0, 3));
    old
      .prepare('INSERT INTO audit (at, actor, action, user_id, outcome) VALUES (?, ?, ?, ?, ?)')
      .run('2026-11-01T10:00:00.000Z', 'Renée', 'intercept on', '11635-01', 'updated');
    old.close();
    const backend = await startTestBackend({ dataDir, seed: 'none' });
    try {
      const rows = await auditOf(backend, backend.token);
      expect(rows).toEqual([
        {
          at: '2026-11-01T10:00:00.000Z',
          actor: 'Renée',
          action: 'intercept on',
          userId: '11635-01',
          outcome: 'updated',
        },
      ]);
    } finally {
      await backend.close();
    }
    const db = openDatabase(dataDir);
    expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(
      MIGRATIONS.length,
    );
    db.close();
  });
});

describe('the audit store', () => {
  const store = () => {
    const db = openDatabase(mkdtempSync(path.join(tmpdir(), 'passdesk-backend-')));
    return { db, records: createRecordsStore(db) };
  };
  const row = (actor: string, tokenName?: string) => ({
    at: new Date('2026-12-01T10:00:00.000Z'),
    actor,
    ...(tokenName === undefined ? {} : { tokenName }),
    action: 'intercept on',
    userId: '11635-01',
    outcome: 'updated',
  });

  it('names the token of the request whose transaction writes a row, and only there', () => {
    const { db, records } = store();
    records.attributedTo('alice', () => records.audit(row('Alice A')));
    expect(() =>
      records.attributedTo('bob', () => {
        records.audit(row('Bob B'));
        throw new Error('the request failed');
      }),
    ).toThrow('the request failed');
    records.audit(row('no request'));
    // A row written after its request's transaction (a delivery that failed later) names it.
    records.audit(row('Carol C', 'carol'));
    expect(
      records
        .auditPage(Number.MAX_SAFE_INTEGER)
        .entries.map(({ actor, tokenName }) => ({ actor, tokenName })),
    ).toEqual([
      { actor: 'Carol C', tokenName: 'carol' },
      { actor: 'no request', tokenName: undefined },
      { actor: 'Bob B', tokenName: 'bob' },
      { actor: 'Alice A', tokenName: 'alice' },
    ]);
    db.close();
  });
});
