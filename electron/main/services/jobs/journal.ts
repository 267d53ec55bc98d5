import path from 'node:path';
import { openSqlite, transaction } from '../../../backend/db/sqlite.ts';
import {
  JOB_OUTCOMES,
  JobParams,
  type JobKind,
  type JobOutcome,
  type JobState,
} from '../../../../shared/ipc/index.ts';
import type { BackendId } from '../../../../shared/settings/index.ts';

/**
 * The job journal: every bulk job, its batches and each user's outcome, written before a batch
 * is sent and after its answer, so a job survives the app dying mid-way. It never holds a
 * secret: only which kinds of secret a job set.
 */
export const JOURNAL_MIGRATIONS: readonly string[] = [
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
  // 2: jobs of every kind; batches are made as the job goes (their size follows the backend's speed), so a user has
  // no batch until it is sent; a batch PassDesk could not confirm leaves its users
  // "unconfirmed" (they were "failed" before); how a job was stopped is kept apart from its state.
  `
  CREATE TABLE job_users_v2 (
    job_id TEXT NOT NULL REFERENCES jobs(id),
    user_id TEXT NOT NULL,
    batch_no INTEGER,
    outcome TEXT NOT NULL,
    reason TEXT,
    PRIMARY KEY (job_id, user_id)
  ) STRICT;
  INSERT INTO job_users_v2 (rowid, job_id, user_id, batch_no, outcome, reason)
    SELECT rowid, job_id, user_id, batch_no, outcome, reason FROM job_users;
  DROP TABLE job_users;
  ALTER TABLE job_users_v2 RENAME TO job_users;
  CREATE INDEX job_users_by_batch ON job_users(job_id, batch_no);

  UPDATE job_users SET outcome = 'unconfirmed'
    WHERE outcome = 'failed' AND EXISTS (
      SELECT 1 FROM batches b
      WHERE b.job_id = job_users.job_id AND b.batch_no = job_users.batch_no AND b.state = 'unresolved');
  ALTER TABLE jobs ADD COLUMN stop TEXT;
  ALTER TABLE jobs ADD COLUMN stopped_because TEXT;
  -- Jobs of every kind: what each does (never a secret), and when its users' outcomes last
  -- changed (for "last action" per user).
  ALTER TABLE jobs ADD COLUMN params TEXT;
  UPDATE jobs SET params = json_object('kind', kind, 'secretKinds', json(secret_kinds));
  -- Each user's latest outcome that came from the backend (for the users table), kept as it is
  -- written: a lookup by user or by time, not a walk over every job.
  CREATE TABLE last_actions (
    user_id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX last_actions_by_time ON last_actions(at);
  INSERT INTO last_actions (user_id, job_id, kind, outcome, at)
    SELECT user_id, job_id, kind, outcome, at FROM (
      SELECT u.user_id, u.job_id, j.kind, u.outcome, coalesce(j.finished_at, j.created_at) AS at,
             row_number() OVER (PARTITION BY u.user_id ORDER BY j.created_at DESC, j.rowid DESC) AS n
      FROM job_users u JOIN jobs j ON j.id = u.job_id
      WHERE u.outcome NOT IN ('pending', 'skipped', 'not-sent')
    ) WHERE n = 1;
  UPDATE jobs SET stop = state WHERE state IN ('cancelled', 'interrupted');
  UPDATE jobs SET state = 'unconfirmed'
    WHERE state IN ('completed', 'cancelled', 'interrupted')
      AND EXISTS (SELECT 1 FROM batches b WHERE b.job_id = jobs.id AND b.state = 'unresolved');
  `,
  // 3: a backend can be chosen. Every job, audit row and last action names the backend it was
  // sent to (until now there was only the built-in one), so nothing of one backend is ever
  // shown as, checked at or retried on another; users of two backends may share an id.
  `
  ALTER TABLE jobs ADD COLUMN backend TEXT NOT NULL DEFAULT 'built-in';
  CREATE INDEX jobs_by_backend ON jobs(backend, created_at);
  ALTER TABLE audit ADD COLUMN backend TEXT NOT NULL DEFAULT 'built-in';
  CREATE TABLE last_actions_v3 (
    backend TEXT NOT NULL,
    user_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (backend, user_id)
  ) STRICT;
  INSERT INTO last_actions_v3 (backend, user_id, job_id, kind, outcome, at)
    SELECT 'built-in', user_id, job_id, kind, outcome, at FROM last_actions;
  DROP TABLE last_actions;
  ALTER TABLE last_actions_v3 RENAME TO last_actions;
  CREATE INDEX last_actions_by_time ON last_actions(backend, at);
  `,
];

