import { ok, type IpcHandlers } from '../../../shared/ipc/index.ts';
import type { BackendSession } from '../services/backend/backend-session.ts';

export function createRulesHandlers(deps: {
  session: () => Pick<BackendSession, 'rules'>;
}): Pick<IpcHandlers, 'getRules'> {
  return {
    getRules: () => Promise.resolve(ok(deps.session().rules.current())),
  };
}
