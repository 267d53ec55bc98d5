export {
  LAST_ACTIONS_KEY,
  patchLoadedUsers,
  USERS_KEY,
  useUserLookup,
  usersMayHaveChanged,
} from './api/users.ts';
export { EditUserDialog } from './components/edit-user-dialog.tsx';
export { UsersPanel } from './components/users-panel.tsx';
