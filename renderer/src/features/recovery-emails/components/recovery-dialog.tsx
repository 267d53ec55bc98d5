import { useState } from 'react';
import { SUMMARY_FIRST, type SelectionSummary } from '../../../../../shared/ipc/index.ts';
import { SaveFooter } from '../../../components/confirm-bar/save-footer.tsx';
import { Modal } from '../../../components/modal/modal.tsx';
import { formatCount, plural } from '../../../lib/format.ts';
import { errorText } from '../../../lib/query.ts';
import { useStartJob } from '../../../lib/use-start-job.ts';
import './recovery-dialog.css';

export interface RecoveryDialogProps {
  /** The selection, in table order. */
  userIds: readonly string[];
  /** The selection as main has it loaded: who has an email and who has none. */
  summary: SelectionSummary;
  retryOf?: string;
  onClose: () => void;
  /** Opens Edit user for a user without an email; the dialog comes back after it. */
  onAddEmail: (userId: string) => void;
  /** Selects these users in the table (the ones without email, to reset them instead). */
  onSelectUsers: (userIds: readonly string[]) => void;
  /** Set when the backend keeps the emails in its Outbox instead of mailing them. */
  outboxOnly: boolean;
}

/** Rows of each list drawn (the summary's first); the rest are counted ("and N more"). */
const SHOWN = SUMMARY_FIRST;
const CONFIRM_ABOVE = 1000;

/**
 * Forgot Password(s): who will get a recovery link (the users with an email) and who will not.
 * Save runs a recovery-email job for the selection; the backend sends only to those with an
 * email, and the others end as "skipped" with the reason.
 */
export function RecoveryDialog({
  userIds,
  summary,
  retryOf,
  onClose,
  onAddEmail,
  onSelectUsers,
  outboxOnly,
}: RecoveryDialogProps) {
  const starting = useStartJob();
  const [confirming, setConfirming] = useState(false);
  const { withEmail, withoutEmail, notLoaded } = summary;
  const sendable = withEmail.count + notLoaded;
  const canSave = sendable > 0 && !starting.isPending;

  const start = () => {
    setConfirming(false);
    starting.mutate(
      {
        kind: 'recovery-email',
        userIds: [...userIds],
        ...(retryOf === undefined ? {} : { retryOf }),
      },
      { onSuccess: onClose },
    );
  };
  const save = () => {
    if (!canSave) return;
    if (sendable > CONFIRM_ABOVE && !confirming) setConfirming(true);
    else start();
  };

  return (
    <Modal
      hidden={starting.isPending}
      title="Email password recovery links"
      description="The users with an email will receive a password reset link, valid for 20 minutes."
      width="wide"
      onClose={confirming ? () => setConfirming(false) : onClose}
      footer={
        <SaveFooter
          question={
            confirming
              ? {
                  message: `Email recovery links to ${plural(sendable, 'user')}?`,
                  confirmLabel: `Send ${plural(sendable, 'link')}`,
                }
              : null
          }
          onConfirm={start}
          onBack={() => setConfirming(false)}
          onCancel={onClose}
          onSave={save}
          canSave={canSave}
          saving={starting.isPending}
        />
      }
    >
      <div className="recovery-dialog">
        {outboxOnly && (
          <p className="banner banner--info" data-testid="outbox-only">
            The built-in backend has no mail server: the links go to its Outbox (Outbox in the
            header), not to the users’ mailboxes. Open them there to try the end user’s page.
          </p>
        )}
        <section aria-labelledby="recovery-with">
          <h3 id="recovery-with">Users with email ({formatCount(withEmail.count)})</h3>
          {withEmail.count === 0 ? (
            <p className="recovery-dialog__none">Nobody in the selection has an email address.</p>
          ) : (
            <ul className="recovery-dialog__list" data-testid="with-email">
              {withEmail.first.slice(0, SHOWN).map((user) => (
                <li key={user.id}>
                  <span className="recovery-dialog__id">{user.id}</span> {user.firstName}{' '}
                  {user.lastName}{' '}
                  <span className="recovery-dialog__muted">
                    ({user.id} - {user.email})
                  </span>
                </li>
              ))}
              {withEmail.count > SHOWN && (
                <li className="recovery-dialog__more">
                  and {formatCount(withEmail.count - SHOWN)} more
                </li>
              )}
            </ul>
          )}
        </section>
        <section aria-labelledby="recovery-without">
          <h3 id="recovery-without">Users without email ({formatCount(withoutEmail.count)})</h3>
          {withoutEmail.count === 0 ? (
            <p className="recovery-dialog__none">Everyone selected has an email address.</p>
          ) : (
            <ul className="recovery-dialog__list" data-testid="without-email">
              {withoutEmail.first.slice(0, SHOWN).map((user) => (
                <li key={user.id}>
                  <span className="recovery-dialog__id">{user.id}</span> {user.firstName}{' '}
                  {user.lastName} <span className="recovery-dialog__muted">({user.id})</span>
                  <button
                    type="button"
                    className="button button--small recovery-dialog__add"
                    onClick={() => onAddEmail(user.id)}
                    aria-label={`Add email for ${user.firstName} ${user.lastName} (${user.id})`}
                  >
                    Add email
                  </button>
                </li>
              ))}
              {withoutEmail.count > SHOWN && (
                <li className="recovery-dialog__more">
                  and {formatCount(withoutEmail.count - SHOWN)} more
                </li>
              )}
            </ul>
          )}
          {withoutEmail.count > 0 && (
            <button
              type="button"
              className="button button--small recovery-dialog__select"
              onClick={() => onSelectUsers(withoutEmail.ids)}
            >
              Select the {plural(withoutEmail.count, 'user')} without email in the table
            </button>
          )}
        </section>
        {notLoaded > 0 && (
          <p className="recovery-dialog__note">
            {plural(notLoaded, 'user')} {notLoaded === 1 ? 'is' : 'are'} not loaded in the table:
            the backend sends a link if they have an email.
          </p>
        )}
        {sendable === 0 ? (
          <p className="banner banner--info" role="status">
            None of the selected users has an email address, so no link can be sent. Add one with
            “Add email”, or use Reset Password(s) to set their passwords yourself.
          </p>
        ) : (
          withoutEmail.count > 0 && (
            <p className="recovery-dialog__note">
              Only the users with an email get a link; the others are listed in the job’s results as
              skipped.
            </p>
          )
        )}
        {starting.error !== null && (
          <p className="banner banner--error" role="alert">
            {errorText(starting.error)}
          </p>
        )}
      </div>
    </Modal>
  );
}
