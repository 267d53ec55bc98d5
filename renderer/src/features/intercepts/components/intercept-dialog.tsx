import { useId, useState } from 'react';
import type { SelectionSummary } from '../../../../../shared/ipc/index.ts';
import { SaveFooter } from '../../../components/confirm-bar/save-footer.tsx';
import { Modal } from '../../../components/modal/modal.tsx';
import { formatCount, plural } from '../../../lib/format.ts';
import { errorText } from '../../../lib/query.ts';
import { useStartJob } from '../../../lib/use-start-job.ts';
import './intercept-dialog.css';

export interface InterceptDialogProps {
  userIds: readonly string[];
  /** The selection as main has it loaded (who is intercepted now). */
  summary: SelectionSummary;
  retryOf?: string;
  /** For a retry: what the job it retries did (the choice is then fixed). */
  intercepted?: boolean;
  onClose: () => void;
}

const CONFIRM_ABOVE = 1000;

/** Intercept selected (N): turns call intercept on or off for the selection, as a bulk job. */
export function InterceptDialog({
  userIds,
  summary,
  retryOf,
  intercepted: retried,
  onClose,
}: InterceptDialogProps) {
  const starting = useStartJob();
  const [chosen, setIntercepted] = useState(true);
  const fixed = retryOf !== undefined && retried !== undefined;
  const intercepted = fixed ? retried : chosen;
  const [confirming, setConfirming] = useState(false);
  const name = useId();
  const on = summary.intercepted;
  const known = summary.withEmail.count + summary.withoutEmail.count;
  const already = intercepted ? on : known - on;

  const start = () => {
    setConfirming(false);
    starting.mutate(
      {
        kind: 'intercept',
        userIds: [...userIds],
        intercepted,
        ...(retryOf === undefined ? {} : { retryOf }),
      },
      { onSuccess: onClose },
    );
  };
  const save = () => {
    if (starting.isPending) return;
    if (userIds.length > CONFIRM_ABOVE && !confirming) setConfirming(true);
    else start();
  };
  const what = intercepted ? 'on' : 'off';

  return (
    <Modal
      hidden={starting.isPending}
      title="Intercept selected users"
      description="While intercept is on, calls to a user are stopped and the caller hears an announcement instead."
      onClose={confirming ? () => setConfirming(false) : onClose}
      footer={
        <SaveFooter
          question={
            confirming
              ? {
                  message: `Turn intercept ${what} for ${plural(userIds.length, 'user')}?`,
                  confirmLabel: `Turn ${what} for ${plural(userIds.length, 'user')}`,
                }
              : null
          }
          onConfirm={start}
          onBack={() => setConfirming(false)}
          onCancel={onClose}
          onSave={save}
          canSave={!starting.isPending}
          saving={starting.isPending}
        />
      }
    >
      {fixed && (
        <p className="intercept-dialog__note">
          Retrying: intercept goes {intercepted ? 'on' : 'off'}, as in the job it retries.
        </p>
      )}
      <fieldset className="intercept-dialog" disabled={fixed}>
        <legend>For the {plural(userIds.length, 'selected user')}</legend>
        <label>
          <input
            type="radio"
            name={name}
            checked={intercepted}
            onChange={() => {
              setConfirming(false);
              setIntercepted(true);
            }}
          />{' '}
          Turn intercept on
        </label>
        <label>
          <input
            type="radio"
            name={name}
            checked={!intercepted}
            onChange={() => {
              setConfirming(false);
              setIntercepted(false);
            }}
          />{' '}
          Turn intercept off
        </label>
      </fieldset>
      <p className="intercept-dialog__note" data-testid="intercept-already">
        {already === 0
          ? `None of them has intercept ${what} now.`
          : `${formatCount(already)} of them already ${already === 1 ? 'has' : 'have'} intercept ${what}; they stay as they are.`}
      </p>
      {starting.error !== null && (
        <p className="banner banner--error" role="alert">
          {errorText(starting.error)}
        </p>
      )}
    </Modal>
  );
}
