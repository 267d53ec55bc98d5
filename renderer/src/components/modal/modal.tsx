import { useEffect, useRef, type ReactNode } from 'react';
import './modal.css';

export interface ModalProps {
  title: string;
  /** One line under the title. */
  description?: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  width?: 'normal' | 'medium' | 'wide';
  /**
   * Hides the dialog but keeps it (and what was typed in it) until it is shown again or closed:
   * for a dialog that goes away at once while its owner waits for an answer.
   */
  hidden?: boolean;
}

/**
 * A modal dialog on the native <dialog>: focus stays inside, Escape and the ✕ close it, and
 * focus goes back to where it was.
 */
export function Modal({
  title,
  description,
  onClose,
  children,
  footer,
  width = 'normal',
  hidden = false,
}: ModalProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const element = dialog.current;
    opener.current = document.activeElement;
    return () => {
      if (element?.open === true) element.close();
      if (opener.current instanceof HTMLElement) opener.current.focus();
    };
  }, []);
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (!hidden && !element.open) {
      element.showModal();
      // Straight to the first field, or else the main button, rather than to ✕ in the header.
      element
        .querySelector<HTMLElement>(
          '.modal__body :is(input, select, textarea), .modal__footer .button--primary:not(:disabled)',
        )
        ?.focus();
    }
    if (hidden && element.open) {
      element.close();
      if (opener.current instanceof HTMLElement) opener.current.focus();
    }
  }, [hidden]);
  return (
    <dialog
      ref={dialog}
      className={`modal modal--${width}`}
      // Focusable itself, so focus has somewhere to go inside it when a control goes away.
      tabIndex={-1}
      aria-labelledby="modal-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        // Handled here, so the dialog closes through its owner's state, never on its own.
        event.preventDefault();
        onClose();
      }}
    >
      <header className="modal__header">
        <div>
          <h2 id="modal-title">{title}</h2>
          {description !== undefined && <p className="modal__description">{description}</p>}
        </div>
        <button type="button" className="modal__close" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </header>
      <div className="modal__body">{children}</div>
      {footer !== undefined && <footer className="modal__footer">{footer}</footer>}
    </dialog>
  );
}
