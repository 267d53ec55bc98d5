export { LicenseDialog } from './components/license-dialog.tsx';
