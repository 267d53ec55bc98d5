import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createHashPool, hashWorkerUrl } from '../../../electron/backend/crypto/hash-pool.ts';
import { deriveKeySync, type KeyRequest } from '../../../electron/backend/crypto/key-derivation.ts';
import { createSecretHasher } from '../../../electron/backend/crypto/secret-hasher.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const PRODUCTION: KeyRequest = {
  algorithm: 'argon2id',
  secret: 'Tr0ub4dor&3',
  salt: new Uint8Array(16).fill(7),
  params: { m: 19_456, t: 2, p: 1 },
};

// Production-cost hashes take ~20–30 ms each here; the timeouts leave room for a loaded machine.
describe('the hashing pool at production cost', { timeout: 30_000 }, () => {
  const hasher = createSecretHasher('production', { threads: 2 });
  afterAll(() => hasher.close());

  it('hashes and verifies, salting every hash', async () => {
    const secrets = ['Tr0ub4dor&3', 'Zx9/Qw8#', '975311'];
    const hashes = await Promise.all(secrets.map((secret) => hasher.hash(secret)));
    for (const stored of hashes) expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/u);
    expect(new Set(hashes).size).toBe(3);
    expect(
      await Promise.all(secrets.map((secret, i) => hasher.verify(secret, hashes[i] ?? ''))),
    ).toEqual([true, true, true]);
    expect(await hasher.verify('975311', hashes[0] ?? '')).toBe(false);
    expect(hasher.parallelism).toBe(2);
  });

  it('derives in its worker the same key as this thread does', async () => {
    const pool = createHashPool({ threads: 1 });
    try {
      const key = await pool.run(PRODUCTION);
      expect(Buffer.from(key ?? new Uint8Array()).equals(deriveKeySync(PRODUCTION))).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('answers false, never throws, for garbage and for tampered hashes', async () => {
    const stored = await hasher.hash('Zx9/Qw8#');
    const [, , , , salt = '', key = ''] = stored.split('$');
    const tampered = [
      'garbage',
      '',
      stored.replace('p=1', 'p=0'), // refused by argon2 inside the worker
      stored.replace(salt, 'AAAA'), // a salt too short for argon2
      stored.replace(
        key,
        key.replace(/^./u, (c) => (c === 'A' ? 'B' : 'A')),
      ),
      stored.replace('m=19456', 'm=0'),
      '$scrypt$ln=17,r=0,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ];
    for (const bad of tampered) expect(await hasher.verify('Zx9/Qw8#', bad)).toBe(false);
    expect(await hasher.verify('Zx9/Qw8#', stored)).toBe(true);
  });

  it('keeps the event loop and libuv’s thread pool free while it hashes', async () => {
    // 20 hashes on 2 threads take ten hash-times at least. Asserted: timers keep firing between
    // completions, the loop is mostly idle, and a file read queued after all 20 (on libuv's
    // pool, like static files and .eml writes) does not wait for them — hashed on libuv's four
    // threads, it would finish after the 16th. Orderings, not timings.
    const events: string[] = [];
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
      events.push('tick');
    }, 5);
    const loopBefore = performance.eventLoopUtilization();
    const hashes = Array.from({ length: 20 }, (_, i) =>
      hasher.hash(`Secret#${i}x`).then(() => events.push('hash')),
    );
    const read = readFile(path.join(root, 'package.json')).then(() => events.push('read'));
    await Promise.all([...hashes, read]);
    const loop = performance.eventLoopUtilization(loopBefore);
    clearInterval(timer);

    const firstHash = events.indexOf('hash');
    const lastHash = events.lastIndexOf('hash');
    const ticksDuring = events.slice(firstHash, lastHash).filter((e) => e === 'tick').length;
    expect(ticks).toBeGreaterThan(0);
    expect(ticksDuring).toBeGreaterThanOrEqual(2);
    const hashesBeforeRead = events.slice(0, events.indexOf('read')).filter((e) => e === 'hash');
    expect(hashesBeforeRead.length).toBeLessThan(10);
    expect(loop.utilization).toBeLessThan(0.6);
  });
});

describe('closing', { timeout: 30_000 }, () => {
  it('ends every thread and refuses work afterwards', async () => {
    const pool = createHashPool({ threads: 2 });
    expect(pool.liveThreads).toBe(0);
    await Promise.all([pool.run(PRODUCTION), pool.run(PRODUCTION)]);
    expect(pool.liveThreads).toBeGreaterThan(0);
    await pool.close();
    expect(pool.liveThreads).toBe(0);
    await expect(pool.run(PRODUCTION)).rejects.toThrow(/closed/u);
    await pool.close();

    const hasher = createSecretHasher('production', { threads: 1 });
    await hasher.hash('x');
    await hasher.close();
    await expect(hasher.hash('x')).rejects.toThrow(/closed/u);
  });

  it('lets a standalone backend’s process end by itself after close()', async () => {
    // No process.exit in the script: the process ends only if close() leaves nothing running.
    const script = path.join(mkdtempSync(path.join(tmpdir(), 'passdesk-close-')), 'run.ts');
    writeFileSync(
      script,
      `import { startBackend } from ${JSON.stringify(pathToFileURL(path.join(root, 'electron/backend/index.ts')).href)};
const backend = await startBackend({ dataDir: ${JSON.stringify(path.dirname(script))}, seed: 'demo', staticDir: null, hashThreads: 2 });
const answer = await fetch(backend.url + '/api/v1/password-resets', {
  method: 'POST',
  headers: { Authorization: 'Bearer ' + backend.adminToken, 'Content-Type': 'application/json' },
  body: JSON.stringify({ userIds: ['11635-01', '11635-02'], applicationPassword: 'Tr0ub4dor&3' }),
});
console.log(JSON.stringify(await answer.json()));
await backend.close();
`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({
      results: [
        { userId: '11635-01', outcome: 'changed' },
        { userId: '11635-02', outcome: 'changed' },
      ],
    });
  });
});

describe('a worker that cannot start', { timeout: 30_000 }, () => {
  it('fails its tasks with a clear error instead of leaving them waiting', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'passdesk-worker-')), 'broken.mjs');
    writeFileSync(file, "throw new Error('cannot load');\n");
    const told: string[] = [];
    // Four threads all failing to start, one after another, each while the others still are.
    const pool = createHashPool({
      threads: 4,
      workerUrl: pathToFileURL(file),
      onUnavailable: (error) => told.push(error.message),
    });
    const settled = await Promise.allSettled(Array.from({ length: 6 }, () => pool.run(PRODUCTION)));
    expect(settled.map((s) => s.status)).toEqual(Array(6).fill('rejected'));
    expect(told).toEqual([expect.stringMatching(/could not start: cannot load/u)]);
    await pool.close();
  });

  it('leaves the hasher hashing in this process, and says so once', async () => {
    const told: string[] = [];
    const hasher = createSecretHasher('production', {
      workerUrl: pathToFileURL(path.join(tmpdir(), 'passdesk-no-such-worker.js')),
      onPoolUnavailable: (error) => told.push(error.message),
    });
    const stored = await hasher.hash('Zx9/Qw8#');
    expect(await hasher.verify('Zx9/Qw8#', stored)).toBe(true);
    expect(told).toEqual([expect.stringMatching(/does not exist/u)]);
    await hasher.close();
  });
});

