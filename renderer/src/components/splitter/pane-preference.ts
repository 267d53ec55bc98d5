import { useEffect, useState } from 'react';

/** How the user left a collapsible, resizable pane. */
export interface PanePreference {
  collapsed: boolean;
  /** Its size in px as last set with the splitter; null until then (the layout's default). */
  size: number | null;
}

export const DEFAULT_PANE: PanePreference = { collapsed: false, size: null };

/** Beyond any screen: a larger stored size is not one this app wrote. */
const LARGEST_SIZE = 10_000;

/**
 * What was stored, checked field by field: a field that is missing, of the wrong type or out of
 * range takes its default, and text that is not JSON gives the default pane. Never throws.
 */
export function parsePanePreference(raw: string | null): PanePreference {
  if (raw === null) return DEFAULT_PANE;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return DEFAULT_PANE;
  }
  if (typeof value !== 'object' || value === null) return DEFAULT_PANE;
  const { collapsed, size } = value as Record<string, unknown>;
  return {
    collapsed: typeof collapsed === 'boolean' ? collapsed : DEFAULT_PANE.collapsed,
    size:
      typeof size === 'number' && Number.isFinite(size) && size >= 0 && size <= LARGEST_SIZE
        ? Math.round(size)
        : DEFAULT_PANE.size,
  };
}

// A UI preference of this window only, so localStorage rather than the settings file. Storage
// can be unavailable (a browser with it disabled throws on access): the pane then works as usual,
// it is only not remembered.
function read(key: string): PanePreference {
  try {
    return parsePanePreference(window.localStorage.getItem(key));
  } catch {
    return DEFAULT_PANE;
  }
}

function write(key: string, preference: PanePreference): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(preference));
  } catch {
    // Not remembered this time; nothing else depends on it.
  }
}

/** A pane's preference, read once from localStorage under `key` and written back on change. */
export function useStoredPane(
  key: string,
): [PanePreference, (update: (previous: PanePreference) => PanePreference) => void] {
  const [preference, setPreference] = useState(() => read(key));
  useEffect(() => write(key, preference), [key, preference]);
  return [preference, setPreference];
}
