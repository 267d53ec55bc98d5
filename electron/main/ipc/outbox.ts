import type { IpcHandlers } from '../../../shared/ipc/index.ts';
import type { OutboxService } from '../services/outbox-service.ts';

export function createOutboxHandlers(deps: {
  outbox: OutboxService;
}): Pick<IpcHandlers, 'listOutbox' | 'getOutboxMessage' | 'openOutboxLink'> {
  const { outbox } = deps;
  return {
    listOutbox: ({ cursor }) => outbox.list(cursor),
    getOutboxMessage: ({ id }) => outbox.message(id),
    openOutboxLink: ({ id }) => outbox.openResetLink(id),
  };
}
