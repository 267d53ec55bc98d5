import type { DatabaseSync } from 'node:sqlite';
import { tokenHash } from '../crypto/tokens.ts';
import { transaction } from '../db/database.ts';
import type { SpentCopiesStore, SpentCopy } from '../db/spent-copies-store.ts';
import type { TokensStore } from '../db/tokens-store.ts';
import type { UsersStore } from '../db/users-store.ts';
import { LINK_NO_LONGER_VALID, type Mailer } from '../mail/mailer.ts';
import { recoveryEmail } from '../mail/templates.ts';

const LINK_TOKEN = /\/reset\/([A-Za-z0-9_-]{43})/u;

/**
 * Gives each recovery email stored before spent copies existed (migration 3 lists them) its
 * spent copy, composed again from the template, and ties the link it holds to it: from then on
 * the sweep treats it as any other — replaced at once if its link has ended, kept while the link
 * works. Run at start, before the first sweep; says how many it took in.
 */
export async function adoptOlderOutboxCopies(deps: {
  db: DatabaseSync;
  users: UsersStore;
  tokens: TokensStore;
  spentCopies: SpentCopiesStore;
  mailer: Pick<Mailer, 'composeCopyOf'>;
  linkTtlMinutes: number;
  orgName: string;
}): Promise<number> {
  const adopted: { id: number; hash: string | null; copy: SpentCopy }[] = [];
  for (const row of deps.spentCopies.older()) {
    const token = LINK_TOKEN.exec(row.text)?.[1];
    const hash = token === undefined ? null : tokenHash(token);
    const link = hash === null ? null : deps.tokens.find(hash);
    const user = link === null ? null : deps.users.get(link.userId);
    const copy = await deps.mailer.composeCopyOf(
      {
        from: row.from,
        to: row.to,
        toName: user === null ? '' : `${user.firstName} ${user.lastName}`.trim(),
        sentAt: new Date(row.sentAt),
        messageId: row.headers['Message-ID'],
      },
      {
        ...recoveryEmail({
          firstName: user?.firstName ?? '',
          email: row.to,
          link: { removed: LINK_NO_LONGER_VALID },
          validMinutes: deps.linkTtlMinutes,
          orgName: deps.orgName,
        }),
        subject: row.subject,
      },
    );
    adopted.push({ id: row.id, hash, copy });
  }
  transaction(deps.db, () => {
    for (const { id, hash, copy } of adopted) deps.spentCopies.adoptOlder(id, hash, copy);
  });
  return adopted.length;
}
