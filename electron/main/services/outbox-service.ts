import type { OutboxMessage } from '../../../shared/api/index.ts';
import {
  fail,
  HIDDEN_LINK_TOKEN,
  ok,
  type OutboxList,
  type OutboxMessageView,
  type Result,
} from '../../../shared/ipc/index.ts';
import type { Logger } from '../../../shared/log/index.ts';
import type { ProvisioningClient } from './provisioning-client.ts';

/** Hands a URL to the system browser (Electron's `shell.openExternal` in the app). */
export type OpenExternal = (url: string) => Promise<void>;

export interface OutboxServiceDeps {
  client: Pick<ProvisioningClient, 'target' | 'request'>;
  /**
   * The built-in backend's own URL (`http://127.0.0.1:<port>`): the only origin whose links
   * may be opened.
   */
  builtInUrl: string;
  /** Absent where there is no system browser; then nothing is ever opened. */
  openExternal?: OpenExternal | undefined;
  logger?: Logger;
}

export const OUTBOX_NEEDS_BUILT_IN =
  'The outbox is kept only by the built-in backend; PassDesk is using a remote backend.';

const URL_IN_TEXT = /https?:\/\/[^\s"'<>]+/gu;
const RESET_PATH = /^\/reset\/[A-Za-z0-9_-]{43}$/u;

/**
 * The message's Reset link: the first http(s) URL in its text (else its HTML) whose path
 * starts with /reset/. Wherever it points; `checkLink` decides whether it may be opened.
 */
export function findResetLink(message: Pick<OutboxMessage, 'text' | 'html'>): string | null {
  for (const part of [message.text, message.html]) {
    for (const [candidate] of part.matchAll(URL_IN_TEXT)) {
      if (URL.canParse(candidate) && new URL(candidate).pathname.startsWith('/reset/'))
        return candidate;
    }
  }
  return null;
}

/** Why this link may not be opened, or null: the built-in backend's origin and a token path only. */
export function checkLink(link: string, builtInUrl: string): string | null {
  const allowed = new URL(builtInUrl).origin;
  const url = new URL(link);
  if (url.origin !== allowed) {
    return `PassDesk opens only links to the built-in backend (${allowed}); this email's Reset link points to ${url.origin}.`;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    return "This email's Reset link has parts a recovery link never has; PassDesk does not open it.";
  }
  if (!RESET_PATH.test(url.pathname)) {
    return "This email's Reset link has no token (it is removed from the outbox's copy once SMTP delivers the email).";
  }
  return null;
}

/** Every recovery-link token in the text, replaced. */
function hideTokens(text: string): string {
  return text.replace(/(\/reset\/)[A-Za-z0-9_-]{43}/gu, `$1${HIDDEN_LINK_TOKEN}`);
}

/**
 * The built-in backend's outbox, for the Outbox view: its pages, one message for display with
 * its link's token hidden, and opening a message's Reset link in the system browser. With a
 * remote backend every method refuses (`not-found`) without asking it anything.
 */
export function createOutboxService(deps: OutboxServiceDeps) {
  const { client } = deps;
  const remote = () => client.target.kind !== 'built-in';

  return {
    /** One page, newest first; `cursor` from the previous page's `nextCursor`. */
    async list(cursor?: string): Promise<Result<OutboxList>> {
      if (remote()) return fail('not-found', OUTBOX_NEEDS_BUILT_IN);
      return client.request('outbox', { query: { cursor } });
    },

    /** One message without its raw .eml, and whether it has a Reset link to open. */
    async message(id: number): Promise<Result<OutboxMessageView>> {
      if (remote()) return fail('not-found', OUTBOX_NEEDS_BUILT_IN);
      const answer = await client.request('outboxMessage', { params: { id: String(id) } });
      if (!answer.ok) return answer;
      const message = answer.data;
      return ok({
        id: message.id,
        kind: message.kind,
        from: message.from,
        to: message.to,
        subject: message.subject,
        sentAt: message.sentAt,
        delivery: message.delivery,
        text: hideTokens(message.text),
        html: hideTokens(message.html),
        hasResetLink: findResetLink(message) !== null,
      });
    },

    /**
     * Opens the Reset link found in message `id` itself, after checking it points at the
     * built-in backend. Refuses a message without one, or a link anywhere else.
     */
    async openResetLink(id: number): Promise<Result<{ opened: boolean }>> {
      if (remote()) return fail('not-found', OUTBOX_NEEDS_BUILT_IN);
      const answer = await client.request('outboxMessage', { params: { id: String(id) } });
      if (!answer.ok) return answer;
      const link = findResetLink(answer.data);
      if (link === null) return fail('not-found', 'This email has no Reset link.');
      const refused = checkLink(link, deps.builtInUrl);
      if (refused !== null) return fail('forbidden', refused);
      if (deps.openExternal === undefined) return ok({ opened: false });
      try {
        // Reviewed: `link` passed checkLink (the built-in backend's origin, /reset/<token>).
        await deps.openExternal(link); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
      } catch (error) {
        // Not the error's message: it may quote the link, token and all.
        deps.logger?.warn('the system browser did not open a Reset link', {
          messageId: id,
          error: error instanceof Error ? error.name : typeof error,
        });
        return fail('internal', 'The system browser could not open the Reset link.');
      }
      return ok({ opened: true });
    },
  };
}
export type OutboxService = ReturnType<typeof createOutboxService>;
