// Generated from shared/ipc/contract.ts by `npm run gen:ipc-channels`; do not edit.
/**
 * The channel of each `window.api` method, without the contract's schemas: the sandboxed
 * preload imports only this (and types), so it carries no zod. The main process still parses
 * every call with the contract's schemas. The types prove each entry is the contract's own;
 * test/unit/ipc/channels.test.ts proves the file is up to date.
 */
import type { EventContract, InvokeContract } from './contract.ts';

/** Renderer → main operations: method name → channel, in contract order. */
export const INVOKE_CHANNELS = {
  getAppInfo: 'app:info',
  takeNotices: 'app:notices',
  getRules: 'rules:get',
  listLocations: 'users:locations',
  loadUsers: 'users:load',
  reloadUsers: 'users:reload',
  usersBlock: 'users:block',
  viewIds: 'users:view-ids',
  usersByIds: 'users:by-ids',
  selectionSummary: 'users:selection-summary',
  updateUser: 'users:update',
  listLicenses: 'users:licenses',
  startJob: 'jobs:start',
  checkJobAgain: 'jobs:check-again',
  cancelJob: 'jobs:cancel',
  listJobs: 'jobs:list',
  jobResults: 'jobs:results',
  lastActions: 'jobs:last-actions',
  exportJobCsv: 'jobs:export-csv',
  listOutbox: 'outbox:list',
  getOutboxMessage: 'outbox:message',
  openOutboxLink: 'outbox:open-link',
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  testConnection: 'settings:test-connection',
  getConnection: 'backend:connection',
} as const satisfies { readonly [M in keyof InvokeContract]: InvokeContract[M]['channel'] };

/** Main → renderer events: subscribe method name → channel, in contract order. */
export const EVENT_CHANNELS = {
  onRulesChanged: 'rules:changed',
  onJobUpdate: 'jobs:update',
  onConnectionChanged: 'backend:connection-changed',
  onBackendChanged: 'backend:changed',
  onNotice: 'app:notice',
  onUsersChanged: 'users:changed',
} as const satisfies { readonly [E in keyof EventContract]: EventContract[E]['channel'] };
