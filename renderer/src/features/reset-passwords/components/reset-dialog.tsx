import { useId, useState } from 'react';
import { API_SINCE, apiHas } from '../../../../../shared/api/index.ts';
import {
  checkSecret,
  generateSecret,
  SECRET_NOUNS,
  type RuleSets,
  type SecretKind,
} from '../../../../../shared/rules/index.ts';
import { SaveFooter } from '../../../components/confirm-bar/save-footer.tsx';
import { useDiscardGuard } from '../../../components/confirm-bar/use-discard-guard.tsx';
import { Modal } from '../../../components/modal/modal.tsx';
import { RuleChecklist } from '../../../components/rule-checklist/rule-checklist.tsx';
import { RulesHint } from '../../../components/rules-hint/rules-hint.tsx';
import { SecretInput } from '../../../components/secret-input/secret-input.tsx';
import { formatCount, plural } from '../../../lib/format.ts';
import { errorText } from '../../../lib/query.ts';
import { useConnection } from '../../../lib/use-connection.ts';
import { useStartJob } from '../../../lib/use-start-job.ts';
import { useRules } from '../../../lib/use-rules.ts';
import './reset-dialog.css';

export interface SelectedUser {
  id: string;
  name: string | null;
}

export interface ResetDialogProps {
  users: readonly SelectedUser[];
  /** Set when this runs a job again for the users a previous job did not reach. */
  retryOf?: string;
  /** For a retry: whether the job it retries set temporary secrets (the choice is then fixed). */
  temporary?: boolean;
  onClose: () => void;
}

/** The selected users the dialog names; the rest are counted. */
export const RESET_NAMES_SHOWN = 5;
/** Above this many users, Save asks once more, naming the count. */
export const CONFIRM_ABOVE = 1000;

/** Why the backend in use cannot take Temporary, or null when it can. */
function temporaryUnavailable(apiVersion: string | null): string | null {
  if (apiHas(apiVersion, 'temporarySecrets')) return null;
  return apiVersion === null
    ? 'Not available until the backend answers: PassDesk cannot tell yet whether it can mark secrets temporary.'
    : `Not available: this backend speaks PassDesk API ${apiVersion}, and marking secrets temporary needs API ${API_SINCE.temporarySecrets} or later.`;
}

/**
 * Reset Password(s): either or both secrets for the selection, each checked live by the shared
 * rules, set as temporary unless unticked (the same value for many users must not stay theirs).
 * Save starts a bulk job in the main process and closes the dialog; the values are dropped with
 * the dialog.
 */
