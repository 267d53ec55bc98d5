import { ConfirmBar } from './confirm-bar.tsx';

export interface SaveFooterProps {
  /**
   * Once Save has asked (a large job), the question that takes the buttons' place, naming what
   * will happen; null while the dialog shows its buttons.
   */
  question: { message: string; confirmLabel: string } | null;
  onConfirm: () => void;
  /** Back from the question to the dialog. */
  onBack: () => void;
  onCancel: () => void;
  onSave: () => void;
  canSave: boolean;
  /** The job is being started: Save says so. */
  saving: boolean;
}

/** A job dialog's footer: Cancel and Save, or the question Save asked, in their place. */
export function SaveFooter({
  question,
  onConfirm,
  onBack,
  onCancel,
  onSave,
  canSave,
  saving,
}: SaveFooterProps) {
  if (question !== null)
    return (
      <ConfirmBar
        message={question.message}
        confirmLabel={question.confirmLabel}
        cancelLabel="Back"
        onConfirm={onConfirm}
        onCancel={onBack}
      />
    );
  return (
    <>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="button" className="button button--primary" disabled={!canSave} onClick={onSave}>
        {saving ? 'Starting…' : 'Save'}
      </button>
    </>
  );
}
