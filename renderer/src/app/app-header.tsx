import { useCommands } from '../lib/commands.tsx';
import { useConnection } from '../lib/use-connection.ts';
import { BackendStatus } from './backend-status.tsx';
import { useAppInfo } from './use-app-info.ts';

export function AppHeader({
  onShowRules,
  onShowSettings,
}: {
  onShowRules: () => void;
  onShowSettings: () => void;
}) {
  const info = useAppInfo();
  const connection = useConnection();
  const commands = useCommands();
  // Until main tells of the new backend's connection, the status is the old one's.
  const current =
    info !== null &&
    connection !== null &&
    connection.backend.kind === info.backend.kind &&
    connection.backend.url === info.backend.url
      ? connection
      : null;
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <svg className="app-header__logo" viewBox="0 0 32 32" aria-hidden="true">
          <rect width="32" height="32" rx="8" />
          <path d="M11 15v-3a5 5 0 0 1 10 0v3M9 15h14v10H9z" />
        </svg>
        <h1 className="app-header__title">{info?.name ?? 'PassDesk'}</h1>
        {info !== null && <span className="app-header__version">v{info.version}</span>}
      </div>
      <div className="app-header__side">
        {info !== null && (
          <BackendStatus
            backend={info.backend}
            connection={current}
            onOpenSettings={onShowSettings}
          />
        )}
        {/* Only the built-in backend keeps an outbox. */}
        {info?.backend.kind === 'built-in' && (
          <button
            type="button"
            className="app-header__button"
            onClick={() => commands.open({ kind: 'outbox' })}
          >
            Outbox
          </button>
        )}
        <button type="button" className="app-header__button" onClick={onShowRules}>
          Password rules
        </button>
        <button type="button" className="app-header__button" onClick={onShowSettings}>
          Settings
        </button>
      </div>
    </header>
  );
}
