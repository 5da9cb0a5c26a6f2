/**
 * The seeded generator the tests and benchmarks draw their random
 * workloads from (mulberry32: 32 bits of state, uniform numbers in
 * `[0, 1)`), so a failing seed replays the same run. (`lib/`'s own test
 * fixtures keep a copy: `lib/` does not import `tools/`.)
 *
 * @module
 */

/**
 * A mulberry32 generator seeded with `seed` (its low 32 bits): each call
 * gives the next number in `[0, 1)`.
 *
 * @example The same seed, the same numbers
 * ```ts
 * import assert from "node:assert/strict";
 * import { mulberry32 } from "./seeded_random.ts";
 * const a = mulberry32(42);
 * const b = mulberry32(42);
 * const xs = Array.from({ length: 1000 }, () => a());
 * assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
 * assert.ok(xs.every((x) => x >= 0 && x < 1));
 * assert.equal(xs[0], 0.6011037519201636); // mulberry32's first number for seed 42
 * assert.notDeepEqual(Array.from({ length: 10 }, mulberry32(43)), xs.slice(0, 10));
 * ```
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
