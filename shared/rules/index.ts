/**
 * The one rule engine. The admin dialogs, the end user's reset page, the main process and the
 * backend (the authority) all decide with these functions.
 */
export { checkSecret, describeFailures, failedRuleIds, RULE_IDS } from './check.ts';
export type { CheckOptions, RuleCheck, RuleId } from './check.ts';
export { DEFAULT_RULES } from './default-rules.ts';
export { describeRules, SECRET_NOUNS } from './describe.ts';
export { generateSecret } from './generate.ts';
export type { GenerateOptions } from './generate.ts';
export { RuleSet, RuleSets, SecretKind, SECRET_KINDS } from './rule-set.ts';
