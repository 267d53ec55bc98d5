import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../../electron/main/services/jobs/job-runner.ts';
import { openJournal } from '../../../electron/main/services/jobs/journal.ts';
import { createProvisioningClient } from '../../../electron/main/services/provisioning-client.ts';
import { silentLogger } from '../../../shared/log/index.ts';
import { DEFAULT_RULES } from '../../../shared/rules/index.ts';
import { expectExactlyOnce, startJobWorld, type JobWorld } from './job-harness.ts';

const CHILD = path.resolve(import.meta.dirname, '../../fixtures/job-child.ts');
let world: JobWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('a crash mid-job', () => {
  it('leaves a journal that the next start settles: done, replayed or not sent, each user once', async () => {
    world = await startJobWorld({ users: 5000 });
    const w = world;
    w.proxy.setPlan((request) =>
      request.path.startsWith('/api/v1/password-resets')
        ? { kind: 'delay', ms: 250 }
        : { kind: 'pass' },
    );
    const child = spawn(
      process.execPath,
      [CHILD, w.journalDir, w.proxy.url, w.backend.adminToken],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const jobId = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const match = /started (\S+)/u.exec(chunk.toString());
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`the child exited early (${code})`)));
    });

    // Kill it once at least two batches are done and more are in flight.
    await expect
      .poll(() => w.journal.batches(jobId).filter((b) => b.state === 'done').length, {
        timeout: 10_000,
        interval: 20,
      })
      .toBeGreaterThanOrEqual(2);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const before = w.journal.batches(jobId).map((b) => b.state);
    expect(before).toContain('done');
    expect(before.some((state) => state === 'pending' || state === 'in-flight')).toBe(true);

    // Batches sent just before the kill may still land: let them, as a real network would.
    await new Promise((resolve) => setTimeout(resolve, 400));

    // The next start: a new runner over the same journal settles what the old one left open.
    const journal = openJournal(w.journalDir);
    const runner = createJobRunner({
      client: createProvisioningClient({
        kind: 'remote',
        url: w.proxy.url,
        token: w.backend.adminToken,
      }),
      journal,
      rules: () => DEFAULT_RULES,
      actor: () => 'crash tester',
      onUpdate: () => undefined,
      logger: silentLogger,
    });
    await runner.recover();
    const summary = runner.list().find((job) => job.id === jobId);
    expect(summary?.state).toBe('interrupted');
    expect(summary?.counts.pending).toBe(0);
    expect((summary?.counts.changed ?? 0) + (summary?.counts['not-sent'] ?? 0)).toBe(5000);
    expect(summary?.counts.changed).toBeGreaterThan(0);
    expect(summary?.counts['not-sent']).toBeGreaterThan(0);

    const check: JobWorld = { ...w, runner };
    await expectExactlyOnce(check, jobId);
    expect(journal.batches(jobId).every((b) => b.state === 'done' || b.state === 'not-sent')).toBe(
      true,
    );
    journal.close();
  }, 30_000);
});
