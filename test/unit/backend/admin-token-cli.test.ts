import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../../electron/backend/admin-tokens/file-lock.ts';
import { runTokenCommand } from '../../../electron/backend/admin-tokens/token-command.ts';
import { runCli, type CliRun } from './cli-process.ts';

const CLI = path.resolve(import.meta.dirname, '../../../electron/backend/cli.ts');

/** `npm run backend -- token <args>`, as its own process; resolves once it exited. */
function token(
  args: readonly string[],
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI, 'token', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}

const folder = () => mkdtempSync(path.join(tmpdir(), 'passdesk-token-cli-'));

/** A port free now, for a backend that must come back where its clients know it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Each test starts a few processes, each loading the backend's modules (a second or so apiece).
const running: CliRun[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((run) => run.stop()));
});
const started = async (args: string[], options: Parameters<typeof runCli>[1] = {}) => {
  const run = await runCli(args, options);
  running.push(run);
  return run;
};

const call = async (run: CliRun, bearer: string, actor?: string) =>
  (
    await fetch(`${run.url}/api/v1/intercepts`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${bearer}`,
        'Content-Type': 'application/json',
        ...(actor === undefined ? {} : { 'X-PassDesk-Actor': actor }),
      },
      body: JSON.stringify({ userIds: ['11635-01'], intercepted: true }),
    })
  ).status;

describe('npm run backend -- token', { timeout: 60_000 }, () => {
  it('adds a token, printed once alone on stdout, and keeps only its hash in a 0600 file', async () => {
    const file = path.join(folder(), 'tokens.json');
    const added = await token(['add', 'alice', '--admin-tokens', file]);
    expect(added.code).toBe(0);
    const alice = added.out.trim();
    expect(alice).toMatch(/^[A-Za-z0-9_-]{43}$/u);
    expect(added.err).toContain('Admin token "alice" added');
    expect(added.err).not.toContain(alice);
    const bob = (await token(['add', 'bob', '--admin-tokens', file])).out.trim();
    expect(bob).not.toBe(alice);

    const content = readFileSync(file, 'utf8');
    expect(content).not.toContain(alice);
    expect(content).not.toContain(bob);
    expect(JSON.parse(content)).toEqual({
      tokens: [
        {
          name: 'alice',
          hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/u),
          createdAt: expect.any(String),
        },
        {
          name: 'bob',
          hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/u),
          createdAt: expect.any(String),
        },
      ],
    });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('lists names and dates, never a hash, and removes a token by name', async () => {
    const file = path.join(folder(), 'tokens.json');
    await token(['add', 'alice', '--admin-tokens', file]);
    await token(['add', 'bob.smith', '--admin-tokens', file]);
    const hashes = (
      JSON.parse(readFileSync(file, 'utf8')) as { tokens: { hash: string }[] }
    ).tokens.map((t) => t.hash.slice('sha256:'.length));
    const listed = await token(['list', '--admin-tokens', file]);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(
      /^NAME\s+CREATED\nalice\s+\d{4}-\d\d-\d\dT[\d:.]+Z\nbob\.smith\s+\d{4}-/u,
    );
    for (const hash of hashes) expect(listed.out + listed.err).not.toContain(hash.slice(0, 12));
    expect(await token(['remove', 'alice', '--admin-tokens', file])).toMatchObject({ code: 0 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      tokens: [expect.objectContaining({ name: 'bob.smith' })],
    });
  });
});

describe('runTokenCommand', () => {
  /** Runs `token <args>` in this process; what it said, and its exit code. */
  const run = (args: string[]) => {
    const said = { out: [] as string[], err: [] as string[] };
    const code = runTokenCommand(args, {
      out: (line) => said.out.push(line),
      err: (line) => said.err.push(line),
    });
    return { code, out: said.out.join('\n'), err: said.err.join('\n') };
  };

  it('refuses a name taken, reserved or malformed, and leaves the file as it was', () => {
    const file = path.join(folder(), 'tokens.json');
    run(['add', 'alice', '--admin-tokens', file]);
    const before = readFileSync(file, 'utf8');
    const again = run(['add', 'alice', '--admin-tokens', file]);
    expect(again).toMatchObject({ code: 1, out: '' });
    expect(again.err).toContain('already has a token named "alice"');
    const reserved = run(['add', 'admin', '--admin-tokens', file]);
    expect(reserved).toMatchObject({ code: 2, out: '' });
    expect(reserved.err).toContain('"admin" is the name of the unnamed admin token');
    expect(run(['add', 'a/b', '--admin-tokens', file]).err).toContain('1-64 letters');
    expect(run(['add', 'x'.repeat(65), '--admin-tokens', file]).code).toBe(2);
    expect(run(['add', 'alice']).err).toContain('--admin-tokens <file> is required');
    expect(run(['add', '--admin-tokens', file]).err).toContain('token add: name the token');
    expect(run(['list', 'alice', '--admin-tokens', file]).err).toContain('unexpected "alice"');
    expect(run(['rename', 'alice', '--admin-tokens', file]).code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses to remove a token it does not have, or to work on a file it cannot use', () => {
    const file = path.join(folder(), 'tokens.json');
    run(['add', 'alice', '--admin-tokens', file]);
    const missing = run(['remove', 'bob', '--admin-tokens', file]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('has no token named "bob"');
    expect(run(['list', '--admin-tokens', path.join(folder(), 'none.json')])).toMatchObject({
      code: 1,
      err: expect.stringContaining('no such file'),
    });
    const broken = path.join(folder(), 'tokens.json');
    writeFileSync(broken, '{ "tokens": [', { mode: 0o600 });
    expect(run(['add', 'bob', '--admin-tokens', broken]).code).toBe(1);
    expect(readFileSync(broken, 'utf8')).toBe('{ "tokens": [');
    const nowhere = path.join(folder(), 'no', 'such', 'folder.json');
    expect(run(['add', 'carol', '--admin-tokens', nowhere]).code).toBe(1);
  });

  it('makes a different 256-bit token each time', () => {
    const file = path.join(folder(), 'tokens.json');
    const tokens = ['a', 'b', 'c'].map((name) => run(['add', name, '--admin-tokens', file]).out);
    expect(new Set(tokens).size).toBe(3);
    for (const made of tokens) expect(Buffer.from(made, 'base64url')).toHaveLength(32);
  });
});

