/**
 * `npm run backend -- --data-dir <dir> [--port <n>] [--seed demo|large:<n>] [--public-url <url>]
 *                    [--smtp-host <host> --smtp-port <n>] [--rules <file.json>] [--test-hashing]`
 * Starts the built-in backend and prints its URL and admin token; Ctrl+C stops it.
 * PASSDESK_ADMIN_TOKEN (32+ characters) keeps one admin token across restarts; without it each
 * start makes a new one.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeZodError } from '../../shared/ipc/result.ts';
import { createLogger } from '../../shared/log/index.ts';
import { RuleSets } from '../../shared/rules/index.ts';
import { parseSeed } from './db/seed.ts';
import { startBackend } from './index.ts';

const USAGE =
  'Usage: npm run backend -- --data-dir <dir> [--port <n>] [--seed demo|large:<n>|none] [--public-url <url>] ' +
  '[--smtp-host <host> --smtp-port <n>] [--rules <file.json>] [--test-hashing] [--hash-threads <n>]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      seed: { type: 'string', default: 'demo' },
      'public-url': { type: 'string' },
      'smtp-host': { type: 'string' },
      'smtp-port': { type: 'string', default: '25' },
      rules: { type: 'string' },
      'test-hashing': { type: 'boolean', default: false },
      'hash-threads': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
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
const smtpPort = Number(values['smtp-port']);
if (!Number.isInteger(smtpPort) || smtpPort < 1 || smtpPort > 65535)
  fail('--smtp-port must be 1-65535');

// Unset means one per core; more than the cores only adds contention, but is the caller's call.
const hashThreads =
  values['hash-threads'] === undefined ? undefined : Number(values['hash-threads']);
if (
  hashThreads !== undefined &&
  (!Number.isInteger(hashThreads) || hashThreads < 1 || hashThreads > 256)
)
  fail(`--hash-threads must be 1-256, not "${values['hash-threads']}"`);

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
mkdirSync(path.dirname(logFile), { recursive: true });
const started = Date.now();
const backend = await startBackend({
  dataDir: path.resolve(dataDir),
  port,
  seed,
  ...(publicUrl === undefined ? {} : { publicBaseUrl: publicUrl }),
  ...(values['smtp-host'] === undefined
    ? {}
    : { smtp: { host: values['smtp-host'], port: smtpPort } }),
  hashCost: values['test-hashing'] ? 'test' : 'production',
  ...(adminToken === undefined ? {} : { adminToken }),
  ...(hashThreads === undefined ? {} : { hashThreads }),
  ...(rules === undefined ? {} : { rules }),
  logger: createLogger({ sink: (line) => appendFileSync(logFile, `${line}\n`) }),
});
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

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void backend.close().then(() => process.exit(0));
  });
}
