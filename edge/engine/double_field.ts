/**
 * Initial values for object fields that later hold doubles (HLC walls and
 * logical counters, sequence numbers, clock readings: numbers read from
 * `Float64Array` columns or `Date.now()`).
 *
 * V8 gives a field the representation of the first value stored: a small
 * integer literal (`0`, `-1`) makes it a Smi field. The first double
 * stored later (a number read from a `Float64Array` by unoptimized code is
 * a heap number, even when integral) then changes the field to a double
 * field, which replaces the object's map (the old one is deprecated), and
 * every optimized function that checked the old map is deoptimized at once
 * (measured on a cold ingest: `--trace-generalization` shows the
 * participant's `seq` and `logical` and the node stats' clock fields
 * deprecating 4 to 13 maps each at the first applied event, after the
 * engine's functions were optimized). A field first given the same number
 * as a heap number is a double field from the start.
 *
 * @module
 */

/**
 * `x` as a heap number (read back from a `Float64Array`), for a field's
 * first value: the same number (`===`, `Object.is`), stored as a double.
 *
 * @example The same number
 * ```ts
 * import assert from "node:assert/strict";
 * import { asDouble } from "./double_field.ts";
 * assert.ok(Object.is(asDouble(-1), -1) && Object.is(asDouble(0), 0));
 * ```
 */
export function asDouble(x: number): number {
  const cell = new Float64Array(1);
  cell[0] = x;
  return cell[0]!;
}

/** `0` as a heap number ({@link asDouble}). */
export const DOUBLE_ZERO: number = asDouble(0);

/** `-1` as a heap number ({@link asDouble}). */
export const DOUBLE_MINUS_ONE: number = asDouble(-1);
