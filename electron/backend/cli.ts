/**
 * `npm run backend -- --data-dir <dir> [options]` (see USAGE) starts the built-in backend and
 * prints its URL and admin token; Ctrl+C stops it. PASSDESK_ADMIN_TOKEN (32+ characters) keeps
 * one admin token across restarts; without it each start makes a new one. The SMTP password is
 * never an argument (arguments are visible to every user in `ps`): PASSDESK_SMTP_PASSWORD or
 * --smtp-password-file.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeZodError } from '../../shared/ipc/result.ts';
import { createLogger } from '../../shared/log/index.ts';
import { RuleSets } from '../../shared/rules/index.ts';
import { makePrivateDir, makePrivateFile } from './db/private-files.ts';
import { parseSeed } from './db/seed.ts';
import { trustedProxies } from './http/client-address.ts';
import { SmtpUnavailableError, startBackend } from './index.ts';
import { SMTP_FLAGS, SMTP_USAGE, smtpFromFlags } from './mail/smtp-flags.ts';

const USAGE = `Usage: npm run backend -- --data-dir <dir> [options]
  --port <n>                 0 (default) picks a free port on 127.0.0.1
  --seed demo|large:<n>|none users for an empty database (default demo)
  --public-url <url>         where recovery links point (default: this server's URL)
  --rules <file.json>        password and passcode rules
  --test-hashing             cheap hashing, for test suites only
  --hash-threads <n>         hashing threads (default: one per core)
  --trust-proxy <a[,b]>      reverse proxies (addresses or networks, e.g. 127.0.0.1 or 10.0.0.0/8)
                             whose X-Forwarded-For names the client, for the limits per client
${SMTP_USAGE}
Environment: PASSDESK_ADMIN_TOKEN keeps one admin token across restarts; PASSDESK_SMTP_PASSWORD.`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string', default: '0' },
        seed: { type: 'string', default: 'demo' },
        'public-url': { type: 'string' },
        ...SMTP_FLAGS,
        rules: { type: 'string' },
        'test-hashing': { type: 'boolean', default: false },
        'hash-threads': { type: 'string' },
        'trust-proxy': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

const values = parseFlags();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const dataDir = values['data-dir'];
if (dataDir === undefined || dataDir === '') fail('--data-dir is required');
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be 0-65535, not "${values.port}"`);
const seed = parseSeed(values.seed);
if (seed === null) fail(`--seed must be demo, none or large:<n>, not "${values.seed}"`);
const publicUrl = values['public-url'];
if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+/u.test(publicUrl))
  fail(`--public-url must be an http(s) URL`);
const smtpFlags = smtpFromFlags(values, process.env);
if (!smtpFlags.ok) fail(smtpFlags.message);
const { smtp } = smtpFlags;
// Read once; not handed on to anything this process starts.
delete process.env.PASSDESK_SMTP_PASSWORD;

// Unset means one per core; more than the cores only adds contention, but is the caller's call.
const hashThreads =
  values['hash-threads'] === undefined ? undefined : Number(values['hash-threads']);
if (
  hashThreads !== undefined &&
  (!Number.isInteger(hashThreads) || hashThreads < 1 || hashThreads > 256)
)
  fail(`--hash-threads must be 1-256, not "${values['hash-threads']}"`);

const trustProxy = (values['trust-proxy'] ?? '')
  .split(',')
  .map((entry) => entry.trim())
  .filter((entry) => entry !== '');
try {
  trustedProxies(trustProxy);
} catch (error) {
  fail(
    `--trust-proxy: ${error instanceof Error ? error.message.replace(/^trustProxy: /u, '') : String(error)}`,
  );
}

const adminToken = process.env.PASSDESK_ADMIN_TOKEN;
if (adminToken !== undefined && !/^[\x21-\x7e]{32,512}$/u.test(adminToken))
  fail('PASSDESK_ADMIN_TOKEN must be 32-512 printable characters without spaces');

let rules: RuleSets | undefined;
if (values.rules !== undefined) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(values.rules, 'utf8'));
  } catch (error) {
    fail(
      `--rules: cannot read ${values.rules} as JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const parsed = RuleSets.safeParse(json);
  if (!parsed.success) fail(`--rules: ${describeZodError(parsed.error)}`);
  rules = parsed.data;
}

const logFile = path.join(path.resolve(dataDir), 'logs', 'backend.log');
makePrivateDir(path.resolve(dataDir));
makePrivateDir(path.dirname(logFile), { tighten: true });
makePrivateFile(logFile);
const started = Date.now();
let backend;
try {
  backend = await startBackend({
    dataDir: path.resolve(dataDir),
    port,
    seed,
    ...(publicUrl === undefined ? {} : { publicBaseUrl: publicUrl }),
    ...(smtp === undefined ? {} : { smtp }),
    hashCost: values['test-hashing'] ? 'test' : 'production',
    ...(adminToken === undefined ? {} : { adminToken }),
    ...(hashThreads === undefined ? {} : { hashThreads }),
    ...(trustProxy.length === 0 ? {} : { trustProxy }),
    ...(rules === undefined ? {} : { rules }),
    logger: createLogger({
      sink: (line) => appendFileSync(logFile, `${line}\n`, { mode: 0o600 }),
    }),
  });
} catch (error) {
  if (!(error instanceof SmtpUnavailableError)) throw error;
  console.error(`PassDesk backend did not start: ${error.message}`);
  process.exit(1);
}
console.log(`PassDesk backend ready in ${Date.now() - started} ms`);
console.log(`URL:         ${backend.url}`);
console.log(
  adminToken === undefined
    ? `Admin token: ${backend.adminToken}`
    : 'Admin token: the one in PASSDESK_ADMIN_TOKEN',
);
console.log(`Reset links: ${backend.publicBaseUrl}/reset/<token>`);
console.log(`Hashing:     ${backend.hashThreads} worker threads`);
console.log(`Data:        ${path.resolve(dataDir)}`);
console.log(
  smtp === undefined
    ? 'Email:       outbox only (no --smtp-host): for trying PassDesk on one machine'
    : `Email:       SMTP ${smtp.host}:${smtp.port}${smtp.auth === undefined ? '' : ` as ${smtp.auth.user}`}`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void backend.close().then(() => process.exit(0));
  });
}
