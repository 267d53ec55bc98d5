import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorBoundary } from '../components/error-boundary/error-boundary.tsx';
import { Modal } from '../components/modal/modal.tsx';
import { InterceptDialog } from '../features/intercepts/index.ts';
import { LicenseDialog } from '../features/licenses/index.ts';
import { OutboxDialog } from '../features/outbox/index.ts';
import { RecoveryDialog } from '../features/recovery-emails/index.ts';
import { RESET_NAMES_SHOWN, ResetDialog } from '../features/reset-passwords/index.ts';
import { RulesPreview } from '../features/rules-preview/index.ts';
import { SettingsDialog } from '../features/settings/index.ts';
import type { User } from '../../../shared/api/index.ts';
import type { SelectionSummary } from '../../../shared/ipc/index.ts';
import { EditUserDialog, selectionSummary, usersByIds } from '../features/users/index.ts';
import { useCommands, useCommandState, type DialogRequest } from '../lib/commands.tsx';
import { plural } from '../lib/format.ts';
import { useAppInfo } from './use-app-info.ts';

const idsOf = (dialog: DialogRequest | null): readonly string[] => {
  if (dialog === null) return [];
  if ('userIds' in dialog) return dialog.userIds;
  return dialog.kind === 'edit-user' ? [dialog.userId] : [];
};

/** The dialogs that judge every selected user: they read main's summary of the selection. */
const SUMMARIZED: ReadonlySet<DialogRequest['kind']> = new Set([
  'recovery-email',
  'intercept',
  'license',
]);

/**
 * What a dialog needs of its users, from main: the reset dialog names only the first few (it
 * counts the rest, and the job takes the ids), Edit user its one user; the others judge every
 * user (who has an email, who is intercepted, which licenses each has) from main's summary,
 * made there, so that 100,000 users are not carried to the window to be counted.
 */
interface DialogUsers {
  /** The users named, in the selection's order (undefined for one main has not loaded). */
  users: (User | undefined)[];
  summary: SelectionSummary;
}

/** Nothing known of these users (main could not say): each is shown as not loaded. */
const unknownSummary = (count: number): SelectionSummary => ({
  notLoaded: count,
  withEmail: { count: 0, first: [] },
  withoutEmail: { count: 0, first: [], ids: [] },
  intercepted: 0,
  licenseSets: [],
});

/** Each dialog request, numbered: what a dialog lists is looked up once per dialog opened. */
const dialogNumbers = new WeakMap<DialogRequest, number>();
let lastNumber = 0;
const numberOf = (dialog: DialogRequest | null): number => {
  if (dialog === null) return 0;
  let number = dialogNumbers.get(dialog);
  if (number === undefined) {
    lastNumber += 1;
    number = lastNumber;
    dialogNumbers.set(dialog, number);
  }
  return number;
};

/**
 * What the dialog needs of its users (see `DialogUsers`), looked up when it opens: undefined
 * until it is there (main's part takes about 50 ms for 100,000 users; carrying their ids to
 * main is the rest).
 */
function useDialogUsers(dialog: DialogRequest | null): DialogUsers | undefined {
  const ids = idsOf(dialog);
  const summarized = dialog !== null && SUMMARIZED.has(dialog.kind);
  const named = summarized
    ? []
    : ids.slice(0, dialog?.kind === 'password-reset' ? RESET_NAMES_SHOWN : ids.length);
  const query = useQuery({
    queryKey: ['dialog-users', numberOf(dialog)],
    queryFn: async (): Promise<DialogUsers> =>
      summarized
        ? { users: [], summary: await selectionSummary(ids) }
        : {
            users: (await usersByIds(named)).map((user) => user ?? undefined),
            summary: unknownSummary(0),
          },
    enabled: ids.length > 0,
    gcTime: 0,
  });
  if (ids.length === 0) return { users: [], summary: unknownSummary(0) };
  // Not looked up (main could not say): the dialog opens, each user shown as not loaded.
  if (query.isError)
    return { users: named.map(() => undefined), summary: unknownSummary(ids.length) };
  return query.data;
}

