import {
  useCallback,
  useDeferredValue,
  useEffect,
  useEffectEvent,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import type { User } from '../../../../../shared/api/index.ts';
import { EmptyState } from '../../../components/empty-state/empty-state.tsx';
import { useCommands, useCommandState } from '../../../lib/commands.tsx';
import { formatClock, formatCount, plural } from '../../../lib/format.ts';
import { errorText } from '../../../lib/query.ts';
import { useLicenses } from '../../../lib/use-licenses.ts';
import { useLastActions, useLocations, useUsersLoad } from '../api/users.ts';
import { useGridActions, useGridCounts } from '../hooks/use-grid-actions.ts';
import { userMenuItems } from './user-menu.ts';
import { UsersGrid } from './users-grid.tsx';
import { UsersMenu, type UsersMenuHandle } from './users-menu.tsx';
import { UsersStatus } from './users-status.tsx';
import './users-panel.css';

const ALL = '';

/** The users table with its location picker, search, status bar and right-click menu. */
export function UsersPanel() {
  const locationsQuery = useLocations();
  const locations = useMemo(() => locationsQuery.data ?? [], [locationsQuery.data]);
  const locationsError = locationsQuery.error === null ? null : errorText(locationsQuery.error);
  const [locationId, setLocationId] = useState(ALL);
  const [search, setSearch] = useState('');
  const searchBox = useRef<HTMLInputElement>(null);
  const locationNames = useMemo(() => new Map(locations.map((l) => [l.id, l.name])), [locations]);
  const totalUsers = locations.reduce((sum, l) => sum + l.userCount, 0);

  return (
    <section className="users-panel" aria-label="Users">
      <div className="users-panel__toolbar">
        <label className="users-panel__control">
          <span className="field-label">Location</span>
          <select
            className="select"
            value={locationId}
            onChange={(event) => setLocationId(event.target.value)}
          >
            <option value={ALL}>All locations ({formatCount(totalUsers)})</option>
            {locations.map((location) => (
              <option key={location.id} value={location.id}>
                {location.name} ({formatCount(location.userCount)})
              </option>
            ))}
          </select>
        </label>
        <label className="users-panel__control users-panel__search">
          <span className="field-label">Search</span>
          <input
            ref={searchBox}
            className="search"
            type="search"
            placeholder="ID, name, phone, extension or email"
            // Ids, names and numbers: nothing to spell-check or to suggest from earlier input.
            spellCheck={false}
            autoComplete="off"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
        {locationsError !== null && (
          <p className="banner banner--error" role="alert">
            Could not load the locations: {locationsError}
          </p>
        )}
      </div>
      <UsersTable
        key={locationId}
        locationId={locationId === ALL ? null : locationId}
        locationNames={locationNames}
        search={search}
        onClearSearch={() => {
          setSearch('');
          // The button that asked is gone with the empty state: the search box takes the focus.
          searchBox.current?.focus();
        }}
      />
    </section>
  );
}

interface TableProps {
  locationId: string | null;
  locationNames: ReadonlyMap<string, string>;
  search: string;
  onClearSearch: () => void;
}

function UsersTable({ locationId, locationNames, search, onClearSearch }: TableProps) {
  const users = useUsersLoad(locationId);
  const { load } = users;
  const loaded = load?.loaded ?? 0;
  const total = load?.total ?? null;
  const loading = load === undefined ? users.error === null : load.state === 'loading';
  const error = users.error ?? (load?.state === 'failed' ? load.error : null);
  const rereading = load?.rereading ?? null;
  const readAt = load?.readAt ?? null;
  const retry = () => void users.retry();
  const reload = () => void users.reload();
  // F5 reads the users again, unless a dialog is open (it acts on the users as they are).
  const dialogOpen = useCommandState((state) => state.dialog !== null);
  const onWindowKey = useEffectEvent((event: globalThis.KeyboardEvent) => {
    if (event.key !== 'F5' || event.ctrlKey || event.metaKey || event.altKey) return;
    // Not the browser's own reload of the window, either way.
    event.preventDefault();
    if (!dialogOpen && !loading && rereading === null) reload();
  });
  useEffect(() => {
    const listener = (event: globalThis.KeyboardEvent) => onWindowKey(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
  const lastActions = useLastActions();
  const licensesQuery = useLicenses();
  const licenseNames = useMemo(
    () => new Map((licensesQuery.data ?? []).map((license) => [license.id, license.name])),
    [licensesQuery.data],
  );
  const commands = useCommands();
  const selectRequest = useCommandState((state) => state.selection);
  const actions = useGridActions(locationId);
  useEffect(() => {
    if (load !== undefined) actions.loadChanged(load);
  }, [actions, load]);
  const nothingShown = useGridCounts(actions, (counts) => counts.shown === 0);
  const menu = useRef<UsersMenuHandle>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const query = useDeferredValue(search);
  useEffect(() => actions.search(query), [actions, query]);

  const handledSelect = useRef(selectRequest?.seq ?? null);
  const missingFrom = useEffectEvent(() =>
    loading
      ? 'among the users loaded so far (the table is still loading)'
      : 'among the users shown (pick All locations or clear the search)',
  );
  useEffect(() => {
    if (selectRequest === null || handledSelect.current === selectRequest.seq) return;
    handledSelect.current = selectRequest.seq;
    const where = missingFrom();
    void actions.selectOnly(selectRequest.userIds).then(
      ({ selected, missing }) =>
        setNotice(
          missing > 0
            ? `Selected ${plural(selected, 'user')} from the job; ${plural(missing, 'user')} ${missing === 1 ? 'is' : 'are'} not ${where}.`
            : `Selected ${plural(selected, 'user')} from the job.`,
        ),
      (error: unknown) => setNotice(`Could not select the job's users: ${errorText(error)}`),
    );
  }, [actions, selectRequest]);

  /** Opens the menu at a point, with the counts as they are at that moment. */
  const openMenu = useCallback(
    (x: number, y: number) => {
      /** Opens a dialog for the selection, in the table's order (asked of main for many). */
      const withSelection = (open: (userIds: string[]) => void) => () =>
        void actions
          .selectedInTableOrder()
          .then(open, (error: unknown) =>
            setNotice(`Could not read the selection: ${errorText(error)}`),
          );
      menu.current?.open(
        { x, y },
        userMenuItems(actions.counts(), {
          reset: withSelection((userIds) => commands.open({ kind: 'password-reset', userIds })),
          forgot: withSelection((userIds) => commands.open({ kind: 'recovery-email', userIds })),
          intercept: withSelection((userIds) => commands.open({ kind: 'intercept', userIds })),
          licenses: withSelection((userIds) => commands.open({ kind: 'license', userIds })),
          edit: withSelection(([userId]) => {
            if (userId !== undefined) commands.open({ kind: 'edit-user', userId });
          }),
          selectAll: () => void actions.selectAll(),
          unselect: () => void actions.unselect(),
          inverse: () => void actions.inverse(),
        }),
      );
    },
    [actions, commands],
  );

  const editUser = useCallback(
    (user: User) => commands.open({ kind: 'edit-user', userId: user.id }),
    [commands],
  );

  // The right-click is handled here, as it happens: AG Grid hands its own cellContextMenu to
  // the page a timer later, after this event has bubbled up. A right-click on a row outside the
  // selection first selects that row (see selectForMenu); elsewhere (headers, empty space) the
  // menu acts on the selection as it is.
  const onContextMenu = (event: MouseEvent) => {
    event.preventDefault();
    const row = event.target instanceof Element ? event.target.closest('.ag-row[row-id]') : null;
    const userId = row?.getAttribute('row-id');
    if (userId != null) actions.selectForMenu(userId);
    openMenu(event.clientX, event.clientY);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      event.preventDefault();
      const cell =
        (event.currentTarget as HTMLElement).querySelector('.ag-cell-focus') ?? event.currentTarget;
      const rect = cell.getBoundingClientRect();
      openMenu(rect.left + Math.min(24, rect.width / 2), rect.bottom);
    } else if (actions.key(event.nativeEvent)) event.preventDefault();
  };
  const noMatch = loaded > 0 && nothingShown && query.trim() !== '';
  const rereadError = rereading?.error ?? null;
  const problem =
    error !== null
      ? loaded === 0
        ? `Could not load the users: ${error}`
        : `Could not load all users: ${error} Showing the ${formatCount(loaded)} loaded so far.`
      : rereadError !== null
        ? `Could not read the users again: ${rereadError} Showing them as read${readAt === null ? '' : ` at ${formatClock(readAt)}`}.`
        : null;
  return (
    <>
      {problem !== null && (
        <div className="banner banner--error users-panel__banner" role="alert">
          <span>{problem}</span>
          <button type="button" className="button button--small" onClick={retry}>
            Retry
          </button>
        </div>
      )}
      {notice !== null && (
        <div className="banner banner--info users-panel__banner" role="status">
          <span>{notice}</span>
          <button type="button" className="button button--small" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      <div
        className="users-panel__grid"
        onContextMenu={onContextMenu}
        onKeyDown={onKeyDown}
        aria-busy={loading}
      >
        {!loading && error === null && loaded === 0 ? (
          <EmptyState title="No users here">
            <p>This location has no telephony users yet.</p>
          </EmptyState>
        ) : (
          <>
            {/* Kept while the search hides every row: the grid is what applies the search. */}
            <div className="users-panel__grid-body" inert={noMatch}>
              <UsersGrid
                locationNames={locationNames}
                licenseNames={licenseNames}
                lastActions={lastActions}
                actions={actions}
                onRowDoubleClicked={editUser}
              />
            </div>
            {noMatch && (
              <div className="users-panel__no-match">
                <EmptyState title={`No users match “${query.trim()}”`}>
                  <p>
                    {loading
                      ? `Searched the ${plural(loaded, 'user')} loaded so far; the table is still loading.`
                      : `Searched ${plural(loaded, 'user')} ${locationId === null ? 'in all locations' : 'in this location'} by ID, name, phone number, extension and email.`}
                  </p>
                  <div className="users-panel__no-match-actions">
                    <button type="button" className="button" onClick={onClearSearch}>
                      Clear search
                    </button>
                  </div>
                </EmptyState>
              </div>
            )}
          </>
        )}
      </div>
      <UsersStatus
        actions={actions}
        loaded={loaded}
        total={total}
        loading={loading}
        readAt={readAt}
        rereading={rereading}
        onReload={reload}
      />
      <UsersMenu ref={menu} />
    </>
  );
}
