import { EmptyState } from '../components/empty-state/empty-state.tsx';
import { ErrorBoundary } from '../components/error-boundary/error-boundary.tsx';
import { RulesPreview } from '../features/rules-preview/index.ts';
import { AppHeader } from './app-header.tsx';
import './app.css';

/** The window frame: title area on top, the work area below. */
export function App() {
  return (
    <div className="app">
      <AppHeader />
      <main className="app__main">
        <ErrorBoundary panel="users panel">
          <div className="app__panel">
            <EmptyState title="No users to show yet">
              <p>
                Telephony users will be listed here, ready to select for a password reset or a
                recovery email.
              </p>
            </EmptyState>
          </div>
        </ErrorBoundary>
        <ErrorBoundary panel="rules panel">
          <div className="app__panel">
            <RulesPreview />
          </div>
        </ErrorBoundary>
      </main>
    </div>
  );
}