/** How long a dialog may wait for its users before it says it is reading them. */
const READING_SHOWN_AFTER_MS = 150;

/**
 * True once the wait named by `waiting` (a dialog's number; null: none) has lasted
 * `READING_SHOWN_AFTER_MS`, so that a quick answer shows nothing.
 */
function useLongWait(waiting: number | null): boolean {
  const [longFor, setLongFor] = useState<number | null>(null);
  useEffect(() => {
    if (waiting === null) return;
    const timer = setTimeout(() => setLongFor(waiting), READING_SHOWN_AFTER_MS);
    return () => clearTimeout(timer);
  }, [waiting]);
  return waiting !== null && longFor === waiting;
}

/**
 * The one dialog a command opened, with what it needs from other features (the selected users
 * as main has them loaded). Opening another replaces it; closing it clears the
 * command, or goes back to the dialog it was opened from.
 */
export function ActiveDialog() {
  const dialog = useCommandState((state) => state.dialog);
  const commands = useCommands();
  const info = useAppInfo();
  const looked = useDialogUsers(dialog);
  const reading = useLongWait(dialog !== null && looked === undefined ? numberOf(dialog) : null);
  if (dialog === null) return null;
  // The dialog opens once its users are there (it lists them and counts their emails); a large
  // selection takes a moment, which the operator sees, and may cancel.
  if (looked === undefined) {
    if (!reading) return null;
    const count = idsOf(dialog).length;
    return (
      <Modal title="Opening…" onClose={commands.close}>
        <p role="status">Reading the {plural(count, 'selected user')}…</p>
      </Modal>
    );
  }
  const { users, summary } = looked;
  const retry = (retryOf: string | undefined) => (retryOf === undefined ? {} : { retryOf });
  switch (dialog.kind) {
    case 'password-reset':
      return (
        <ResetDialog
          users={dialog.userIds.map((id, index) => {
            const user = users[index];
            return { id, name: user === undefined ? null : `${user.firstName} ${user.lastName}` };
          })}
          {...retry(dialog.retryOf)}
          {...(dialog.temporary === undefined ? {} : { temporary: dialog.temporary })}
          onClose={commands.close}
        />
      );
    case 'recovery-email':
      return (
        <RecoveryDialog
          userIds={dialog.userIds}
          summary={summary}
          {...retry(dialog.retryOf)}
          onClose={commands.close}
          onAddEmail={(userId) => commands.open({ kind: 'edit-user', userId, returnTo: dialog })}
          onSelectUsers={(userIds) => {
            commands.close();
            commands.selectUsers(userIds);
          }}
          outboxOnly={info?.backend.kind === 'built-in'}
        />
      );
    case 'intercept':
      return (
        <InterceptDialog
          userIds={dialog.userIds}
          summary={summary}
          {...retry(dialog.retryOf)}
          {...(dialog.intercepted === undefined ? {} : { intercepted: dialog.intercepted })}
          onClose={commands.close}
        />
      );
    case 'license':
      return (
        <LicenseDialog
          userIds={dialog.userIds}
          summary={summary}
          {...retry(dialog.retryOf)}
          {...(dialog.add === undefined ? {} : { add: dialog.add })}
          {...(dialog.remove === undefined ? {} : { remove: dialog.remove })}
          onClose={commands.close}
        />
      );
    case 'edit-user':
      return (
        <EditUserDialog
          key={dialog.userId}
          user={users[0]}
          userId={dialog.userId}
          onClose={() =>
            dialog.returnTo === undefined ? commands.close() : commands.open(dialog.returnTo)
          }
        />
      );
    case 'rules':
      return (
        <Modal title="Password rules" width="wide" onClose={commands.close}>
          <ErrorBoundary panel="rules panel">
            <RulesPreview />
          </ErrorBoundary>
        </Modal>
      );
    case 'settings':
      return <SettingsDialog onClose={commands.close} />;
    case 'outbox':
      return <OutboxDialog onClose={commands.close} />;
  }
}