export type { JobState };
/** `pending` only in journals from before batches were made as the job goes. */
export type BatchState = 'pending' | 'in-flight' | 'done' | 'not-sent' | 'unresolved';
export type UserOutcome = JobOutcome;
/** How a job was stopped before it had sent everyone, if it was. */
export type JobStop = 'cancelled' | 'interrupted';

export interface JobRow {
  id: string;
  /** The backend the job was sent to (`built-in` or `remote:<url>`). */
  backend: BackendId;
  kind: JobKind;
  params: JobParams;
  actor: string;
  createdAt: string;
  finishedAt: string | null;
  state: JobState;
  /** Set when the job was cancelled or PassDesk stopped before it had sent everyone. */
  stop: JobStop | null;
  /** Why the job stopped sending on its own (the backend unreachable, the token refused). */
  stoppedBecause: string | null;
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

/** Outcomes that a later look at the backend may still change. */
const OPEN_OUTCOMES = "('pending', 'unconfirmed', 'failed')";

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
    JOURNAL_MIGRATIONS,
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

  const JOB_COLUMNS = `id, backend, kind, params, actor, created_at AS createdAt,
    finished_at AS finishedAt, state, stop, stopped_because AS stoppedBecause, total,
    retry_of AS retryOf`;
  const BATCH_COLUMNS = `job_id AS jobId, batch_no AS batchNo, idempotency_key AS idempotencyKey,
    state, sent_at AS sentAt`;
  const s = {
    insertJob: db.prepare(
      `INSERT INTO jobs (id, backend, kind, secret_kinds, params, actor, created_at, state, total, retry_of)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
    ),
    // What the backend did (or may have) for users is their last action; what was never sent
    // (not sent, skipped) leaves the one before.
    noteLastActions: db.prepare(
      `INSERT INTO last_actions (backend, user_id, job_id, kind, outcome, at)
       SELECT j.backend, value, j.id, j.kind, ?, ? FROM json_each(?), jobs j WHERE j.id = ?
       ON CONFLICT (backend, user_id) DO UPDATE SET
         job_id = excluded.job_id, kind = excluded.kind, outcome = excluded.outcome, at = excluded.at`,
    ),
    lastActions: db.prepare(
      `SELECT user_id AS userId, kind, outcome, at FROM last_actions
       WHERE backend = ? AND (? IS NULL OR at >= ?)`,
    ),
    // Whole lists of users go in as one JSON array: one statement per list, not per user.
    insertUsers: db.prepare(
      `INSERT INTO job_users (job_id, user_id, batch_no, outcome)
       SELECT ?, value, NULL, 'pending' FROM json_each(?)`,
    ),
    insertBatch: db.prepare(
      `INSERT INTO batches (job_id, batch_no, idempotency_key, state, sent_at)
       VALUES (?, ?, ?, 'in-flight', ?)`,
    ),
    assignUsers: db.prepare(
      `UPDATE job_users SET batch_no = ?
       WHERE job_id = ? AND batch_no IS NULL AND user_id IN (SELECT value FROM json_each(?))`,
    ),
    finishBatch: db.prepare(
      'UPDATE batches SET state = ?, finished_at = ? WHERE job_id = ? AND batch_no = ?',
    ),
    setUsers: db.prepare(
      `UPDATE job_users SET outcome = ?, reason = ?
       WHERE job_id = ? AND user_id IN (SELECT value FROM json_each(?))`,
    ),
    setJobState: db.prepare('UPDATE jobs SET state = ?, finished_at = ? WHERE id = ?'),
    setJobStop: db.prepare('UPDATE jobs SET stop = coalesce(stop, ?) WHERE id = ?'),
    setStoppedBecause: db.prepare(
      'UPDATE jobs SET stopped_because = coalesce(stopped_because, ?) WHERE id = ?',
    ),
    rekeyBatch: db.prepare(
      'UPDATE batches SET idempotency_key = ? WHERE job_id = ? AND batch_no = ?',
    ),
    pendingAmong: db.prepare(
      `SELECT user_id AS userId FROM job_users
       WHERE job_id = ? AND outcome = 'pending' AND user_id IN (SELECT value FROM json_each(?))
       ORDER BY rowid`,
    ),
    job: db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`),
    jobs: db.prepare(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE backend = ?
       ORDER BY created_at DESC, rowid DESC LIMIT 200`,
    ),
    /** Jobs a previous run of PassDesk left mid-way, or with users still to confirm. */
    openJobs: db.prepare(
      `SELECT id FROM jobs WHERE backend = ? AND (
         state IN ('running', 'cancelling', 'checking', 'unconfirmed')
         OR id IN (SELECT job_id FROM batches WHERE state IN ('pending', 'in-flight', 'unresolved')))
       ORDER BY created_at, rowid`,
    ),
    batches: db.prepare(`SELECT ${BATCH_COLUMNS} FROM batches WHERE job_id = ? ORDER BY batch_no`),
    openBatches: db.prepare(
      `SELECT ${BATCH_COLUMNS} FROM batches
       WHERE job_id = ? AND state IN ('pending', 'in-flight', 'unresolved') ORDER BY batch_no`,
    ),
    lastBatchNo: db.prepare('SELECT max(batch_no) AS n FROM batches WHERE job_id = ?'),
    family: db.prepare(
      `WITH RECURSIVE family(id) AS (
         SELECT ? UNION SELECT jobs.id FROM jobs JOIN family ON jobs.retry_of = family.id
       )
       SELECT id FROM family`,
    ),
    unconfirmedUsers: db.prepare(
      `SELECT u.user_id AS userId FROM job_users u
       JOIN batches b ON b.job_id = u.job_id AND b.batch_no = u.batch_no
       WHERE u.job_id = ? AND b.state IN ('pending', 'in-flight', 'unresolved')
         AND u.outcome IN ${OPEN_OUTCOMES}`,
    ),
    openBatchUsers: db.prepare(
      `SELECT user_id AS userId FROM job_users
       WHERE job_id = ? AND batch_no = ? AND outcome IN ${OPEN_OUTCOMES} ORDER BY rowid`,
    ),
    unbatchedUsers: db.prepare(
      `SELECT user_id AS userId FROM job_users
       WHERE job_id = ? AND batch_no IS NULL AND outcome = 'pending' ORDER BY rowid`,
    ),
    counts: db.prepare(
      'SELECT outcome, count(*) AS n FROM job_users WHERE job_id = ? GROUP BY outcome',
    ),
    results: db.prepare(
      'SELECT user_id AS userId, outcome, reason FROM job_users WHERE job_id = ? ORDER BY rowid',
    ),
    auditUsers: db.prepare(
      `INSERT INTO audit (backend, at, actor, action, user_id, outcome)
       SELECT (SELECT backend FROM jobs WHERE id = ?), ?, ?, ?, value, ? FROM json_each(?)`,
    ),
    auditRows: db.prepare(
      'SELECT backend, at, actor, action, user_id AS userId, outcome FROM audit ORDER BY id',
    ),
  };

  const userIdsOf = (rows: unknown[]): string[] =>
    (rows as { userId: string }[]).map((row) => row.userId);
  const openUsers = (jobId: string, batchNo: number): string[] =>
    userIdsOf(s.openBatchUsers.all(jobId, batchNo));
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
    if (outcome !== 'pending' && outcome !== 'skipped' && outcome !== 'not-sent')
      s.noteLastActions.run(outcome, audit.at.toISOString(), list, jobId);
    s.auditUsers.run(
      jobId,
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
      : ({ ...row, params: JobParams.parse(JSON.parse(String(row.params))) } as JobRow);

  return {
    /** Records a job and each of its users as pending, before anything is sent. */
    createJob(
      job: Omit<JobRow, 'state' | 'finishedAt' | 'stop' | 'stoppedBecause'>,
      userIds: readonly string[],
    ): void {
      durably(() => {
        s.insertJob.run(
          job.id,
          job.backend,
          job.kind,
          JSON.stringify(job.params.kind === 'password-reset' ? job.params.secretKinds : []),
          JSON.stringify(job.params),
          job.actor,
          job.createdAt,
          job.total,
          job.retryOf,
        );
        s.insertUsers.run(job.id, JSON.stringify(userIds));
      });
    },
    /**
     * Records a batch as sent, with its key and its users, before the request goes out: after a
     * crash the next start asks the backend under this key what became of them.
     */
    openBatch(
      jobId: string,
      batch: { batchNo: number; key: string; userIds: readonly string[] },
      at: Date,
    ): void {
      durably(() => {
        s.insertBatch.run(jobId, batch.batchNo, batch.key, at.toISOString());
        s.assignUsers.run(batch.batchNo, jobId, JSON.stringify(batch.userIds));
      });
    },
    /** The number the job's next batch gets (one more than its last). */
    nextBatchNo(jobId: string): number {
      const { n } = s.lastBatchNo.get(jobId) as { n: number | null };
      return n === null ? 0 : n + 1;
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
      state: 'not-sent' | 'unresolved' | 'done',
      outcome: UserOutcome,
      reason: string | null,
      audit: AuditEntry,
    ): void {
      tx(() => {
        setUsers(jobId, openUsers(jobId, batchNo), outcome, reason, audit);
        s.finishBatch.run(state, audit.at.toISOString(), jobId, batchNo);
      });
    },
    /** Settles those of these users still pending, before they are sent (with audit rows). */
    settleUsers(
      jobId: string,
      userIds: readonly string[],
      outcome: UserOutcome,
      reason: string,
      audit: AuditEntry,
    ): void {
      if (userIds.length === 0) return;
      tx(() => {
        const pending = userIdsOf(s.pendingAmong.all(jobId, JSON.stringify(userIds)));
        if (pending.length > 0) setUsers(jobId, pending, outcome, reason, audit);
      });
    },
    /**
     * A batch sent again under a new key, recorded before it goes: the old key was retired, so
     * nothing was done under it, and only the new one needs asking after a crash.
     */
    rekeyBatch(jobId: string, batchNo: number, key: string): void {
      durably(() => s.rekeyBatch.run(key, jobId, batchNo));
    },
    /** Why the job stopped sending on its own (the first reason wins). */
    setStoppedBecause(jobId: string, why: string): void {
      s.setStoppedBecause.run(why, jobId);
    },
    /** Every user of the job not sent yet becomes "not sent" with the reason (with audit rows). */
    closeUnbatched(jobId: string, reason: string, audit: AuditEntry): number {
      return tx(() => {
        const ids = userIdsOf(s.unbatchedUsers.all(jobId));
        if (ids.length > 0) setUsers(jobId, ids, 'not-sent', reason, audit);
        return ids.length;
      });
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
    /** Marks how the job was stopped (the first mark wins). */
    setJobStop(jobId: string, stop: JobStop): void {
      s.setJobStop.run(stop, jobId);
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
    unconfirmedUsers: (jobId: string): string[] => userIdsOf(s.unconfirmedUsers.all(jobId)),
    job: (jobId: string): JobRow | null => toJob(s.job.get(jobId)),
    /** A backend's newest 200 jobs. */
    jobs: (backend: BackendId): JobRow[] => s.jobs.all(backend).flatMap((row) => toJob(row) ?? []),
    batches: (jobId: string): BatchRow[] => s.batches.all(jobId) as unknown as BatchRow[],
    /** A job's batches not yet settled. */
    openBatches: (jobId: string): BatchRow[] => s.openBatches.all(jobId) as unknown as BatchRow[],
    /** A backend's jobs left mid-way by an earlier run, or with users still to confirm, oldest first. */
    openJobs: (backend: BackendId): string[] =>
      (s.openJobs.all(backend) as { id: string }[]).map((row) => row.id),
    /** Users of a job not in any batch yet, still pending. */
    unbatchedUsers: (jobId: string): string[] => userIdsOf(s.unbatchedUsers.all(jobId)),
    /** The users of a batch with no outcome yet, or only "failed" (which a settle may correct). */
    openBatchUsers: (jobId: string, batchNo: number): string[] => openUsers(jobId, batchNo),
    counts(jobId: string): OutcomeCounts {
      const counts = Object.fromEntries(JOB_OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;
      for (const row of s.counts.all(jobId) as { outcome: UserOutcome; n: number }[])
        counts[row.outcome] = row.n;
      return counts;
    },
    results: (jobId: string): UserResultRow[] => s.results.all(jobId) as unknown as UserResultRow[],
    /**
     * Each user's latest outcome from the backend (not pending, skipped or not sent), by when it
     * was written: all users, or with `since`, those written at or after it.
     */
    lastActions: (
      backend: BackendId,
      since: string | null,
    ): { userId: string; kind: JobKind; outcome: UserOutcome; at: string }[] =>
      s.lastActions.all(backend, since, since) as unknown as {
        userId: string;
        kind: JobKind;
        outcome: UserOutcome;
        at: string;
      }[],
    audit: (): {
      backend: BackendId;
      at: string;
      actor: string;
      action: string;
      userId: string;
      outcome: string;
    }[] =>
      s.auditRows.all() as unknown as {
        backend: BackendId;
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
