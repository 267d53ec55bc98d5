import { useQuery } from '@tanstack/react-query';
import { DEFAULT_RULES, type RuleSets } from '../../../shared/rules/index.ts';
import { getApi } from './api.ts';
import { unwrap } from './query.ts';

/** The rules' place in the query cache; rules:changed events write here. */
export const RULES_KEY = ['rules'] as const;

export interface RulesState {
  rules: RuleSets;
  /** `main` once the main process answered; `default` until then or when it could not. */
  source: 'main' | 'default';
}

/** The effective rules from the main process, kept current; `DEFAULT_RULES` until they arrive. */
export function useRules(): RulesState {
  const query = useQuery({ queryKey: RULES_KEY, queryFn: () => unwrap(getApi().getRules()) });
  return query.data === undefined
    ? { rules: DEFAULT_RULES, source: 'default' }
    : { rules: query.data, source: 'main' };
}
