import type { IpcHandlers } from '../../../shared/ipc/index.ts';
import type { BackendSession } from '../services/backend/backend-session.ts';

export function createOutboxHandlers(deps: {
  session: () => Pick<BackendSession, 'outbox'>;
}): Pick<IpcHandlers, 'listOutbox' | 'getOutboxMessage' | 'openOutboxLink'> {
  const outbox = () => deps.session().outbox;
  return {
    listOutbox: ({ cursor }) => outbox().list(cursor),
    getOutboxMessage: ({ id }) => outbox().message(id),
    openOutboxLink: ({ id }) => outbox().openResetLink(id),
  };
}
