import type { User } from '../../../../../shared/api/index.ts';

export interface EmailSplit {
  withEmail: User[];
  withoutEmail: User[];
  /** Ids of selected users the table has not loaded (their email is not known here). */
  notLoaded: string[];
}

/** The selection by whether each user has an email: one pass, in selection order. */
export function splitByEmail(
  userIds: readonly string[],
  users: readonly (User | undefined)[],
): EmailSplit {
  const split: EmailSplit = { withEmail: [], withoutEmail: [], notLoaded: [] };
  users.forEach((user, index) => {
    if (user === undefined) split.notLoaded.push(userIds[index] ?? '');
    else if (user.email === null) split.withoutEmail.push(user);
    else split.withEmail.push(user);
  });
  return split;
}
