export { RESET_NAMES_SHOWN, ResetDialog, type SelectedUser } from './components/reset-dialog.tsx';
