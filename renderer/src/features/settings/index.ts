export { OperatorDialog } from './components/operator-dialog.tsx';
