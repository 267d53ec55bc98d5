import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatchPlanner } from '../../../electron/main/services/jobs/batch-planner.ts';

/**
 * A simulated backend that does `perUserMs` of work per user on `lanes` workers: with more
 * requests in flight than lanes, each request waits for the others.
 */
function simulate(
  planner: ReturnType<typeof createBatchPlanner>,
  backend: { perUserMs: number; lanes: number; fixedMs?: number },
  batches: number,
): { sizes: number[]; requestMs: number[]; concurrency: number[] } {
  const sizes: number[] = [];
  const requestMs: number[] = [];
  const concurrency: number[] = [];
  for (let i = 0; i < batches; i += 1) {
    const size = planner.nextSize();
    const inFlight = planner.concurrency;
    const ms =
      (backend.fixedMs ?? 5) + backend.perUserMs * size * Math.max(1, inFlight / backend.lanes);
    planner.observe({ users: size, ms, concurrency: inFlight });
    sizes.push(size);
    requestMs.push(ms);
    concurrency.push(inFlight);
  }
  return { sizes, requestMs, concurrency };
}

describe('the batch planner', () => {
  it('starts small, grows at most 8× a step, and stops at 500 for a fast backend', () => {
    const planner = createBatchPlanner();
    const { sizes } = simulate(planner, { perUserMs: 0.1, lanes: 4 }, 6);
    expect(sizes).toEqual([10, 80, 500, 500, 500, 500]);
  });

  it('makes each request take about the target time, whatever the backend speed', () => {
    for (const perUserMs of [1, 5, 30, 70, 250]) {
      const planner = createBatchPlanner({ targetMs: 3000 });
      const { requestMs, sizes } = simulate(planner, { perUserMs, lanes: 1 }, 30);
      const settled = requestMs.slice(-10);
      for (const ms of settled) {
        if (sizes.at(-1) === 500) expect(ms).toBeLessThanOrEqual(3200);
        else {
          expect(ms).toBeGreaterThan(1500);
          expect(ms).toBeLessThan(4500);
        }
      }
    }
  });

  it('gives a backend of 1 s per user batches of a few users and a timeout above their time', () => {
    const planner = createBatchPlanner();
    simulate(planner, { perUserMs: 1000, lanes: 1 }, 10);
    const size = planner.nextSize();
    expect(size).toBeGreaterThanOrEqual(1);
    expect(size).toBeLessThanOrEqual(3);
    expect(planner.timeoutMs(size)).toBeGreaterThan(3 * size * 1000);
  });

  it('adds requests in flight only while they pay, and stops at 4', () => {
    const parallel = createBatchPlanner();
    simulate(parallel, { perUserMs: 10, lanes: 8 }, 40);
    expect(parallel.concurrency).toBe(4);

    const saturated = createBatchPlanner();
    const { concurrency } = simulate(saturated, { perUserMs: 10, lanes: 2 }, 40);
    expect(Math.max(...concurrency)).toBe(3); // tried, and gave it back
    expect(saturated.concurrency).toBe(2);
  });

  it('learns from a timeout: fewer requests in flight, a longer timeout', () => {
    const planner = createBatchPlanner({ minTimeoutMs: 1000 });
    expect(planner.timeoutMs(10)).toBe(1000);
    planner.timedOut({ users: 10, ms: 1000 });
    expect(planner.concurrency).toBe(1);
    expect(planner.learnt()).toBeNull();
    expect(planner.nextSize()).toBeLessThanOrEqual(10);
    // Longer than the time that was not enough.
    expect(planner.timeoutMs(10)).toBeGreaterThan(1000);
  });

  it('backs off on overload and never goes below one request', () => {
    const planner = createBatchPlanner({ startConcurrency: 2 });
    planner.overloaded();
    planner.overloaded();
    expect(planner.concurrency).toBe(1);
  });

  it('starts from what an earlier job of the same kind learnt, and still probes', () => {
    const planner = createBatchPlanner({ known: { perUserMs: 30, overheadMs: 0 } });
    expect(planner.concurrency).toBe(2);
    expect(planner.nextSize()).toBe(100);
    simulate(planner, { perUserMs: 5, lanes: 8 }, 20);
    expect(planner.concurrency).toBeGreaterThan(2);
  });

  it('does not shrink to one-user batches when every request costs more than the target', () => {
    // 4 s per request whatever its size, 2 ms per user.
    const planner = createBatchPlanner();
    const { sizes } = simulate(planner, { perUserMs: 2, lanes: 8, fixedMs: 4000 }, 20);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(5);
    expect(sizes.at(-1)).toBe(500);
  });

  it('does not read queueing noise as a large per-request cost (and so send 500 users)', () => {
    // What a one-worker backend at 2 ms per user answered at 3 requests in flight: each request
    // also waited for the others, so its time says little about its own size. A straight line
    // through these says 578 ms a request and 0.2 ms a user — more than the fastest answer took.
    const planner = createBatchPlanner({ targetMs: 200, startConcurrency: 3, maxConcurrency: 3 });
    for (const [users, ms] of [
      [172, 433],
      [172, 771],
      [62, 814],
      [79, 599],
      [57, 366],
    ] as const)
      planner.observe({ users, ms, concurrency: 3 });
    expect(planner.nextSize()).toBeLessThan(100);
  });

  it('gives requests in flight back after a timeout, and may try again later', () => {
    const planner = createBatchPlanner({ startConcurrency: 3 });
    simulate(planner, { perUserMs: 1, lanes: 8 }, 3);
    const before = planner.concurrency;
    planner.timedOut({ users: planner.nextSize(), ms: 60_000 });
    expect(planner.concurrency).toBe(before - 1);
    simulate(planner, { perUserMs: 1, lanes: 8 }, 40);
    expect(planner.concurrency).toBeGreaterThan(before - 1);
  });

  it('always plans between 1 and 500 users and a timeout within its bounds', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            users: fc.integer({ min: 1, max: 500 }),
            ms: fc.double({ min: 0, max: 3_600_000, noNaN: true }),
            concurrency: fc.integer({ min: 1, max: 4 }),
            kind: fc.constantFrom('observe', 'timeout', 'overload'),
          }),
          { maxLength: 40 },
        ),
        (events) => {
          const planner = createBatchPlanner();
          for (const event of events) {
            if (event.kind === 'observe') planner.observe(event);
            else if (event.kind === 'timeout') planner.timedOut(event);
            else planner.overloaded();
            const size = planner.nextSize();
            expect(Number.isInteger(size)).toBe(true);
            expect(size).toBeGreaterThanOrEqual(1);
            expect(size).toBeLessThanOrEqual(500);
            expect(planner.concurrency).toBeGreaterThanOrEqual(1);
            expect(planner.concurrency).toBeLessThanOrEqual(4);
            const timeout = planner.timeoutMs(size);
            expect(timeout).toBeGreaterThanOrEqual(30_000);
            expect(timeout).toBeLessThanOrEqual(600_000);
          }
        },
      ),
    );
  });
});
