import type { License, User } from '../../../../../shared/api/index.ts';

export type LicenseChoice = 'keep' | 'add' | 'remove';

export interface LicensePlan {
  add: string[];
  remove: string[];
  /** Licenses to add that too few are left of: who would not get one. */
  shortages: { license: License; needed: number; left: number }[];
  /** Loaded users who would have no license left after the change. */
  leftWithout: User[];
}

/**
 * What Save would do, worked out beforehand from what the table has loaded: each license to
 * add or remove, where there would not be enough licenses, and who would be left without any.
 * The backend decides in the end; this is so the operator is not surprised.
 */
export function planLicenses(
  licenses: readonly License[],
  choices: ReadonlyMap<string, LicenseChoice>,
  users: readonly (User | undefined)[],
): LicensePlan {
  const add = licenses.filter((l) => choices.get(l.id) === 'add').map((l) => l.id);
  const remove = licenses.filter((l) => choices.get(l.id) === 'remove').map((l) => l.id);
  const loaded = users.filter((user): user is User => user !== undefined);
  const shortages = licenses.flatMap((license) => {
    if (!add.includes(license.id)) return [];
    const needed = loaded.filter((user) => !user.licenses.includes(license.id)).length;
    const left = Math.max(0, license.total - license.assigned);
    return needed > left ? [{ license, needed, left }] : [];
  });
  const leftWithout = loaded.filter(
    (user) =>
      add.length === 0 &&
      user.licenses.length > 0 &&
      user.licenses.every((id) => remove.includes(id)),
  );
  return { add, remove, shortages, leftWithout };
}
