/**
 * The Electronegativity gate (`npm run lint:electron`). Its CLI exits 0 whatever it finds, so
 * this calls its API on a copy of the Electron-facing sources and the built page, and fails on
 * any HIGH finding and on any finding of the checks that must never appear.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  description: string;
  manualReview?: boolean;
}

interface RunResult {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable?: boolean }[];
  issues: Finding[];
}

type Run = (options: Record<string, unknown>, forCli?: boolean) => Promise<RunResult>;

/** Checks whose every finding fails the gate, whatever its severity. */
export const FORBIDDEN_CHECKS = [
  'NODE_INTEGRATION_JS_CHECK',
  'NODE_INTEGRATION_HTML_CHECK',
  'NODE_INTEGRATION_ATTACH_EVENT_JS_CHECK',
  'CONTEXT_ISOLATION_JS_CHECK',
  'SANDBOX_JS_CHECK',
  'WEB_SECURITY_JS_CHECK',
  'WEB_SECURITY_HTML_CHECK',
  'INSECURE_CONTENT_JS_CHECK',
  'INSECURE_CONTENT_HTML_CHECK',
  'LIMIT_NAVIGATION_GLOBAL_CHECK',
  'LIMIT_NAVIGATION_JS_CHECK',
  'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
  'PERMISSION_REQUEST_HANDLER_JS_CHECK',
  'OPEN_EXTERNAL_JS_CHECK',
] as const;

/**
 * CSP findings block when the policy is missing or certainly weak. Two kinds stay notes: the
 * evaluator's "'self' may be problematic if you host JSONP or uploads" (we host neither), and
 * the development server's policy, which is built at run time and cannot be read statically.
 */
function blocksOnCsp(issue: Finding): boolean {
  return issue.id === 'CSP_GLOBAL_CHECK' && issue.confidence.name === 'CERTAIN';
}

/** Checks that would fetch from the internet; nothing here may leave 127.0.0.1. */
const ONLINE_CHECKS = ['availablesecurityfixesglobalcheck'];

/**
 * Electronegativity fetches translations with `got` as it starts; hand it a `got` that fails at
 * once so the gate never touches the network.
 */
function offlineGot(require: NodeJS.Require, entry: string): void {
  const gotPath = createRequire(entry).resolve('got');
  const refuse = (): Promise<never> =>
    Promise.reject(new Error('offline: the gate makes no requests'));
  const stub = Object.assign(refuse, { head: refuse, get: refuse });
  const cached = new Module(gotPath);
  cached.filename = gotPath;
  cached.loaded = true;
  cached.exports = stub;
  require.cache[gotPath] = cached;
}

// `--root <dir>` scans another tree laid out like this one (the gate's own test uses it).
const rootArg = process.argv.indexOf('--root');
const root = path.resolve(
  rootArg > 0 ? (process.argv[rootArg + 1] ?? '.') : path.join(import.meta.dirname, '..'),
);
const builtPage = path.join(root, 'out', 'renderer', 'index.html');

function stage(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'passdesk-electronegativity-'));
  cpSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  cpSync(path.join(root, 'electron'), path.join(dir, 'electron'), { recursive: true });
  mkdirSync(path.join(dir, 'renderer'));
  // The built page carries the production CSP; the source page gets it at build time.
  cpSync(
    existsSync(builtPage) ? builtPage : path.join(root, 'renderer', 'index.html'),
    path.join(dir, 'renderer', 'index.html'),
  );
  return dir;
}

async function main(): Promise<number> {
  if (!existsSync(builtPage)) {
    console.error(
      'lint:electron needs the built page (out/renderer/index.html): run "npm run build" first.',
    );
    return 1;
  }
  const require = createRequire(import.meta.url);
  offlineGot(require, require.resolve('@doyensec/electronegativity'));
  const run = require('@doyensec/electronegativity') as Run;
  const input = stage();
  try {
    const result = await run({
      input,
      output: undefined,
      isSarif: false,
      customScan: [],
      excludeFromScan: ONLINE_CHECKS,
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: true,
      isVerbose: false,
      electronUpgrade: undefined,
      parserPlugins: [],
    });
    const forbidden = new Set<string>(FORBIDDEN_CHECKS);
    const blocking = result.issues.filter(
      (i) => i.severity.name === 'HIGH' || forbidden.has(i.id) || blocksOnCsp(i),
    );
    const parseErrors = result.errors.filter((e) => e.tolerable !== true);
    console.log(
      `Electronegativity: ${result.globalChecks + result.atomicChecks} checks, ` +
        `${result.issues.length} findings, ${blocking.length} blocking, ${parseErrors.length} unparsed files`,
    );
    for (const issue of result.issues) {
      const mark = blocking.includes(issue) ? 'BLOCK' : 'note ';
      console.log(
        `  ${mark} ${issue.id} [${issue.severity.name}/${issue.confidence.name}] ${issue.file}:${issue.location.line}`,
      );
    }
    for (const error of parseErrors) console.log(`  UNPARSED ${error.file}: ${error.message}`);
    return blocking.length === 0 && parseErrors.length === 0 ? 0 : 1;
  } finally {
    rmSync(input, { recursive: true, force: true });
  }
}

process.exitCode = await main();
