import type { License } from '../../../../../shared/api/index.ts';
import type { SelectionSummary } from '../../../../../shared/ipc/index.ts';

export type LicenseChoice = 'keep' | 'add' | 'remove';

export interface LicensePlan {
  add: string[];
  remove: string[];
  /** Licenses to add that too few are left of: who would not get one. */
  shortages: { license: License; needed: number; left: number }[];
  /** Loaded users who would have no license left after the change: how many, the first ids. */
  leftWithout: { count: number; firstIds: string[] };
}

/** Loaded users of the selection who hold this license. */
export function holdersOf(summary: SelectionSummary, licenseId: string): number {
  let holders = 0;
  for (const set of summary.licenseSets) if (set.licenses.includes(licenseId)) holders += set.count;
  return holders;
}

/**
 * What Save would do, worked out beforehand from what the table has loaded (main's summary of
 * the selection): each license to add or remove, where there would not be enough licenses, and
 * who would be left without any. The backend decides in the end; this is so the operator is
 * not surprised.
 */
export function planLicenses(
  licenses: readonly License[],
  choices: ReadonlyMap<string, LicenseChoice>,
  summary: SelectionSummary,
): LicensePlan {
  const add = licenses.filter((l) => choices.get(l.id) === 'add').map((l) => l.id);
  const remove = licenses.filter((l) => choices.get(l.id) === 'remove').map((l) => l.id);
  const loaded = summary.withEmail.count + summary.withoutEmail.count;
  const shortages = licenses.flatMap((license) => {
    if (!add.includes(license.id)) return [];
    const needed = loaded - holdersOf(summary, license.id);
    const left = Math.max(0, license.total - license.assigned);
    return needed > left ? [{ license, needed, left }] : [];
  });
  const leftWithout = { count: 0, firstIds: [] as string[] };
  if (add.length === 0) {
    for (const set of summary.licenseSets) {
      if (set.licenses.length === 0 || !set.licenses.every((id) => remove.includes(id))) continue;
      leftWithout.count += set.count;
      leftWithout.firstIds.push(...set.firstIds);
    }
  }
  return { add, remove, shortages, leftWithout };
}
