import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createThrottle } from '../../../shared/timing/throttle.ts';

describe('the throttle of progress and refreshes', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs at once, then at most every interval, never losing the last call', () => {
    const run = vi.fn();
    const throttle = createThrottle(run, 100);
    throttle.soon();
    expect(run).toHaveBeenCalledTimes(1);
    throttle.soon();
    throttle.soon();
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(99);
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('runs now at once, dropping a run waiting, and cancel drops one', () => {
    const run = vi.fn();
    const throttle = createThrottle(run, 100);
    throttle.soon();
    throttle.soon();
    throttle.now();
    expect(run).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(200);
    expect(run).toHaveBeenCalledTimes(2);
    throttle.now();
    throttle.soon();
    throttle.cancel();
    vi.advanceTimersByTime(200);
    expect(run).toHaveBeenCalledTimes(3);
  });
});
