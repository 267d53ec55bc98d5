export { RecoveryDialog } from './components/recovery-dialog.tsx';
