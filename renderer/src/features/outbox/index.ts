export { OutboxDialog } from './components/outbox-dialog.tsx';
