import { z } from 'zod';

/**
 * PassDesk's settings: what is stored (versioned, migrated, validated on every read and write
 * by the main process), and the view of them the renderer gets. The API token is never part of
 * either; the main process keeps it apart, encrypted (see credentials-service.ts).
 */

export const OperatorName = z
  .string()
  .max(100)
  .regex(/^[^\p{Cc}]*$/u, 'may not contain control characters');

export const BackendKind = z.enum(['built-in', 'remote']);
export type BackendKind = z.infer<typeof BackendKind>;

export const REQUEST_TIMEOUT_SECONDS = { min: 5, max: 600, default: 30 } as const;
export const CONCURRENT_REQUESTS = { min: 1, max: 8, default: 4 } as const;

/** How PassDesk talks to a remote backend. Kept while the built-in one is chosen. */
export const RemoteBackendSettings = z.strictObject({
  /** The base URL, without `/api/v1`; empty until one is given. */
  url: z.string().max(2048),
  /**
   * Longest wait for one answer. A bulk request's wait follows its size, from this up to 10
   * minutes.
   */
  timeoutSeconds: z.int().min(REQUEST_TIMEOUT_SECONDS.min).max(REQUEST_TIMEOUT_SECONDS.max),
  /** Most requests a job has in flight at once. */
  maxConcurrentRequests: z.int().min(CONCURRENT_REQUESTS.min).max(CONCURRENT_REQUESTS.max),
});
export type RemoteBackendSettings = z.infer<typeof RemoteBackendSettings>;

export const SETTINGS_VERSION = 2;

/** The stored shape, version 2. */
export const StoredSettings = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  /** The name audit records give the operator; empty means the computer's user name. */
  operatorName: OperatorName,
  backend: BackendKind,
  remote: RemoteBackendSettings,
});
export type StoredSettings = z.infer<typeof StoredSettings>;

export const DEFAULT_REMOTE: RemoteBackendSettings = {
  url: '',
  timeoutSeconds: REQUEST_TIMEOUT_SECONDS.default,
  maxConcurrentRequests: CONCURRENT_REQUESTS.default,
};

export const DEFAULT_SETTINGS: StoredSettings = {
  version: SETTINGS_VERSION,
  operatorName: '',
  backend: 'built-in',
  remote: DEFAULT_REMOTE,
};

type Migration = (old: Record<string, unknown>) => Record<string, unknown>;

/** Numbered migrations: index n turns version n into version n + 1. Never edit a released one. */
export const SETTINGS_MIGRATIONS: readonly Migration[] = [
  // 0 → 1: the first stored settings (nothing, or a bare object).
  (old) => ({
    version: 1,
    operatorName: typeof old.operatorName === 'string' ? old.operatorName : '',
  }),
  // 1 → 2: a backend can be chosen; everyone had the built-in one until now.
  (old) => ({ ...old, version: 2, backend: 'built-in', remote: DEFAULT_REMOTE }),
];

/**
 * Brings stored settings of any earlier version up to this one. Settings that cannot be read
 * give the defaults, with the reason (the caller logs it; nothing stored is overwritten
 * silently).
 */
export function migrateSettings(raw: unknown): {
  settings: StoredSettings;
  problem: string | null;
} {
  if (raw === undefined || raw === null) return { settings: DEFAULT_SETTINGS, problem: null };
  let value: Record<string, unknown> =
    typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : {};
  const from =
    typeof value.version === 'number' && Number.isInteger(value.version) ? value.version : 0;
  if (from > SETTINGS_VERSION)
    return {
      settings: DEFAULT_SETTINGS,
      problem: `the settings were written by a newer PassDesk (version ${from})`,
    };
  for (let version = from; version < SETTINGS_MIGRATIONS.length; version += 1) {
    value = SETTINGS_MIGRATIONS[version]?.(value) ?? value;
  }
  const parsed = StoredSettings.safeParse(value);
  if (parsed.success) return { settings: parsed.data, problem: null };
  return {
    settings: DEFAULT_SETTINGS,
    problem: `the stored settings are not valid (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`,
  };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why this is not a backend URL PassDesk may use, or null. HTTPS, except to this computer. */
export function checkBackendUrl(url: string): string | null {
  const trimmed = url.trim();
  if (trimmed === '')
    return 'Give the backend’s URL, for example https://provisioning.example.com.';
  if (!URL.canParse(trimmed))
    return `“${trimmed}” is not a URL; give one like https://provisioning.example.com.`;
  const parsed = new URL(trimmed);
  if (parsed.username !== '' || parsed.password !== '')
    return 'Put the API token in its own field, not in the URL.';
  if (parsed.search !== '' || parsed.hash !== '')
    return 'The backend URL cannot have a query (?…) or a fragment (#…).';
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return null;
  if (parsed.protocol === 'http:')
    return 'The backend URL must start with https:// (plain http:// is allowed only to this computer).';
  return `The backend URL must start with https://, not ${parsed.protocol}//.`;
}

/**
 * The one spelling of a backend URL: lower-case scheme and host, no default port, no trailing
 * slash. Journal rows, cached rules and stored tokens are keyed by it. Assumes `checkBackendUrl`.
 */
export function normalizeBackendUrl(url: string): string {
  const parsed = new URL(url.trim());
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/u, '')}`;
}

/** Which backend journal rows, cached rules and tokens belong to: `built-in` or `remote:<url>`. */
export type BackendId = 'built-in' | `remote:${string}`;
export const remoteBackendId = (url: string): BackendId => `remote:${normalizeBackendUrl(url)}`;

/** How the API token of the configured remote backend is kept. Never the token itself. */
export const TokenStatus = z.strictObject({
  set: z.boolean(),
  /** `encrypted`: by the system's keychain, across restarts; `this-run-only`: in memory. */
  kept: z.enum(['encrypted', 'this-run-only']).nullable(),
});
export type TokenStatus = z.infer<typeof TokenStatus>;

/** The settings as the renderer sees them. */
export const SettingsView = z.strictObject({
  operatorName: z.string().max(100),
  /** Who the audit names right now (the operator name, else the computer's user name). */
  effectiveOperator: z.string(),
  backend: BackendKind,
  remote: RemoteBackendSettings,
  /** The API token for `remote.url`. */
  token: TokenStatus,
  /** Whether tokens can be kept encrypted on this computer, and if not, why. */
  tokenStorage: z.strictObject({ encrypted: z.boolean(), why: z.string().nullable() }),
});
export type SettingsView = z.infer<typeof SettingsView>;

/** A change of settings. A field left out stays as it is. */
export const SettingsUpdate = z.strictObject({
  operatorName: z.string().max(100).optional(),
  backend: BackendKind.optional(),
  remote: RemoteBackendSettings.partial().optional(),
  /**
   * The remote backend's API token: a new one, or null to forget it. Sent renderer → main
   * only; no answer or event ever carries it back.
   */
  token: z.string().max(4096).nullable().optional(),
});
export type SettingsUpdate = z.infer<typeof SettingsUpdate>;
