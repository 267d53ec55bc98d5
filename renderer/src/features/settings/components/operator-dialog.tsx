import { useId, useState } from 'react';
import { useDiscardGuard } from '../../../components/confirm-bar/use-discard-guard.tsx';
import { Modal } from '../../../components/modal/modal.tsx';
import { errorText } from '../../../lib/query.ts';
import { useSettings, useUpdateSettings } from '../api/settings.ts';

/** Who the audit trail names for this computer's jobs. */
export function OperatorDialog({ onClose }: { onClose: () => void }) {
  const query = useSettings();
  const update = useUpdateSettings();
  const settings = query.data ?? null;
  // What was typed; until then, the saved name.
  const [typed, setTyped] = useState<string | null>(null);
  const name = typed ?? settings?.operatorName ?? '';
  const failure = query.error ?? update.error;
  const error = failure === null ? null : errorText(failure);
  const inputId = useId();

  const discard = useDiscardGuard(
    settings !== null && name !== settings.operatorName,
    onClose,
    'the name you typed',
  );

  const save = () => update.mutate({ operatorName: name }, { onSuccess: onClose });

  return (
    <Modal
      title="Operator"
      description="The name the audit trail gives you for the jobs you run on this computer."
      onClose={discard.requestClose}
      footer={
        discard.bar ?? (
          <>
            <button type="button" className="button" onClick={discard.requestClose}>
              Cancel
            </button>
            <button
              type="button"
              className="button button--primary"
              disabled={settings === null || update.isPending}
              onClick={save}
            >
              Save
            </button>
          </>
        )
      }
    >
      <form
        className="operator-form"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <label htmlFor={inputId} className="field-label">
          Your name
        </label>
        <input
          id={inputId}
          className="search"
          value={name}
          maxLength={100}
          placeholder={
            settings === null ? '' : `Leave empty to use “${settings.effectiveOperator}”`
          }
          onChange={(event) => setTyped(event.target.value)}
        />
        {error !== null && (
          <p className="banner banner--error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Modal>
  );
}
