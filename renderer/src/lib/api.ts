import type { PassdeskApi } from '../../../shared/ipc/index.ts';

declare global {
  interface Window {
    /** Exposed by the preload (or a test host); typed from the shared contract. */
    readonly api?: PassdeskApi;
  }
}

/** The bridge to the main process. Throws when the page runs outside PassDesk. */
export function getApi(): PassdeskApi {
  const api = window.api;
  if (api === undefined) throw new Error('PassDesk API is not available in this window');
  return api;
}
