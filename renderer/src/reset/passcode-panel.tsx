import { useState } from 'react';
import { describeRules, type RuleSet } from '../../../shared/rules/index.ts';
import { RuleChecklist } from '../components/rule-checklist/rule-checklist.tsx';
import { RulesHint } from '../components/rules-hint/rules-hint.tsx';
import { resetApi, type Problem } from './api.ts';

interface Props {
  token: string;
  rules: RuleSet;
  alreadyDone: boolean;
  /** The user's passcode now is temporary (set so by the help desk, or by an earlier link). */
  temporary: boolean;
  onProblem: (problem: Problem) => void;
}

/** One click sets a rule-compliant temporary passcode, shown here once. */
export function PasscodePanel({ token, rules, alreadyDone, temporary, onProblem }: Props) {
  const [passcode, setPasscode] = useState<string | null>(null);
  const [state, setState] = useState<'ready' | 'working' | 'shown' | 'used'>(
    alreadyDone ? 'used' : 'ready',
  );
  const [error, setError] = useState<string | null>(null);

  const generate = () => {
    setState('working');
    setError(null);
    void resetApi.generatePasscode(token).then((answer) => {
      if (answer.ok) {
        setPasscode(answer.data.passcode);
        setState('shown');
        return;
      }
      setState(answer.problem.kind === 'used' ? 'used' : 'ready');
      setError(answer.problem.message);
      onProblem(answer.problem);
    });
  };

  return (
    <section className="reset-panel" aria-labelledby="passcode-title">
      <div className="reset-panel__title">
        <h2 id="passcode-title">Voice Portal Passcode</h2>
        <RulesHint kind="voicePortalPasscode" rules={rules} />
      </div>
      {state === 'shown' && passcode !== null ? (
        <div className="reset-panel__passcode" role="status">
          <p>Your temporary passcode:</p>
          <output className="reset-panel__digits" aria-label="Temporary passcode">
            {passcode}
          </output>
          <p>
            It is shown only this once. Enter it at your voice portal, which will then ask you to
            choose your own passcode.
          </p>
          <RuleChecklist kind="voicePortalPasscode" rules={rules} value={passcode} previous={[]} />
        </div>
      ) : state === 'used' ? (
        <p className="reset-panel__used" role="status">
          A temporary passcode was already generated with this link. For another one, ask your
          administrator for a new link.
        </p>
      ) : (
        <>
          {temporary && (
            <p className="reset-panel__temporary">
              Your Voice Portal Passcode is temporary: enter it at your voice portal, which asks you
              to choose your own. If you do not have it, get a new temporary one here.
            </p>
          )}
          <p className="reset-panel__text">
            Get a temporary passcode that follows these rules, then change it at your voice portal:
          </p>
          <ul className="reset-panel__rules">
            {describeRules('voicePortalPasscode', rules).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {error !== null && (
            <p className="reset-panel__error" role="alert">
              {error}
            </p>
          )}
          <button
            type="button"
            className="reset__button"
            onClick={generate}
            disabled={state === 'working'}
          >
            {state === 'working' ? 'Generating…' : 'Generate temporary passcode'}
          </button>
        </>
      )}
    </section>
  );
}
