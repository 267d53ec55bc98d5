import { z } from 'zod';

/**
 * Expected failures are data. Every call across a process boundary answers with one of these;
 * only bugs throw.
 */
export const FailureCode = z.enum([
  /** The input did not match the contract. */
  'invalid-input',
  /** The caller is not our window at our origin. */
  'forbidden',
  /** No such channel or operation. */
  'unknown-operation',
  /** The provisioning backend could not be reached or did not answer in time. */
  'backend-unavailable',
  /** The provisioning backend refused the request. */
  'backend-error',
  /** The thing asked for does not exist. */
  'not-found',
  /** The request conflicts with the current state. */
  'conflict',
  /** The backend is still working on an earlier copy of this request (same Idempotency-Key). */
  'in-progress',
  /** A bug: the details are in the main process log, not here. */
  'internal',
]);
export type FailureCode = z.infer<typeof FailureCode>;

export interface Failure {
  ok: false;
  code: FailureCode;
  message: string;
}
export interface Success<T> {
  ok: true;
  data: T;
}
export type Result<T> = Success<T> | Failure;

export function ok<T>(data: T): Success<T> {
  return { ok: true, data };
}

export function fail(code: FailureCode, message: string): Failure {
  return { ok: false, code, message };
}

/** A readable one-line account of why a value failed a schema, naming each field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
