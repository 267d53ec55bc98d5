import { useEffect, useRef } from 'react';
import './confirm-bar.css';

export interface ConfirmBarProps {
  /** The question, naming what will happen. */
  message: string;
  confirmLabel: string;
  /** The safe way back; it has the focus, so Enter never confirms by accident. */
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** `danger` for losing what was typed; `primary` for going ahead with a large change. */
  tone?: 'danger' | 'primary';
}

/** A question in a dialog's footer, in place of its buttons, asked before an action. */
export function ConfirmBar({
  message,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
  tone = 'primary',
}: ConfirmBarProps) {
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Where the question was asked from (a field, ✕, Cancel): focus goes back there after it,
    // or to the dialog when that control is gone.
    const from = document.activeElement;
    const dialog = back.current?.closest('dialog') ?? null;
    back.current?.focus();
    return () => {
      if (from instanceof HTMLElement && from.isConnected) from.focus();
      else
        (
          dialog?.querySelector<HTMLElement>('footer .button--primary:not(:disabled)') ?? dialog
        )?.focus();
    };
  }, []);
  return (
    <div className={`confirm-bar confirm-bar--${tone}`} role="group" aria-label={message}>
      <p className="confirm-bar__message">{message}</p>
      <button ref={back} type="button" className="button" onClick={onCancel}>
        {cancelLabel}
      </button>
      <button
        type="button"
        className={`button ${tone === 'danger' ? 'button--danger-solid' : 'button--primary'}`}
        onClick={onConfirm}
      >
        {confirmLabel}
      </button>
    </div>
  );
}
