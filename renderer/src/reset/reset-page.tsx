import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { SelfServiceSession } from '../../../shared/api/index.ts';
import { OPENED, resetApi, waitInWords, type Problem } from './api.ts';
import { PasscodePanel } from './passcode-panel.tsx';
import { PasswordPanel } from './password-panel.tsx';
import { formatCountdown, useCountdown } from './use-countdown.ts';
import './reset-page.css';

type State =
  | { kind: 'loading' }
  | { kind: 'ready'; session: SelfServiceSession }
  | { kind: 'problem'; problem: Problem };

/** What a reload shows: the token left the address bar when the page opened (see main.tsx). */
const REOPEN: State = {
  kind: 'problem',
  problem: {
    kind: 'reopen',
    message:
      'To keep your link private, this page took it out of the address bar once it opened, so a reload cannot use it. Open the link from your email again: it works until it expires.',
  },
};

/** The end user's self-service page, opened from the recovery email's Reset link. */
export function ResetPage({ token }: { token: string }) {
  const [state, setState] = useState<State>(token === OPENED ? REOPEN : { kind: 'loading' });
  const fetchSession = useCallback(
    () =>
      token === OPENED
        ? Promise.resolve()
        : resetApi
            .session(token)
            .then((answer) =>
              setState(
                answer.ok
                  ? { kind: 'ready', session: answer.data }
                  : { kind: 'problem', problem: answer.problem },
              ),
            ),
    [token],
  );
  useEffect(() => {
    void fetchSession();
  }, [fetchSession]);
  const retry = () => {
    setState({ kind: 'loading' });
    void fetchSession();
  };

  const expire = useCallback(
    (problem?: Problem) =>
      setState({
        kind: 'problem',
        problem: problem ?? {
          kind: 'expired',
          message:
            'The time allowed for this link is over. Ask your administrator to send you a new link.',
        },
      }),
    [],
  );

  return (
    <div className="reset">
      {state.kind === 'ready' ? (
        <Ready token={token} session={state.session} onExpired={expire} />
      ) : (
        <>
          <Header />
          <main className="reset__main">
            {state.kind === 'loading' ? (
              <p className="reset__loading" role="status">
                Checking your link…
              </p>
            ) : (
              <ProblemView problem={state.problem} onRetry={retry} />
            )}
          </main>
        </>
      )}
    </div>
  );
}

function Header({ children }: { children?: ReactNode }) {
  return (
    <header className="reset__header">
      <div className="reset__brand">
        <span className="reset__logo" aria-hidden="true" />
        <h1>Password reset</h1>
      </div>
      {children}
    </header>
  );
}

function Ready({
  token,
  session,
  onExpired,
}: {
  token: string;
  session: SelfServiceSession;
  onExpired: (problem?: Problem) => void;
}) {
  const left = useCountdown(session.expiresAt, session.serverTime);
  useEffect(() => {
    if (left === 0) onExpired();
  }, [left, onExpired]);
  const onProblem = (problem: Problem) => {
    if (problem.kind === 'expired') onExpired(problem);
  };
  return (
    <>
      <Header>
        <div className="reset__timer" role="timer" aria-label="Time left to use this link">
          <span className="reset__timer-label">Time left</span>
          <span className="reset__timer-value">{formatCountdown(left)}</span>
        </div>
      </Header>
      <main className="reset__main">
        <p className="reset__intro">
          Hello {session.displayName}. Choose a new Application Password, get a temporary Voice
          Portal Passcode, or both. Each can be done once with this link.
        </p>
        <div className="reset__panels">
          <PasscodePanel
            token={token}
            rules={session.rules.voicePortalPasscode}
            alreadyDone={session.passcodeGenerated}
            temporary={session.temporary?.voicePortalPasscode === true}
            onProblem={onProblem}
          />
          <PasswordPanel
            token={token}
            rules={session.rules.applicationPassword}
            alreadyDone={session.passwordChanged}
            temporary={session.temporary?.applicationPassword === true}
            onProblem={onProblem}
          />
        </div>
      </main>
    </>
  );
}

/** The wait the server asked for, counting down; the page may try again once it is over. */
function useWaitLeft(problem: Problem): number {
  const [wait] = useState(() => {
    const seconds = problem.kind === 'rate-limited' ? (problem.retryAfterSeconds ?? 0) : 0;
    const now = new Date();
    return {
      until: new Date(now.getTime() + seconds * 1000).toISOString(),
      now: now.toISOString(),
    };
  });
  return useCountdown(wait.until, wait.now);
}

function ProblemView({ problem, onRetry }: { problem: Problem; onRetry: () => void }) {
  const waitLeft = useWaitLeft(problem);
  const title =
    problem.kind === 'expired'
      ? 'This link has expired'
      : problem.kind === 'used'
        ? 'This link was already used'
        : problem.kind === 'reopen'
          ? 'Open the link from your email again'
          : problem.kind === 'rate-limited'
            ? 'Too many attempts'
            : 'Something went wrong';
  const retryable =
    problem.kind === 'unreachable' || problem.kind === 'rate-limited' || problem.kind === 'invalid';
  return (
    <section className="reset__problem" role="alert" aria-labelledby="problem-title">
      <h2 id="problem-title">{title}</h2>
      <p>{problem.message}</p>
      {problem.kind === 'expired' && (
        <p>Links work for a limited time and only the newest link sent to you is valid.</p>
      )}
      {retryable && (
        <button type="button" className="reset__button" onClick={onRetry} disabled={waitLeft > 0}>
          Try again
          {waitLeft > 0 && (
            // Seen, not announced: the alert already said how long to wait.
            <span aria-hidden="true">{` in ${waitInWords(waitLeft)}`}</span>
          )}
        </button>
      )}
    </section>
  );
}
