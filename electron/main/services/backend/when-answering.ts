import { fail, type Result } from '../../../../shared/ipc/index.ts';
import type { ConnectionStatus } from '../../../../shared/ipc/index.ts';

/** What an interactive request needs of the connection monitor. */
export interface ConnectionCheck {
  status(): ConnectionStatus;
  checkNow(): Promise<ConnectionStatus>;
}

/**
 * Sends an interactive request (a page of users, a user's edit) unless the backend is known
 * not to answer. While the monitor says it does not, the backend is asked once more first; still
 * down, the request fails at once with what the header says, instead of waiting out its
 * timeout and retries (minutes for a host that drops packets). Jobs do not come here: they wait
 * out an outage through the monitor's gate.
 */
export async function whenAnswering<T>(
  connection: ConnectionCheck,
  send: () => Promise<Result<T>>,
): Promise<Result<T>> {
  if (!down(connection.status())) return send();
  const now = await connection.checkNow();
  if (!down(now)) return send();
  return now.state === 'token-refused'
    ? fail('backend-error', now.message)
    : fail('backend-unavailable', now.message);
}

const down = (status: ConnectionStatus): boolean =>
  status.state === 'unreachable' || status.state === 'token-refused';
