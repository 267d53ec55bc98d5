import type { AppInfo, ConnectionStatus } from '../../../shared/ipc/index.ts';
import { Tooltip } from '../components/tooltip/tooltip.tsx';
import { formatClock } from '../lib/format.ts';

type Tone = 'ok' | 'warn' | 'bad' | 'pending';

interface Words {
  /** After the backend's name in the header; empty where the dot says enough. */
  short: string;
  /** The whole state in one sentence (the tooltip's title, what a screen reader hears). */
  sentence: string;
  tone: Tone;
  /** Settings is where to fix it (a URL, the API token). */
  fixInSettings: boolean;
}

/** What the header says about the connection, in words. */
export function connectionWords(status: ConnectionStatus | null, builtIn: boolean): Words {
  if (status === null || status.state === 'connecting')
    return {
      short: 'Connecting…',
      sentence: 'Connecting to the backend…',
      tone: 'pending',
      fixInSettings: false,
    };
  const since = formatClock(status.since);
  switch (status.state) {
    case 'connected':
      return {
        short: builtIn ? '' : 'Connected',
        sentence: 'Connected to the backend',
        tone: 'ok',
        fixInSettings: false,
      };
    case 'slow':
      return {
        short: `Slow since ${since}`,
        sentence: `The backend has been answering slowly since ${since}`,
        tone: 'warn',
        fixInSettings: false,
      };
    case 'unreachable':
      return {
        short: `Unreachable since ${since}`,
        sentence: `Backend unreachable since ${since}`,
        tone: 'bad',
        fixInSettings: true,
      };
    case 'token-refused':
      return {
        short: `Token refused since ${since}`,
        sentence: `The backend has refused the API token since ${since}`,
        tone: 'bad',
        fixInSettings: true,
      };
    case 'incompatible':
      return {
        short: `Incompatible since ${since}`,
        sentence: `The backend has not spoken this PassDesk API since ${since}`,
        tone: 'bad',
        fixInSettings: true,
      };
  }
}

const hostOf = (url: string): string => (URL.canParse(url) ? new URL(url).host : url);

/**
 * The backend in use and how it answers, next to each other in the header: a coloured dot,
 * its name and the state in words. Its message shows on hover and keyboard focus; when the fix
 * is in Settings (the URL, the token), it is a button that opens them.
 */
export function BackendStatus({
  backend,
  connection,
  onOpenSettings,
}: {
  backend: AppInfo['backend'];
  /** Null until known, or while it is still about the backend before a switch. */
  connection: ConnectionStatus | null;
  onOpenSettings: () => void;
}) {
  const builtIn = backend.kind === 'built-in';
  const words = connectionWords(connection, builtIn);
  const label = builtIn ? 'Built-in demo backend' : `Backend: ${hostOf(backend.url)}`;
  const tip = (
    <div className="backend-tip">
      <p className="backend-tip__title">{words.sentence}.</p>
      {connection !== null && connection.message !== '' && (
        <p className="backend-tip__message">{connection.message}</p>
      )}
      <p className="backend-tip__detail">
        {builtIn ? `The demo backend on this computer, at ${backend.url}` : backend.url}
        {connection?.checkedAt != null && ` · checked at ${formatClock(connection.checkedAt)}`}
        {connection?.latencyMs != null && ` · answered in ${Math.round(connection.latencyMs)} ms`}
      </p>
      {words.fixInSettings && <p className="backend-tip__action">Click to open Settings.</p>}
    </div>
  );
  const body = (
    <>
      <span className={`app-header__dot app-header__dot--${words.tone}`} aria-hidden="true" />
      <span className="app-header__backend-label">{label}</span>
      {words.short === '' ? (
        <span className="visually-hidden">, connected</span>
      ) : (
        <>
          <span className="visually-hidden">, </span>
          <span className="app-header__backend-sep" aria-hidden="true">
            ·
          </span>
          <span className="app-header__backend-state" data-testid="connection-state">
            {words.short}
          </span>
        </>
      )}
    </>
  );
  const look = `app-header__backend app-header__backend--${words.tone}`;
  const state = connection?.state ?? 'connecting';
  return (
    // A live region: a screen reader hears when the state changes.
    <div className="app-header__status" role="status">
      <Tooltip content={tip} placement="bottom-end">
        {(trigger) =>
          words.fixInSettings ? (
            <button
              type="button"
              ref={trigger.ref}
              className={`${look} app-header__backend--action`}
              data-state={state}
              {...trigger.props}
              onClick={onOpenSettings}
            >
              {body}
              <span className="visually-hidden"> — open Settings</span>
            </button>
          ) : (
            <span
              ref={trigger.ref}
              // Focusable, so the message can be read from the keyboard too.
              tabIndex={0}
              className={look}
              data-state={state}
              {...trigger.props}
            >
              {body}
            </span>
          )
        }
      </Tooltip>
    </div>
  );
}
