import { z } from 'zod';

/**
 * Something the operator must hear of that no screen asked for: the window was reloaded after
 * its renderer died, or the main process hit an error it did not expect.
 */
export const Notice = z.strictObject({
  id: z.string().max(64),
  kind: z.enum(['renderer-restarted', 'main-error']),
  /** One or two sentences in the operator's words; never a secret, never a stack. */
  message: z.string().max(1000),
  at: z.iso.datetime(),
});
export type Notice = z.infer<typeof Notice>;
