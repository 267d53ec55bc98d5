import type { LastAction } from '../../../../../shared/ipc/index.ts';

export { lastActionText } from '../../../../../shared/ipc/index.ts';

/** Green for done, red for what needs a look, nothing for the rest. */
export function lastActionTone(last: Pick<LastAction, 'outcome'>): 'ok' | 'bad' | null {
  if (last.outcome === 'changed') return 'ok';
  if (['rejected', 'failed', 'not-sent', 'unknown', 'not-found'].includes(last.outcome))
    return 'bad';
  return null;
}
