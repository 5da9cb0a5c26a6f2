/**
 * The growth watch: stops an exploration that will not end because an `int`
 * variable keeps growing (a counter such as the Lease spec's `token`).
 *
 * Only `int` state variables (scalars and the values of `int` maps) can take
 * infinitely many values, so a spec whose state space is infinite has at
 * least one that grows without bound. The watch keeps, for each of them, its
 * record: the largest absolute value in any state stored up to breadth-first
 * level L, `R(L)`. Once at least `afterStates` distinct states are stored
 * and L is at least {@link MIN_LEVEL}, a variable is **growing** when its
 * record rose in both the third and the last quarter of the levels explored:
 * `R(L/2) < R(3L/4) < R(L)` (levels rounded down). A bounded variable stops
 * setting records once it reaches its largest value, at some level L0, so it
 * stops being flagged once L passes 4/3 L0; a counter that goes up by one
 * every few steps sets records at every depth.
 *
 * It is a heuristic about when to stop, not a proof: the search it stops is
 * reported as incomplete (`cutBy: "growth"`), never as a success, and every
 * finding before the stop stands. A large but finite spec whose `int`
 * variable is still rising when the threshold is passed is stopped too; the
 * message says how to go on (a range type, `--bound`, `--no-growth-stop`).
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { Program } from "../ir.ts";
import type { StateSet } from "./state_set.ts";

/** Levels explored before a variable can be called growing. */
export const MIN_LEVEL = 8;

/**
 * The default number of distinct states before the watch may stop a search.
 *
 * @example A search stops no sooner than this
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import { GROWTH_AFTER_STATES } from "./growth.ts";
 * const report = exploreSource("spec C state n: int = 0 action inc n := n + 1").report!;
 * assert.equal(report.cutBy, "growth");
 * assert.ok(report.distinctStates >= GROWTH_AFTER_STATES);
 * ```
 */
export const GROWTH_AFTER_STATES = 100_000;

/**
 * An `int` variable and where its slots are in a stored state.
 *
 * @example The word offsets of `token` in the Lease state
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { intColumns, type IntColumnRef } from "./growth.ts";
 * const { program } = analyze("spec C state n: int = 0 state b: bool = false action inc n := n + 1");
 * const meta = buildMeta(program!, initialState(program!).state);
 * const [n]: IntColumnRef[] = intColumns(program!, meta);
 * assert.equal(n?.name, "n");
 * assert.equal(n?.words.length, 1);
 * ```
 */
export interface IntColumnRef {
  /** The variable's name. */
  readonly name: string;
  /** Word offset, within a stored state, of the low word of each of its 8-byte slots. */
  readonly words: readonly number[];
}

/**
 * The `int` variables of `program` (scalars and maps with `int` values), with
 * the word offsets of their slots in a block of `copies` monitors laid end to
 * end (1 for one monitor).
 */
export function intColumns(program: Program, meta: SpecMeta, copies = 1): IntColumnRef[] {
  const stride = meta.stride / 4;
  const out: IntColumnRef[] = [];
  for (const v of program.vars) {
    const scalar = v.type.kind === "map" ? v.type.value : v.type;
    if (scalar.kind !== "int") continue;
    const words: number[] = [];
    for (let copy = 0; copy < copies; copy++) {
      for (let i = 0; i < v.size; i++) {
        const slot = meta.slots[v.base + i]!;
        if (slot.width !== 8 || slot.offset % 4 !== 0) {
          throw new RangeError(`Slot ${v.base + i} of '${v.name}' is not an aligned 8-byte slot`);
        }
        words.push(copy * stride + slot.offset / 4);
      }
    }
    out.push({ name: v.name, words });
  }
  return out;
}

/**
 * The value of the 8-byte little-endian signed integer at `store[at]` (low
 * word) and `store[at + 1]`, as a number (exact up to 2^53).
 *
 * @example Read -1 and 2^32
 * ```ts
 * import assert from "node:assert/strict";
 * import { wordsValue } from "./growth.ts";
 * assert.equal(wordsValue(new Uint32Array([0xffffffff, 0xffffffff]), 0), -1);
 * assert.equal(wordsValue(new Uint32Array([0, 1]), 0), 2 ** 32);
 * ```
 */
