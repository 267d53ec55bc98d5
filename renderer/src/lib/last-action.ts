/** The outcome of the latest job for a user, shown in the users table's "Last action" column. */
import type { JobOutcome } from '../../../shared/ipc/index.ts';

export interface LastAction {
  outcome: JobOutcome;
  at: string;
}
