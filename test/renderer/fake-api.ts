import { API_VERSION, type License, type Location, type User } from '../../shared/api/index.ts';
import {
  fail,
  ok,
  type AppInfo,
  type ConnectionStatus,
  type ConnectionTestReport,
  type InputOf,
  type JobSummary,
  type Failure,
  type JobUserResult,
  type LastAction,
  type Notice,
  type OutboxMessageView,
  type OutputOf,
  type PassdeskApi,
  type PayloadOf,
  type Result,
  type Settings,
} from '../../shared/ipc/index.ts';
import { DEFAULT_RULES, type RuleSets } from '../../shared/rules/index.ts';
import { followJobs } from '../../electron/main/services/users-table/job-outcomes.ts';
import { createTableNames } from '../../electron/main/services/users-table/table-names.ts';
import {
  createUsersTable,
  type UsersTable,
} from '../../electron/main/services/users-table/users-table.ts';

type EventName =
  | 'onRulesChanged'
  | 'onJobUpdate'
  | 'onConnectionChanged'
  | 'onBackendChanged'
  | 'onNotice'
  | 'onUsersChanged';
type Listener<E extends EventName> = (payload: PayloadOf<E>) => void;

/** The settings of a fresh install: the built-in backend, no remote one, tokens encrypted. */
export function defaultSettings(): Settings {
  return {
    operatorName: '',
    effectiveOperator: 'tester',
    backend: 'built-in',
    remote: { url: '', timeoutSeconds: 30, maxConcurrentRequests: 4 },
    token: { set: false, kept: null },
    tokenStorage: { encrypted: true, why: null },
  };
}

/** A Test connection report that passed every check. */
export function passedReport(url = 'https://pbx.example.com'): ConnectionTestReport {
  return {
    ok: true,
    problem: null,
    message: `Connected to ${url} — PassDesk API 1.0, backend 2.3.4, answered in 41 ms.`,
    checks: [
      { id: 'address', label: 'Address', status: 'passed', detail: url },
      { id: 'reach', label: 'Reaching the backend', status: 'passed', detail: 'Answered in 41 ms' },
      {
        id: 'api',
        label: 'API version',
        status: 'passed',
        detail: 'PassDesk API 1.0, backend 2.3.4',
      },
      { id: 'token', label: 'API token', status: 'passed', detail: 'Accepted' },
      {
        id: 'rules',
        label: 'Rules',
        status: 'passed',
        detail: 'The password and passcode rules fit PassDesk',
      },
    ],
    backendVersion: '2.3.4',
    apiVersion: '1.0',
    latencyMs: 41,
  };
}

