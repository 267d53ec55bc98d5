/**
 * Runs `run` at most every `ms`: `soon()` runs it at once when the last run is that long ago,
 * else once that time has passed (a call is never lost, and calls in between add nothing);
 * `now()` runs it at once, dropping a run waiting; `cancel()` drops a run waiting.
 */
export function createThrottle(run: () => void, ms: number) {
  /** The timer of the run waiting, if `waiting` (its type is each runtime's own). */
  let timer: unknown = null;
  let waiting = false;
  let ranAt = -Infinity;
  const cancel = (): void => {
    if (waiting) clearTimeout(timer);
    waiting = false;
  };
  const now = (): void => {
    cancel();
    ranAt = Date.now();
    run();
  };
  const soon = (): void => {
    if (waiting) return;
    const wait = ranAt + ms - Date.now();
    if (wait <= 0) {
      now();
      return;
    }
    waiting = true;
    timer = setTimeout(now, wait);
  };
  return { now, soon, cancel };
}
