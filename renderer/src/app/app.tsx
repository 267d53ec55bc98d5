import { useState } from 'react';
import { ErrorBoundary } from '../components/error-boundary/error-boundary.tsx';
import { Modal } from '../components/modal/modal.tsx';
import { JobsPanel, useJobs, useLastActions } from '../features/jobs/index.ts';
import { RulesPreview } from '../features/rules-preview/index.ts';
import { OperatorDialog } from '../features/settings/index.ts';
import { UsersPanel, type ResetRequest, type SelectRequest } from '../features/users/index.ts';
import { useRules } from '../lib/use-rules.ts';
import { AppHeader } from './app-header.tsx';
import './app.css';

/** The window frame: title area on top, the users table, and the jobs below it. */
export function App() {
  const { rules } = useRules();
  const { jobs, error } = useJobs();
  const lastActions = useLastActions(jobs);
  const [selectRequest, setSelectRequest] = useState<SelectRequest | null>(null);
  const [resetRequest, setResetRequest] = useState<ResetRequest | null>(null);
  const [rulesOpen, setRulesOpen] = useState(false);
  const [operatorOpen, setOperatorOpen] = useState(false);

  return (
    <div className="app">
      <AppHeader
        onShowRules={() => setRulesOpen(true)}
        onShowOperator={() => setOperatorOpen(true)}
      />
      <main className="app__main">
        <ErrorBoundary panel="users table">
          <UsersPanel
            rules={rules}
            lastActions={lastActions}
            selectRequest={selectRequest}
            resetRequest={resetRequest}
            onJobStarted={() => undefined}
          />
        </ErrorBoundary>
        <ErrorBoundary panel="jobs panel">
          <JobsPanel
            jobs={jobs}
            error={error}
            onSelectUsers={(userIds) =>
              setSelectRequest({ userIds, seq: (selectRequest?.seq ?? 0) + 1 })
            }
            onRunAgain={(userIds, retryOf) =>
              setResetRequest({ userIds, retryOf, seq: (resetRequest?.seq ?? 0) + 1 })
            }
          />
        </ErrorBoundary>
      </main>
      {operatorOpen && <OperatorDialog onClose={() => setOperatorOpen(false)} />}
      {rulesOpen && (
        <Modal title="Password rules" width="wide" onClose={() => setRulesOpen(false)}>
          <ErrorBoundary panel="rules panel">
            <RulesPreview />
          </ErrorBoundary>
        </Modal>
      )}
    </div>
  );
}
