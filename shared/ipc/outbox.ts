import { z } from 'zod';
import { OutboxSummary } from '../api/schemas.ts';

/** The emails the built-in backend sent, as the outbox lists them: newest first. */
export const OutboxList = z.strictObject({
  messages: z.array(OutboxSummary),
  /** Pass it back for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type OutboxList = z.infer<typeof OutboxList>;

export const OutboxListInput = z.strictObject({ cursor: z.string().min(1).max(200).optional() });

export const OutboxMessageRef = z.strictObject({ id: z.int().min(1) });

/**
 * One sent email as the Outbox shows it. A recovery link's token is replaced by
 * `HIDDEN_LINK_TOKEN` in `text` and `html`: the renderer never holds a live link, and asks the
 * main process to open the message's Reset link instead (`hasResetLink`).
 */
export const OutboxMessageView = OutboxSummary.extend({
  from: z.string(),
  text: z.string(),
  html: z.string(),
  /** The main process found a Reset link in it, which `openOutboxLink` can open. */
  hasResetLink: z.boolean(),
});
export type OutboxMessageView = z.infer<typeof OutboxMessageView>;

/** What stands in for a recovery link's token in the copy of an email the renderer gets. */
export const HIDDEN_LINK_TOKEN = '[hidden]';

export const OpenOutboxLinkResult = z.strictObject({
  /** False when this PassDesk has no system browser to hand links to; nothing was opened. */
  opened: z.boolean(),
});
