import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createManualClock } from '../../../electron/backend/clock.ts';
import { openDatabase } from '../../../electron/backend/db/database.ts';
import {
  createIdempotencyStore,
  createRecordsStore,
} from '../../../electron/backend/db/records-store.ts';
import { createSecretsStore } from '../../../electron/backend/db/secrets-store.ts';
import { seedDatabase } from '../../../electron/backend/db/seed.ts';
import { createSpentCopiesStore } from '../../../electron/backend/db/spent-copies-store.ts';
import { createTokensStore } from '../../../electron/backend/db/tokens-store.ts';
import { createUsersStore } from '../../../electron/backend/db/users-store.ts';
import { createMailer } from '../../../electron/backend/mail/mailer.ts';
import { createOutboxFiles } from '../../../electron/backend/mail/outbox-files.ts';
import type { SmtpTransport } from '../../../electron/backend/mail/smtp-transport.ts';
import { createCommit } from '../../../electron/backend/services/context.ts';
import { createLinkSweep } from '../../../electron/backend/services/link-sweep.ts';
import type { Logger } from '../../../shared/log/index.ts';

/**
 * A fresh demo database in its own data folder, with the stores, the real mailer (outbox table
 * and .eml files; SMTP when given), the commit and the outbox sweep wired as startBackend wires
 * them: what a test of one backend service builds that service on.
 */
export function demoMailWorld(options: {
  /** The data folder's name starts with this. */
  prefix: string;
  from: string;
  smtp?: SmtpTransport | null;
  logger: Logger;
}) {
  const { logger } = options;
  const dataDir = mkdtempSync(path.join(tmpdir(), options.prefix));
  const db = openDatabase(dataDir);
  seedDatabase(db, 'demo');
  const clock = createManualClock();
  const records = createRecordsStore(db);
  const idempotency = createIdempotencyStore(db);
  const users = createUsersStore(db);
  const tokens = createTokensStore(db);
  const spentCopies = createSpentCopiesStore(db);
  const files = createOutboxFiles(dataDir);
  const mailer = createMailer({
    from: options.from,
    smtp: options.smtp ?? null,
    records,
    spentCopies,
    files,
    clock,
    logger,
  });
  return {
    dataDir,
    db,
    clock,
    records,
    idempotency,
    users,
    tokens,
    secrets: createSecretsStore(db),
    mailer,
    commit: createCommit(db, idempotency, clock),
    linkSweep: createLinkSweep({ db, tokens, spentCopies, files, clock, logger }),
  };
}
