/**
 * Random states of a compiled spec for the global check property tests:
 * every variable drawn from its type, ints leaning to small values and to
 * the i64 overflow edges.
 *
 * @module
 */
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import type { TypeDesc } from "../lib/abi/meta.ts";

/** The ints drawn: small ones, and the overflow edges. */
const INTS = [-3n, -1n, 0n, 0n, 1n, 2n, 3n, 7n, 500n, 1n << 62n, -(1n << 62n), (1n << 63n) - 1n];

/**
 * A random value of type `t`.
 *
 * @example An enum label index
 * ```ts
 * import assert from "node:assert/strict";
 * import { valueOf } from "./random_states.ts";
 * assert.equal(valueOf({ kind: "enum", name: "E", labels: ["a", "b"] }, () => 0.9), 1n);
 * ```
 */
export function valueOf(t: TypeDesc, rnd: () => number): bigint {
  const pick = (n: number) => Math.floor(rnd() * n);
  switch (t.kind) {
    case "bool":
      return BigInt(pick(2));
    case "enum":
      return BigInt(pick(t.labels.length));
    case "range": {
      const lo = BigInt(t.lo);
      const span = Number(BigInt(t.hi) - lo + 1n);
      return lo + BigInt(pick(Math.min(span, 1000)));
    }
    case "int":
      return INTS[pick(INTS.length)]!;
    case "map":
      throw new TypeError("A map has no single value");
  }
}

/**
 * Random slots for one state of `spec`: with probability `quiet` a slot
 * keeps its initial value.
 *
 * @example Every slot quiet: the initial state
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../lib/abi/loader.ts";
 * import { randomSlots } from "./random_states.ts";
 * const lease = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
 * assert.deepEqual(randomSlots(lease, () => 0.5, 1), lease.meta.initial.map(BigInt));
 * ```
 */
export function randomSlots(spec: CompiledSpec, rnd: () => number, quiet: number): bigint[] {
  const slots = spec.meta.initial.map((v) => BigInt(v));
  for (const v of spec.meta.vars) {
    const t = v.type.kind === "map" ? v.type.value : v.type;
    for (let i = 0; i < v.size; i++) if (rnd() >= quiet) slots[v.base + i] = valueOf(t, rnd);
  }
  return slots;
}