describe('the backend with --admin-tokens', { timeout: 60_000 }, () => {
  it('takes each named token, audits its name beside the claimed operator, and applies changes without a restart', async () => {
    const file = path.join(folder(), 'tokens.json');
    const alice = (await token(['add', 'alice', '--admin-tokens', file])).out.trim();
    const run = await started(['--admin-tokens', file]);
    expect(run.stdout).toContain(`Admin tokens: those named in ${file}`);
    expect(run.stdout).not.toMatch(/Admin token: /u);

    expect(await call(run, alice, 'Bob%20B')).toBe(200);
    const bob = (await token(['add', 'bob', '--admin-tokens', file])).out.trim();
    expect(await call(run, bob)).toBe(200);
    await token(['remove', 'alice', '--admin-tokens', file]);
    expect(await call(run, alice)).toBe(401);

    const audit = (await (
      await fetch(`${run.url}/api/v1/audit`, { headers: { Authorization: `Bearer ${bob}` } })
    ).json()) as { entries: { actor: string; tokenName?: string }[] };
    expect(audit.entries.map(({ actor, tokenName }) => ({ actor, tokenName }))).toEqual([
      { actor: 'bob', tokenName: 'bob' },
      { actor: 'Bob B', tokenName: 'alice' },
    ]);
  });

  it('does not start when the file cannot be used', async () => {
    const run = await started(['--admin-tokens', path.join(folder(), 'missing.json')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/did not start: --admin-tokens: cannot read .*missing\.json/u);
  });
});

describe('--admin-token-file', { timeout: 60_000 }, () => {
  const tokenFile = (content: string, mode = 0o600) => {
    const file = path.join(folder(), 'admin-token');
    writeFileSync(file, content, { mode });
    chmodSync(file, mode);
    return file;
  };
  const TOKEN = 'kept-admin-token-0123456789-ABCDEFGHIJKLMNOP';

  it('keeps one token across a restart: a client in the middle of a job goes on with the same token', async () => {
    const file = tokenFile(`${TOKEN}\n`);
    const port = String(await freePort());
    const first = await started(['--admin-token-file', file, '--port', port]);
    expect(first.stdout).toContain(`Admin token: "admin", the one in ${file}`);
    expect(first.stdout).not.toContain(TOKEN);
    expect(await call(first, TOKEN)).toBe(200);
    await first.stop();

    const second = await started(['--admin-token-file', file, '--port', port], {
      dataDir: first.dataDir,
    });
    expect(second.url).toBe(first.url);
    expect(await call(second, TOKEN)).toBe(200);
    const audit = (await (
      await fetch(`${second.url}/api/v1/audit`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    ).json()) as { entries: { tokenName?: string }[] };
    expect(audit.entries.map((e) => e.tokenName)).toEqual(['admin', 'admin']);
  });

  it('is what stops a restart from stranding such a client: without it the old token is refused', async () => {
    const port = String(await freePort());
    const first = await started(['--port', port]);
    const random = /Admin token: (\S+)/u.exec(first.stdout)?.[1] ?? '';
    expect(await call(first, random)).toBe(200);
    await first.stop();
    const second = await started(['--port', port], { dataDir: first.dataDir });
    expect(await call(second, random)).toBe(401);
  });

  it('refuses a file others can read, a malformed token, and a second token from the environment', async () => {
    const open = await started(['--admin-token-file', tokenFile(TOKEN, 0o644)]);
    if (process.platform !== 'win32') {
      expect(open.code).toBe(2);
      expect(open.stderr).toContain('can be read or written by other users than its owner');
    }
    const short = await started(['--admin-token-file', tokenFile('too-short\n')]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('must be 32-512 printable characters');
    expect(short.stderr).not.toContain('too-short');
    const both = await started(['--admin-token-file', tokenFile(TOKEN)], {
      env: { PASSDESK_ADMIN_TOKEN: TOKEN },
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('PASSDESK_ADMIN_TOKEN or --admin-token-file, not both');
    const missing = await started(['--admin-token-file', path.join(folder(), 'none')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });
});

describe('token commands at the same time', () => {
  it('keep every token that each says it added', async () => {
    const file = path.join(folder(), 'tokens.json');
    const names = ['ana', 'ben', 'cleo', 'dev', 'eli', 'fay'];
    const runs = await Promise.all(
      names.map((name) => token(['add', name, '--admin-tokens', file])),
    );
    expect(runs.map((run) => run.code)).toEqual(names.map(() => 0));
    const kept = (JSON.parse(readFileSync(file, 'utf8')) as { tokens: { name: string }[] }).tokens;
    expect(kept.map((entry) => entry.name).sort()).toEqual(names);
    expect(existsSync(`${file}.lock`)).toBe(false);
  }, 30_000);

  it('wait for the lock, give up on one left behind with what to do, and always let go', () => {
    const file = path.join(folder(), 'tokens.json');
    writeFileSync(`${file}.lock`, '', { mode: 0o600 });
    let ran = false;
    const started = performance.now();
    expect(() => withFileLock(file, () => (ran = true), 200)).toThrow(
      `if none is running, one stopped half-way: remove ${file}.lock and try again`,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(ran).toBe(false);

    rmSync(`${file}.lock`);
    expect(() =>
      withFileLock(file, () => {
        expect(existsSync(`${file}.lock`)).toBe(true);
        throw new Error('the change failed');
      }),
    ).toThrow('the change failed');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