describe('the built worker (npm run build)', { timeout: 30_000 }, () => {
  // `npm test` builds before the unit tests; on its own this needs `npm run build` first.
  const builtIndex = path.join(root, 'out/main/index.js');

  it('lands next to out/main/index.js, where the bundle looks for it', () => {
    const url = hashWorkerUrl(pathToFileURL(builtIndex).href);
    expect(url.href).toBe(pathToFileURL(path.join(root, 'out/main/hash-worker.js')).href);
    expect(existsSync(url), 'out/main/hash-worker.js is missing: run npm run build').toBe(true);
    // …which holds only while the file holding the function that asks sits in out/main too,
    // not in a folder of its own (its import.meta.url is the one that counts).
    for (const [asker, worker] of [
      ['function hashWorkerUrl(', 'hash-worker.js'],
      ['function backendThreadUrl(', 'backend-thread-entry.js'],
    ] as const) {
      const askers = readdirSync(path.join(root, 'out/main'), {
        recursive: true,
        encoding: 'utf8',
      })
        .filter((file) => file.endsWith('.js'))
        .filter((file) => readFileSync(path.join(root, 'out/main', file), 'utf8').includes(asker));
      expect(askers, asker).toHaveLength(1);
      expect(path.dirname(askers[0] ?? ''), `${asker} beside ${worker}`).toBe('.');
      expect(existsSync(path.join(root, 'out/main', worker))).toBe(true);
    }
  });

  it('loads in a worker thread and derives the right key', async () => {
    const pool = createHashPool({
      threads: 1,
      workerUrl: hashWorkerUrl(pathToFileURL(builtIndex).href),
    });
    try {
      const key = await pool.run(PRODUCTION);
      expect(Buffer.from(key ?? new Uint8Array()).equals(deriveKeySync(PRODUCTION))).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