export function wordsValue(store: Uint32Array, at: number): number {
  return (store[at + 1]! | 0) * 4294967296 + store[at]!;
}

/**
 * One sample of a growing variable: its record at a level.
 *
 * @example A record at level 40
 * ```ts
 * import assert from "node:assert/strict";
 * import type { GrowthSample } from "./growth.ts";
 * const sample: GrowthSample = { level: 40, max: 20 };
 * assert.equal(sample.max, 20);
 * ```
 */
export interface GrowthSample {
  /** The breadth-first level (0 = the initial state). */
  readonly level: number;
  /** The largest absolute value in any state up to that level. */
  readonly max: number;
}

/**
 * Why the growth watch stopped a search: the growing variables, each with
 * its records at levels L/2, 3L/4 and L.
 *
 * @example The Lease spec's token keeps growing
 * ```ts
 * import assert from "node:assert/strict";
 * import { exploreSource } from "./model_checker.ts";
 * import type { GrowthStop } from "./growth.ts";
 * const source = "spec C state n: int = 0 state m: 0..99 = 0 action inc n := n + 1 action bump m := (m + 1) % 100";
 * const stop: GrowthStop = exploreSource(source, { growthAfter: 100 }).report!.growth!;
 * assert.deepEqual(stop.variables.map((v) => v.name), ["n"]);
 * ```
 */
export interface GrowthStop {
  /** Distinct states stored when the search stopped. */
  readonly states: number;
  /** The last complete level. */
  readonly level: number;
  /** The growing variables, in declaration order. */
  readonly variables: readonly {
    readonly name: string;
    readonly samples: readonly GrowthSample[];
  }[];
}

/**
 * Watches `int` variables level by level.
 *
 * @example Stop a counter after 50 states
 * ```ts
 * import assert from "node:assert/strict";
 * import { GrowthWatch } from "./growth.ts";
 * import { StateSet } from "./state_set.ts";
 * const set = new StateSet(2, 16);
 * const watch = new GrowthWatch([{ name: "n", words: [0] }], 50);
 * let stop = null;
 * for (let level = 0; stop === null; level++) {
 *   const from = set.size;
 *   for (let k = 0; k < 10; k++) set.insert(new Uint32Array([level, k]), 0);
 *   stop = watch.level(set, from, set.size, level);
 * }
 * assert.equal(stop.variables[0]?.name, "n");
 * assert.ok(stop.states >= 50 && stop.level >= 8);
 * ```
 */
export class GrowthWatch {
  readonly #columns: readonly IntColumnRef[];
  readonly #afterStates: number;
  readonly #records: number[][];

  /** Watches `columns`; never stops before `afterStates` distinct states. */
  constructor(columns: readonly IntColumnRef[], afterStates: number) {
    this.#columns = columns;
    this.#afterStates = afterStates;
    this.#records = columns.map(() => []);
  }

  /**
   * Takes in the states `from .. to - 1` of `set`, which make up level
   * `level`; returns the stop when some variable keeps growing, else `null`.
   */
  level(set: StateSet, from: number, to: number, level: number): GrowthStop | null {
    const store = set.store, w = set.words;
    const grown: GrowthStop["variables"][number][] = [];
    this.#columns.forEach((column, c) => {
      const records = this.#records[c]!;
      let max = records.length === 0 ? 0 : records[records.length - 1]!;
      for (let i = from; i < to; i++) {
        for (const word of column.words) {
          const v = Math.abs(wordsValue(store, i * w + word));
          if (v > max) max = v;
        }
      }
      records.push(max); // records[level]: levels come in order from 0
      if (set.size < this.#afterStates || level < MIN_LEVEL) return;
      const half = Math.floor(level / 2), threeQuarters = Math.floor((3 * level) / 4);
      const at = (l: number): GrowthSample => ({ level: l, max: records[l]! });
      if (records[half]! < records[threeQuarters]! && records[threeQuarters]! < max) {
        grown.push({ name: column.name, samples: [at(half), at(threeQuarters), at(level)] });
      }
    });
    return grown.length === 0 ? null : { states: set.size, level, variables: grown };
  }
}