export function makeUsers(count: number, locationId = 'loc-a'): User[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${locationId === 'loc-a' ? '11635' : '4845880834'}-${String(i + 1).padStart(3, '0')}`,
    firstName: ['Alicia', 'Ben', 'Carmen', 'Dev'][i % 4] ?? 'Alex',
    lastName: ['Hudachek', 'Smith', 'Okafor', 'Nguyen'][i % 4] ?? 'Kim',
    phoneNumber: `+1 484 588 ${String(1000 + i)}`,
    extension: String(100 + i),
    email: i % 6 === 5 ? null : `user${i + 1}@example.com`,
    locationId,
    intercepted: i % 50 === 7,
    licenses: ['uc-one'],
  }));
}

/** A typed stand-in for `window.api` whose data, answers and events a test controls. */
export class FakeApi implements PassdeskApi {
  rules: RuleSets = DEFAULT_RULES;
  users: User[] = [...makeUsers(8, 'loc-a'), ...makeUsers(4, 'loc-b')];
  locations: Location[] = [
    { id: 'loc-a', name: 'Branch 11635', userCount: 8 },
    { id: 'loc-b', name: 'Philadelphia HQ', userCount: 4 },
  ];
  jobs: JobSummary[] = [];
  jobResultsById = new Map<string, JobUserResult[]>();
  settings: Settings = defaultSettings();
  appInfo: AppInfo = {
    name: 'PassDesk',
    version: '9.8.7',
    backend: { kind: 'built-in', url: 'http://127.0.0.1:1234' },
  };
  connection: ConnectionStatus = {
    state: 'connected',
    since: '2026-11-27T09:00:00.000Z',
    checkedAt: '2026-11-27T09:00:05.000Z',
    latencyMs: 3,
    message: '',
    backend: { kind: 'built-in', url: 'http://127.0.0.1:1234' },
    apiVersion: API_VERSION,
  };
  /** What testConnection answers; a promise left pending holds the test (a slow backend). */
  testReport: ConnectionTestReport | Promise<ConnectionTestReport> = passedReport();
  /** Set to make the next updateSettings calls refuse with this failure. */
  settingsFailure: Failure | null = null;
  /** Set to hold updateSettings answers until it resolves (a switch of backend under way). */
  holdSettings: Promise<void> | null = null;
  /** Every call, by method name, with its input. */
  readonly calls: { method: string; input: unknown }[] = [];
  /** Set to make main's reads of pages fail after this many pages (the backend went away). */
  failUsersAfterPages: number | null = null;
  /** Set to leave main's reads of pages after this many unanswered (a slow load). */
  holdUsersAfterPages: number | null = null;
  pageSize = 5;
  /** Pages of users main has read from the "backend" (each logged as `readUsersPage`). */
  pagesRead = 0;
  private readonly listeners = {
    onRulesChanged: new Set<Listener<'onRulesChanged'>>(),
    onJobUpdate: new Set<Listener<'onJobUpdate'>>(),
    onConnectionChanged: new Set<Listener<'onConnectionChanged'>>(),
    onBackendChanged: new Set<Listener<'onBackendChanged'>>(),
    onNotice: new Set<Listener<'onNotice'>>(),
    onUsersChanged: new Set<Listener<'onUsersChanged'>>(),
  };
  /** What takeNotices answers (once: it empties). */
  missedNotices: Notice[] = [];

  private log(method: string, input?: unknown): void {
    this.calls.push({ method, input });
  }

  getAppInfo = () => {
    this.log('getAppInfo');
    return Promise.resolve(ok(structuredClone(this.appInfo)));
  };

  takeNotices = () => {
    this.log('takeNotices');
    const missed = this.missedNotices;
    this.missedNotices = [];
    return Promise.resolve(ok(missed));
  };

  onNotice = (listener: Listener<'onNotice'>) => {
    this.listeners.onNotice.add(listener);
    return () => {
      this.listeners.onNotice.delete(listener);
    };
  };

  emitNotice(notice: Notice): void {
    for (const listener of this.listeners.onNotice) listener(notice);
  }

  getRules = () => {
    this.log('getRules');
    return Promise.resolve(ok(this.rules));
  };

  listLocations = () => {
    this.log('listLocations');
    this.main.names.locationsSeen(this.locations);
    return Promise.resolve(ok(this.locations));
  };

  /** A page as the backend gives it, to main's users table (which keeps it). */
  private readUsersPage(list: string | null, cursor: string | undefined) {
    this.log('readUsersPage', { list, cursor });
    const served = this.pagesRead;
    this.pagesRead += 1;
    if (this.failUsersAfterPages !== null && served >= this.failUsersAfterPages) {
      return Promise.resolve(
        fail('backend-unavailable', 'The provisioning backend cannot be reached.'),
      );
    }
    if (this.holdUsersAfterPages !== null && served >= this.holdUsersAfterPages) {
      return new Promise<never>(() => undefined);
    }
    const matching = this.users.filter((u) => list === null || u.locationId === list);
    const start = cursor === undefined ? 0 : Number(cursor);
    const page = matching.slice(start, start + this.pageSize);
    const next = start + this.pageSize < matching.length ? String(start + this.pageSize) : null;
    // Copies, as the backend's JSON gives: main never shares objects with this fake's data.
    return Promise.resolve(
      ok({ users: structuredClone(page), nextCursor: next, total: matching.length }),
    );
  }

  /** The main process's own users table and what follows it, over this fake's "backend". */
  private main = this.openMain();
  private openMain() {
    const names = createTableNames(() => this.lastActionEntries);
    const table: UsersTable = createUsersTable({
      readPage: (list, cursor) => this.readUsersPage(list, cursor),
      context: names.context,
      onChange: (load) => {
        for (const listener of this.listeners.onUsersChanged) listener(structuredClone(load));
      },
    });
    const follow = followJobs(table, names, (jobId) => this.jobResultsById.get(jobId) ?? null);
    return { table, names, follow };
  }

  loadUsers = (input: InputOf<'loadUsers'>) => {
    this.log('loadUsers', input);
    return Promise.resolve(ok(this.main.table.load(input.list, input.retry)));
  };

  reloadUsers = (input: InputOf<'reloadUsers'>) => {
    this.log('reloadUsers', input);
    return Promise.resolve(ok(this.main.table.reload(input.list)));
  };

  /** Set to hold usersBlock answers (made when asked) until it resolves: answers in flight. */
  holdUsersBlock: Promise<void> | null = null;
  usersBlock = async (input: InputOf<'usersBlock'>) => {
    this.log('usersBlock', input);
    // Copies, as IPC gives: the window never shares objects with main.
    const answer = ok(structuredClone(this.main.table.block(input.view, input.start, input.end)));
    if (this.holdUsersBlock !== null) await this.holdUsersBlock;
    return answer;
  };

  viewIds = (input: InputOf<'viewIds'>) => {
    this.log('viewIds', input);
    return Promise.resolve(ok(structuredClone(this.main.table.ids(input))));
  };

  /** Set to hold usersByIds and selectionSummary answers until it resolves (a very large selection). */
  holdUsersByIds: Promise<void> | null = null;
  usersByIds = async (input: InputOf<'usersByIds'>) => {
    this.log('usersByIds', input);
    if (this.holdUsersByIds !== null) await this.holdUsersByIds;
    return ok({ users: structuredClone(this.main.table.byIds(input.userIds)) });
  };

  /** Set to have selectionSummary fail with this message. */
  failSelectionSummary: string | null = null;
  selectionSummary = async (input: InputOf<'selectionSummary'>) => {
    this.log('selectionSummary', input);
    if (this.holdUsersByIds !== null) await this.holdUsersByIds;
    if (this.failSelectionSummary !== null) return fail('internal', this.failSelectionSummary);
    return ok(structuredClone(this.main.table.summary(input.userIds)));
  };

  onUsersChanged = (listener: Listener<'onUsersChanged'>) => {
    this.listeners.onUsersChanged.add(listener);
    return () => {
      this.listeners.onUsersChanged.delete(listener);
    };
  };

  licenses: License[] = [
    { id: 'uc-one', name: 'UC One', total: 20, assigned: 12 },
    { id: 'webex', name: 'Webex', total: 10, assigned: 10 },
  ];
  /** Set to make updateUser refuse with this message. */
  refuseUpdate: string | null = null;

  updateUser = (input: InputOf<'updateUser'>): Promise<Result<User>> => {
    this.log('updateUser', input);
    if (this.refuseUpdate !== null)
      return Promise.resolve(fail('backend-error', this.refuseUpdate));
    const user = this.users.find((u) => u.id === input.userId);
    if (user === undefined) return Promise.resolve(fail('not-found', 'No such user.'));
    user.email = input.email;
    // Main puts the answer into its loaded lists, as the real handler does.
    this.main.table.patch([user.id], () => ({ ...user }));
    return Promise.resolve(ok({ ...user }));
  };

  listLicenses = () => {
    this.log('listLicenses');
    this.main.names.licensesSeen(this.licenses);
    return Promise.resolve(ok(this.licenses));
  };

  startJob = (input: InputOf<'startJob'>): Promise<Result<{ jobId: string }>> => {
    this.log('startJob', input);
    return Promise.resolve(ok({ jobId: `job-${this.calls.length}` }));
  };

  lastActionEntries: LastAction[] = [];
  lastActions = (input: InputOf<'lastActions'>) => {
    this.log('lastActions', input);
    return Promise.resolve(ok({ entries: this.lastActionEntries, asOf: new Date().toISOString() }));
  };

  cancelJob = (input: InputOf<'cancelJob'>): Promise<Result<{ cancelled: boolean }>> => {
    this.log('cancelJob', input);
    return Promise.resolve(ok({ cancelled: true }));
  };

  checkJobAgain = (input: InputOf<'checkJobAgain'>) => {
    this.log('checkJobAgain', input);
    return Promise.resolve(ok({ checking: true }));
  };

  listJobs = () => {
    this.log('listJobs');
    return Promise.resolve(ok(this.jobs));
  };

  jobResults = (input: InputOf<'jobResults'>) => {
    this.log('jobResults', input);
    const results = this.jobResultsById.get(input.jobId);
    return Promise.resolve(
      results === undefined ? fail('not-found', 'There is no such job.') : ok(results),
    );
  };

  exportJobCsv = (input: InputOf<'exportJobCsv'>) => {
    this.log('exportJobCsv', input);
    return Promise.resolve(
      ok({ fileName: 'passdesk-reset.csv', csv: 'user_id,outcome\r\n11635-001,changed' }),
    );
  };

  /** The outbox, newest first, with each email as `getOutboxMessage` answers it. */
  outbox: OutboxMessageView[] = [];
  outboxPageSize = 100;
  /** Set to make the outbox operations refuse with this failure. */
  outboxFailure: Failure | null = null;
  /** Set to make openOutboxLink refuse with this failure. */
  openLinkFailure: Failure | null = null;

  listOutbox = (input: InputOf<'listOutbox'>): Promise<Result<OutputOf<'listOutbox'>>> => {
    this.log('listOutbox', input);
    if (this.outboxFailure !== null) return Promise.resolve(this.outboxFailure);
    const start = input.cursor === undefined ? 0 : Number(input.cursor);
    const end = start + this.outboxPageSize;
    return Promise.resolve(
      ok({
        messages: this.outbox
          .slice(start, end)
          .map(({ id, kind, to, subject, sentAt, delivery }) => ({
            id,
            kind,
            to,
            subject,
            sentAt,
            delivery,
          })),
        nextCursor: end < this.outbox.length ? String(end) : null,
      }),
    );
  };

  getOutboxMessage = (input: InputOf<'getOutboxMessage'>) => {
    this.log('getOutboxMessage', input);
    if (this.outboxFailure !== null) return Promise.resolve(this.outboxFailure);
    const message = this.outbox.find((m) => m.id === input.id);
    return Promise.resolve(
      message === undefined ? fail('not-found', `Message ${input.id} was not found.`) : ok(message),
    );
  };

  openOutboxLink = (input: InputOf<'openOutboxLink'>) => {
    this.log('openOutboxLink', input);
    const failure = this.outboxFailure ?? this.openLinkFailure;
    return Promise.resolve(failure ?? ok({ opened: true }));
  };

  getSettings = () => {
    this.log('getSettings');
    return Promise.resolve(ok(this.settings));
  };

  updateSettings = async (input: InputOf<'updateSettings'>): Promise<Result<Settings>> => {
    this.log('updateSettings', input);
    if (this.holdSettings !== null) await this.holdSettings;
    if (this.settingsFailure !== null) return this.settingsFailure;
    const remote = { ...this.settings.remote, ...input.remote };
    const operatorName = input.operatorName ?? this.settings.operatorName;
    const token =
      input.token === null
        ? { set: false, kept: null }
        : typeof input.token === 'string'
          ? {
              set: true,
              kept: this.settings.tokenStorage.encrypted ? 'encrypted' : 'this-run-only',
            }
          : this.settings.token;
    this.settings = {
      ...this.settings,
      operatorName,
      effectiveOperator: operatorName || 'tester',
      backend: input.backend ?? this.settings.backend,
      remote,
      token: token as Settings['token'],
    };
    return ok(structuredClone(this.settings));
  };

  testConnection = async (input: InputOf<'testConnection'>) => {
    this.log('testConnection', input);
    return ok(await this.testReport);
  };

  getConnection = () => {
    this.log('getConnection');
    return Promise.resolve(ok(structuredClone(this.connection)));
  };

  onRulesChanged = (listener: Listener<'onRulesChanged'>) => {
    this.listeners.onRulesChanged.add(listener);
    return () => {
      this.listeners.onRulesChanged.delete(listener);
    };
  };

  onJobUpdate = (listener: Listener<'onJobUpdate'>) => {
    this.listeners.onJobUpdate.add(listener);
    return () => {
      this.listeners.onJobUpdate.delete(listener);
    };
  };

  onConnectionChanged = (listener: Listener<'onConnectionChanged'>) => {
    this.listeners.onConnectionChanged.add(listener);
    return () => {
      this.listeners.onConnectionChanged.delete(listener);
    };
  };

  onBackendChanged = (listener: Listener<'onBackendChanged'>) => {
    this.listeners.onBackendChanged.add(listener);
    return () => {
      this.listeners.onBackendChanged.delete(listener);
    };
  };

  emitConnectionChanged(status: ConnectionStatus): void {
    this.connection = status;
    // As main's session does: lists whose read failed go on once the backend answers.
    if (status.state === 'connected' || status.state === 'slow') this.main.table.resume();
    for (const listener of this.listeners.onConnectionChanged) listener(status);
  }

  /** Main switched to another backend (the fake's data are the new one's from now on). */
  emitBackendChanged(info: AppInfo): void {
    this.appInfo = info;
    // A new session: its own users table, read from the new backend.
    this.main.table.close();
    this.main = this.openMain();
    for (const listener of this.listeners.onBackendChanged) listener(info);
  }

  emitRulesChanged(rules: RuleSets): void {
    this.rules = rules;
    for (const listener of this.listeners.onRulesChanged) listener(rules);
  }

  emitJobUpdate(job: JobSummary): void {
    this.jobs = [job, ...this.jobs.filter((j) => j.id !== job.id)];
    // As main's session does: the users table follows the job before the window hears of it.
    this.main.follow(job);
    for (const listener of this.listeners.onJobUpdate) listener(job);
  }

  get listenerCount(): number {
    return Object.values(this.listeners).reduce((sum, set) => sum + set.size, 0);
  }
}

export function installFakeApi(api = new FakeApi()): FakeApi {
  Object.defineProperty(window, 'api', { value: api, configurable: true });
  return api;
}
