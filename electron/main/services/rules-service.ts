import { DEFAULT_RULES, RuleSets } from '../../../shared/rules/index.ts';

export interface RulesService {
  /** The rules in effect now. */
  current(): RuleSets;
  /** Replaces the rules (for example with a backend's); listeners hear of real changes only. */
  replace(next: RuleSets): void;
  onChange(listener: (rules: RuleSets) => void): () => void;
}

/** Where the last rules fetched from a backend are kept between runs. */
export interface RulesCache {
  /** The rules last saved for this backend, unchecked; null when there are none. */
  load(backend: string): unknown;
  save(backend: string, rules: RuleSets): void;
}

/**
 * Holds the effective rule sets: the backend's once fetched; before that (or offline) the last
 * ones fetched from the same backend, else `DEFAULT_RULES`. Cached rules are checked again on
 * read: anything unreadable counts as none.
 */
export function createRulesService(
  options: {
    cache?: RulesCache;
    backend?: string;
    initial?: RuleSets;
    /** Told when the cache cannot be written; the rules still change. */
    onCacheError?: (error: unknown) => void;
  } = {},
): RulesService {
  const { cache, backend = 'built-in' } = options;
  const cached = RuleSets.safeParse(cache?.load(backend) ?? null);
  let rules = RuleSets.parse(cached.success ? cached.data : (options.initial ?? DEFAULT_RULES));
  const listeners = new Set<(rules: RuleSets) => void>();
  return {
    current: () => rules,
    replace(next) {
      const parsed = RuleSets.parse(next);
      try {
        cache?.save(backend, parsed);
      } catch (error) {
        options.onCacheError?.(error);
      }
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
