import type { User } from '../../../../shared/api/index.ts';
import { SUMMARY_FIRST, type SelectionSummary } from '../../../../shared/ipc/index.ts';

type LicenseSet = SelectionSummary['licenseSets'][number];

/**
 * What the dialogs about a selection show of it (see `SelectionSummary`), in one pass over the
 * selected users as main has them loaded (null for one no list holds), in the selection's order.
 */
export function summarizeSelection(users: readonly (User | null)[]): SelectionSummary {
  const summary: SelectionSummary = {
    notLoaded: 0,
    withEmail: { count: 0, first: [] },
    withoutEmail: { count: 0, first: [], ids: [] },
    intercepted: 0,
    licenseSets: [],
  };
  const sets = new Map<string, LicenseSet>();
  for (const user of users) {
    if (user === null) {
      summary.notLoaded += 1;
      continue;
    }
    const group = user.email === null ? summary.withoutEmail : summary.withEmail;
    group.count += 1;
    if (group.first.length < SUMMARY_FIRST) group.first.push(user);
    if (user.email === null) summary.withoutEmail.ids.push(user.id);
    if (user.intercepted) summary.intercepted += 1;
    const licenses = [...user.licenses].sort();
    const key = licenses.join('\n');
    let set = sets.get(key);
    if (set === undefined) {
      set = { licenses, count: 0, firstIds: [] };
      sets.set(key, set);
      summary.licenseSets.push(set);
    }
    set.count += 1;
    if (set.firstIds.length < SUMMARY_FIRST) set.firstIds.push(user.id);
  }
  return summary;
}
