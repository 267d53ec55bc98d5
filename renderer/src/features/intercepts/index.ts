export { InterceptDialog } from './components/intercept-dialog.tsx';
