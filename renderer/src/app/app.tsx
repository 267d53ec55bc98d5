import { useRef, type CSSProperties } from 'react';
import { ErrorBoundary } from '../components/error-boundary/error-boundary.tsx';
import { useStoredPane } from '../components/splitter/pane-preference.ts';
import { clampSize, Splitter } from '../components/splitter/splitter.tsx';
import { useContentHeight } from '../components/splitter/use-content-height.ts';
import { JobsPanel } from '../features/jobs/index.ts';
import { UsersPanel } from '../features/users/index.ts';
import { useCommands, useCommandState } from '../lib/commands.tsx';
import { ActiveDialog } from './active-dialog.tsx';
import { AppHeader } from './app-header.tsx';
import { Notices } from './notices.tsx';
import './app.css';

/** Where the jobs panel's collapsed state and height are remembered. */
export const JOBS_PANEL_KEY = 'passdesk.jobsPanel';

// The table and the jobs share the window's height (px). Neither may shrink below what is
// still usable: the jobs panel keeps its header and one line of its body, the table its
// toolbar, column headers, three rows and status bar. By default the jobs panel shows its header
// and one whole job card (about 12 table rows at 1280×800), or, in a taller window, whatever
// the table's 15 rows leave, at most 40 % of the space; in a window too low for that, its
// minimum (the header says what the newest job is doing). Arrow keys on the splitter move it a
// row at a time.
const SPLITTER = 8;
const JOBS_MIN = 76;
const TABLE_MIN = 260;
const TABLE_WITH_15_ROWS = 640;
const JOBS_WITH_ONE_CARD = 160;
const ROW = 32;

function jobsPanelLimits(height: number, chosen: number | null) {
  const max = Math.max(JOBS_MIN, height - SPLITTER - TABLE_MIN);
  const roomy = height >= JOBS_WITH_ONE_CARD + SPLITTER + TABLE_MIN + 6 * ROW;
  const preferred =
    chosen ??
    (roomy
      ? Math.min(Math.max(JOBS_WITH_ONE_CARD, height - SPLITTER - TABLE_WITH_15_ROWS), height * 0.4)
      : JOBS_MIN);
  return { min: JOBS_MIN, max, size: clampSize(preferred, JOBS_MIN, max) };
}

/** The window frame: title area on top, the users table, the jobs below it, and one dialog. */
export function App() {
  const commands = useCommands();
  // Another backend: the table and the jobs start afresh (its users, its jobs, nothing selected).
  const backend = useCommandState((state) => state.backend);
  const main = useRef<HTMLElement>(null);
  const height = useContentHeight(main);
  const [jobsPanel, setJobsPanel] = useStoredPane(JOBS_PANEL_KEY);
  const jobs = jobsPanelLimits(height, jobsPanel.size);
  const expanded = !jobsPanel.collapsed;
  return (
    <div className="app">
      <AppHeader
        onShowRules={() => commands.open({ kind: 'rules' })}
        onShowSettings={() => commands.open({ kind: 'settings' })}
      />
      <Notices />
      <main
        ref={main}
        className={`app__main ${expanded ? 'app__main--jobs-expanded' : 'app__main--jobs-collapsed'}`}
        style={expanded ? ({ '--jobs-size': `${jobs.size}px` } as CSSProperties) : undefined}
      >
        <ErrorBoundary key={`users-${backend}`} panel="users table">
          <UsersPanel />
        </ErrorBoundary>
        {expanded && (
          <Splitter
            label="Resize the jobs panel"
            controls="jobs-panel"
            size={jobs.size}
            min={jobs.min}
            max={jobs.max}
            step={ROW}
            onResize={(size) => setJobsPanel((previous) => ({ ...previous, size }))}
          />
        )}
        <ErrorBoundary key={`jobs-${backend}`} panel="jobs panel">
          <JobsPanel
            id="jobs-panel"
            collapsed={!expanded}
            onToggleCollapsed={() =>
              setJobsPanel((previous) => ({ ...previous, collapsed: !previous.collapsed }))
            }
          />
        </ErrorBoundary>
      </main>
      <ErrorBoundary panel="dialog">
        <ActiveDialog />
      </ErrorBoundary>
    </div>
  );
}
