import { QueryClient } from '@tanstack/react-query';
import type { FailureCode, Result } from '../../../shared/ipc/index.ts';

/** An expected failure from the main process, as an Error for the query layer. */
export class IpcError extends Error {
  override readonly name = 'IpcError';
  readonly code: FailureCode;
  constructor(code: FailureCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** The data of an answer, or its failure thrown as an IpcError (TanStack Query's error). */
export async function unwrap<T>(answer: Promise<Result<T>>): Promise<T> {
  const result = await answer;
  if (!result.ok) throw new IpcError(result.code, result.message);
  return result.data;
}

/** What to show for a failed query or mutation. */
export const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * The renderer's cache of what the main process said. Data stays fresh until an event from
 * main updates it or an action invalidates it, so nothing refetches on focus or on a timer;
 * IPC calls are not retried (the main process retries the backend itself).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: Infinity, retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
