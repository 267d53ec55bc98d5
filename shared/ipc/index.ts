/**
 * The one IPC contract between the renderer and the main process. No channel string is
 * written anywhere else.
 */
export { API_METHODS, buildApi } from './api.ts';
export type { IpcHandlers, IpcTransport, PassdeskApi } from './api.ts';
export {
  AppInfo,
  eventContract,
  invokeContract,
  JOB_OUTCOMES,
  JOB_STATES,
  JobOutcome,
  JobState,
  JobSummary,
  JobUserResult,
  MAX_JOB_USERS,
  NoInput,
  OUTCOME_WORDS,
  RETRYABLE_OUTCOMES,
  Settings,
} from './contract.ts';
export type {
  EventContract,
  EventMethod,
  InputOf,
  InvokeContract,
  InvokeMethod,
  OutputOf,
  PayloadOf,
} from './contract.ts';
export { describeZodError, fail, FailureCode, ok } from './result.ts';
export type { Failure, Result, Success } from './result.ts';
