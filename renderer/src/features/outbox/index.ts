export { OUTBOX_KEY } from './api/outbox.ts';
export { OutboxDialog } from './components/outbox-dialog.tsx';
