import {
  checkSecret,
  type RuleCheck,
  type RuleSet,
  type SecretKind,
} from '../../../../shared/rules/index.ts';
import './rule-checklist.css';

export interface RuleChecklistProps {
  kind: SecretKind;
  rules: RuleSet;
  /** The value being typed; nothing is trimmed or changed. */
  value: string;
  previous?: readonly string[];
}

/** Live per-rule ✓/✗ for the value being typed, from the shared rule engine. */
export function RuleChecklist({ kind, rules, value, previous }: RuleChecklistProps) {
  const checks: RuleCheck[] = checkSecret(kind, value, {
    rules,
    ...(previous === undefined ? {} : { previous }),
  });
  const untouched = value.length === 0;
  return (
    <ul className="rule-checklist" aria-label="Rule checks">
      {checks.map((check) => {
        const state = untouched ? 'pending' : check.ok ? 'met' : 'unmet';
        return (
          <li
            key={check.id}
            className={`rule-check rule-check--${state}`}
            data-rule={check.id}
            data-state={state}
          >
            <span className="rule-check__mark" aria-hidden="true">
              {state === 'met' ? '✓' : state === 'unmet' ? '✗' : '•'}
            </span>
            <span>
              {check.message}
              <span className="visually-hidden">
                {state === 'met' ? ' (met)' : state === 'unmet' ? ' (not met)' : ''}
              </span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
