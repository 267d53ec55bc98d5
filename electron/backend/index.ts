import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDEMPOTENCY_RETENTION_HOURS } from '../../shared/api/index.ts';
import { createLogger, silentLogger, type Logger } from '../../shared/log/index.ts';
import { DEFAULT_RULES, RuleSets } from '../../shared/rules/index.ts';
import { createAdminTokens } from './admin-tokens/admin-tokens.ts';
import { systemClock, type Clock } from './clock.ts';
import { createSecretHasher, type HashCost } from './crypto/secret-hasher.ts';
import { newToken } from './crypto/tokens.ts';
import { openDatabase, transaction } from './db/database.ts';
import { makePrivateDir } from './db/private-files.ts';
import { createIdempotencyStore, createRecordsStore } from './db/records-store.ts';
import { createSecretsStore } from './db/secrets-store.ts';
import { seedDatabase, type SeedName } from './db/seed.ts';
import { createSpentCopiesStore } from './db/spent-copies-store.ts';
import { createTokensStore } from './db/tokens-store.ts';
import { createUsersStore } from './db/users-store.ts';
import { createHttpApp } from './http/app.ts';
import { closesGracefully } from './http/graceful-close.ts';
import type { RateLimit } from './http/rate-limit.ts';
import { createMailer } from './mail/mailer.ts';
import { createOutboxFiles } from './mail/outbox-files.ts';
import { openSmtpTransport, smtpTlsOf, type SmtpOptions } from './mail/smtp-transport.ts';
import { createCommit } from './services/context.ts';
import { createDirectory } from './services/directory.ts';
import { createLinkSweep, sweepingReads } from './services/link-sweep.ts';
import { adoptOlderOutboxCopies } from './services/older-outbox-copies.ts';
import { createPasswordResets } from './services/password-resets.ts';
import { createRecovery } from './services/recovery.ts';

export const BACKEND_VERSION = '1.0.0';

export interface BackendOptions {
  /** Holds the one database file, the outbox's .eml files and the log; created 0700. */
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Where recovery links point; defaults to this server's own URL. */
  publicBaseUrl?: string;
  /**
   * Emails go to this server as well as to the outbox. Checked at start (connection, TLS,
   * sign-in): startBackend rejects with an SmtpUnavailableError naming what failed.
   */
  smtp?: SmtpOptions;
  /** The From of every email. */
  mailFrom?: string;
  /** The signature under every email. */
  orgName?: string;
  /** Email users whose secrets an administrator reset (never the secret); on by default. */
  notifyOnAdminReset?: boolean;
  clock?: Clock;
  /**
   * The unnamed admin token, named "admin" in the audit: given by a caller that keeps one across
   * restarts; otherwise a new random one for this run (RunningBackend.adminToken), unless
   * `adminTokensFile` is given, whose named tokens are then the only ones.
   */
  adminToken?: string;
  /**
   * The named admin tokens file (see admin-tokens/token-store.ts): read at start (startBackend
   * rejects with an AdminTokensError when it cannot be used) and again whenever it changes.
   */
  adminTokensFile?: string;
  /** Applied only to an empty database. */
  seed?: SeedName;
  rules?: RuleSets;
  linkTtlMinutes?: number;
  /** The longest the outbox sweep waits between two runs (it also runs at each link's expiry). */
  linkSweepMaxWaitMs?: number;
  /** `production` meets OWASP's minimums; `test` is for test suites only. */
  hashCost?: HashCost;
  /** Worker threads for hashing; defaults to one per core (`os.availableParallelism()`). */
  hashThreads?: number;
  adminRateLimit?: RateLimit;
  selfServiceRateLimit?: RateLimit;
  /** Wrong admin tokens per client and window before it is refused (default 20 a minute). */
  adminAuthFailureLimit?: RateLimit;
  /** Tokens that open no live link, per client and window (default 20 a minute). */
  selfServiceFailureLimit?: RateLimit;
  /**
   * Reverse proxies (addresses or networks) whose X-Forwarded-For names the client, for the
   * limits per client; none by default, so the socket's peer is the client.
   */
  trustProxy?: readonly string[];
  maxBodyBytes?: number;
  /**
   * How long a close lets the requests in flight finish before it cuts them (default 10 s: a
   * job's batch is sized to take about 3 s).
   */
  shutdownGraceMs?: number;
  /**
   * Parse every API answer with its route's response schema before sending it, and answer 500
   * when one does not fit: for test suites, which then catch a handler drifting from shared/api.
   * Off by default, as it costs time on large answers and the types already hold handlers to it.
   */
  checkResponses?: boolean;
  /** The built renderer (holds reset.html); defaults to out/renderer of this checkout. */
  staticDir?: string | null;
  logger?: Logger;
}

