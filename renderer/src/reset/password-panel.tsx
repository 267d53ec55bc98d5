import { useId, useState } from 'react';
import {
  checkSecret,
  describeFailures,
  type RuleId,
  type RuleSet,
} from '../../../shared/rules/index.ts';
import { RuleChecklist } from '../components/rule-checklist/rule-checklist.tsx';
import { RulesHint } from '../components/rules-hint/rules-hint.tsx';
import { SecretInput } from '../components/secret-input/secret-input.tsx';
import { resetApi, type Problem } from './api.ts';

interface Props {
  token: string;
  rules: RuleSet;
  alreadyDone: boolean;
  /** The user's password now is temporary (the help desk set it so). */
  temporary: boolean;
  onProblem: (problem: Problem) => void;
}

/** New + confirm, checked by the shared rules as the user types, then by the server. */
export function PasswordPanel({ token, rules, alreadyDone, temporary, onProblem }: Props) {
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [state, setState] = useState<'editing' | 'saving' | 'done' | 'used'>(
    alreadyDone ? 'used' : 'editing',
  );
  const [serverRejection, setServerRejection] = useState<RuleId[]>([]);
  const [error, setError] = useState<string | null>(null);
  const passwordId = useId();
  const confirmationId = useId();
  const checksId = useId();

  const checks = checkSecret('applicationPassword', password, { rules });
  const passes = password !== '' && checks.every((c) => c.ok);
  const matches = confirmation !== '' && confirmation === password;

  const submit = () => {
    if (!passes || !matches || state !== 'editing') return;
    setState('saving');
    setError(null);
    void resetApi.changePassword(token, password, confirmation).then((answer) => {
      if (answer.ok && answer.data.outcome === 'changed') {
        setPassword('');
        setConfirmation('');
        setState('done');
        return;
      }
      setState('editing');
      if (answer.ok) {
        setServerRejection(answer.data.ruleIds);
        setError(
          answer.data.ruleIds.includes('not-previous')
            ? 'You have used this password before. Choose a different one.'
            : describeFailures('applicationPassword', checks),
        );
      } else {
        if (answer.problem.kind === 'used') setState('used');
        setError(answer.problem.message);
        onProblem(answer.problem);
      }
    });
  };

  return (
    <section className="reset-panel" aria-labelledby={`${passwordId}-title`}>
      <div className="reset-panel__title">
        <h2 id={`${passwordId}-title`}>Application Password</h2>
        <RulesHint kind="applicationPassword" rules={rules} />
      </div>
      {state === 'done' ? (
        <p className="reset-panel__done" role="status">
          Your Application Password has been changed. A confirmation email is on its way.
        </p>
      ) : state === 'used' ? (
        <p className="reset-panel__used" role="status">
          The password was already changed with this link. To change it again, ask your
          administrator for a new link.
        </p>
      ) : (
        <>
          {temporary && (
            <p className="reset-panel__temporary">
              Your Application Password was set by the help desk as temporary: choose your own here.
            </p>
          )}
          <form
            className="reset-panel__form"
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
            noValidate
          >
            <label htmlFor={passwordId}>New password</label>
            <SecretInput
              id={passwordId}
              value={password}
              onChange={(value) => {
                setPassword(value);
                setServerRejection([]);
              }}
              describedBy={checksId}
              invalid={password !== '' && !passes}
              autoComplete="new-password"
            />
            <label htmlFor={confirmationId}>Confirm password</label>
            <SecretInput
              id={confirmationId}
              value={confirmation}
              onChange={setConfirmation}
              invalid={confirmation !== '' && !matches}
              autoComplete="new-password"
            />
            <p
              className={`reset-panel__match reset-panel__match--${confirmation === '' ? 'pending' : matches ? 'met' : 'unmet'}`}
            >
              {confirmation === ''
                ? 'Type the password again to confirm it.'
                : matches
                  ? '✓ The passwords match.'
                  : '✗ The passwords do not match yet.'}
            </p>
            <div id={checksId}>
              <RuleChecklist
                kind="applicationPassword"
                rules={rules}
                value={password}
                {...(serverRejection.includes('not-previous') ? { previous: [password] } : {})}
              />
            </div>
            {error !== null && (
              <p className="reset-panel__error" role="alert">
                {error}
              </p>
            )}
            <button
              type="submit"
              className="reset__button"
              disabled={!passes || !matches || state === 'saving'}
            >
              {state === 'saving' ? 'Saving…' : 'Reset password'}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