export function ResetDialog({ users, retryOf, temporary: retried, onClose }: ResetDialogProps) {
  const { rules } = useRules();
  const starting = useStartJob();
  const connection = useConnection();
  const [values, setValues] = useState<Record<SecretKind, string>>({
    applicationPassword: '',
    voicePortalPasscode: '',
  });
  const [confirming, setConfirming] = useState(false);
  const [chosenTemporary, setTemporary] = useState(true);
  const temporaryId = useId();
  const fixed = retryOf !== undefined;
  const unavailable = temporaryUnavailable(connection?.apiVersion ?? null);
  const temporary = fixed ? retried === true : chosenTemporary && unavailable === null;

  const filled = (Object.keys(values) as SecretKind[]).filter((kind) => values[kind] !== '');
  const valid = filled.every((kind) =>
    checkSecret(kind, values[kind], { rules: rules[kind] }).every((c) => c.ok),
  );
  const canSave = filled.length > 0 && valid && !starting.isPending;
  const discard = useDiscardGuard(filled.length > 0, onClose, 'the values you typed');
  const what = filled.map((kind) => SECRET_NOUNS[kind].title).join(' and ');

  const save = () => {
    if (!canSave || discard.asking) return;
    if (users.length > CONFIRM_ABOVE && !confirming) {
      setConfirming(true);
      return;
    }
    start();
  };

  const start = () => {
    setConfirming(false);
    starting.mutate(
      {
        kind: 'password-reset',
        userIds: users.map((u) => u.id),
        ...(values.applicationPassword === ''
          ? {}
          : { applicationPassword: values.applicationPassword }),
        ...(values.voicePortalPasscode === ''
          ? {}
          : { voicePortalPasscode: values.voicePortalPasscode }),
        ...(temporary ? { temporary: true } : {}),
        ...(retryOf === undefined ? {} : { retryOf }),
      },
      {
        onSuccess: () => {
          setValues({ applicationPassword: '', voicePortalPasscode: '' });
          onClose();
        },
      },
    );
  };

  // The dialog goes away at Save; it comes back, as it was, only if the job cannot start.
  return (
    <Modal
      hidden={starting.isPending}
      title={retryOf === undefined ? 'Reset passwords' : 'Reset passwords again'}
      description="Sets a new Application Password, Voice Portal Passcode or both for the selected users."
      // Escape answers the question on screen with its safe choice, else asks before closing.
      onClose={confirming ? () => setConfirming(false) : discard.requestClose}
      footer={
        discard.bar ?? (
          <SaveFooter
            question={
              confirming && canSave
                ? {
                    message: `Set the ${what} of ${plural(users.length, 'user')}${temporary ? ' as temporary' : ''}? This cannot be undone.`,
                    confirmLabel: `Reset ${plural(users.length, 'user')}`,
                  }
                : null
            }
            onConfirm={start}
            onBack={() => setConfirming(false)}
            onCancel={discard.requestClose}
            onSave={save}
            canSave={canSave}
            saving={starting.isPending}
          />
        )
      }
    >
      <section className="reset-dialog__selection" aria-labelledby="reset-selection-title">
        <h3 id="reset-selection-title">Current selection ({formatCount(users.length)})</h3>
        <ul>
          {users.slice(0, RESET_NAMES_SHOWN).map((user) => (
            <li key={user.id}>
              <span className="reset-dialog__id">{user.id}</span>
              {user.name !== null && <span className="reset-dialog__name">{user.name}</span>}
            </li>
          ))}
          {users.length > RESET_NAMES_SHOWN && (
            <li className="reset-dialog__more">
              and {formatCount(users.length - RESET_NAMES_SHOWN)} more
            </li>
          )}
        </ul>
      </section>
      <form
        className="reset-dialog__fields"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        {(['applicationPassword', 'voicePortalPasscode'] as const).map((kind) => (
          <SecretField
            key={kind}
            kind={kind}
            rules={rules}
            value={values[kind]}
            onChange={(value) => {
              // A changed value needs Save again: the question was about the old one.
              setConfirming(false);
              setValues((previous) => ({ ...previous, [kind]: value }));
            }}
          />
        ))}
        <p className="reset-dialog__hint">
          Fill in either field or both. Leave a field empty to keep that secret as it is.
        </p>
        <div className="reset-dialog__temporary">
          <input
            type="checkbox"
            id={temporaryId}
            checked={temporary}
            disabled={fixed || unavailable !== null}
            aria-describedby={`${temporaryId}-note`}
            onChange={(event) => {
              setConfirming(false);
              setTemporary(event.target.checked);
            }}
          />
          <label htmlFor={temporaryId}>Temporary: the user must choose their own</label>
          <p id={`${temporaryId}-note`} className="reset-dialog__hint">
            {fixed
              ? `Retrying: the secrets are set ${retried === true ? 'as temporary' : 'as they are, not temporary'}, as in the job it retries.`
              : (unavailable ??
                'The backend marks the new values as temporary, and the user’s reset page asks them to choose their own.')}
          </p>
        </div>
        {starting.error !== null && (
          <p className="banner banner--error" role="alert">
            {errorText(starting.error)}
          </p>
        )}
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}

function SecretField({
  kind,
  rules,
  value,
  onChange,
}: {
  kind: SecretKind;
  rules: RuleSets;
  value: string;
  onChange: (value: string) => void;
}) {
  const inputId = useId();
  const checksId = useId();
  const breaks =
    value !== '' && checkSecret(kind, value, { rules: rules[kind] }).some((c) => !c.ok);
  return (
    <div className="reset-dialog__field" data-kind={kind}>
      <div className="reset-dialog__label">
        <label htmlFor={inputId} className="field-label">
          {SECRET_NOUNS[kind].title}
        </label>
        <RulesHint kind={kind} rules={rules[kind]} variant={breaks ? 'warning' : 'help'} />
      </div>
      <div className="reset-dialog__input">
        <SecretInput
          id={inputId}
          value={value}
          onChange={onChange}
          placeholder="Leave empty to keep it"
          describedBy={checksId}
          invalid={breaks}
        />
        <button
          type="button"
          className="button"
          onClick={() => onChange(generateSecret(kind, { rules: rules[kind] }))}
        >
          Generate
        </button>
      </div>
      {value !== '' && (
        <div id={checksId}>
          <RuleChecklist kind={kind} rules={rules[kind]} value={value} />
        </div>
      )}
    </div>
  );
}
