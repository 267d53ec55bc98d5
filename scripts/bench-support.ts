/**
 * What the benchmark scripts share: reading their options, and the statistics they print —
 * min/median/max, a distribution-free confidence interval for a median, and a power law fitted
 * to sizes and times. Plain Node, no dependencies.
 */

/** Rounds a figure for printing: 1 decimal unless told. */
export const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

/** A whole number ≥ `min` from a command-line option, or a clear error naming it. */
export function wholeNumber(name: string, value: string | undefined, min = 1): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min) {
    throw new Error(`--${name} must be a whole number ≥ ${min} (got ${value ?? 'nothing'})`);
  }
  return n;
}

/** A comma-separated list of whole numbers ≥ `min` ("10000,100000"), or a clear error. */
export function wholeNumbers(name: string, value: string, min = 1): number[] {
  return value.split(',').map((part) => wholeNumber(name, part.trim(), min));
}

export interface Summary {
  n: number;
  min: number;
  median: number;
  max: number;
}

/** The middle value (the mean of the two middle ones for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Count, min, median and max, rounded for printing. */
export function summarize(values: readonly number[], digits = 1): Summary {
  return {
    n: values.length,
    min: round(values.length === 0 ? 0 : Math.min(...values), digits),
    median: round(median(values), digits),
    max: round(values.length === 0 ? 0 : Math.max(...values), digits),
  };
}

/** "12.3 / 15.0 / 40.2" (min / median / max). */
export const showSummary = (s: Summary): string => `${s.min} / ${s.median} / ${s.max}`;

function binomialCdf(k: number, n: number): number {
  // P(X ≤ k) for X ~ Binomial(n, 1/2), summed in logs so that n in the hundreds stays exact enough.
  let logChoose = 0;
  let total = 0;
  for (let i = 0; i <= k; i += 1) {
    if (i > 0) logChoose += Math.log((n - i + 1) / i);
    total += Math.exp(logChoose - n * Math.LN2);
  }
  return total;
}

export interface MedianInterval {
  low: number;
  high: number;
  /** The interval's actual coverage (order statistics give a few levels, not any level). */
  confidence: number;
}

/**
 * A confidence interval for the median that assumes nothing about the distribution (the
 * sign-test interval from order statistics): the widest-coverage pair of order statistics
 * whose coverage is at least `level`. Null when there are too few values (fewer than 6 for
 * 95 %).
 */
export function medianInterval(values: readonly number[], level = 0.95): MedianInterval | null {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  // The interval [x(k+1), x(n-k)] covers the median with probability 1 − 2·P(X ≤ k).
  let best: MedianInterval | null = null;
  for (let k = 0; k < n / 2; k += 1) {
    const confidence = 1 - 2 * binomialCdf(k, n);
    if (confidence < level) break;
    best = { low: sorted[k] ?? 0, high: sorted[n - 1 - k] ?? 0, confidence };
  }
  return best;
}

export interface PowerLaw {
  /** b in time ≈ a · size^b: 1 is linear, 2 quadratic. */
  exponent: number;
  /** How well log(time) is explained by log(size), 0 to 1. */
  r2: number;
}

/** Least squares of log(y) on log(x); null with fewer than two distinct sizes. */
export function fitPowerLaw(points: readonly { x: number; y: number }[]): PowerLaw | null {
  const usable = points.filter((p) => p.x > 0 && p.y > 0);
  const xs = usable.map((p) => Math.log(p.x));
  const ys = usable.map((p) => Math.log(p.y));
  if (new Set(xs).size < 2) return null;
  const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const y = ys[i] ?? 0;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  const exponent = sxy / sxx;
  return { exponent: round(exponent, 3), r2: round(syy === 0 ? 1 : (sxy * sxy) / (sxx * syy), 3) };
}

/**
 * The exponent between each pair of neighbouring sizes (sorted): where fixed costs dominate the
 * small sizes, a single fit reads low, and these show where the growth bends.
 */
export function stepExponents(
  points: readonly { x: number; y: number }[],
): { from: number; to: number; exponent: number }[] {
  const sorted = [...points].filter((p) => p.x > 0 && p.y > 0).sort((a, b) => a.x - b.x);
  return sorted.slice(1).flatMap((to, i) => {
    const from = sorted[i];
    if (from === undefined || from.x === to.x) return [];
    const exponent = Math.log(to.y / from.y) / Math.log(to.x / from.x);
    return [{ from: from.x, to: to.x, exponent: round(exponent, 2) }];
  });
}

/** Each goes first in turn: round 0 in the given order, round 1 from the second item, … */
export function takingTurns<T>(roundNo: number, items: readonly T[]): T[] {
  const start = roundNo % Math.max(1, items.length);
  return [...items.slice(start), ...items.slice(0, start)];
}
