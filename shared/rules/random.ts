/** The part of Web Crypto this module needs; present in browsers, Electron and Node ≥ 20. */
interface RandomSource {
  getRandomValues<T extends Uint32Array>(array: T): T;
}

const source = (globalThis as unknown as { crypto: RandomSource }).crypto;
const pool = new Uint32Array(256);
let next = pool.length;

function nextUint32(): number {
  if (next >= pool.length) {
    source.getRandomValues(pool);
    next = 0;
  }
  const value = pool[next] ?? 0;
  pool[next] = 0;
  next += 1;
  return value;
}

/** A uniformly distributed integer in [0, bound), from the CSPRNG (rejection sampling). */
export function randomIndex(bound: number): number {
  if (!Number.isInteger(bound) || bound <= 0 || bound > 2 ** 32) {
    throw new RangeError(`bound must be an integer in 1..2^32, got ${bound}`);
  }
  const limit = 2 ** 32 - (2 ** 32 % bound);
  for (;;) {
    const value = nextUint32();
    if (value < limit) return value % bound;
  }
}
