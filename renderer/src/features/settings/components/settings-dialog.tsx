import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { Settings } from '../../../../../shared/ipc/index.ts';
import {
  CONCURRENT_REQUESTS,
  REQUEST_TIMEOUT_SECONDS,
  type BackendKind,
} from '../../../../../shared/settings/index.ts';
import { useDiscardGuard } from '../../../components/confirm-bar/use-discard-guard.tsx';
import { Modal } from '../../../components/modal/modal.tsx';
import { SecretInput } from '../../../components/secret-input/secret-input.tsx';
import { errorText, IpcError } from '../../../lib/query.ts';
import { useSettings, useTestConnection, useUpdateSettings } from '../api/settings.ts';
import {
  draftOf,
  hasProblems,
  isEmptyUpdate,
  problemsOf,
  switchingWords,
  testInputOf,
  tokenSituation,
  tokenTyped,
  updateOf,
  type FormProblems,
  type SettingsDraft,
} from '../model/settings-form.ts';
import { ConnectionReport } from './connection-report.tsx';
import './settings-dialog.css';

/** Who the audit names, and which provisioning backend PassDesk talks to. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const query = useSettings();
  if (query.data === undefined)
    return (
      <Modal title="Settings" onClose={onClose}>
        {query.error === null ? (
          <p className="settings__loading" role="status">
            Loading the settings…
          </p>
        ) : (
          <p className="banner banner--error" role="alert">
            The settings could not be read: {errorText(query.error)}
          </p>
        )}
      </Modal>
    );
  return <SettingsForm saved={query.data} onClose={onClose} />;
}

/** One field's message under it: a problem (red) once it should show, else its hint. */
function FieldMessage({
  id,
  problem,
  hint,
}: {
  id: string;
  problem: string | null;
  hint: ReactNode;
}) {
  return (
    <p id={id} className={`settings__hint${problem === null ? '' : ' settings__hint--bad'}`}>
      {problem ?? hint}
    </p>
  );
}

const TOKEN_KEPT: Record<'encrypted' | 'this-run-only', string> = {
  encrypted: 'A token is kept for this URL (encrypted by the system keychain).',
  'this-run-only':
    'A token is kept for this URL for this run only: after a restart, PassDesk asks for it again.',
};

