import path from 'node:path';
import { openSqlite, transaction } from '../../../backend/db/sqlite.ts';
import type { SecretKind } from '../../../../shared/rules/index.ts';

/**
 * The job journal: every bulk job, its batches and each user's outcome, written before a batch
 * is sent and after its answer, so a job survives the app dying mid-way. It never holds a
 * secret: only which kinds of secret a job set.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    secret_kinds TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    state TEXT NOT NULL,
    total INTEGER NOT NULL,
    retry_of TEXT
  ) STRICT;

  CREATE TABLE batches (
    job_id TEXT NOT NULL REFERENCES jobs(id),
    batch_no INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'in-flight', 'done', 'not-sent', 'unresolved')),
    sent_at TEXT,
    finished_at TEXT,
    PRIMARY KEY (job_id, batch_no)
  ) STRICT;

  CREATE TABLE job_users (
    job_id TEXT NOT NULL REFERENCES jobs(id),
    user_id TEXT NOT NULL,
    batch_no INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    PRIMARY KEY (job_id, user_id)
  ) STRICT;
  CREATE INDEX job_users_by_batch ON job_users(job_id, batch_no);

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    user_id TEXT NOT NULL,
    outcome TEXT NOT NULL
  ) STRICT;
  `,
];

export type JobState = 'running' | 'cancelling' | 'completed' | 'cancelled' | 'interrupted';
export type BatchState = 'pending' | 'in-flight' | 'done' | 'not-sent' | 'unresolved';
export type UserOutcome = 'pending' | 'changed' | 'rejected' | 'not-found' | 'failed' | 'not-sent';

export interface JobRow {
  id: string;
  kind: 'password-reset';
  secretKinds: SecretKind[];
  actor: string;
  createdAt: string;
  finishedAt: string | null;
  state: JobState;
  total: number;
  retryOf: string | null;
}

export interface BatchRow {
  jobId: string;
  batchNo: number;
  idempotencyKey: string;
  state: BatchState;
  /** When it was first sent (ISO), or null. */
  sentAt: string | null;
}

export interface UserResultRow {
  userId: string;
  outcome: UserOutcome;
  reason: string | null;
}

export type OutcomeCounts = Record<UserOutcome, number>;

/** Who did what and when, for the audit rows of the users an outcome is written for. */
export interface AuditEntry {
  at: Date;
  actor: string;
  action: string;
}

