import { ok, type IpcHandlers } from '../../../shared/ipc/index.ts';
import type { RulesService } from '../services/rules-service.ts';
import type { EventPublisher } from './dispatcher.ts';

export interface RulesIpcDeps {
  rules: RulesService;
  events: EventPublisher;
}

export function createRulesHandlers(deps: RulesIpcDeps): Pick<IpcHandlers, 'getRules'> {
  deps.rules.onChange((rules) => deps.events.publish('onRulesChanged', rules));
  return {
    getRules: () => Promise.resolve(ok(deps.rules.current())),
  };
}
