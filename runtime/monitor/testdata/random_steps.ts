/**
 * Test helpers for random step sequences of the monitor tests: a value
 * for a parameter of a given type (sometimes outside it, sometimes of
 * another kind), and the outcome of one call (its verdict or the error it
 * threw), so two ways of stepping can be compared with `deepEqual`.
 *
 * @module
 */
import { GuardError } from "../../../lib/abi/verdict.ts";
import type { TypeDesc } from "../../../lib/abi/meta.ts";

/** Values of no parameter's kind, or odd ones: what a caller may pass by mistake. */
const ODD: readonly unknown[] = [undefined, null, "toString", "__proto__", {}, 1n, true, NaN];

/**
 * A value for a parameter of `type`: mostly one of the type, sometimes just
 * outside it (a wrong label, a number out of range), and with probability
 * `odd` a value of another kind ({@link ODD}); bigints for some numbers
 * when `odd` is above 0.
 *
 * @example Values of an enum parameter
 * ```ts
 * import assert from "node:assert/strict";
 * import { rng } from "../../../tools/harness/spec_mutations.ts";
 * import { valueOf } from "./random_steps.ts";
 * const next = rng(1);
 * const type = { kind: "enum", name: "Mode", labels: ["off", "on"] } as const;
 * const values = Array.from({ length: 100 }, () => valueOf(type, next));
 * assert.ok(values.includes("on") && values.every((v) => typeof v === "string"));
 * ```
 */
export function valueOf(type: TypeDesc, next: () => number, odd = 0): unknown {
  const r = next();
  if (r < odd) return ODD[Math.floor(next() * ODD.length)];
  switch (type.kind) {
    case "bool":
      return r < 0.95 ? r < 0.5 : 1;
    case "enum":
      return r < 0.95 ? type.labels[Math.floor(next() * type.labels.length)] : "no-such-label";
    case "range": {
      const lo = Number(type.lo), hi = Number(type.hi);
      const n = Math.floor(lo - 1 + next() * (hi - lo + 3));
      return odd > 0 && r > 0.9 ? BigInt(n) : n;
    }
    default:
      if (odd > 0 && r > 0.95) return 3n;
      return r < 0.9 ? Math.floor(next() * 7) - 1 : r < 0.95 ? 2.5 : 2 ** 62;
  }
}

/**
 * The outcome of one call: `{ verdict }`, or the `GuardError` (message and
 * verdict) or other error (name and message) it threw.
 *
 * @example A verdict and an error
 * ```ts
 * import assert from "node:assert/strict";
 * import { outcome } from "./random_steps.ts";
 * assert.deepEqual(outcome(() => 1), { verdict: 1 });
 * assert.deepEqual(outcome(() => { throw new RangeError("No") }), { error: "RangeError", message: "No" });
 * ```
 */
export function outcome(f: () => unknown): unknown {
  try {
    return { verdict: f() };
  } catch (e) {
    if (e instanceof GuardError) return { guard: e.message, verdict: e.verdict };
    if (e instanceof Error) return { error: e.name, message: e.message };
    throw e;
  }
}
