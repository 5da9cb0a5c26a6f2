/**
 * Variable bounds (`vigil check --bound token=10`): a finite model of a spec
 * whose `int` variables are unbounded. A state where a bounded variable (any
 * entry of a bounded map) lies outside its bound is stored, counted and
 * checked like any other (the step that reached it checked every invariant)
 * but not expanded, as TLC's state constraints do. The report then speaks
 * of the states within the bounds only, and says so.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { SlotLayout } from "../abi/slot_layout.ts";
import type { Program } from "../ir.ts";
import { wordsValue } from "./growth.ts";

/**
 * A bound on one variable: states where it (every entry of a map) is within
 * `lo..hi` are expanded, the others are not.
 *
 * @example Bound the Lease token
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBound, type VariableBound } from "./bounds.ts";
 * const bound: VariableBound = parseBound("token=10");
 * assert.deepEqual(bound, { variable: "token", lo: -10, hi: 10 });
 * ```
 */
export interface VariableBound {
  /** The state variable's name. */
  readonly variable: string;
  /** Smallest value expanded. */
  readonly lo: number;
  /** Largest value expanded. */
  readonly hi: number;
}

/**
 * Parses `name=N` (meaning `-N..N`) or `name=lo..hi`; bounds are integers
 * within +-(2^53 - 1).
 *
 * @example Both forms
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBound } from "./bounds.ts";
 * assert.deepEqual(parseBound("n=0..3"), { variable: "n", lo: 0, hi: 3 });
 * assert.throws(() => parseBound("n"), /expected name=N or name=lo..hi/);
 * ```
 */
export function parseBound(text: string): VariableBound {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:(-?\d+)\s*\.\.\s*)?(-?\d+)\s*$/.exec(text);
  if (m === null) {
    throw new RangeError(`Invalid bound '${text}': expected name=N or name=lo..hi, e.g. token=10`);
  }
  const hi = Number(m[3]!);
  const lo = m[2] === undefined ? -hi : Number(m[2]);
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
    throw new RangeError(`Invalid bound '${text}': bounds must be within +-(2^53 - 1)`);
  }
  if (lo > hi) throw new RangeError(`Invalid bound '${text}': the lower bound is above the upper`);
  return { variable: m[1]!, lo, hi };
}

/**
 * Thrown when a bound names no integer state variable.
 *
 * @example An unknown variable
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { BoundError, outOfBounds } from "./bounds.ts";
 * const { program } = analyze("spec T state on: bool = false action flip on := not on");
 * const meta = buildMeta(program!, initialState(program!).state);
 * assert.throws(() => outOfBounds(program!, meta, [{ variable: "n", lo: 0, hi: 1 }]), BoundError);
 * ```
 */
export class BoundError extends RangeError {
  /** The bound's variable name. */
  readonly variable: string;

  /** Creates the error for `variable`, with `message`. */
  constructor(variable: string, message: string) {
    super(message);
    this.name = "BoundError";
    this.variable = variable;
  }
}

/** Reads the slot `slot` of the state at `store[at..]` as a number. */
function readSlot(store: Uint32Array, at: number, slot: SlotLayout): number {
  if (slot.width === 8) return wordsValue(store, at + slot.offset / 4);
  const word = store[at + (slot.offset >> 2)]!;
  const bits = slot.width * 8, shift = (slot.offset & 3) * 8;
  const raw = bits === 32 ? word >>> 0 : (word >>> shift) & ((1 << bits) - 1);
  return slot.signed && raw >= 2 ** (bits - 1) ? raw - 2 ** bits : raw;
}

/**
 * A predicate over stored states of `copies` monitors laid end to end: `true`
 * when a bounded variable of any of them is outside its bound. Throws
 * {@link BoundError} for a name that is not an integer state variable (`int`,
 * a range, or a map with such values) and for a variable bounded twice.
 *
 * @example Keep a counter within 0..2
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * const source = "spec C state n: int = 0 action inc n := n + 1";
 * const report = exploreSource(source, { bounds: [{ variable: "n", lo: 0, hi: 2 }] }).report!;
 * assert.equal(report.distinctStates, 4); // n = 0, 1, 2 expanded; n = 3 stored, not expanded
 * assert.equal(report.outOfBounds, 1);
 * ```
 */
export function outOfBounds(
  program: Program,
  meta: SpecMeta,
  bounds: readonly VariableBound[],
  copies = 1,
): (words: Uint32Array) => boolean {
  const stride = meta.stride / 4;
  const checks: { slot: SlotLayout; at: number; lo: number; hi: number }[] = [];
  const seen = new Set<string>();
  for (const b of bounds) {
    const v = program.vars.find((x) => x.name === b.variable);
    const names = () => program.vars.map((x) => `'${x.name}'`).join(", ");
    if (v === undefined) {
      throw new BoundError(
        b.variable,
        `Bound on '${b.variable}': the spec has no state variable of that name (it has ${names()})`,
      );
    }
    const scalar = v.type.kind === "map" ? v.type.value : v.type;
    if (scalar.kind !== "int" && scalar.kind !== "range") {
      throw new BoundError(
        b.variable,
        `Bound on '${b.variable}': only integer variables can be bounded, and its type is '${scalar.kind}'`,
      );
    }
    if (seen.has(b.variable)) {
      throw new BoundError(b.variable, `Bound on '${b.variable}' given twice`);
    }
    seen.add(b.variable);
    for (let copy = 0; copy < copies; copy++) {
      for (let i = 0; i < v.size; i++) {
        checks.push({ slot: meta.slots[v.base + i]!, at: copy * stride, lo: b.lo, hi: b.hi });
      }
    }
  }
  return (words) => {
    for (const c of checks) {
      const value = readSlot(words, c.at, c.slot);
      if (value < c.lo || value > c.hi) return true;
    }
    return false;
  };
}
