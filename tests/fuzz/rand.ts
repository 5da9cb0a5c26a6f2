/**
 * The fuzzer's seeded randomness: one `Rand` per session, from a 32-bit
 * seed, so a session is rebuilt exactly from the seed printed on failure.
 *
 * @module
 */
import { rng } from "../collector_core_fixture.ts";

/** A seeded pseudo-random source with the draws the fuzzer needs. */
export class Rand {
  readonly #next: () => number;

  /** Creates a source from a 32-bit seed. */
  constructor(seed: number) {
    this.#next = rng(seed);
  }

  /** A float in `[0, 1)`. */
  float(): number {
    return this.#next();
  }

  /** An integer in `[0, n)`. */
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }

  /** An integer in `[a, b]`. */
  range(a: number, b: number): number {
    return a + this.int(b - a + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.#next() < p;
  }

  /** One item of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** One value of `[weight, value]` pairs, by weight. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of choices) total += w;
    let x = this.#next() * total;
    for (const [w, v] of choices) {
      if ((x -= w) < 0) return v;
    }
    return choices[choices.length - 1]![1];
  }

  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/**
 * The seed of session `index` of a run seeded `runSeed` (distinct, well mixed).
 *
 * @example Sessions of one run get different seeds
 * ```ts
 * import assert from "node:assert/strict";
 * import { sessionSeed } from "./rand.ts";
 * assert.notEqual(sessionSeed(1, 0), sessionSeed(1, 1));
 * ```
 */
export function sessionSeed(runSeed: number, index: number): number {
  let h = (runSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
