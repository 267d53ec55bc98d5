import { useState, type ReactNode } from 'react';
import { ConfirmBar } from './confirm-bar.tsx';

/**
 * Closing a dialog that holds typed values (Escape, ✕, Cancel) asks first. `requestClose` is
 * what the dialog's close controls call; `bar` is the question to show in its footer, or null.
 */
export function useDiscardGuard(
  dirty: boolean,
  onClose: () => void,
  what = 'what you typed',
): { requestClose: () => void; bar: ReactNode } {
  const [asking, setAsking] = useState(false);
  const requestClose = () => {
    if (dirty) setAsking(true);
    else onClose();
  };
  const bar =
    asking && dirty ? (
      <ConfirmBar
        tone="danger"
        message={`Discard ${what}?`}
        confirmLabel="Discard"
        cancelLabel="Keep editing"
        onConfirm={onClose}
        onCancel={() => setAsking(false)}
      />
    ) : null;
  return { requestClose, bar };
}
