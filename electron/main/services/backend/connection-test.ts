import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { API_VERSION } from '../../../../shared/api/index.ts';
import {
  CONNECTION_CHECKS,
  type ConnectionProblem,
  type ConnectionTestReport,
} from '../../../../shared/ipc/index.ts';
import { checkBackendUrl, normalizeBackendUrl } from '../../../../shared/settings/index.ts';
import { createProvisioningClient, type Delivery } from '../provisioning-client.ts';
import {
  diagnoseAnswer,
  diagnoseApiVersion,
  diagnoseNoAnswer,
  majorOf,
} from './connection-problems.ts';

type CheckId = (typeof CONNECTION_CHECKS)[number];
type Check = ConnectionTestReport['checks'][number];

export interface ConnectionTestDeps {
  /** Resolves a host name, rejecting with the DNS error code; `node:dns/promises` by default. */
  lookup?: (hostname: string) => Promise<unknown>;
}

const CHECK_LABELS: Record<CheckId, string> = {
  address: 'Address',
  reach: 'Reaching the backend',
  api: 'API version',
  token: 'API token',
  rules: 'Rules',
};

/** The first check that failed: which, why in words, and the technical particulars. */
interface Failure {
  id: CheckId;
  problem: ConnectionProblem;
  message: string;
  detail: string;
}

