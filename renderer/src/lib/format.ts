const integer = new Intl.NumberFormat('en-US');

/** 10,000 */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** "1 user", "2 users" */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "45 s", "3 min 5 s", "1 h 2 min" */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * A moment as the user's clock shows it: "10:42" today, with the day before it otherwise
 * ("27 Nov, 10:42"), in the user's locale.
 */
export function formatClock(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const today = at.toDateString() === now.toDateString();
  return today
    ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : at.toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
