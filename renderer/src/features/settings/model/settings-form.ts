import {
  checkBackendUrl,
  CONCURRENT_REQUESTS,
  normalizeBackendUrl,
  OperatorName,
  REQUEST_TIMEOUT_SECONDS,
  type BackendKind,
  type SettingsUpdate,
  type SettingsView,
} from '../../../../../shared/settings/index.ts';

/**
 * What the API token field does on Save. `keep`: the token kept for the saved URL stays;
 * `replace`: the one typed takes its place; `forget`: it goes (a remote backend then needs
 * the one typed).
 */
export type TokenAction = 'keep' | 'replace' | 'forget';

/** The Settings form as typed: numbers as text, so a half-typed one is shown as it is. */
export interface SettingsDraft {
  operatorName: string;
  backend: BackendKind;
  url: string;
  timeoutSeconds: string;
  maxConcurrentRequests: string;
  tokenAction: TokenAction;
  /** Typed here only; never filled from anything main sent. */
  token: string;
}

export function draftOf(saved: SettingsView): SettingsDraft {
  return {
    operatorName: saved.operatorName,
    backend: saved.backend,
    url: saved.remote.url,
    timeoutSeconds: String(saved.remote.timeoutSeconds),
    maxConcurrentRequests: String(saved.remote.maxConcurrentRequests),
    tokenAction: 'keep',
    token: '',
  };
}

const sameUrl = (a: string, b: string): boolean => {
  if (checkBackendUrl(a) !== null || checkBackendUrl(b) !== null) return a.trim() === b.trim();
  return normalizeBackendUrl(a) === normalizeBackendUrl(b);
};

/**
 * Whether a token is kept for the URL in the form: `kept` for the saved URL (the form shows
 * it, with Replace and Forget), `other-url` when one is kept but for the URL before the one
 * typed, `none` when none is kept at all.
 */
export function tokenSituation(
  draft: SettingsDraft,
  saved: SettingsView,
): 'kept' | 'other-url' | 'none' {
  if (!saved.token.set) return 'none';
  if (draft.backend === 'built-in') return 'kept';
  return sameUrl(draft.url, saved.remote.url) ? 'kept' : 'other-url';
}

/** Whether the form asks for a token to be typed (none kept for this URL, or replacing it). */
export function tokenTyped(draft: SettingsDraft, saved: SettingsView): boolean {
  if (draft.backend === 'built-in') return false;
  return tokenSituation(draft, saved) !== 'kept' || draft.tokenAction !== 'keep';
}

const wholeNumber = (text: string): number | null =>
  /^\s*\d{1,6}\s*$/u.test(text) ? Number(text) : null;

const inRange = (text: string, range: { min: number; max: number }): number | null => {
  const value = wholeNumber(text);
  return value !== null && value >= range.min && value <= range.max ? value : null;
};

export interface FormProblems {
  operatorName: string | null;
  url: string | null;
  token: string | null;
  timeoutSeconds: string | null;
  maxConcurrentRequests: string | null;
}

/** What is wrong with each field, by the same rules as the main process (which decides). */
export function problemsOf(draft: SettingsDraft, saved: SettingsView): FormProblems {
  const name = OperatorName.safeParse(draft.operatorName.trim());
  const remote = draft.backend === 'remote';
  const token = draft.token.trim();
  let tokenProblem: string | null = null;
  if (tokenTyped(draft, saved)) {
    if (token === '')
      tokenProblem =
        draft.tokenAction === 'forget'
          ? 'A remote backend needs an API token: type the new one, or undo Forget.'
          : 'Type the API token this backend’s administrator gave you.';
    else if (/[\s\p{Cc}]/u.test(token))
      tokenProblem =
        'The API token cannot contain spaces, line breaks or tabs: paste it again as one word.';
  }
  return {
    operatorName: name.success
      ? null
      : `The name ${name.error.issues[0]?.message ?? 'is not valid'}.`,
    url: remote ? checkBackendUrl(draft.url) : null,
    token: tokenProblem,
    timeoutSeconds:
      remote && inRange(draft.timeoutSeconds, REQUEST_TIMEOUT_SECONDS) === null
        ? `Give a whole number of seconds from ${REQUEST_TIMEOUT_SECONDS.min} to ${REQUEST_TIMEOUT_SECONDS.max}.`
        : null,
    maxConcurrentRequests:
      remote && inRange(draft.maxConcurrentRequests, CONCURRENT_REQUESTS) === null
        ? `Give a whole number from ${CONCURRENT_REQUESTS.min} to ${CONCURRENT_REQUESTS.max}.`
        : null,
  };
}

