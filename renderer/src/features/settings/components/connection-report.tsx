import { useEffect, useRef } from 'react';
import type { ConnectionTestReport } from '../../../../../shared/ipc/index.ts';

const MARKS = { passed: '✓', failed: '✗', skipped: '–' } as const;
const STATUS_WORDS = { passed: 'passed', failed: 'failed', skipped: 'not checked' } as const;

export interface ConnectionReportProps {
  testing: boolean;
  /** The last test's answer, or null before the first. */
  report: ConnectionTestReport | null;
  /** Why the test itself could not run. */
  error: string | null;
  /** The URL typed, for "Testing …". */
  url: string;
  /** The values were changed after the report was made. */
  stale: boolean;
  canTest: boolean;
  onTest: () => void;
}

/**
 * Test connection for the values typed (not the saved ones): the button, a busy line while it
 * runs, then the one-sentence verdict and each check as ✓ / ✗ / – with its detail.
 */
export function ConnectionReport({
  testing,
  report,
  error,
  url,
  stale,
  canTest,
  onTest,
}: ConnectionReportProps) {
  const body = useRef<HTMLDivElement>(null);
  // The verdict comes in below the fields: scrolled into sight, within the dialog's body.
  useEffect(() => {
    const element = body.current;
    if (element !== null && typeof element.scrollIntoView === 'function')
      element.scrollIntoView({ block: 'nearest' });
  }, [testing, report, error]);
  return (
    <div className="connection-report" role="group" aria-label="Connection test">
      <div className="connection-report__bar">
        <button
          type="button"
          className="button"
          aria-disabled={testing || !canTest}
          onClick={() => {
            if (!testing && canTest) onTest();
          }}
        >
          {testing && (
            <span className="settings__spinner settings__spinner--dark" aria-hidden="true" />
          )}
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <span className="connection-report__about">
          Checks the values typed here, before you save them.
        </span>
      </div>
      <div ref={body} className="connection-report__body" aria-live="polite" aria-busy={testing}>
        {testing ? (
          <p className="connection-report__testing">Testing {url === '' ? 'the backend' : url}…</p>
        ) : error !== null ? (
          <p className="banner banner--error connection-report__verdict" role="alert">
            The test could not run: {error}
          </p>
        ) : report === null ? null : (
          <>
            <p
              className={`connection-report__verdict connection-report__verdict--${report.ok ? 'ok' : 'bad'}`}
              data-testid="connection-verdict"
            >
              <span className="connection-report__verdict-mark" aria-hidden="true">
                {report.ok ? '✓' : '✗'}
              </span>
              <span>{report.message}</span>
            </p>
            <ul className="connection-report__checks" aria-label="Connection checks">
              {report.checks.map((check) => (
                <li
                  key={check.id}
                  className={`connection-check connection-check--${check.status}`}
                  data-check={check.id}
                  data-status={check.status}
                >
                  <span className="connection-check__mark" aria-hidden="true">
                    {MARKS[check.status]}
                  </span>
                  <span className="connection-check__label">
                    {check.label}
                    <span className="visually-hidden"> ({STATUS_WORDS[check.status]})</span>
                  </span>
                  <span className="connection-check__detail">{check.detail}</span>
                </li>
              ))}
            </ul>
            {stale && (
              <p className="connection-report__stale">
                You changed the values since this test; test again to check them.
              </p>
            )}
          </>
        )}
      </div>
    </div>
  );
}
