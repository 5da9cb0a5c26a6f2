/**
 * Reads the verdict codes of a batch of expanded states (what a
 * `StateExpander` wrote: one code per transition tried, state by state,
 * action by action, tuple by tuple) and keeps what the explorers report:
 * how often each action returned each code, the first site of each
 * violating code, the origin of each successor, and the states with no
 * enabled action. The single-threaded explorer (`breadth_first.ts`) and
 * each worker's shard (`shard.ts`) read their batches with it.
 *
 * @module
 */
import type { Program } from "../ir.ts";
import type { ArgTuples } from "./domains.ts";
import { CLASS_AFTER_REQUIRES, classifyCodes, violationCodes } from "./verdict_classes.ts";

/**
 * Where a violating verdict code was first returned.
 *
 * @example A violation site
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ViolationSite } from "./verdict_tally.ts";
 * const site: ViolationSite = { code: 4, level: 2, from: 7, action: 0, tuple: 0 };
 * assert.equal(site.level, 2);
 * ```
 */
export interface ViolationSite {
  /** The failing verdict code. */
  readonly code: number;
  /** Breadth-first level of the state the failing step left from. */
  readonly level: number;
  /** Id of the state the failing step left from. */
  readonly from: number;
  /** The action index of the failing step. */
  readonly action: number;
  /** Its argument tuple index. */
  readonly tuple: number;
}

/**
 * The verdict codes of an exploration's batches, counted and classified.
 *
 * @example Two states of a counter, one at its bound
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { allArgTuples } from "./domains.ts";
 * import { VerdictTally } from "./verdict_tally.ts";
 * const program = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1").program!;
 * const tally = new VerdictTally(program, allArgTuples(program), 2);
 * const guard = program.actions[0]!.requires[0]!.code;
 * // State 5 steps inc to a successor; state 9's guard fails (no action is enabled).
 * const n = tally.tally(new Int32Array([0, guard]), 0, new Int32Array([5, 9]), 2, 3);
 * assert.deepEqual([n, tally.parent[0], tally.action[0], tally.deadCount, tally.dead[0]], [1, 5, 0, 1, 1]);
 * assert.equal(tally.codeCounts[0]![guard], 1);
 * ```
 */
export class VerdictTally {
  /** Per action: how often each verdict code was returned. */
  readonly codeCounts: readonly Uint32Array[];
  /** The first site of each violating verdict code, in the order they were found. */
  readonly violations: Map<number, ViolationSite> = new Map();
  /** Per successor of the last batch: the id of the state it came from. */
  readonly parent: Int32Array;
  /** Per successor of the last batch: the action that made it. */
  readonly action: Int32Array;
  /** Per successor of the last batch: the argument tuple index. */
  readonly tuple: Int32Array;
  /** Positions in the last batch of the states with no enabled action (the first {@link deadCount}). */
  readonly dead: Int32Array;
  /** How many states of the last batch had no enabled action. */
  deadCount = 0;
  readonly #classes: readonly Int32Array[];
  readonly #violating: Uint8Array;
  /** Per action: its number of argument tuples. */
  readonly #tupleCounts: Int32Array;

  /**
   * Counts the verdicts of `program`'s actions, tried with `tuples`, in
   * batches of up to `states` states.
   */
  constructor(program: Program, tuples: readonly ArgTuples[], states: number) {
    if (tuples.length !== program.actions.length) {
      throw new RangeError(
        `'${tuples.length}' argument tuple sets for '${program.actions.length}' actions`,
      );
    }
    if (!Number.isInteger(states) || states < 1) {
      throw new RangeError(`Invalid number of states in a batch '${states}'`);
    }
    this.codeCounts = program.actions.map(() => new Uint32Array(program.verdicts.length));
    this.#classes = program.actions.map((a) => classifyCodes(program, a));
    this.#violating = violationCodes(program);
    this.#tupleCounts = Int32Array.from(tuples, (t) => t.count);
    const successors = Math.max(1, states * tuples.reduce((n, t) => n + t.count, 0));
    this.parent = new Int32Array(successors);
    this.action = new Int32Array(successors);
    this.tuple = new Int32Array(successors);
    this.dead = new Int32Array(states);
  }

  /**
   * Reads the codes of `count` expanded states from `codes[at..]`, the
   * states' ids in `ids` and their breadth-first level `level`: counts
   * them, keeps new violation sites, lists the successors' origins in
   * {@link parent}, {@link action} and {@link tuple}, and the states with
   * no enabled action in {@link dead}. Returns the number of successors
   * (the `ok` codes).
   */
  tally(codes: Int32Array, at: number, ids: Int32Array, count: number, level: number): number {
    const tupleCounts = this.#tupleCounts, actions = tupleCounts.length;
    const classes = this.#classes, violating = this.#violating, counts = this.codeCounts;
    const parent = this.parent, action = this.action, tuple = this.tuple, dead = this.dead;
    let n = 0, c = at, deadCount = 0;
    for (let j = 0; j < count; j++) {
      const id = ids[j]!;
      let enabled = false;
      for (let a = 0; a < actions; a++) {
        const tuplesOfA = tupleCounts[a]!, cls = classes[a]!, countsOfA = counts[a]!;
        for (let t = 0; t < tuplesOfA; t++) {
          const code = codes[c++]!;
          countsOfA[code]!++;
          if (code !== 0) {
            if (cls[code] === CLASS_AFTER_REQUIRES) enabled = true;
            if (violating[code] === 1 && !this.violations.has(code)) {
              this.violations.set(code, { code, level, from: id, action: a, tuple: t });
            }
            continue;
          }
          enabled = true;
          parent[n] = id, action[n] = a, tuple[n] = t;
          n++;
        }
      }
      if (!enabled) dead[deadCount++] = j;
    }
    this.deadCount = deadCount;
    return n;
  }
}
