/**
 * Constant folding with the exact 64-bit semantics of `lib/ir.ts`: overflow
 * and division by zero are faults, `/` truncates toward zero, `%` takes the
 * sign of the dividend.
 *
 * @module
 */

/** The smallest i64. */
export const I64_MIN = -(1n << 63n);
/** The largest i64. */
export const I64_MAX = (1n << 63n) - 1n;

/** A folded value, or the reason folding failed (`"overflow"`, `"division by zero"`). */
export type Folded = { readonly value: bigint } | { readonly fault: string };

function fit(value: bigint): Folded {
  return value < I64_MIN || value > I64_MAX ? { fault: "overflow" } : { value };
}

/**
 * Folds checked i64 arithmetic.
 *
 * @example Fold a division
 * ```ts
 * import assert from "node:assert/strict";
 * import { foldArith } from "./fold.ts";
 * assert.ok("value" in foldArith("/", -7n, 2n));
 * assert.ok("fault" in foldArith("%", 1n, 0n));
 * ```
 */
export function foldArith(op: "+" | "-" | "*" | "/" | "%", a: bigint, b: bigint): Folded {
  switch (op) {
    case "+":
      return fit(a + b);
    case "-":
      return fit(a - b);
    case "*":
      return fit(a * b);
    case "/":
      return b === 0n ? { fault: "division by zero" } : fit(a / b);
    case "%":
      return b === 0n ? { fault: "division by zero" } : { value: a % b };
  }
}

/**
 * Folds a comparison to 0 or 1.
 *
 * @example Compare
 * ```ts
 * import assert from "node:assert/strict";
 * import { foldCompare } from "./fold.ts";
 * assert.ok(foldCompare("<=", 1n, 2n) === 1n);
 * ```
 */
export function foldCompare(
  op: "==" | "!=" | "<" | "<=" | ">" | ">=",
  a: bigint,
  b: bigint,
): bigint {
  const holds = op === "=="
    ? a === b
    : op === "!="
    ? a !== b
    : op === "<"
    ? a < b
    : op === "<="
    ? a <= b
    : op === ">"
    ? a > b
    : a >= b;
  return holds ? 1n : 0n;
}

/**
 * What can go wrong at an arithmetic site, for `arith_error` verdict details.
 *
 * @example Describe a division
 * ```ts
 * import assert from "node:assert/strict";
 * import { arithFailure } from "./fold.ts";
 * assert.ok(arithFailure("/") === "overflow or division by zero");
 * ```
 */
export function arithFailure(op: "+" | "-" | "*" | "/" | "%"): string {
  if (op === "/") return "overflow or division by zero";
  if (op === "%") return "division by zero";
  return "overflow";
}
