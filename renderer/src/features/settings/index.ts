export { SETTINGS_KEY } from './api/settings.ts';
export { SettingsDialog } from './components/settings-dialog.tsx';
