export { LAST_ACTIONS_KEY, USERS_KEY, useUserLookup } from './api/users.ts';
export { UsersPanel } from './components/users-panel.tsx';
