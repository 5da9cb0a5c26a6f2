/**
 * Decoding explored states for reports: a packed state block to slot values
 * (through the layout), and slot values or action arguments to readable
 * values (enum labels, booleans, numbers; maps as objects keyed by label).
 *
 * @module
 */
import type { FiniteType, Program, ScalarType } from "../ir.ts";
import type { SlotLayout } from "../abi/slot_layout.ts";

/**
 * A decoded value: `bool` as a boolean, an enum as its label, an integer as a number or (beyond 2^53) a decimal string.
 *
 * @example Booleans, enum labels and numbers
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Scalar } from "./valuation.ts";
 * const values: Scalar[] = [true, "held", 3];
 * assert.equal(values.length, 3);
 * ```
 */
export type Scalar = boolean | string | number;
/**
 * A decoded variable: a scalar or a map from key (label or number, as an object key) to scalar.
 *
 * @example A map's value is an object keyed by key label
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Value } from "./valuation.ts";
 * const granted: Value = { "0": 0, "1": 2 };
 * assert.equal(typeof granted === "object" ? granted["1"] : undefined, 2);
 * ```
 */
export type Value = Scalar | { readonly [key: string]: Scalar };
/**
 * A decoded state or argument list: name to value.
 *
 * @example The states of a trace are valuations
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { Valuation } from "./valuation.ts";
 * const report = exploreSource("spec C state n: 0..2 = 0 action inc require n < 2 n := n + 1").report!;
 * const states: (Valuation | null)[] = report.deadlocks[0]!.trace.map((row) => row.state);
 * assert.deepEqual(states, [{ n: 0 }, { n: 1 }, { n: 2 }]);
 * ```
 */
export type Valuation = Readonly<Record<string, Value>>;

/**
 * Reads the slot values of the state block `words[at..]`.
 *
 * @example Decode a block
 * ```ts
 * import assert from "node:assert/strict";
 * import { slotsOf } from "./valuation.ts";
 * const slots = slotsOf([{ offset: 0, width: 1, signed: true }], new Uint32Array([0xff]), 0, 1);
 * assert.ok(slots[0] === -1n);
 * ```
 */
export function slotsOf(
  layout: readonly SlotLayout[],
  words: Uint32Array,
  at: number,
  count: number,
): bigint[] {
  const bytes = new Uint8Array(count * 4);
  new Uint32Array(bytes.buffer).set(words.subarray(at, at + count));
  const view = new DataView(bytes.buffer);
  return layout.map(({ offset, width, signed }) => {
    switch (width) {
      case 1:
        return BigInt(signed ? view.getInt8(offset) : view.getUint8(offset));
      case 2:
        return BigInt(signed ? view.getInt16(offset, true) : view.getUint16(offset, true));
      case 4:
        return BigInt(signed ? view.getInt32(offset, true) : view.getUint32(offset, true));
      case 8:
        return signed ? view.getBigInt64(offset, true) : view.getBigUint64(offset, true);
    }
  });
}

/** Decodes one scalar of type `type`. */
export function scalarValue(type: ScalarType, v: bigint): Scalar {
  switch (type.kind) {
    case "bool":
      return v !== 0n;
    case "enum":
      return type.labels[Number(v)] ?? `#${v}`;
    default:
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v)
        : v.toString();
  }
}

/** The key of map entry `i` (0-based) of key type `key`, as an object key. */
export function keyLabel(key: FiniteType, i: number): string {
  switch (key.kind) {
    case "bool":
      return i === 0 ? "false" : "true";
    case "enum":
      return key.labels[i] ?? `#${i}`;
    case "range":
      return (key.lo + BigInt(i)).toString();
  }
}

/**
 * Names the slot values of a state.
 *
 * @example Decode a state
 * ```ts
 * import assert from "node:assert/strict";
 * import { valuation } from "./valuation.ts";
 * import { analyze } from "../frontend.ts";
 * const { program } = analyze("spec S type M = enum { a, b } state m: M = a state f: map[bool, int] = 0");
 * const v = valuation(program!, [1n, 0n, 5n]);
 * assert.ok(v.m === "b" && (v.f as Record<string, number>).true === 5);
 * ```
 */
export function valuation(program: Program, slots: readonly bigint[]): Valuation {
  const out: Record<string, Value> = {};
  for (const v of program.vars) {
    if (v.type.kind !== "map") {
      out[v.name] = scalarValue(v.type, slots[v.base]!);
      continue;
    }
    const entries: Record<string, Scalar> = {};
    for (let i = 0; i < v.size; i++) {
      entries[keyLabel(v.type.key, i)] = scalarValue(v.type.value, slots[v.base + i]!);
    }
    out[v.name] = entries;
  }
  return out;
}

/** Names the arguments of action `action`. */
export function argValuation(program: Program, action: number, args: readonly number[]): Valuation {
  const out: Record<string, Value> = {};
  const params = program.actions[action]?.params ?? [];
  params.forEach((p, i) => {
    out[p.name] = scalarValue(p.type, BigInt(args[i]!));
  });
  return out;
}

/** Renders a scalar or map for a text table: `held`, `3`, `{0: true, 1: false}`. */
export function showValue(v: Value): string {
  if (typeof v !== "object") return String(v);
  return `{${Object.entries(v).map(([k, x]) => `${k}: ${x}`).join(", ")}}`;
}