export function openJournal(dataDir: string) {
  /*
   * What is written before a request goes out (a job and its users, a batch marked in flight)
   * is synced to disk before the write returns, so it survives a power cut. What is written
   * after an answer is synced lazily (WAL, synchronous NORMAL: safe when the app dies, and one
   * fsync fewer per batch): if a power cut loses it, the batch is still "in flight" in the
   * journal, and the next start asks the backend for the answer under its key.
   */
  const db = openSqlite(
    path.join(dataDir, 'journal.sqlite'),
    MIGRATIONS,
    'PRAGMA synchronous = NORMAL;',
  );
  const tx = <T>(work: () => T): T => transaction(db, work);
  const durably = <T>(work: () => T): T => {
    db.exec('PRAGMA synchronous = FULL');
    try {
      return tx(work);
    } finally {
      db.exec('PRAGMA synchronous = NORMAL');
    }
  };

  const s = {
    insertJob: db.prepare(
      `INSERT INTO jobs (id, kind, secret_kinds, actor, created_at, state, total, retry_of)
       VALUES (?, ?, ?, ?, ?, 'running', ?, ?)`,
    ),
    insertBatch: db.prepare(
      `INSERT INTO batches (job_id, batch_no, idempotency_key, state) VALUES (?, ?, ?, 'pending')`,
    ),
    // Whole lists of users go in as one JSON array: one statement per batch, not per user.
    insertUsers: db.prepare(
      `INSERT INTO job_users (job_id, user_id, batch_no, outcome)
       SELECT ?, value, ?, 'pending' FROM json_each(?)`,
    ),
    setBatch: db.prepare(
      'UPDATE batches SET state = ?, sent_at = coalesce(sent_at, ?) WHERE job_id = ? AND batch_no = ?',
    ),
    finishBatch: db.prepare(
      'UPDATE batches SET state = ?, finished_at = ? WHERE job_id = ? AND batch_no = ?',
    ),
    setUsers: db.prepare(
      `UPDATE job_users SET outcome = ?, reason = ?
       WHERE job_id = ? AND user_id IN (SELECT value FROM json_each(?))`,
    ),
    setJobState: db.prepare('UPDATE jobs SET state = ?, finished_at = ? WHERE id = ?'),
    job: db.prepare(
      `SELECT id, kind, secret_kinds AS secretKinds, actor, created_at AS createdAt, finished_at AS finishedAt,
              state, total, retry_of AS retryOf FROM jobs WHERE id = ?`,
    ),
    jobs: db.prepare(
      `SELECT id, kind, secret_kinds AS secretKinds, actor, created_at AS createdAt, finished_at AS finishedAt,
              state, total, retry_of AS retryOf FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT 200`,
    ),
    batches: db.prepare(
      `SELECT job_id AS jobId, batch_no AS batchNo, idempotency_key AS idempotencyKey, state,
              sent_at AS sentAt
       FROM batches WHERE job_id = ? ORDER BY batch_no`,
    ),
    openBatches: db.prepare(
      `SELECT job_id AS jobId, batch_no AS batchNo, idempotency_key AS idempotencyKey, state,
              sent_at AS sentAt
       FROM batches WHERE state IN ('pending', 'in-flight', 'unresolved') ORDER BY job_id, batch_no`,
    ),
    family: db.prepare(
      `WITH RECURSIVE family(id) AS (
         SELECT ? UNION SELECT jobs.id FROM jobs JOIN family ON jobs.retry_of = family.id
       )
       SELECT id FROM family`,
    ),
    unconfirmedUsers: db.prepare(
      `SELECT u.user_id AS userId FROM job_users u
       JOIN batches b ON b.job_id = u.job_id AND b.batch_no = u.batch_no
       WHERE u.job_id = ? AND b.state IN ('in-flight', 'unresolved') AND u.outcome IN ('pending', 'failed')`,
    ),
    openBatchUsers: db.prepare(
      `SELECT user_id AS userId FROM job_users
       WHERE job_id = ? AND batch_no = ? AND outcome IN ('pending', 'failed') ORDER BY rowid`,
    ),
    counts: db.prepare(
      'SELECT outcome, count(*) AS n FROM job_users WHERE job_id = ? GROUP BY outcome',
    ),
    results: db.prepare(
      'SELECT user_id AS userId, outcome, reason FROM job_users WHERE job_id = ? ORDER BY rowid',
    ),
    auditUsers: db.prepare(
      `INSERT INTO audit (at, actor, action, user_id, outcome)
       SELECT ?, ?, ?, value, ? FROM json_each(?)`,
    ),
    auditRows: db.prepare(
      'SELECT at, actor, action, user_id AS userId, outcome FROM audit ORDER BY id',
    ),
  };

  const openUsers = (jobId: string, batchNo: number): string[] =>
    (s.openBatchUsers.all(jobId, batchNo) as { userId: string }[]).map((row) => row.userId);
  /** Gives these users one outcome, with an audit row each (inside the caller's transaction). */
  const setUsers = (
    jobId: string,
    userIds: readonly string[],
    outcome: UserOutcome,
    reason: string | null,
    audit: AuditEntry,
  ): void => {
    const list = JSON.stringify(userIds);
    s.setUsers.run(outcome, reason, jobId, list);
    s.auditUsers.run(
      audit.at.toISOString(),
      audit.actor,
      audit.action,
      reason === null ? outcome : `${outcome}: ${reason}`,
      list,
    );
  };

  const toJob = (row: Record<string, unknown> | undefined): JobRow | null =>
    row === undefined
      ? null
      : ({ ...row, secretKinds: JSON.parse(String(row.secretKinds)) as SecretKind[] } as JobRow);

  return {
    /** Records a job, its batches and each user as pending, before anything is sent. */
    createJob(
      job: Omit<JobRow, 'state' | 'finishedAt'>,
      batches: { key: string; userIds: readonly string[] }[],
    ): void {
      durably(() => {
        s.insertJob.run(
          job.id,
          job.kind,
          JSON.stringify(job.secretKinds),
          job.actor,
          job.createdAt,
          job.total,
          job.retryOf,
        );
        batches.forEach((batch, batchNo) => {
          s.insertBatch.run(job.id, batchNo, batch.key);
          s.insertUsers.run(job.id, batchNo, JSON.stringify(batch.userIds));
        });
      });
    },
    markInFlight(jobId: string, batchNo: number, at: Date): void {
      durably(() => s.setBatch.run('in-flight', at.toISOString(), jobId, batchNo));
    },
    /** Stores a batch's per-user answers and their audit rows in one transaction. */
    completeBatch(
      jobId: string,
      batchNo: number,
      results: readonly UserResultRow[],
      audit: AuditEntry,
    ): void {
      // Users with the same outcome and reason (usually all of them) share one statement.
      const groups = new Map<
        string,
        { outcome: UserOutcome; reason: string | null; ids: string[] }
      >();
      for (const { userId, outcome, reason } of results) {
        const key = JSON.stringify([outcome, reason]);
        const group = groups.get(key) ?? { outcome, reason, ids: [] };
        group.ids.push(userId);
        groups.set(key, group);
      }
      tx(() => {
        for (const { outcome, reason, ids } of groups.values())
          setUsers(jobId, ids, outcome, reason, audit);
        s.finishBatch.run('done', audit.at.toISOString(), jobId, batchNo);
      });
    },
    /**
     * Every open user of a batch gets the same outcome (not sent, or failed with the reason),
     * with an audit row each.
     */
    closeBatch(
      jobId: string,
      batchNo: number,
      state: 'not-sent' | 'unresolved',
      outcome: UserOutcome,
      reason: string | null,
      audit: AuditEntry,
    ): void {
      tx(() => {
        setUsers(jobId, openUsers(jobId, batchNo), outcome, reason, audit);
        s.finishBatch.run(state, audit.at.toISOString(), jobId, batchNo);
      });
    },
    /** Settles these users of a job as not sent, before their batch goes (with audit rows). */
    skipUsers(jobId: string, userIds: readonly string[], reason: string, audit: AuditEntry): void {
      tx(() => setUsers(jobId, userIds, 'not-sent', reason, audit));
    },
    /**
     * A job's state. A final state is synced to disk, and with it every answer of the job before
     * it (one fsync per job, not per batch).
     */
    setJobState(jobId: string, state: JobState, finishedAt: Date | null): void {
      const write = () => s.setJobState.run(state, finishedAt?.toISOString() ?? null, jobId);
      if (finishedAt === null) write();
      else durably(write);
    },
    /** The job a chain of retries started from: follow `retryOf` back. */
    rootOf(jobId: string): string {
      const seen = new Set<string>();
      let id = jobId;
      for (;;) {
        const parent = toJob(s.job.get(id))?.retryOf ?? null;
        if (parent === null || seen.has(parent)) return id;
        seen.add(id);
        id = parent;
      }
    },
    /** A job and every retry of it, and retries of those. */
    family: (rootId: string): string[] =>
      (s.family.all(rootId) as { id: string }[]).map((row) => row.id),
    /** Users of a job whose batch went out but whose outcome is not known. */
    unconfirmedUsers: (jobId: string): string[] =>
      (s.unconfirmedUsers.all(jobId) as { userId: string }[]).map((row) => row.userId),
    job: (jobId: string): JobRow | null => toJob(s.job.get(jobId)),
    jobs: (): JobRow[] => s.jobs.all().flatMap((row) => toJob(row) ?? []),
    batches: (jobId: string): BatchRow[] => s.batches.all(jobId) as unknown as BatchRow[],
    /** Batches not yet settled, across all jobs (for recovery after a crash). */
    openBatches: (): BatchRow[] => s.openBatches.all() as unknown as BatchRow[],
    /** The users of a batch with no outcome yet, or only "failed" (which a settle may correct). */
    openBatchUsers: (jobId: string, batchNo: number): string[] => openUsers(jobId, batchNo),
    counts(jobId: string): OutcomeCounts {
      const counts: OutcomeCounts = {
        pending: 0,
        changed: 0,
        rejected: 0,
        'not-found': 0,
        failed: 0,
        'not-sent': 0,
      };
      for (const row of s.counts.all(jobId) as { outcome: UserOutcome; n: number }[])
        counts[row.outcome] = row.n;
      return counts;
    },
    results: (jobId: string): UserResultRow[] => s.results.all(jobId) as unknown as UserResultRow[],
    audit: (): { at: string; actor: string; action: string; userId: string; outcome: string }[] =>
      s.auditRows.all() as unknown as {
        at: string;
        actor: string;
        action: string;
        userId: string;
        outcome: string;
      }[],
    close: (): void => db.close(),
  };
}
export type Journal = ReturnType<typeof openJournal>;
