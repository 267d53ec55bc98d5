import { useId, useState } from 'react';
import {
  checkSecret,
  SECRET_NOUNS,
  type RuleSet,
  type SecretKind,
} from '../../../../../shared/rules/index.ts';
import { RuleChecklist } from '../../../components/rule-checklist/rule-checklist.tsx';
import { RulesHint } from '../../../components/rules-hint/rules-hint.tsx';
import { SecretInput } from '../../../components/secret-input/secret-input.tsx';
import { useRules } from '../../../lib/use-rules.ts';
import './rules-preview.css';

/** Both rule sets in effect, each with a field to try a value against it. */
export function RulesPreview() {
  const { rules, source } = useRules();
  return (
    <section className="rules-preview" aria-labelledby="rules-preview-title">
      <header className="rules-preview__header">
        <h2 id="rules-preview-title">Password rules in effect</h2>
        <p>
          {source === 'main'
            ? 'Try a value to see which rules it meets. Nothing typed here is saved or sent.'
            : 'Showing the default rules until PassDesk loads the ones in effect.'}
        </p>
      </header>
      <div className="rules-preview__cards">
        <RuleCard kind="applicationPassword" rules={rules.applicationPassword} />
        <RuleCard kind="voicePortalPasscode" rules={rules.voicePortalPasscode} />
      </div>
    </section>
  );
}

function RuleCard({ kind, rules }: { kind: SecretKind; rules: RuleSet }) {
  const [value, setValue] = useState('');
  const inputId = useId();
  const checksId = useId();
  const breaksRule = value !== '' && checkSecret(kind, value, { rules }).some((c) => !c.ok);
  return (
    <article className="rule-card" data-kind={kind}>
      <div className="rule-card__title">
        <label htmlFor={inputId}>{SECRET_NOUNS[kind].title}</label>
        <RulesHint kind={kind} rules={rules} variant={breaksRule ? 'warning' : 'help'} />
      </div>
      <SecretInput
        id={inputId}
        value={value}
        onChange={setValue}
        placeholder={`Try a ${SECRET_NOUNS[kind].singular}`}
        describedBy={checksId}
        invalid={breaksRule}
      />
      <div id={checksId}>
        <RuleChecklist kind={kind} rules={rules} value={value} />
      </div>
    </article>
  );
}
