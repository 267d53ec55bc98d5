import { ErrorBoundary } from '../components/error-boundary/error-boundary.tsx';
import { JobsPanel } from '../features/jobs/index.ts';
import { UsersPanel } from '../features/users/index.ts';
import { useCommands } from '../lib/commands.tsx';
import { ActiveDialog } from './active-dialog.tsx';
import { AppHeader } from './app-header.tsx';
import './app.css';

/** The window frame: title area on top, the users table, the jobs below it, and one dialog. */
export function App() {
  const commands = useCommands();
  return (
    <div className="app">
      <AppHeader
        onShowRules={() => commands.open({ kind: 'rules' })}
        onShowOperator={() => commands.open({ kind: 'operator' })}
      />
      <main className="app__main">
        <ErrorBoundary panel="users table">
          <UsersPanel />
        </ErrorBoundary>
        <ErrorBoundary panel="jobs panel">
          <JobsPanel />
        </ErrorBoundary>
      </main>
      <ErrorBoundary panel="dialog">
        <ActiveDialog />
      </ErrorBoundary>
    </div>
  );
}
