/**
 * Value domains of the reference interpreter: which i64 values belong to a
 * scalar type, and which JS numbers are valid action arguments.
 *
 * @module
 */
import type { IParam } from "../ir.ts";
import { finiteBounds, I64_MAX, I64_MIN } from "./eval.ts";

const TWO_63 = 2 ** 63;

/**
 * Whether the JS number `value` is a valid argument for parameter type
 * `type`: finite, integral and within the type.
 *
 * @example Validate arguments
 * ```ts
 * import assert from "node:assert/strict";
 * import { argumentInType } from "./values.ts";
 * assert.equal(argumentInType({ kind: "range", lo: 0n, hi: 3n }, 2), true);
 * assert.equal(argumentInType({ kind: "range", lo: 0n, hi: 3n }, 2.5), false);
 * assert.equal(argumentInType({ kind: "range", lo: 0n, hi: 3n }, 4), false);
 * assert.equal(argumentInType({ kind: "bool" }, NaN), false);
 * ```
 */
export function argumentInType(type: IParam["type"], value: number): boolean {
  if (typeof value !== "number" || !Number.isInteger(value)) return false;
  if (type.kind === "int") return value >= -TWO_63 && value < TWO_63;
  return inBounds(type, BigInt(value));
}

/**
 * Whether the i64 `value` belongs to scalar type `type` (every i64 is an `int`).
 *
 * @example Check an enum index
 * ```ts
 * import assert from "node:assert/strict";
 * import { inBounds } from "./values.ts";
 * const mode = { kind: "enum", name: "Mode", labels: ["free", "held"] } as const;
 * assert.equal(inBounds(mode, 1n), true);
 * assert.equal(inBounds(mode, 2n), false);
 * ```
 */
export function inBounds(type: IParam["type"], value: bigint): boolean {
  if (type.kind === "int") return value >= I64_MIN && value <= I64_MAX;
  const { lo, hi } = finiteBounds(type);
  return value >= lo && value <= hi;
}
