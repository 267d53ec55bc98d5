import { Modal } from '../components/modal/modal.tsx';
import { ErrorBoundary } from '../components/error-boundary/error-boundary.tsx';
import { ResetDialog, type SelectedUser } from '../features/reset-passwords/index.ts';
import { RulesPreview } from '../features/rules-preview/index.ts';
import { OperatorDialog } from '../features/settings/index.ts';
import { useUserLookup } from '../features/users/index.ts';
import { useCommands, useCommandState } from '../lib/commands.tsx';

/**
 * The one dialog a command opened, with what it needs from other features (the users' names
 * from the users feature's cache). Opening another replaces it; closing it clears the command.
 */
export function ActiveDialog() {
  const dialog = useCommandState((state) => state.dialog);
  const commands = useCommands();
  const lookup = useUserLookup();
  if (dialog === null) return null;
  const selected = (userIds: readonly string[]): SelectedUser[] =>
    lookup(userIds).map((user, index) => ({
      id: user?.id ?? userIds[index] ?? '',
      name: user === undefined ? null : `${user.firstName} ${user.lastName}`,
    }));
  switch (dialog.kind) {
    case 'password-reset':
      return (
        <ResetDialog
          users={selected(dialog.userIds)}
          {...(dialog.retryOf === undefined ? {} : { retryOf: dialog.retryOf })}
          onClose={commands.close}
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
    case 'operator':
      return <OperatorDialog onClose={commands.close} />;
    default:
      return null;
  }
}
