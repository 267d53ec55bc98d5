import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/backend/clock.ts';
import type { SecretHasher } from '../../../electron/backend/crypto/secret-hasher.ts';
import { openDatabase } from '../../../electron/backend/db/database.ts';
import {
  createIdempotencyStore,
  createRecordsStore,
} from '../../../electron/backend/db/records-store.ts';
import { createSecretsStore } from '../../../electron/backend/db/secrets-store.ts';
import { seedDatabase } from '../../../electron/backend/db/seed.ts';
import { createTokensStore } from '../../../electron/backend/db/tokens-store.ts';
import { createUsersStore } from '../../../electron/backend/db/users-store.ts';
import { createCommit } from '../../../electron/backend/services/context.ts';
import { createPasswordResets } from '../../../electron/backend/services/password-resets.ts';
import { silentLogger } from '../../../shared/log/index.ts';
import { DEFAULT_RULES } from '../../../shared/rules/index.ts';

/** A hasher whose hashes finish only when the test says, counting how many wait at once. */
class GatedHasher implements SecretHasher {
  readonly algorithm = 'argon2id';
  readonly parallelism: number;
  inFlight = 0;
  mostInFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(parallelism: number) {
    this.parallelism = parallelism;
  }

  async hash(secret: string): Promise<string> {
    this.inFlight += 1;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight -= 1;
    return `$fake$${secret.length}`;
  }

  verify(): Promise<boolean> {
    return Promise.resolve(false);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Lets every waiting hash finish. */
  release(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

function resetsWith(hasher: SecretHasher) {
  const db = openDatabase(mkdtempSync(path.join(tmpdir(), 'passdesk-concurrency-')));
  seedDatabase(db, 'large:50');
  const users = createUsersStore(db);
  const ids = users.page(undefined, '', 50).users.map((u) => u.id);
  const resets = createPasswordResets({
    users,
    secrets: createSecretsStore(db),
    records: createRecordsStore(db),
    tokens: createTokensStore(db),
    hasher,
    rules: () => DEFAULT_RULES,
    clock: systemClock,
    commit: createCommit(db, createIdempotencyStore(db), systemClock),
    // No recovery links in this test: nothing for a sweep to do.
    linkSweep: { sweep: () => undefined },
    logger: silentLogger,
  });
  return { ids, resets, close: () => db.close() };
}

describe('a password reset’s hashing', () => {
  it.each([1, 3])(
    'keeps about as many users in flight as the hasher has threads (%i)',
    async (n) => {
      const hasher = new GatedHasher(n);
      const { ids, resets, close } = resetsWith(hasher);
      const answer = resets.reset(
        { userIds: ids, applicationPassword: 'Tr0ub4dor&3' },
        { actor: 'test', idempotency: null },
      );
      const finished = answer.then(() => 'finished' as const);
      const nextTurn = () => new Promise<'waiting'>((resolve) => setImmediate(resolve, 'waiting'));
      while ((await Promise.race([finished, nextTurn()])) === 'waiting') hasher.release();
      const { results } = await answer;
      expect(results).toHaveLength(50);
      expect(results.every((r) => r.outcome === 'changed')).toBe(true);
      expect(hasher.mostInFlight).toBe(n);
      close();
    },
  );
});