/** What the checks learnt on the way, whether or not they all passed. */
interface Findings {
  passed: Map<CheckId, string>;
  backendVersion: string | null;
  apiVersion: string | null;
  latencyMs: number | null;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** Longest backend-supplied text (a version) put into a report. */
const MAX_QUOTED = 100;
/** Shorter tokens are not scrubbed from the report's words: they would mangle them. */
const MIN_SCRUBBED_TOKEN = 6;

const clip = (text: string): string =>
  text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 1)}…` : text;

/**
 * "Test connection" for a remote backend (or any URL typed in the settings form): checks the
 * address, that the host resolves and answers, that it speaks this PassDesk API version, that it
 * takes the API token, and that its rules fit. Stops at the first check that fails and says
 * what to do. Uses a client of its own (no retries, the given timeout), so it neither waits on
 * nor disturbs the backend in use. Never throws; the token appears in no field of the report.
 */
export async function testConnection(
  input: { url: string; token: string | null; timeoutMs: number },
  deps: ConnectionTestDeps = {},
): Promise<ConnectionTestReport> {
  const findings: Findings = {
    passed: new Map(),
    backendVersion: null,
    apiVersion: null,
    latencyMs: null,
  };
  let failure: Failure | null;
  try {
    failure = await runChecks(input, deps, findings);
  } catch (error) {
    // A bug: still an answer the form can show, naming the check it stopped at.
    failure = {
      id: CONNECTION_CHECKS.find((id) => !findings.passed.has(id)) ?? 'rules',
      problem: 'network',
      message: `The connection test stopped on an unexpected error (${errorText(error)}). Try again; if it happens again, report it with the PassDesk log.`,
      detail: errorText(error),
    };
  }
  return withoutSecret(reportOf(findings, failure), input.token);
}

async function runChecks(
  input: { url: string; token: string | null; timeoutMs: number },
  deps: ConnectionTestDeps,
  findings: Findings,
): Promise<Failure | null> {
  const timeoutMs =
    Number.isFinite(input.timeoutMs) && input.timeoutMs > 0 ? input.timeoutMs : DEFAULT_TIMEOUT_MS;

  // address
  const urlProblem = checkBackendUrl(input.url);
  if (urlProblem !== null)
    return { id: 'address', problem: 'invalid-url', message: urlProblem, detail: urlProblem };
  const url = normalizeBackendUrl(input.url);
  findings.passed.set('address', url);

  // reach: the name first, so an unknown host is called that whatever the HTTP stack says.
  const hostname = new URL(url).hostname;
  if (needsLookup(hostname)) {
    const unresolved = await resolveName(url, hostname, deps.lookup ?? dnsLookup, timeoutMs);
    if (unresolved !== null) return unresolved;
  }
  // The health route is open: the token is not sent to a server not yet known to be PassDesk's.
  const open = createProvisioningClient(
    { kind: 'remote', url, token: () => Promise.resolve(null) },
    { retries: 0, timeoutMs },
  );
  const started = performance.now();
  const health = await open.send('health');
  const roundTrip = Math.round(performance.now() - started);
  if (health.delivery.status === undefined)
    return noAnswer('reach', url, health.delivery, timeoutMs);
  findings.latencyMs = roundTrip;
  findings.passed.set('reach', `Answered in ${roundTrip} ms`);

  // api
  if (!health.result.ok) return badAnswer('api', url, health.delivery, 'health', health.result);
  const backendVersion = clip(health.result.data.version);
  const apiVersion = clip(health.result.data.apiVersion);
  findings.backendVersion = backendVersion;
  findings.apiVersion = apiVersion;
  if (majorOf(apiVersion) !== majorOf(API_VERSION)) {
    return {
      id: 'api',
      ...diagnoseApiVersion(apiVersion, API_VERSION),
      detail: `The backend speaks API ${apiVersion}; PassDesk speaks ${API_VERSION}.`,
    };
  }
  findings.passed.set('api', `PassDesk API ${apiVersion}, backend ${backendVersion}`);

  // token
  const token = input.token?.trim() ?? '';
  if (token === '')
    return {
      id: 'token',
      problem: 'no-token',
      message:
        'The backend answers, but no API token was given: enter the token its administrator gave you, then test again.',
      detail: 'No API token was given.',
    };
  if (!/^[\x21-\x7e]+$/u.test(token))
    return {
      id: 'token',
      problem: 'no-token',
      message:
        'The API token holds spaces or characters no API token has: paste it again, exactly as it was given, then test again.',
      detail: 'The API token is not printable ASCII without spaces.',
    };
  const admin = createProvisioningClient({ kind: 'remote', url, token }, { retries: 0, timeoutMs });
  const rules = await admin.send('rules');
  if (rules.delivery.status === undefined) return noAnswer('token', url, rules.delivery, timeoutMs);
  // A 2xx answer, even one that does not fit, means the token was taken.
  if (!rules.result.ok && rules.delivery.malformed !== true)
    return badAnswer('token', url, rules.delivery, 'admin', rules.result);
  findings.passed.set('token', 'Accepted');

  // rules
  if (!rules.result.ok) return badAnswer('rules', url, rules.delivery, 'admin', rules.result);
  findings.passed.set('rules', 'The password and passcode rules fit PassDesk');
  return null;
}

/** IP literals and this computer need no name lookup. */
function needsLookup(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/gu, '');
  return isIP(bare) === 0 && bare.toLowerCase() !== 'localhost';
}

/** Any failure to resolve the name is a DNS problem, with the lookup's own code as detail. */
async function resolveName(
  url: string,
  hostname: string,
  lookup: (hostname: string) => Promise<unknown>,
  timeoutMs: number,
): Promise<Failure | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      resolve('late');
    }, timeoutMs);
  });
  try {
    const outcome = await Promise.race([
      Promise.resolve()
        .then(() => lookup(hostname))
        .then(() => 'resolved' as const),
      late,
    ]);
    if (outcome === 'resolved') return null;
    return {
      id: 'reach',
      problem: 'dns',
      message: diagnoseNoAnswer(url, 'EAI_AGAIN', timeoutMs).message,
      detail: `The name lookup of ${hostname} did not finish within ${timeoutMs} ms.`,
    };
  } catch (error) {
    const code = errorCodeOf(error);
    const diagnosis = diagnoseNoAnswer(url, code, timeoutMs);
    return {
      id: 'reach',
      problem: 'dns',
      message:
        diagnosis.problem === 'dns'
          ? diagnosis.message
          : diagnoseNoAnswer(url, 'EAI_FAIL', timeoutMs).message,
      detail: `The name lookup of ${hostname} failed (${code ?? errorText(error)}).`,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** A request that got no answer: refused, TLS, timeout or another network error. */
function noAnswer(id: CheckId, url: string, delivery: Delivery, timeoutMs: number): Failure {
  const diagnosis = diagnoseNoAnswer(url, delivery.errorCode, timeoutMs);
  return {
    id,
    ...diagnosis,
    detail:
      diagnosis.problem === 'timeout'
        ? `No answer within ${timeoutMs} ms (${delivery.errorCode ?? 'timeout'}).`
        : `The request failed without an answer (${delivery.errorCode ?? 'no error code'}).`,
  };
}

/** An answer PassDesk cannot use: an HTTP error, or one that does not fit the API. */
function badAnswer(
  id: CheckId,
  url: string,
  delivery: Delivery,
  what: 'health' | 'admin',
  failure: { message: string },
): Failure {
  const mismatch = delivery.malformed === true ? mismatchOf(failure.message) : '';
  const where = what === 'health' ? 'health' : 'rules';
  return {
    id,
    ...diagnoseAnswer(url, delivery, what, mismatch === '' ? '' : `${where}: ${mismatch}`),
    detail: `HTTP ${delivery.status ?? 0}${delivery.malformed === true ? `, ${misfit(mismatch)}` : ''}.`,
  };
}

const misfit = (mismatch: string): string =>
  mismatch === 'not JSON'
    ? 'with text that is not JSON'
    : `with JSON that does not fit the PassDesk API${mismatch === '' ? '' : ` (${mismatch})`}`;

/**
 * Which field of an answer does not fit, from the client's failure message ("… with text that
 * is not JSON" or "… with JSON that does not fit the PassDesk API (<issue> at <field>).").
 */
function mismatchOf(message: string): string {
  if (message.includes('text that is not JSON')) return 'not JSON';
  const marker = 'does not fit the PassDesk API (';
  const start = message.indexOf(marker);
  const end = message.lastIndexOf(')');
  return start === -1 || end < start ? '' : message.slice(start + marker.length, end);
}

function reportOf(findings: Findings, failure: Failure | null): ConnectionTestReport {
  const checks = CONNECTION_CHECKS.map((id): Check => {
    const label = CHECK_LABELS[id];
    const passed = findings.passed.get(id);
    if (passed !== undefined && failure?.id !== id)
      return { id, label, status: 'passed', detail: passed };
    if (failure?.id === id) return { id, label, status: 'failed', detail: failure.detail };
    return { id, label, status: 'skipped', detail: 'Not checked: an earlier check failed.' };
  });
  const base = {
    checks,
    backendVersion: findings.backendVersion,
    apiVersion: findings.apiVersion,
    latencyMs: findings.latencyMs,
  };
  if (failure !== null)
    return { ok: false, problem: failure.problem, message: failure.message, ...base };
  return {
    ok: true,
    problem: null,
    message: `Connected to ${findings.passed.get('address') ?? ''} — PassDesk API ${findings.apiVersion ?? ''}, backend ${findings.backendVersion ?? ''}, answered in ${findings.latencyMs ?? 0} ms.`,
    ...base,
  };
}

/** Defence in depth: whatever a backend or an error echoed, the token never leaves here. */
function withoutSecret(report: ConnectionTestReport, token: string | null): ConnectionTestReport {
  const secret = token?.trim() ?? '';
  if (secret.length < MIN_SCRUBBED_TOKEN) return report;
  const scrub = (text: string): string => text.split(secret).join('[API token]');
  const scrubOrNull = (text: string | null): string | null => (text === null ? null : scrub(text));
  return {
    ...report,
    message: scrub(report.message),
    checks: report.checks.map((check) => ({ ...check, detail: scrub(check.detail) })),
    backendVersion: scrubOrNull(report.backendVersion),
    apiVersion: scrubOrNull(report.apiVersion),
  };
}

function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
