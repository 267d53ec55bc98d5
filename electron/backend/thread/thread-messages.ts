import type { LogLevel } from '../../../shared/log/index.ts';
import type { RunningBackend } from '../index.ts';

/** What the backend thread tells the thread that started it. */
export type ThreadMessage =
  | { type: 'ready'; backend: Omit<RunningBackend, 'close'> }
  | { type: 'failed'; message: string }
  | { type: 'log'; level: LogLevel; message: string; fields?: Record<string, unknown> };
