/**
 * The one IPC contract between the renderer and the main process. No channel string is
 * written anywhere else.
 */
export { API_METHODS } from './api.ts';
export type { IpcHandlers, IpcTransport, PassdeskApi } from './api.ts';
export { AppInfo, eventContract, invokeContract, NoInput, Settings } from './contract.ts';
export {
  CHANGED_WORDS,
  JOB_KINDS,
  JOB_OUTCOMES,
  JOB_STATES,
  JobKind,
  JobOutcome,
  JobParams,
  JobState,
  JobSummary,
  JobUserResult,
  LastAction,
  LastActions,
  lastActionText,
  MAX_JOB_USERS,
  OUTCOME_WORDS,
  outcomeWord,
  RETRYABLE_OUTCOMES,
  StartJobInput,
} from './jobs.ts';
export type {
  EventContract,
  EventMethod,
  InputOf,
  InvokeContract,
  InvokeMethod,
  OutputOf,
  PayloadOf,
} from './contract.ts';
export {
  HIDDEN_LINK_TOKEN,
  OpenOutboxLinkResult,
  OutboxList,
  OutboxListInput,
  OutboxMessageRef,
  OutboxMessageView,
} from './outbox.ts';
export { describeZodError, fail, FailureCode, ok } from './result.ts';
export {
  CONNECTION_CHECKS,
  CONNECTION_PROBLEMS,
  CONNECTION_STATES,
  ConnectionProblem,
  ConnectionState,
  ConnectionStatus,
  ConnectionTestInput,
  ConnectionTestReport,
} from './connection.ts';
export type { Failure, Result, Success } from './result.ts';
export { Notice } from './notices.ts';
export {
  MAX_BLOCK_ROWS,
  MAX_VIEW_IDS,
  SelectionSummary,
  SORT_COLUMNS,
  SUMMARY_FIRST,
  SortColumn,
  SortKey,
  UsersBlock,
  UsersBlockInput,
  UsersByIds,
  UsersByIdsInput,
  UsersList,
  UsersLoad,
  UsersView,
  ViewIds,
} from './users.ts';
