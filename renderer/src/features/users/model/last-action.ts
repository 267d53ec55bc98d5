import { outcomeWord, type JobKind, type LastAction } from '../../../../../shared/ipc/index.ts';

const KIND_WORDS: Readonly<Record<JobKind, string>> = {
  'password-reset': 'Reset',
  'recovery-email': 'Recovery link',
  intercept: 'Intercept',
  license: 'Licenses',
};

/** "Reset: changed", "Recovery link: sent", "Intercept: already so"… */
export function lastActionText(last: Pick<LastAction, 'kind' | 'outcome'>): string {
  return `${KIND_WORDS[last.kind]}: ${outcomeWord(last.kind, last.outcome).toLowerCase()}`;
}

/** Green for done, red for what needs a look, nothing for the rest. */
export function lastActionTone(last: Pick<LastAction, 'outcome'>): 'ok' | 'bad' | null {
  if (last.outcome === 'changed') return 'ok';
  if (['rejected', 'failed', 'not-sent', 'unknown', 'not-found'].includes(last.outcome))
    return 'bad';
  return null;
}
