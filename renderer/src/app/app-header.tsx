import { useCommands } from '../lib/commands.tsx';
import { useAppInfo } from './use-app-info.ts';

export function AppHeader({
  onShowRules,
  onShowOperator,
}: {
  onShowRules: () => void;
  onShowOperator: () => void;
}) {
  const info = useAppInfo();
  const commands = useCommands();
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
          <p className="app-header__backend" title={info.backend.url}>
            <span className="app-header__dot" aria-hidden="true" />
            {info.backend.kind === 'built-in'
              ? 'Built-in demo backend'
              : `Backend: ${new URL(info.backend.url).host}`}
          </p>
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
        <button type="button" className="app-header__button" onClick={onShowOperator}>
          Operator
        </button>
      </div>
    </header>
  );
}
