/**
 * `npm run backend -- --data-dir <dir> [options]` (see USAGE) starts the built-in backend and
 * prints its URL; Ctrl+C stops it. Admin tokens kept across restarts, so that a restart does not
 * cut off a client in the middle of a job: named ones (`--admin-tokens <file>`, managed with
 * `npm run backend -- token …`, see admin-tokens/token-command.ts) and/or one unnamed token from
 * PASSDESK_ADMIN_TOKEN or `--admin-token-file`; with none of them each start makes a new one and
 * prints it. Secrets are never arguments (arguments are visible to every user in `ps`): the SMTP
 * password comes from PASSDESK_SMTP_PASSWORD or --smtp-password-file.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeZodError } from '../../shared/ipc/result.ts';
import { createLogger } from '../../shared/log/index.ts';
import { RuleSets } from '../../shared/rules/index.ts';
import { checkSingleToken, readSingleTokenFile } from './admin-tokens/single-token.ts';
import { runTokenCommand, TOKEN_USAGE } from './admin-tokens/token-command.ts';
import { BACKUP_USAGE, runBackupCommand } from './db/backup-command.ts';
import { makePrivateDir, makePrivateFile } from './db/private-files.ts';
import { parseSeed } from './db/seed.ts';
import { trustedProxies } from './http/client-address.ts';
import { AdminTokensError, SmtpUnavailableError, startBackend } from './index.ts';
import { MAIL_FLAGS, MAIL_USAGE, mailFromFlags } from './mail/mail-flags.ts';
import { SMTP_FLAGS, SMTP_USAGE, smtpFromFlags } from './mail/smtp-flags.ts';

const USAGE = `Usage: npm run backend -- --data-dir <dir> [options]
  --port <n>                 0 (default) picks a free port on 127.0.0.1
  --seed demo|large:<n>|none users for an empty database (default demo)
  --public-url <url>         where recovery links point (default: this server's URL)
  --rules <file.json>        password and passcode rules
  --test-hashing             cheap hashing, for test suites only
  --hash-threads <n>         hashing threads (default: one per core)
  --stop-grace <seconds>     on SIGTERM or Ctrl+C, how long the requests in flight may take to
                             finish before they are cut (default 10; 0 cuts them at once)
  --trust-proxy <a[,b]>      reverse proxies (addresses or networks, e.g. 127.0.0.1 or 10.0.0.0/8)
                             whose X-Forwarded-For names the client, for the limits per client
  --no-reset-notices         do not email users when an administrator resets their secrets
  --admin-tokens <file>      named admin tokens (made with "token add"); changes apply at once
  --admin-token-file <file>  the unnamed admin token ("admin"): the file's first line, the file
                             readable by its owner only (e.g. a systemd LoadCredential= file)
${SMTP_USAGE}
${MAIL_USAGE}
Environment: PASSDESK_ADMIN_TOKEN, the unnamed admin token (instead of --admin-token-file);
             PASSDESK_SMTP_PASSWORD.
Without --admin-tokens, --admin-token-file or PASSDESK_ADMIN_TOKEN, each start makes a new admin
token, and clients holding the old one are refused.

${TOKEN_USAGE}
${BACKUP_USAGE}`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

// `token add|remove|list …` manages the named admin tokens file and starts no server.
if (process.argv[2] === 'token') process.exit(runTokenCommand(process.argv.slice(3)));
// `backup --data-dir <dir> --to <file>` copies the database, even while a server runs on it.
if (process.argv[2] === 'backup') process.exit(await runBackupCommand(process.argv.slice(3)));

function parseFlags() {
  try {
    return parseArgs({
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string', default: '0' },
        seed: { type: 'string', default: 'demo' },
        'public-url': { type: 'string' },
        ...SMTP_FLAGS,
        ...MAIL_FLAGS,
        rules: { type: 'string' },
        'test-hashing': { type: 'boolean', default: false },
        'hash-threads': { type: 'string' },
        'stop-grace': { type: 'string', default: '10' },
        'trust-proxy': { type: 'string' },
        'no-reset-notices': { type: 'boolean', default: false },
        'admin-tokens': { type: 'string' },
        'admin-token-file': { type: 'string' },
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
const mail = mailFromFlags(values);
if (!mail.ok) fail(mail.message);
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

const stopGrace = Number(values['stop-grace']);
if (!/^\d+$/u.test(values['stop-grace']) || stopGrace > 600)
  fail(`--stop-grace must be 0-600 seconds, not "${values['stop-grace']}"`);

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

const adminTokensFile = values['admin-tokens'];
if (adminTokensFile === '') fail('--admin-tokens: name the file');
const adminTokenFile = values['admin-token-file'];
const adminTokenFromEnv = process.env.PASSDESK_ADMIN_TOKEN;
// Read once; not handed on to anything this process starts.
delete process.env.PASSDESK_ADMIN_TOKEN;
if (adminTokenFile !== undefined && adminTokenFromEnv !== undefined)
  fail('Give the unnamed admin token once: PASSDESK_ADMIN_TOKEN or --admin-token-file, not both');
const singleToken =
  adminTokenFile !== undefined
    ? readSingleTokenFile(adminTokenFile)
    : adminTokenFromEnv !== undefined
      ? checkSingleToken(adminTokenFromEnv, 'PASSDESK_ADMIN_TOKEN')
      : null;
if (singleToken?.ok === false) fail(singleToken.message);
const adminToken = singleToken?.token;

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
    ...(mail.mailFrom === undefined ? {} : { mailFrom: mail.mailFrom }),
    ...(mail.orgName === undefined ? {} : { orgName: mail.orgName }),
    hashCost: values['test-hashing'] ? 'test' : 'production',
    ...(adminToken === undefined ? {} : { adminToken }),
    ...(adminTokensFile === undefined ? {} : { adminTokensFile: path.resolve(adminTokensFile) }),
    ...(hashThreads === undefined ? {} : { hashThreads }),
    shutdownGraceMs: stopGrace * 1000,
    ...(trustProxy.length === 0 ? {} : { trustProxy }),
    notifyOnAdminReset: !values['no-reset-notices'],
    ...(rules === undefined ? {} : { rules }),
    logger: createLogger({
      sink: (line) => appendFileSync(logFile, `${line}\n`, { mode: 0o600 }),
    }),
  });
} catch (error) {
  if (!(error instanceof SmtpUnavailableError) && !(error instanceof AdminTokensError)) throw error;
  console.error(
    `PassDesk backend did not start: ${error instanceof AdminTokensError ? '--admin-tokens: ' : ''}${error.message}`,
  );
  process.exit(1);
}
console.log(`PassDesk backend ready in ${Date.now() - started} ms`);
console.log(`URL:         ${backend.url}`);
if (adminTokensFile !== undefined)
  console.log(`Admin tokens: those named in ${path.resolve(adminTokensFile)} ("token list")`);
if (adminTokenFile !== undefined)
  console.log(`Admin token: "admin", the one in ${path.resolve(adminTokenFile)}`);
else if (adminTokenFromEnv !== undefined)
  console.log('Admin token: "admin", the one in PASSDESK_ADMIN_TOKEN');
else if (adminTokensFile === undefined)
  console.log(
    `Admin token: ${backend.adminToken} (a new one each start: --help says how to keep one)`,
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
    // A second signal finds no handler left and ends the process at once.
    console.log(
      `Stopping: requests in flight get up to ${stopGrace} s (${signal} again stops now)`,
    );
    void backend.close().then(() => process.exit(0));
  });
}
