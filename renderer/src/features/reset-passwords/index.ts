export { ResetDialog, type SelectedUser } from './components/reset-dialog.tsx';