export interface RunningBackend {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /**
   * The unnamed admin token ("admin"): the one given, or the random one made for this run. Empty
   * when there is none (`adminTokensFile` without `adminToken`); no request can send that.
   */
  adminToken: string;
  publicBaseUrl: string;
  /** The hashing pool's size: the most hashes it computes at once. */
  hashThreads: number;
  /**
   * Stops taking connections, lets the requests in flight finish (for `shutdownGraceMs` at
   * most), then ends the hashing threads and closes the database.
   */
  close(): Promise<void>;
}

const DEFAULT_STATIC_DIR = path.resolve(import.meta.dirname, '../../out/renderer');

/**
 * Starts the built-in provisioning backend on 127.0.0.1: the HTTP API of shared/api, the
 * recovery links and the end user's reset page, over one SQLite database in `dataDir`.
 */
export async function startBackend(options: BackendOptions): Promise<RunningBackend> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const rules = RuleSets.parse(options.rules ?? DEFAULT_RULES);
  const adminToken =
    options.adminToken ?? (options.adminTokensFile === undefined ? newToken() : null);
  // Before anything else is opened: tokens or a server that cannot be used stop the start.
  const adminTokens = createAdminTokens({
    ...(adminToken === null ? {} : { single: adminToken }),
    ...(options.adminTokensFile === undefined ? {} : { file: options.adminTokensFile }),
    logger,
  });
  const smtp = options.smtp === undefined ? null : await openSmtpTransport(options.smtp);
  // Then the hasher, as it refuses a bad thread count; its threads start with the first hash.
  const hasher = createSecretHasher(options.hashCost ?? 'production', {
    ...(options.hashThreads === undefined ? {} : { threads: options.hashThreads }),
    onPoolUnavailable: (error) =>
      logger.error('hashing worker threads unavailable; hashing in the main process', { error }),
  });
  makePrivateDir(options.dataDir);
  const db = openDatabase(options.dataDir);
  if (options.seed !== undefined) {
    const { users } = seedDatabase(db, options.seed);
    if (users > 0) logger.info('seeded the database', { seed: options.seed, users });
  }

  const users = createUsersStore(db);
  transaction(db, () => users.fillSortKeys());
  const secrets = createSecretsStore(db);
  const tokens = createTokensStore(db);
  const records = createRecordsStore(db);
  const idempotencyStore = createIdempotencyStore(db);
  idempotencyStore.prune(new Date(clock.now().getTime() - IDEMPOTENCY_RETENTION_HOURS * 3600_000));
  const commit = createCommit(db, idempotencyStore, clock, records);
  const spentCopies = createSpentCopiesStore(db);
  const files = createOutboxFiles(options.dataDir);
  const linkSweep = createLinkSweep({
    db,
    tokens,
    spentCopies,
    files,
    clock,
    logger,
    ...(options.linkSweepMaxWaitMs === undefined ? {} : { maxWaitMs: options.linkSweepMaxWaitMs }),
  });
  const mailer = createMailer({
    from: options.mailFrom ?? 'PassDesk Password Reset <password-reset@passdesk.invalid>',
    smtp,
    records,
    spentCopies,
    files,
    clock,
    logger,
  });
  // In the background: what the last run stored but did not see delivered (see the mailer).
  const resumed = mailer
    .resumeUndelivered()
    .then(() => undefined)
    .catch((error: unknown) => {
      logger.error('could not go over the emails the last run left undelivered', { error });
    });
  const linkTtlMinutes = options.linkTtlMinutes ?? 20;
  const orgName = options.orgName ?? 'Your telephony help desk';
  const adopted = await adoptOlderOutboxCopies({
    db,
    users,
    tokens,
    spentCopies,
    mailer,
    linkTtlMinutes,
    orgName,
  });
  if (adopted > 0)
    logger.info('outbox emails from an older version now lose their links when those end', {
      adopted,
    });
  // Links that ended while the backend was stopped lose their outbox copies before any request.
  linkSweep.sweep();

  let publicBaseUrl = options.publicBaseUrl?.replace(/\/+$/u, '') ?? '';
  const passwordResets = createPasswordResets({
    users,
    secrets,
    records,
    tokens,
    hasher,
    rules: () => rules,
    clock,
    commit,
    linkSweep,
    logger,
    mail: { mailer, orgName },
    notifyOnAdminReset: options.notifyOnAdminReset ?? true,
  });
  const app = createHttpApp({
    version: BACKEND_VERSION,
    adminTokens,
    users,
    records: sweepingReads(records, linkSweep),
    idempotencyStore,
    hasher,
    clock,
    directory: createDirectory({ users, records, tokens, clock, commit, linkSweep, logger }),
    passwordResets,
    recovery: createRecovery({
      db,
      users,
      secrets,
      tokens,
      records,
      idempotency: idempotencyStore,
      hasher,
      mailer,
      rules: () => rules,
      clock,
      commit,
      publicBaseUrl: () => publicBaseUrl,
      linkTtlMinutes,
      orgName,
      linkSweep,
      logger,
    }),
    rules: () => rules,
    publicUrlIsHttps: publicBaseUrl.startsWith('https://'),
    logger,
    staticDir: options.staticDir === undefined ? DEFAULT_STATIC_DIR : options.staticDir,
    adminRateLimit: options.adminRateLimit ?? { points: 1200, windowSeconds: 60 },
    selfServiceRateLimit: options.selfServiceRateLimit ?? { points: 60, windowSeconds: 60 },
    ...(options.adminAuthFailureLimit === undefined
      ? {}
      : { adminAuthFailureLimit: options.adminAuthFailureLimit }),
    ...(options.selfServiceFailureLimit === undefined
      ? {}
      : { selfServiceFailureLimit: options.selfServiceFailureLimit }),
    trustProxy: options.trustProxy ?? [],
    maxBodyBytes: options.maxBodyBytes ?? 512 * 1024,
    checkResponses: options.checkResponses ?? false,
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve(
      { fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' },
      () => resolve(started),
    );
    started.once('error', reject);
  });
  const stopping = closesGracefully(server as Server);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  if (publicBaseUrl === '') publicBaseUrl = url;
  logger.info('backend listening', {
    url,
    publicBaseUrl,
    hashing: hasher.algorithm,
    hashThreads: hasher.parallelism,
    mail:
      options.smtp === undefined
        ? 'outbox only'
        : `SMTP ${options.smtp.host}:${options.smtp.port} (${smtpTlsOf(options.smtp)} TLS)`,
  });

  let closing: Promise<void> | null = null;
  return {
    url,
    adminToken: adminToken ?? '',
    publicBaseUrl,
    hashThreads: hasher.parallelism,
    close: () =>
      (closing ??= (async () => {
        linkSweep.stop();
        const { cut } = await stopping.close(options.shutdownGraceMs ?? 10_000);
        if (cut > 0) logger.warn('stopped with requests still in flight', { cut });
        // Notices of admin resets still on their way go out first, while SMTP is open. Then
        // the pool before the database: closing it refuses the hashes of any request that was
        // cut, so none of them gets as far as writing to a closed database.
        try {
          await Promise.all([resumed, passwordResets.noticesDelivered()]).finally(() =>
            smtp?.close(),
          );
        } finally {
          try {
            await hasher.close();
          } finally {
            db.close();
          }
        }
      })()),
  };
}

export { createLogger };
export { AdminTokensError } from './admin-tokens/token-store.ts';
export { SmtpUnavailableError, type SmtpOptions, type SmtpTls } from './mail/smtp-transport.ts';
export type { SeedName };