function SettingsForm({ saved, onClose }: { saved: Settings; onClose: () => void }) {
  const update = useUpdateSettings();
  const test = useTestConnection();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(saved));
  // Problems with empty fields show once Save was tried or the field was left; others at once.
  const [tried, setTried] = useState(false);
  const [left, setLeft] = useState<ReadonlySet<keyof FormProblems>>(new Set());
  const [tested, setTested] = useState<string | null>(null);
  // Each Save refused here moves the focus to the first field that needs something, once the
  // messages are shown.
  const [attempts, setAttempts] = useState(0);
  useEffect(() => {
    if (attempts > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempts]);
  const form = useRef<HTMLFormElement>(null);
  const ids = {
    name: useId(),
    nameHint: useId(),
    backend: useId(),
    url: useId(),
    urlHint: useId(),
    token: useId(),
    tokenHint: useId(),
    timeout: useId(),
    timeoutHint: useId(),
    concurrent: useId(),
    concurrentHint: useId(),
  };

  const change = (next: Partial<SettingsDraft>) => setDraft((d) => ({ ...d, ...next }));
  const problems = problemsOf(draft, saved);
  const shown = (field: keyof FormProblems, empty: boolean): string | null =>
    !empty || tried || left.has(field) ? problems[field] : null;
  const leave = (field: keyof FormProblems) => () => setLeft((s) => new Set(s).add(field));

  const changes = updateOf(draft, saved);
  const dirty = !isEmptyUpdate(changes) || (tokenTyped(draft, saved) && draft.token !== '');
  const saving = update.isPending;
  const discard = useDiscardGuard(dirty, onClose, 'your changes to the settings');
  const requestClose = () => {
    // A switch of backend is under way: closing now would hide how it ends.
    if (!saving) discard.requestClose();
  };
  const remote = draft.backend === 'remote';
  const situation = tokenSituation(draft, saved);
  // Said from Save until the answer: what was sent, not what is typed since.
  const [sent, setSent] = useState<string | null>(null);
  const switching = saving ? sent : null;
  const testInput = testInputOf(draft, saved);
  const testKey = JSON.stringify(testInput);

  const save = () => {
    if (saving || discard.asking) return;
    if (hasProblems(problems)) {
      setTried(true);
      setAttempts((n) => n + 1);
      return;
    }
    if (isEmptyUpdate(changes)) {
      onClose();
      return;
    }
    setSent(switchingWords(changes, draft, saved));
    update.mutate(changes, { onSuccess: onClose });
  };

  const runTest = () => {
    if (test.isPending) return;
    setTested(testKey);
    test.mutate(testInput);
  };

  const failure = update.error;
  const failureText =
    failure === null
      ? null
      : failure instanceof IpcError && failure.code === 'conflict'
        ? `Nothing was changed: ${failure.message}`
        : `The settings were not saved: ${errorText(failure)}`;

  const nameProblem = shown('operatorName', draft.operatorName === '');
  const urlProblem = shown('url', draft.url.trim() === '');
  const tokenProblem = shown('token', draft.token.trim() === '');
  const timeoutProblem = shown('timeoutSeconds', false);
  const concurrentProblem = shown('maxConcurrentRequests', false);

  return (
    <Modal
      title="Settings"
      description="Your name in the audit trail, and the provisioning backend PassDesk uses."
      width="medium"
      onClose={requestClose}
      footer={
        discard.bar ?? (
          <>
            {switching !== null && (
              <p className="settings__progress" role="status">
                <span className="settings__spinner" aria-hidden="true" />
                {switching}
              </p>
            )}
            {/* Not disabled while saving, so the focus stays; they do nothing until it is over. */}
            <button type="button" className="button" aria-disabled={saving} onClick={requestClose}>
              Cancel
            </button>
            <button
              type="button"
              className="button button--primary"
              aria-disabled={saving}
              onClick={save}
            >
              {saving ? (switching === null ? 'Saving…' : 'Switching…') : 'Save'}
            </button>
          </>
        )
      }
    >
      <form
        ref={form}
        className="settings"
        noValidate
        aria-busy={saving}
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <section className="settings__section" aria-labelledby={`${ids.name}-heading`}>
          <h3 id={`${ids.name}-heading`} className="settings__heading">
            Operator
          </h3>
          <label htmlFor={ids.name} className="field-label">
            Your name
          </label>
          <input
            id={ids.name}
            className="search settings__input"
            value={draft.operatorName}
            maxLength={100}
            autoComplete="off"
            placeholder={`Leave empty to use “${saved.effectiveOperator}”`}
            aria-invalid={nameProblem !== null}
            aria-describedby={ids.nameHint}
            onChange={(event) => change({ operatorName: event.target.value })}
          />
          <FieldMessage
            id={ids.nameHint}
            problem={nameProblem}
            hint="The audit trail names you for the jobs you run on this computer."
          />
        </section>

        <section className="settings__section" aria-labelledby={ids.backend}>
          <h3 id={ids.backend} className="settings__heading">
            Backend
          </h3>
          <div className="settings__choices" role="radiogroup" aria-labelledby={ids.backend}>
            <BackendChoice
              value="built-in"
              checked={!remote}
              title="Built-in"
              onChange={(backend) => change({ backend })}
            >
              A demo backend on this computer, with demo users. Emails go to its Outbox instead of
              being sent.
            </BackendChoice>
            <BackendChoice
              value="remote"
              checked={remote}
              title="Remote"
              onChange={(backend) => change({ backend })}
            >
              Your provider’s provisioning backend, at its URL, with an API token.
            </BackendChoice>
          </div>

          {!remote && saved.token.set && saved.remote.url !== '' && (
            <div className="settings__kept-remote" data-testid="kept-remote">
              <p>
                Kept for the remote backend:{' '}
                <span className="settings__url">{saved.remote.url}</span>, with its API token{' '}
                {saved.token.kept === 'this-run-only'
                  ? '(for this run only)'
                  : '(encrypted by the system keychain)'}
                .{draft.tokenAction === 'forget' && ' The token will be forgotten when you save.'}
              </p>
              <button
                type="button"
                className="button button--small"
                onClick={() =>
                  change({ tokenAction: draft.tokenAction === 'forget' ? 'keep' : 'forget' })
                }
              >
                {draft.tokenAction === 'forget' ? 'Keep the token' : 'Forget the token'}
              </button>
            </div>
          )}

          {remote && (
            <div className="settings__remote">
              <div className="settings__field">
                <label htmlFor={ids.url} className="field-label">
                  Base URL
                </label>
                <input
                  id={ids.url}
                  className="search settings__input"
                  type="url"
                  inputMode="url"
                  value={draft.url}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="https://provisioning.example.com"
                  aria-invalid={urlProblem !== null}
                  aria-describedby={ids.urlHint}
                  onChange={(event) => change({ url: event.target.value })}
                  onBlur={leave('url')}
                />
                <FieldMessage
                  id={ids.urlHint}
                  problem={urlProblem}
                  hint="Without /api/v1. https:// is required, except to this computer (http://127.0.0.1 or localhost)."
                />
              </div>

              <div className="settings__field">
                {situation === 'kept' && draft.tokenAction === 'keep' ? (
                  <div
                    className="settings__token-kept"
                    role="group"
                    aria-labelledby={`${ids.token}-label`}
                    aria-describedby={ids.tokenHint}
                    data-testid="token-status"
                  >
                    <span id={`${ids.token}-label`} className="field-label">
                      API token
                    </span>
                    <p id={ids.tokenHint}>{TOKEN_KEPT[saved.token.kept ?? 'encrypted']}</p>
                    <span className="settings__token-actions">
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => change({ tokenAction: 'replace', token: '' })}
                      >
                        Replace
                      </button>
                      <button
                        type="button"
                        className="button button--small button--danger"
                        onClick={() => change({ tokenAction: 'forget', token: '' })}
                      >
                        Forget
                      </button>
                    </span>
                  </div>
                ) : (
                  <>
                    <label htmlFor={ids.token} className="field-label">
                      API token
                    </label>
                    <SecretInput
                      id={ids.token}
                      value={draft.token}
                      placeholder={
                        situation === 'kept' ? 'The new API token' : 'Paste the API token'
                      }
                      describedBy={ids.tokenHint}
                      invalid={tokenProblem !== null}
                      onChange={(token) => change({ token })}
                    />
                    <div className="settings__token-note">
                      <FieldMessage
                        id={ids.tokenHint}
                        problem={tokenProblem}
                        hint={
                          situation === 'kept'
                            ? draft.tokenAction === 'forget'
                              ? 'The kept token will be forgotten when you save; a remote backend needs a new one.'
                              : 'The new token replaces the kept one when you save.'
                            : situation === 'other-url'
                              ? `The token kept is for ${saved.remote.url}; type the one for this URL.`
                              : 'From the backend’s administrator. Once saved, PassDesk never shows it again.'
                        }
                      />
                      {situation === 'kept' && (
                        <button
                          type="button"
                          className="button button--small"
                          onClick={() => change({ tokenAction: 'keep', token: '' })}
                        >
                          {draft.tokenAction === 'forget' ? 'Undo' : 'Keep the current token'}
                        </button>
                      )}
                    </div>
                  </>
                )}
              </div>

              {!saved.tokenStorage.encrypted && (
                <p className="banner banner--warning settings__storage" role="note">
                  This computer cannot encrypt the API token
                  {saved.tokenStorage.why === null ? '' : ` (${saved.tokenStorage.why})`}. PassDesk
                  will keep it for this run only: after a restart, it asks for it again.
                </p>
              )}

              <div className="settings__numbers">
                <div className="settings__field">
                  <label htmlFor={ids.timeout} className="field-label">
                    Request timeout
                  </label>
                  <span className="settings__unit">
                    <input
                      id={ids.timeout}
                      className="search settings__number"
                      type="number"
                      inputMode="numeric"
                      min={REQUEST_TIMEOUT_SECONDS.min}
                      max={REQUEST_TIMEOUT_SECONDS.max}
                      step={1}
                      value={draft.timeoutSeconds}
                      aria-invalid={timeoutProblem !== null}
                      aria-describedby={ids.timeoutHint}
                      onChange={(event) => change({ timeoutSeconds: event.target.value })}
                    />
                    seconds
                  </span>
                  <FieldMessage
                    id={ids.timeoutHint}
                    problem={timeoutProblem}
                    hint={`${REQUEST_TIMEOUT_SECONDS.min}–${REQUEST_TIMEOUT_SECONDS.max} s for one answer; large bulk requests get up to 10 minutes.`}
                  />
                </div>
                <div className="settings__field">
                  <label htmlFor={ids.concurrent} className="field-label">
                    Requests at once
                  </label>
                  <input
                    id={ids.concurrent}
                    className="search settings__number"
                    type="number"
                    inputMode="numeric"
                    min={CONCURRENT_REQUESTS.min}
                    max={CONCURRENT_REQUESTS.max}
                    step={1}
                    value={draft.maxConcurrentRequests}
                    aria-invalid={concurrentProblem !== null}
                    aria-describedby={ids.concurrentHint}
                    onChange={(event) => change({ maxConcurrentRequests: event.target.value })}
                  />
                  <FieldMessage
                    id={ids.concurrentHint}
                    problem={concurrentProblem}
                    hint={`${CONCURRENT_REQUESTS.min}–${CONCURRENT_REQUESTS.max}: the most requests a bulk job sends at a time.`}
                  />
                </div>
              </div>

              <ConnectionReport
                testing={test.isPending}
                report={test.data ?? null}
                error={test.error === null ? null : errorText(test.error)}
                url={draft.url.trim()}
                stale={tested !== null && tested !== testKey}
                canTest={!saving}
                onTest={runTest}
              />
            </div>
          )}
        </section>
        {failureText !== null && (
          <p className="banner banner--error settings__failure" role="alert">
            {failureText}
          </p>
        )}
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}

function BackendChoice({
  value,
  checked,
  title,
  children,
  onChange,
}: {
  value: BackendKind;
  checked: boolean;
  title: string;
  children: ReactNode;
  onChange: (value: BackendKind) => void;
}) {
  const labelledBy = useId();
  const describedBy = useId();
  return (
    <label className={`settings__choice${checked ? ' settings__choice--on' : ''}`}>
      <input
        type="radio"
        name="backend"
        value={value}
        checked={checked}
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        onChange={() => onChange(value)}
      />
      <span className="settings__choice-text">
        <span id={labelledBy} className="settings__choice-title">
          {title}
        </span>
        <span id={describedBy} className="settings__choice-description">
          {children}
        </span>
      </span>
    </label>
  );
}
