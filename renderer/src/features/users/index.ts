export { LAST_ACTIONS_KEY, selectionSummary, USERS_KEY, usersByIds } from './api/users.ts';
export { EditUserDialog } from './components/edit-user-dialog.tsx';
export { UsersPanel } from './components/users-panel.tsx';
