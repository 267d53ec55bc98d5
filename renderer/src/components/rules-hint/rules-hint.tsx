import { useId } from 'react';
import {
  describeRules,
  SECRET_NOUNS,
  type RuleSet,
  type SecretKind,
} from '../../../../shared/rules/index.ts';
import { Tooltip } from '../tooltip/tooltip.tsx';
import './rules-hint.css';

export interface RulesHintProps {
  kind: SecretKind;
  rules: RuleSet;
  /** `help` is the "?" next to a field; `warning` replaces it when the value breaks a rule. */
  variant?: 'help' | 'warning';
}

/** A "?" (or warning) icon whose tooltip lists the rules, on hover and on keyboard focus. */
export function RulesHint({ kind, rules, variant = 'help' }: RulesHintProps) {
  const headingId = useId();
  const title = `${SECRET_NOUNS[kind].title} rules`;
  const label = variant === 'warning' ? `${title} (not met)` : title;

  return (
    <Tooltip
      placement="right-start"
      className="rules-tooltip"
      labelledBy={headingId}
      content={
        <>
          <p id={headingId} className="rules-tooltip__title">
            {title}
          </p>
          <ul className="rules-tooltip__list">
            {describeRules(kind, rules).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      }
    >
      {(trigger) => (
        <button
          type="button"
          ref={trigger.ref}
          className={`rules-hint rules-hint--${variant}`}
          aria-label={label}
          {...trigger.props}
        >
          <span aria-hidden="true">{variant === 'warning' ? '!' : '?'}</span>
        </button>
      )}
    </Tooltip>
  );
}
