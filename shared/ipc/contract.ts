import { z } from 'zod';
import { Email, License, Location, User, UserId } from '../api/schemas.ts';
import { RuleSets } from '../rules/rule-set.ts';
import { SettingsUpdate, SettingsView } from '../settings/settings.ts';
import { ConnectionStatus, ConnectionTestInput, ConnectionTestReport } from './connection.ts';
import { JobSummary, JobUserResult, LastActions, StartJobInput } from './jobs.ts';
import { Notice } from './notices.ts';
import {
  SelectionSummary,
  UsersBlock,
  UsersBlockInput,
  UsersByIds,
  UsersByIdsInput,
  UsersList,
  UsersLoad,
  UsersView,
  ViewIds,
} from './users.ts';
import {
  OpenOutboxLinkResult,
  OutboxList,
  OutboxListInput,
  OutboxMessageRef,
  OutboxMessageView,
} from './outbox.ts';

/** For operations that take no argument. */
export const NoInput = z.undefined();

export const AppInfo = z.strictObject({
  name: z.string(),
  version: z.string(),
  /** Which provisioning backend PassDesk talks to; never its token. */
  backend: z.strictObject({
    kind: z.enum(['built-in', 'remote']),
    url: z.string(),
  }),
});
export type AppInfo = z.infer<typeof AppInfo>;

const JobRef = z.strictObject({ jobId: z.string().min(1).max(64) });

/** The settings as the renderer sees them: never the API token, only whether one is kept. */
export const Settings = SettingsView;
export type Settings = SettingsView;

export interface InvokeSpec {
  /** `domain:action`; the only place a channel string is written. */
  channel: `${string}:${string}`;
  input: z.ZodType;
  output: z.ZodType;
}

export interface EventSpec {
  channel: `${string}:${string}`;
  payload: z.ZodType;
}

/**
 * Renderer → main operations. Each key becomes one method of `window.api`; the main process
 * checks the sender and parses the input with `input` before any handler runs.
 */
