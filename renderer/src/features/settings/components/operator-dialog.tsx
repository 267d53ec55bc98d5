import { useEffect, useId, useState } from 'react';
import type { Settings } from '../../../../../shared/ipc/index.ts';
import { useDiscardGuard } from '../../../components/confirm-bar/use-discard-guard.tsx';
import { Modal } from '../../../components/modal/modal.tsx';
import { getApi } from '../../../lib/api.ts';

/** Who the audit trail names for this computer's jobs. */
export function OperatorDialog({ onClose }: { onClose: () => void }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();

  useEffect(() => {
    let live = true;
    void getApi()
      .getSettings()
      .then((result) => {
        if (!live) return;
        if (result.ok) {
          setSettings(result.data);
          setName(result.data.operatorName);
        } else setError(result.message);
      });
    return () => {
      live = false;
    };
  }, []);

  const discard = useDiscardGuard(
    settings !== null && name !== settings.operatorName,
    onClose,
    'the name you typed',
  );

  const save = () => {
    void getApi()
      .updateSettings({ operatorName: name })
      .then((result) => {
        if (result.ok) onClose();
        else setError(result.message);
      });
  };

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
              disabled={settings === null}
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
          onChange={(event) => setName(event.target.value)}
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
