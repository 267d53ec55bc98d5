import type { License, Location } from '../../../../shared/api/index.ts';
import { lastActionText, type LastAction } from '../../../../shared/ipc/index.ts';
import type { ViewContext } from './view-order.ts';

/**
 * The names the table shows for ids, which sorting by those columns reads: locations and
 * licenses as last answered to the window, and each user's last action from the journal (read
 * again after a job moves on). Its version changes with any of them, so sorted orders are made
 * again.
 */
export function createTableNames(lastActions: () => readonly LastAction[]) {
  let locations = new Map<string, string>();
  let licenses = new Map<string, string>();
  let actions: Map<string, string> | null = null;
  let version = 0;

  const sameNames = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) =>
    a.size === b.size && [...a].every(([id, name]) => b.get(id) === name);

  const context: ViewContext = {
    locationName: (id) => locations.get(id),
    licenseName: (id) => licenses.get(id),
    lastAction: (userId) => {
      actions ??= new Map(lastActions().map((last) => [last.userId, lastActionText(last)]));
      return actions.get(userId);
    },
    version: () => version,
  };

  return {
    context,
    locationsSeen(list: readonly Location[]): void {
      const next = new Map(list.map((location) => [location.id, location.name]));
      if (sameNames(next, locations)) return;
      locations = next;
      version += 1;
    },
    licensesSeen(list: readonly License[]): void {
      const next = new Map(list.map((license) => [license.id, license.name]));
      if (sameNames(next, licenses)) return;
      licenses = next;
      version += 1;
    },
    /** A job moved on: last actions are read again when a sort next needs them. */
    lastActionsChanged(): void {
      actions = null;
      version += 1;
    },
  };
}

export type TableNames = ReturnType<typeof createTableNames>;
