import { describe, expect, it } from 'vitest';
import { whenAnswering } from '../../../electron/main/services/backend/when-answering.ts';
import { ok, type ConnectionStatus } from '../../../shared/ipc/index.ts';

const status = (state: ConnectionStatus['state'], message = ''): ConnectionStatus => ({
  state,
  since: '2026-12-01T10:00:00.000Z',
  checkedAt: '2026-12-01T10:00:05.000Z',
  latencyMs: null,
  message,
  backend: { kind: 'remote', url: 'https://pbx.example.com' },
  apiVersion: '1.1',
});

/** A monitor whose state is `now`, and whose check finds `after`. */
function monitor(now: ConnectionStatus, after: ConnectionStatus = now) {
  let current = now;
  const checks: number[] = [];
  return {
    checks,
    status: () => current,
    checkNow: () => {
      checks.push(1);
      current = after;
      return Promise.resolve(after);
    },
  };
}

/** A request that counts how often it was sent. */
function request() {
  const sent = { count: 0 };
  const send = () => {
    sent.count += 1;
    return Promise.resolve(ok('page'));
  };
  return { sent, send };
}

describe('interactive requests while the backend is down', () => {
  it('sends at once while the backend answers, slow or not, without another check', async () => {
    for (const state of ['connected', 'slow', 'connecting', 'incompatible'] as const) {
      const connection = monitor(status(state));
      const { sent, send } = request();
      expect(await whenAnswering(connection, send)).toEqual(ok('page'));
      expect(sent.count).toBe(1);
      expect(connection.checks).toHaveLength(0);
    }
  });

  it('asks the backend once more first, and sends when it answers again', async () => {
    const connection = monitor(status('unreachable', 'No answer.'), status('connected'));
    const { sent, send } = request();
    expect(await whenAnswering(connection, send)).toEqual(ok('page'));
    expect(sent.count).toBe(1);
    expect(connection.checks).toHaveLength(1);
  });

  it('fails at once, with what the header says, while it still does not answer', async () => {
    const message = 'Nothing answers at https://pbx.example.com: the connection was refused.';
    const { sent, send } = request();
    expect(await whenAnswering(monitor(status('unreachable', message)), send)).toEqual({
      ok: false,
      code: 'backend-unavailable',
      message,
    });
    const refused = 'The backend refused PassDesk’s API token (401).';
    expect(await whenAnswering(monitor(status('token-refused', refused)), send)).toEqual({
      ok: false,
      code: 'backend-error',
      message: refused,
    });
    expect(sent.count).toBe(0);
  });
});
