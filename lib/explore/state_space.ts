/**
 * How many states a spec can have at most: the product of its state
 * variables' value counts (a range's size, an enum's labels, 2 for a bool;
 * a map counts its value type once per key). The explorer sizes its state
 * set from it, so a search of a finite spec does not grow and rehash its
 * table while it runs; an `int` variable has no bound.
 *
 * @module
 */
import type { Program, ScalarType } from "../ir.ts";

/**
 * The number of valuations of `program`'s state variables, or `Infinity`
 * when one is an `int` (or the product passes 2^53).
 *
 * @example Three dials of 128 values
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { stateSpaceBound } from "./state_space.ts";
 * const { program } = analyze("spec D type I = 0..2 state d: map[I, 0..127] = 0 state on: bool = false");
 * assert.equal(stateSpaceBound(program!), 128 ** 3 * 2);
 * assert.equal(stateSpaceBound(analyze("spec C state n: int = 0").program!), Infinity);
 * ```
 */
export function stateSpaceBound(program: Program): number {
  let product = 1;
  for (const v of program.vars) {
    const values = v.type.kind === "map" ? valuesOf(v.type.value) : valuesOf(v.type);
    product *= values ** v.size;
    if (!(product <= Number.MAX_SAFE_INTEGER)) return Infinity;
  }
  return product;
}

function valuesOf(type: ScalarType): number {
  switch (type.kind) {
    case "bool":
      return 2;
    case "enum":
      return type.labels.length;
    case "range":
      return Number(type.hi - type.lo) + 1;
    case "int":
      return Infinity;
  }
}

/** The largest store a state set is sized for up front (beyond, it grows as it fills). */
const MAX_PRESIZED_BYTES = 64 * 1024 * 1024;

/**
 * The capacity to give the explorer's state set for `program` with states
 * of `words` words: the state-space bound when the store it implies fits
 * in 64 MiB (memory the search touches only as it stores states), else
 * `fallback`.
 *
 * @example A small spec is sized to its bound, an unbounded one is not
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { presizedCapacity } from "./state_space.ts";
 * assert.equal(presizedCapacity(analyze("spec C state n: 0..99 = 0").program!, 1, 4096), 4096);
 * assert.equal(presizedCapacity(analyze("spec C state n: 0..99999 = 0").program!, 1, 4096), 100000);
 * assert.equal(presizedCapacity(analyze("spec C state n: int = 0").program!, 1, 4096), 4096);
 * ```
 */
export function presizedCapacity(program: Program, words: number, fallback: number): number {
  const bound = stateSpaceBound(program);
  if (bound <= fallback || bound * words * 4 > MAX_PRESIZED_BYTES) return fallback;
  return bound;
}
