import { DEFAULT_RULES, RuleSets } from '../../../shared/rules/index.ts';

export interface RulesService {
  /** The rules in effect now. */
  current(): RuleSets;
  /** Replaces the rules (for example with a backend's); listeners hear of real changes only. */
  replace(next: RuleSets): void;
  onChange(listener: (rules: RuleSets) => void): () => void;
}

/** Holds the effective rule sets: `DEFAULT_RULES` until a backend says otherwise. */
export function createRulesService(initial: RuleSets = DEFAULT_RULES): RulesService {
  let rules = RuleSets.parse(initial);
  const listeners = new Set<(rules: RuleSets) => void>();
  return {
    current: () => rules,
    replace(next) {
      const parsed = RuleSets.parse(next);
      if (JSON.stringify(parsed) === JSON.stringify(rules)) return;
      rules = parsed;
      for (const listener of listeners) listener(rules);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