export const invokeContract = {
  /** The app's name and version, and which backend is in use. Any renderer of ours may call it. */
  getAppInfo: { channel: 'app:info', input: NoInput, output: AppInfo },
  /**
   * The notices the window missed (those posted while it was not there, as after its renderer
   * died), each given once; later ones come as `onNotice` events.
   */
  takeNotices: { channel: 'app:notices', input: NoInput, output: z.array(Notice).max(50) },
  /** The effective password and passcode rules: the backend's when connected, else defaults. */
  getRules: { channel: 'rules:get', input: NoInput, output: RuleSets },
  /** Locations with their user counts. */
  listLocations: { channel: 'users:locations', input: NoInput, output: z.array(Location) },
  /**
   * Starts reading a list's users from the backend into the main process (if it is not read or
   * being read), or, with `retry`, goes on from the page that failed; answers how far it got.
   * `onUsersChanged` tells each step after.
   */
  loadUsers: {
    channel: 'users:load',
    input: z.strictObject({ list: UsersList, retry: z.boolean() }),
    output: UsersLoad,
  },
  /**
   * Reads a list again from the backend, from its first page (the users read before go); while
   * it is being read, nothing. Answers where the new read is; `onUsersChanged` tells each step.
   */
  reloadUsers: {
    channel: 'users:reload',
    input: z.strictObject({ list: UsersList }),
    output: UsersLoad,
  },
  /** Rows of a view (a list searched and sorted), for the rows the table draws. */
  usersBlock: { channel: 'users:block', input: UsersBlockInput, output: UsersBlock },
  /** The ids of every user a view shows, in its order (Select All, Shift ranges, the selection). */
  viewIds: { channel: 'users:view-ids', input: UsersView, output: ViewIds },
  /** Users by id, as loaded: what a dialog lists of the selection. */
  usersByIds: { channel: 'users:by-ids', input: UsersByIdsInput, output: UsersByIds },
  /** What the dialogs about these users show (emails, intercepts, licenses), made in main. */
  selectionSummary: {
    channel: 'users:selection-summary',
    input: UsersByIdsInput,
    output: SelectionSummary,
  },
  /**
   * Sets or clears one user's email address, and answers the user as the backend now has it.
   * A changed address voids the user's live recovery links (the backend does so).
   */
  updateUser: {
    channel: 'users:update',
    input: z.strictObject({ userId: UserId, email: Email.nullable() }),
    output: User,
  },
  /** License types with their totals and how many of each are assigned. */
  listLicenses: { channel: 'users:licenses', input: NoInput, output: z.array(License) },
  /**
   * Starts a bulk job of any kind for these users. A reset's secrets are checked against the
   * rules here, kept in the main process's memory only while the job runs, and never sent back
   * in any answer or event.
   */
  startJob: {
    channel: 'jobs:start',
    input: StartJobInput,
    output: z.strictObject({ jobId: z.string() }),
  },
  /**
   * Asks the backend again what became of a job's unconfirmed users (in the background; the
   * job's updates tell the outcome). `checking` is false when there is nothing to ask about or
   * the job is busy.
   */
  checkJobAgain: {
    channel: 'jobs:check-again',
    input: JobRef,
    output: z.strictObject({ checking: z.boolean() }),
  },
  /** Stops sending a job's queued batches; batches already sent finish. */
  cancelJob: {
    channel: 'jobs:cancel',
    input: JobRef,
    output: z.strictObject({ cancelled: z.boolean() }),
  },
  /** The newest jobs, including any recovered after the app stopped mid-job. */
  listJobs: { channel: 'jobs:list', input: NoInput, output: z.array(JobSummary) },
  /** Each user's outcome in a job. */
  jobResults: { channel: 'jobs:results', input: JobRef, output: z.array(JobUserResult) },
  /**
   * Each user's latest outcome across all jobs (for the table's "Last action" column): all of
   * them, or, with `since`, those in jobs that changed after it (the answer's `asOf`).
   */
  lastActions: {
    channel: 'jobs:last-actions',
    input: z.strictObject({ since: z.iso.datetime().nullable() }),
    output: LastActions,
  },
  /** A job's results as CSV text (no secrets; spreadsheet formulas neutralised). */
  exportJobCsv: {
    channel: 'jobs:export-csv',
    input: JobRef,
    output: z.strictObject({ fileName: z.string(), csv: z.string() }),
  },
  /**
   * One page of the emails the built-in backend sent, newest first. Refused (`not-found`) when
   * PassDesk uses a remote backend: only the built-in one keeps an outbox.
   */
  listOutbox: { channel: 'outbox:list', input: OutboxListInput, output: OutboxList },
  /**
   * One sent email for display (never its raw .eml), its recovery link's token hidden. Refused
   * with a remote backend, as `listOutbox` is.
   */
  getOutboxMessage: {
    channel: 'outbox:message',
    input: OutboxMessageRef,
    output: OutboxMessageView,
  },
  /**
   * Opens a sent email's Reset link in the system browser. The renderer names the message, never
   * a URL: the main process finds the link in the message itself and opens it only if it points
   * at the built-in backend's own origin. Refused with a remote backend.
   */
  openOutboxLink: {
    channel: 'outbox:open-link',
    input: OutboxMessageRef,
    output: OpenOutboxLinkResult,
  },
  getSettings: { channel: 'settings:get', input: NoInput, output: Settings },
  /**
   * Changes settings; fields left out stay. A new API token is encrypted with the system's
   * keychain and stored only as ciphertext (or kept for this run only, with the reason, where
   * that is not possible). A change of backend switches PassDesk over to it — refused
   * (`conflict`) while a job is running or being checked. Invalid values are refused with what
   * is wrong, and nothing is saved.
   */
  updateSettings: { channel: 'settings:update', input: SettingsUpdate, output: Settings },
  /**
   * Checks a backend before it is saved: the URL, reaching it (DNS, connection, TLS), the API
   * version, the API token and the rules. Says exactly what failed. Changes nothing.
   */
  testConnection: {
    channel: 'settings:test-connection',
    input: ConnectionTestInput,
    output: ConnectionTestReport,
  },
  /** How the backend in use is answering now. */
  getConnection: { channel: 'backend:connection', input: NoInput, output: ConnectionStatus },
} as const satisfies Record<string, InvokeSpec>;

/**
 * Main → renderer events. Each key becomes a subscribe method of `window.api` that returns an
 * unsubscribe function. Payloads are parsed before sending and never carry a secret.
 */
export const eventContract = {
  /** The effective rules changed (for example, fetched from a newly connected backend). */
  onRulesChanged: { channel: 'rules:changed', payload: RuleSets },
  /** A job started, progressed or finished. */
  onJobUpdate: { channel: 'jobs:update', payload: JobSummary },
  /** The backend in use started or stopped answering, slowed down, or refused the token. */
  onConnectionChanged: { channel: 'backend:connection-changed', payload: ConnectionStatus },
  /**
   * PassDesk now talks to another backend: everything shown (users, jobs, rules, outbox) is
   * the new one's, so the renderer reloads it all.
   */
  onBackendChanged: { channel: 'backend:changed', payload: AppInfo },
  /** Something the operator must hear of (see `Notice`). */
  onNotice: { channel: 'app:notice', payload: Notice },
  /** A list of the users table was read further, or its users changed (a job, an edit). */
  onUsersChanged: { channel: 'users:changed', payload: UsersLoad },
} as const satisfies Record<string, EventSpec>;

export type InvokeContract = typeof invokeContract;
export type EventContract = typeof eventContract;
export type InvokeMethod = keyof InvokeContract;
export type EventMethod = keyof EventContract;

export type InputOf<M extends InvokeMethod> = z.infer<InvokeContract[M]['input']>;
export type OutputOf<M extends InvokeMethod> = z.infer<InvokeContract[M]['output']>;
export type PayloadOf<E extends EventMethod> = z.infer<EventContract[E]['payload']>;
