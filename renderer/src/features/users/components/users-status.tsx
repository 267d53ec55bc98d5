import type { UsersLoad } from '../../../../../shared/ipc/index.ts';
import { formatClock, formatCount } from '../../../lib/format.ts';
import { useGridCounts } from '../hooks/use-grid-actions.ts';
import type { GridActions } from '../model/grid-actions.ts';

interface UsersStatusProps {
  actions: GridActions;
  loaded: number;
  /** What the backend says there are; null until the first page. */
  total: number | null;
  loading: boolean;
  /** When the list was last read whole; null before. */
  readAt: string | null;
  /** The list's read again, under way while the users read before are shown; null if none. */
  rereading: UsersLoad['rereading'];
  /** Reads the list again from the backend. */
  onReload: () => void;
}

/**
 * The status bar: users shown and selected, and the load's progress. It reads the counts
 * itself, so a selection re-renders this bar and nothing around it.
 */
export function UsersStatus({
  actions,
  loaded,
  total,
  loading,
  readAt,
  rereading,
  onReload,
}: UsersStatusProps) {
  const counts = useGridCounts(actions, (all) => all);
  return (
    <footer className="users-panel__status" aria-live="polite">
      <span data-testid="shown-count">
        {formatCount(counts.shown)} shown
        {total !== null && ` of ${formatCount(total)} users`}
      </span>
      <span data-testid="selected-count">{formatCount(counts.selected)} selected</span>
      {counts.selected > counts.selectedShown && (
        <span className="users-panel__hidden" data-testid="hidden-selected">
          {formatCount(counts.selected - counts.selectedShown)} of them not shown by the search
        </span>
      )}
      {!loading && (
        <span className="users-panel__reload">
          {readAt !== null && <span>Read at {formatClock(readAt)}</span>}
          {rereading === null ? (
            <button
              type="button"
              className="button button--small users-panel__reload-button"
              title="Read these users again from the backend (F5)"
              aria-keyshortcuts="F5"
              onClick={onReload}
            >
              Reload
            </button>
          ) : (
            <Progress
              label="Reading the users again"
              text={rereading.error === null ? 'Reading them again…' : 'Reading again stopped at'}
              loaded={rereading.loaded}
              total={rereading.total}
            />
          )}
        </span>
      )}
      {loading && (
        <Progress label="Loading users" text="Loading users…" loaded={loaded} total={total} />
      )}
    </footer>
  );
}

function Progress(props: { label: string; text: string; loaded: number; total: number | null }) {
  const { label, text, loaded, total } = props;
  // Before the first page the total is not known: an indeterminate bar, and no "0" said.
  return (
    <span
      className="users-panel__progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={total === null ? undefined : 0}
      aria-valuemax={total ?? undefined}
      aria-valuenow={total === null ? undefined : loaded}
    >
      <span className="users-panel__progress-text">
        {text}
        {total === null
          ? loaded > 0 && ` ${formatCount(loaded)}`
          : ` ${formatCount(loaded)} of ${formatCount(total)}`}
      </span>
      <span className="users-panel__progress-bar">
        <span
          style={{
            transform: `scaleX(${total === null || total === 0 ? 0.05 : Math.min(1, loaded / total)})`,
          }}
        />
      </span>
    </span>
  );
}
