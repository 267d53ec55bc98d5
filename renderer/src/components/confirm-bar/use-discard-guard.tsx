import { useState, type ReactNode } from 'react';
import { ConfirmBar } from './confirm-bar.tsx';

/**
 * Closing a dialog that holds typed values (Escape, ✕, Cancel) asks first. `requestClose` is
 * what the dialog's close controls call (while the question is up, it means "Keep editing");
 * `bar` is the question to show in its footer, or null; `asking` says it is up.
 */
export function useDiscardGuard(
  dirty: boolean,
  onClose: () => void,
  what = 'what you typed',
): { requestClose: () => void; bar: ReactNode; asking: boolean } {
  const [asking, setAsking] = useState(false);
  const requestClose = () => {
    if (asking) setAsking(false);
    else if (dirty) setAsking(true);
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
  return { requestClose, bar, asking: asking && dirty };
}
