import { useEffect, useState } from 'react';
import { DEFAULT_RULES, type RuleSets } from '../../../shared/rules/index.ts';
import { getApi } from './api.ts';

export interface RulesState {
  rules: RuleSets;
  /** `main` once the main process answered; `default` until then or when it could not. */
  source: 'main' | 'default';
}

/** The effective rules from the main process, kept current; `DEFAULT_RULES` until they arrive. */
export function useRules(): RulesState {
  const [state, setState] = useState<RulesState>({ rules: DEFAULT_RULES, source: 'default' });
  useEffect(() => {
    const api = getApi();
    let live = true;
    void api.getRules().then((result) => {
      if (live && result.ok) setState({ rules: result.data, source: 'main' });
    });
    const unsubscribe = api.onRulesChanged((rules) => setState({ rules, source: 'main' }));
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  return state;
}
