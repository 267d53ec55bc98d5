export { UsersPanel } from './components/users-panel.tsx';
export type { ResetRequest, SelectRequest } from './components/users-panel.tsx';
