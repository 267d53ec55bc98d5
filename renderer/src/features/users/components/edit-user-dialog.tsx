import { useId, useState } from 'react';
import { Email, type User } from '../../../../../shared/api/index.ts';
import { useDiscardGuard } from '../../../components/confirm-bar/use-discard-guard.tsx';
import { Modal } from '../../../components/modal/modal.tsx';
import { errorText } from '../../../lib/query.ts';
import { useLocations, useUpdateUser } from '../api/users.ts';
import './edit-user-dialog.css';

export interface EditUserDialogProps {
  /** The user as the table has them; undefined when they are not loaded here. */
  user: User | undefined;
  userId: string;
  onClose: () => void;
}

/** What is wrong with a typed email address, or null (empty means "no email"). */
export function emailProblem(text: string): string | null {
  if (text.trim() === '') return null;
  if (text !== text.trim()) return 'Remove the spaces before or after the address.';
  if (!text.includes('@')) return 'An email address needs an @, as in name@example.com.';
  return Email.safeParse(text).success
    ? null
    : 'This is not a valid email address: it needs a name, an @ and a domain, as in name@example.com.';
}

/**
 * Edit user: the user's details, and their email address checked as it is typed. Apply saves it
 * through the backend (which voids the user's live recovery links when the address changes);
 * a refusal is shown here, and nothing else changes.
 */
export function EditUserDialog({ user, userId, onClose }: EditUserDialogProps) {
  const update = useUpdateUser();
  const locations = useLocations();
  const locationName =
    locations.data?.find((location) => location.id === user?.locationId)?.name ?? null;
  const [email, setEmail] = useState(user?.email ?? '');
  const fieldId = useId();
  const messageId = useId();
  const problem = emailProblem(email);
  const saved = user?.email ?? '';
  const changed = email.trim() !== saved;
  const discard = useDiscardGuard(changed, onClose, 'the email address you typed');
  const canApply = user !== undefined && changed && problem === null && !update.isPending;

  const apply = () => {
    if (!canApply || discard.asking) return;
    update.mutate(
      { userId, email: email.trim() === '' ? null : email.trim() },
      { onSuccess: onClose },
    );
  };

  return (
    <Modal
      title="Edit user"
      description={user === undefined ? userId : `${user.firstName} ${user.lastName} · ${userId}`}
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
              disabled={!canApply}
              onClick={apply}
            >
              {update.isPending ? 'Applying…' : 'Apply'}
            </button>
          </>
        )
      }
    >
      {user === undefined ? (
        <p className="banner banner--error" role="alert">
          This user is not loaded in the table; pick their location (or All locations) and try
          again.
        </p>
      ) : (
        <form
          className="edit-user"
          onSubmit={(event) => {
            event.preventDefault();
            apply();
          }}
        >
          <dl className="edit-user__details">
            <dt>User ID</dt>
            <dd>{user.id}</dd>
            <dt>Name</dt>
            <dd>
              {user.firstName} {user.lastName}
            </dd>
            <dt>Phone number</dt>
            <dd>{user.phoneNumber ?? '—'}</dd>
            <dt>Extension</dt>
            <dd>{user.extension ?? '—'}</dd>
            <dt>Location</dt>
            <dd>{locationName ?? user.locationId}</dd>
          </dl>
          <label htmlFor={fieldId} className="field-label">
            Email
          </label>
          <input
            id={fieldId}
            className="search edit-user__email"
            type="email"
            autoComplete="off"
            spellCheck={false}
            value={email}
            placeholder="No email: recovery links cannot be sent"
            aria-invalid={problem !== null}
            aria-describedby={messageId}
            onChange={(event) => setEmail(event.target.value)}
          />
          <p
            id={messageId}
            className={`edit-user__message${problem === null ? '' : ' edit-user__message--bad'}`}
            aria-live="polite"
          >
            {problem ??
              (email.trim() === ''
                ? 'Leave it empty for no email.'
                : changed && saved !== ''
                  ? 'Changing it voids any recovery link sent to the old address.'
                  : ' ')}
          </p>
          {update.error !== null && (
            <p className="banner banner--error" role="alert">
              The backend did not save it: {errorText(update.error)} Nothing was changed.
            </p>
          )}
          <button type="submit" hidden />
        </form>
      )}
    </Modal>
  );
}