export const hasProblems = (problems: FormProblems): boolean =>
  Object.values(problems).some((problem) => problem !== null);

/**
 * The change Save sends: only the fields that differ from what is saved, the token only when
 * one was typed (or null when it is to be forgotten). With the built-in backend chosen, what
 * was typed for the remote one (hidden then) is left out.
 */
export function updateOf(draft: SettingsDraft, saved: SettingsView): SettingsUpdate {
  const update: SettingsUpdate = {};
  const name = draft.operatorName.trim();
  if (name !== saved.operatorName) update.operatorName = name;
  if (draft.backend !== saved.backend) update.backend = draft.backend;
  if (draft.backend === 'built-in') {
    if (saved.token.set && draft.tokenAction === 'forget') update.token = null;
    return update;
  }
  const remote: NonNullable<SettingsUpdate['remote']> = {};
  if (!sameUrl(draft.url, saved.remote.url)) remote.url = draft.url.trim();
  const timeout = wholeNumber(draft.timeoutSeconds);
  if (timeout !== null && timeout !== saved.remote.timeoutSeconds) remote.timeoutSeconds = timeout;
  const concurrent = wholeNumber(draft.maxConcurrentRequests);
  if (concurrent !== null && concurrent !== saved.remote.maxConcurrentRequests)
    remote.maxConcurrentRequests = concurrent;
  if (Object.keys(remote).length > 0) update.remote = remote;
  if (tokenTyped(draft, saved) && draft.token.trim() !== '') update.token = draft.token;
  return update;
}

export const isEmptyUpdate = (update: SettingsUpdate): boolean => Object.keys(update).length === 0;

/**
 * What PassDesk will be busy with while a change is saved, in words, when it changes how it
 * talks to the backend (which reconnects, or starts the built-in one); null when it does not.
 */
export function switchingWords(
  update: SettingsUpdate,
  draft: SettingsDraft,
  saved: SettingsView,
): string | null {
  const kind = update.backend ?? saved.backend;
  if (update.backend !== undefined)
    return kind === 'built-in'
      ? 'Switching to the built-in backend…'
      : `Switching to ${hostOf(draft.url)}…`;
  if (kind === 'remote' && update.remote !== undefined)
    return update.remote.url === undefined
      ? `Reconnecting to ${hostOf(draft.url)} with the new settings…`
      : `Switching to ${hostOf(draft.url)}…`;
  return null;
}

const hostOf = (url: string): string =>
  URL.canParse(url.trim()) ? new URL(url.trim()).host : url.trim();

/** What Test connection is asked: the values typed; the kept token when none was typed. */
export function testInputOf(draft: SettingsDraft, saved: SettingsView) {
  const typed = tokenTyped(draft, saved);
  const timeout = inRange(draft.timeoutSeconds, REQUEST_TIMEOUT_SECONDS);
  return {
    url: draft.url.trim(),
    // Forgetting the kept one and typing none: test with none, not with the one to forget.
    ...(typed && (draft.token.trim() !== '' || draft.tokenAction === 'forget')
      ? { token: draft.token }
      : {}),
    timeoutSeconds: timeout ?? REQUEST_TIMEOUT_SECONDS.default,
  };
}
