import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';

/** A dialog some part of the app asks for; the app shell renders the one open. */
export type DialogRequest =
  /** A retry carries what the job it retries did; its dialog shows it, fixed. */
  | { kind: 'password-reset'; userIds: readonly string[]; retryOf?: string; temporary?: boolean }
  | { kind: 'recovery-email'; userIds: readonly string[]; retryOf?: string }
  | { kind: 'intercept'; userIds: readonly string[]; retryOf?: string; intercepted?: boolean }
  | {
      kind: 'license';
      userIds: readonly string[];
      retryOf?: string;
      add?: readonly string[];
      remove?: readonly string[];
    }
  /** `returnTo`: the dialog to go back to when it closes (Forgot Password(s)' "Add email"). */
  | { kind: 'edit-user'; userId: string; returnTo?: DialogRequest }
  | { kind: 'outbox' }
  | { kind: 'rules' }
  | { kind: 'settings' };

export interface CommandState {
  /** The open dialog; opening another replaces it. */
  dialog: DialogRequest | null;
  /** The last "select these users" request; `seq` tells a repeated one from the same one. */
  selection: { userIds: readonly string[]; seq: number } | null;
  /**
   * Counts the switches to another backend: what is keyed by it (the users table, the jobs
   * panel) starts afresh, with nothing selected.
   */
  backend: number;
}

/**
 * The one owner of the commands that cross features: open a dialog for some users, select
 * users in the table. Features call it; the app shell and the users table follow its state.
 */
export function createCommandStore() {
  let state: CommandState = { dialog: null, selection: null, backend: 0 };
  const listeners = new Set<() => void>();
  const set = (next: Partial<CommandState>) => {
    state = { ...state, ...next };
    for (const listener of listeners) listener();
  };
  return {
    getState: (): CommandState => state,
    subscribe: (listener: () => void): (() => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    open: (dialog: DialogRequest): void => set({ dialog }),
    close: (): void => set({ dialog: null }),
    selectUsers: (userIds: readonly string[]): void =>
      set({ selection: { userIds, seq: (state.selection?.seq ?? 0) + 1 } }),
    /**
     * PassDesk now talks to another backend: the users and jobs shown were the old one's. The
     * open dialog closes (it acts on those users), unless it is Settings, where the switch was
     * asked for; the selection goes, and the table and jobs start afresh.
     */
    backendChanged: (): void =>
      set({
        dialog: state.dialog?.kind === 'settings' ? state.dialog : null,
        selection: null,
        backend: state.backend + 1,
      }),
  };
}
export type CommandStore = ReturnType<typeof createCommandStore>;

const CommandsContext = createContext<CommandStore | null>(null);

export function CommandsProvider({
  store,
  children,
}: {
  store: CommandStore;
  children: ReactNode;
}) {
  return <CommandsContext value={store}>{children}</CommandsContext>;
}

/** The commands (open, close, selectUsers). */
export function useCommands(): CommandStore {
  const store = useContext(CommandsContext);
  if (store === null) throw new Error('useCommands needs a CommandsProvider above it');
  return store;
}

/** A part of the command state, re-rendering only when it changes. */
export function useCommandState<T>(select: (state: CommandState) => T): T {
  const store = useCommands();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
