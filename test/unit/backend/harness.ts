import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createManualClock, type ManualClock } from '../../../electron/backend/clock.ts';
import { startBackend, type BackendOptions } from '../../../electron/backend/index.ts';
import { createLogger } from '../../../shared/log/index.ts';

export interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
}

export interface TestBackend {
  url: string;
  token: string;
  clock: ManualClock;
  dataDir: string;
  logLines: string[];
  /** An admin request (the admin token unless `headers.Authorization` is given). */
  api(
    method: string,
    pathname: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  /** A request with no admin token. */
  raw(method: string, pathname: string, init?: RequestInit): Promise<Answer>;
  /** Everything the backend wrote to disk, as one string (database, WAL, outbox, logs). */
  everythingOnDisk(): string;
  close(): Promise<void>;
}

export async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** A backend on a free port with cheap hashing, a clock the test moves and a fresh folder. */
export async function startTestBackend(
  options: Partial<BackendOptions> = {},
): Promise<TestBackend> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'passdesk-backend-'));
  const clock = createManualClock();
  const logLines: string[] = [];
  const backend = await startBackend({
    dataDir,
    seed: 'demo',
    hashCost: 'test',
    checkResponses: true,
    clock,
    staticDir: path.resolve(import.meta.dirname, '../../../out/renderer'),
    logger: createLogger({ sink: (line) => logLines.push(line), minLevel: 'debug' }),
    ...options,
  });
  const raw = async (method: string, pathname: string, init: RequestInit = {}) =>
    answerOf(await fetch(`${backend.url}${pathname}`, { ...init, method }));
  return {
    url: backend.url,
    token: backend.adminToken,
    clock,
    dataDir,
    logLines,
    raw,
    api: (method, pathname, body, headers = {}) =>
      raw(method, pathname, {
        headers: {
          Authorization: `Bearer ${backend.adminToken}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    everythingOnDisk: () => readTree(dataDir),
    close: () => backend.close(),
  };
}

function readTree(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? readTree(full) : readFileSync(full).toString('latin1');
    })
    .join('\n');
}

/** The link in the newest recovery email to `address`, read from the outbox API. */
export async function latestLink(backend: TestBackend, address: string): Promise<string> {
  const page = (await backend.api('GET', '/api/v1/outbox')).json as {
    messages: { id: number; to: string; kind: string }[];
  };
  const summary = page.messages.find((m) => m.to === address && m.kind === 'recovery-link');
  if (summary === undefined) throw new Error(`no recovery email to ${address}`);
  const message = (await backend.api('GET', `/api/v1/outbox/${summary.id}`)).json as {
    text: string;
  };
  const link = /https?:\/\/\S+\/reset\/[A-Za-z0-9_-]+/u.exec(message.text)?.[0];
  if (link === undefined) throw new Error('the email has no reset link');
  return link;
}

export const tokenOf = (link: string): string => link.slice(link.lastIndexOf('/') + 1);
