import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../../electron/backend/db/sqlite.ts';
import { JOURNAL_MIGRATIONS, openJournal } from '../../../electron/main/services/jobs/journal.ts';

describe('the job journal', () => {
  it('carries a journal of the first release over: unconfirmed users, stops, lazy batches', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'passdesk-journal-v1-'));
    // A journal as the first release left it: batches made up front, "failed" for unconfirmed.
    const v1 = openSqlite(path.join(dir, 'journal.sqlite'), JOURNAL_MIGRATIONS.slice(0, 1));
    v1.exec(`
      INSERT INTO jobs VALUES ('a', 'password-reset', '["applicationPassword"]', 'Ann',
        '2026-11-01T10:00:00.000Z', '2026-11-01T10:01:00.000Z', 'completed', 3, NULL);
      INSERT INTO jobs VALUES ('b', 'password-reset', '["applicationPassword"]', 'Ann',
        '2026-11-02T10:00:00.000Z', '2026-11-02T10:01:00.000Z', 'cancelled', 2, NULL);
      INSERT INTO batches VALUES ('a', 0, 'k-a-0', 'done', '2026-11-01T10:00:01.000Z', NULL);
      INSERT INTO batches VALUES ('a', 1, 'k-a-1', 'unresolved', '2026-11-01T10:00:01.000Z', NULL);
      INSERT INTO batches VALUES ('b', 0, 'k-b-0', 'not-sent', NULL, NULL);
      INSERT INTO job_users VALUES ('a', 'u1', 0, 'changed', NULL);
      INSERT INTO job_users VALUES ('a', 'u2', 0, 'failed', 'The backend did not answer for this user.');
      INSERT INTO job_users VALUES ('a', 'u3', 1, 'failed', 'PassDesk could not confirm; it will check again.');
      INSERT INTO job_users VALUES ('b', 'u1', 0, 'not-sent', 'Cancelled before it was sent.');
      INSERT INTO job_users VALUES ('b', 'u2', 0, 'not-sent', 'Cancelled before it was sent.');
      INSERT INTO audit VALUES (1, '2026-11-01T10:00:02.000Z', 'Ann', 'reset', 'u1', 'changed');
    `);
    v1.close();

    const journal = openJournal(dir);
    expect(journal.job('a')).toMatchObject({
      backend: 'built-in',
      state: 'unconfirmed',
      stop: null,
      params: { kind: 'password-reset', secretKinds: ['applicationPassword'] },
    });
    expect(journal.job('b')).toMatchObject({ state: 'cancelled', stop: 'cancelled' });
    expect(journal.results('a').map((r) => r.outcome)).toEqual([
      'changed',
      'failed',
      'unconfirmed',
    ]);
    expect(journal.counts('a')).toMatchObject({
      changed: 1,
      failed: 1,
      unconfirmed: 1,
      pending: 0,
    });
    expect(journal.openBatches('a').map((b) => b.batchNo)).toEqual([1]);
    expect(journal.openJobs('built-in')).toEqual(['a']);
    expect(journal.openJobs('remote:https://pbx.example.com')).toEqual([]);
    expect(journal.nextBatchNo('a')).toBe(2);
    // Last actions: what the backend did; a job that sent nothing (b was cancelled) leaves it.
    expect(
      new Map(journal.lastActions('built-in', null).map((row) => [row.userId, row.outcome])),
    ).toEqual(
      new Map([
        ['u1', 'changed'],
        ['u2', 'failed'],
        ['u3', 'unconfirmed'],
      ]),
    );
    expect(journal.lastActions('built-in', '2026-11-02T00:00:00.000Z')).toEqual([]);
    // Everything before backends could be chosen was the built-in one's.
    expect(new Set(journal.audit().map((row) => row.backend))).toEqual(new Set(['built-in']));

    // And it works as a journal of this release.
    journal.createJob(
      {
        id: 'c',
        backend: 'remote:https://pbx.example.com',
        kind: 'password-reset',
        params: { kind: 'password-reset', secretKinds: ['voicePortalPasscode'] },
        actor: 'Ann',
        createdAt: '2026-12-01T10:00:00.000Z',
        total: 2,
        retryOf: null,
      },
      ['u1', 'u2'],
    );
    expect(journal.unbatchedUsers('c')).toEqual(['u1', 'u2']);
    journal.openBatch('c', { batchNo: 0, key: 'k-c-0', userIds: ['u1'] }, new Date());
    expect(journal.unbatchedUsers('c')).toEqual(['u2']);
    expect(journal.openBatchUsers('c', 0)).toEqual(['u1']);
    // A remote backend's job is its own: not listed, opened or counted for the built-in one.
    expect(journal.jobs('built-in').map((job) => job.id)).toEqual(['b', 'a']);
    expect(journal.jobs('remote:https://pbx.example.com').map((job) => job.id)).toEqual(['c']);
    expect(journal.openJobs('remote:https://pbx.example.com')).toEqual(['c']);
    journal.completeBatch('c', 0, [{ userId: 'u1', outcome: 'changed', reason: null }], {
      at: new Date('2026-12-01T10:01:00.000Z'),
      actor: 'Ann',
      action: 'reset',
    });
    expect(journal.lastActions('remote:https://pbx.example.com', null)).toEqual([
      { userId: 'u1', kind: 'password-reset', outcome: 'changed', at: '2026-12-01T10:01:00.000Z' },
    ]);
    // The built-in backend's u1 is another user: its last action is unchanged.
    expect(journal.lastActions('built-in', null).find((row) => row.userId === 'u1')?.outcome).toBe(
      'changed',
    );
    expect(journal.audit().at(-1)).toMatchObject({
      backend: 'remote:https://pbx.example.com',
      userId: 'u1',
    });
    journal.close();
  });
});
