import type { License, Location, User } from '../../shared/api/index.ts';
import {
  fail,
  ok,
  type InputOf,
  type JobSummary,
  type Failure,
  type JobUserResult,
  type LastAction,
  type OutboxMessageView,
  type OutputOf,
  type PassdeskApi,
  type PayloadOf,
  type Result,
  type Settings,
} from '../../shared/ipc/index.ts';
import { DEFAULT_RULES, type RuleSets } from '../../shared/rules/index.ts';

type Listener<E extends 'onRulesChanged' | 'onJobUpdate'> = (payload: PayloadOf<E>) => void;

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
  settings: Settings = { operatorName: '', effectiveOperator: 'tester' };
  /** Every call, by method name, with its input. */
  readonly calls: { method: string; input: unknown }[] = [];
  /** Set to make the next listUsers calls fail. */
  failUsersAfterPages: number | null = null;
  /** Set to leave listUsers calls after this many pages unanswered (a slow load). */
  holdUsersAfterPages: number | null = null;
  pageSize = 5;
  private readonly listeners = {
    onRulesChanged: new Set<Listener<'onRulesChanged'>>(),
    onJobUpdate: new Set<Listener<'onJobUpdate'>>(),
  };

  private log(method: string, input?: unknown): void {
    this.calls.push({ method, input });
  }

  getAppInfo = () => {
    this.log('getAppInfo');
    return Promise.resolve(
      ok({
        name: 'PassDesk',
        version: '9.8.7',
        backend: { kind: 'built-in' as const, url: 'http://127.0.0.1:1234' },
      }),
    );
  };

  getRules = () => {
    this.log('getRules');
    return Promise.resolve(ok(this.rules));
  };

  listLocations = () => {
    this.log('listLocations');
    return Promise.resolve(ok(this.locations));
  };

  listUsers = (input: InputOf<'listUsers'>) => {
    this.log('listUsers', input);
    const pagesServed = this.calls.filter((c) => c.method === 'listUsers').length - 1;
    if (this.failUsersAfterPages !== null && pagesServed >= this.failUsersAfterPages) {
      return Promise.resolve(
        fail('backend-unavailable', 'The provisioning backend cannot be reached.'),
      );
    }
    if (this.holdUsersAfterPages !== null && pagesServed >= this.holdUsersAfterPages) {
      return new Promise<never>(() => undefined);
    }
    const matching = this.users.filter(
      (u) => input.locationId === undefined || u.locationId === input.locationId,
    );
    const start = input.cursor === undefined ? 0 : Number(input.cursor);
    const page = matching.slice(start, start + this.pageSize);
    const next = start + this.pageSize < matching.length ? String(start + this.pageSize) : null;
    // Copies, as IPC gives: the app's cache never shares objects with this fake's data.
    return Promise.resolve(
      ok({ users: structuredClone(page), nextCursor: next, total: matching.length }),
    );
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
    return Promise.resolve(ok({ ...user }));
  };

  listLicenses = () => {
    this.log('listLicenses');
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

  updateSettings = (input: InputOf<'updateSettings'>) => {
    this.log('updateSettings', input);
    this.settings = {
      operatorName: input.operatorName,
      effectiveOperator: input.operatorName || 'tester',
    };
    return Promise.resolve(ok(this.settings));
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

  emitRulesChanged(rules: RuleSets): void {
    this.rules = rules;
    for (const listener of this.listeners.onRulesChanged) listener(rules);
  }

  emitJobUpdate(job: JobSummary): void {
    this.jobs = [job, ...this.jobs.filter((j) => j.id !== job.id)];
    for (const listener of this.listeners.onJobUpdate) listener(job);
  }

  get listenerCount(): number {
    return this.listeners.onRulesChanged.size + this.listeners.onJobUpdate.size;
  }
}

export function installFakeApi(api = new FakeApi()): FakeApi {
  Object.defineProperty(window, 'api', { value: api, configurable: true });
  return api;
}
