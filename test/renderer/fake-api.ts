import { ok, type PassdeskApi, type PayloadOf } from '../../shared/ipc/index.ts';
import { DEFAULT_RULES, type RuleSets } from '../../shared/rules/index.ts';

/** A typed stand-in for `window.api` whose answers and events a test controls. */
export class FakeApi implements PassdeskApi {
  rules: RuleSets = DEFAULT_RULES;
  readonly calls: string[] = [];
  private readonly rulesListeners = new Set<(rules: PayloadOf<'onRulesChanged'>) => void>();

  getAppInfo = () => {
    this.calls.push('getAppInfo');
    return Promise.resolve(
      ok({
        name: 'PassDesk',
        version: '9.8.7',
        backend: { kind: 'built-in' as const, url: 'http://127.0.0.1:1234' },
      }),
    );
  };

  getRules = () => {
    this.calls.push('getRules');
    return Promise.resolve(ok(this.rules));
  };

  onRulesChanged = (listener: (rules: PayloadOf<'onRulesChanged'>) => void) => {
    this.rulesListeners.add(listener);
    return () => {
      this.rulesListeners.delete(listener);
    };
  };

  emitRulesChanged(rules: RuleSets): void {
    this.rules = rules;
    for (const listener of this.rulesListeners) listener(rules);
  }

  get listenerCount(): number {
    return this.rulesListeners.size;
  }
}

export function installFakeApi(api = new FakeApi()): FakeApi {
  Object.defineProperty(window, 'api', { value: api, configurable: true });
  return api;
}
