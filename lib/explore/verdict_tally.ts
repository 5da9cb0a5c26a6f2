/**
 * Reads the verdict codes of a batch of expanded states (one code per
 * transition tried, state by state, action by action, tuple by tuple) and
 * keeps what the explorers report: how often each action returned each
 * code, the first site of each violating code, the origin of each
 * successor, and the states with no enabled action. The single-threaded
 * explorer (`breadth_first.ts`) and each worker's shard (`shard.ts`)
 * begin a batch ({@link VerdictTally.begin}); the expander has each code
 * read ({@link VerdictTally.transition}, the one place that says what a
 * code means) and each state ended ({@link VerdictTally.ended}) as it
 * goes: the batched expander each state's codes after its one call into
 * WebAssembly ({@link VerdictTally.state}), the per-transition expander
 * each code as it is stepped (reading them in a second pass, over the
 * batch or over each state, cost that path up to 8% of its CPU time).
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
  /** {@link codeCounts} in one array (action `a`'s code `c` at `a * verdicts + c`). */
  readonly #counts: Uint32Array;
  /** Per action and code (at `a * verdicts + c`): its class (`classifyCodes`). */
  readonly #classes: Int32Array;
  /** Verdict codes per action in {@link #counts} and {@link #classes}. */
  readonly #verdicts: number;
  readonly #violating: Uint8Array;
  /** Per action: its number of argument tuples. */
  readonly #tupleCounts: Int32Array;
  /** Transitions tried per state. */
  readonly #perState: number;
  /** The batch's states' ids, by position; their level; its successors so far. */
  #ids: Int32Array = new Int32Array(0);
  #level = 0;
  #successors = 0;

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
    const verdicts = this.#verdicts = program.verdicts.length, actions = program.actions.length;
    this.#counts = new Uint32Array(actions * verdicts);
    this.codeCounts = program.actions.map((_, a) =>
      this.#counts.subarray(a * verdicts, (a + 1) * verdicts)
    );
    this.#classes = new Int32Array(actions * verdicts);
    program.actions.forEach((a, i) => this.#classes.set(classifyCodes(program, a), i * verdicts));
    this.#violating = violationCodes(program);
    this.#tupleCounts = Int32Array.from(tuples, (t) => t.count);
    this.#perState = tuples.reduce((n, t) => n + t.count, 0);
    const successors = Math.max(1, states * this.#perState);
    this.parent = new Int32Array(successors);
    this.action = new Int32Array(successors);
    this.tuple = new Int32Array(successors);
    this.dead = new Int32Array(states);
  }

  /**
   * Starts a batch of states: their ids in `ids` (by position in the
   * batch) and their breadth-first level `level`. Clears the successors'
   * origins and the list of states with no enabled action (the counts and
   * violation sites go on adding up).
   */
  begin(ids: Int32Array, level: number): void {
    this.#ids = ids;
    this.#level = level;
    this.#successors = 0;
    this.deadCount = 0;
  }

  /**
   * Reads the codes of the batch's state at position `j` (its
   * {@link perState} codes from `codes[at..]`, each read by
   * {@link transition}) and lists it in {@link dead} when no action was
   * enabled ({@link ended}). Call once per state, in batch order.
   */
  state(codes: Int32Array, at: number, j: number): void {
    const tupleCounts = this.#tupleCounts, actions = tupleCounts.length;
    const id = this.#ids[j]!;
    let c = at, enabled = false;
    for (let a = 0; a < actions; a++) {
      for (let t = 0, tn = tupleCounts[a]!; t < tn; t++) {
        if (this.transition(codes[c++]!, a, t, id)) enabled = true;
      }
    }
    this.ended(j, enabled);
  }

  /**
   * Reads the verdict `code` of one transition tried from the batch's
   * state `id` (its {@link id}; action `a`, argument tuple `t`): counts it,
   * keeps the site of a violating code not seen before and, for `ok` (0),
   * appends the successor's origin to {@link parent}, {@link action} and
   * {@link tuple}. Returns whether the action was enabled (`ok`, or a code
   * returned after its requires). A state's transitions are read in order,
   * then {@link ended}; the per-transition expander calls it as it steps,
   * so it is small enough for V8 to inline into the stepping loop.
   */
  transition(code: number, a: number, t: number, id: number): boolean {
    const k = a * this.#verdicts + code;
    this.#counts[k]!++;
    if (code === 0) {
      const n = this.#successors++;
      this.parent[n] = id, this.action[n] = a, this.tuple[n] = t;
      return true;
    }
    if (this.#violating[code] === 1 && !this.violations.has(code)) this.#violation(code, a, t, id);
    return this.#classes[k] === CLASS_AFTER_REQUIRES;
  }

  /**
   * Ends the batch's state at position `j` after its transitions were read:
   * lists it in {@link dead} unless one of its actions was `enabled`.
   */
  ended(j: number, enabled: boolean): void {
    if (!enabled) this.dead[this.deadCount++] = j;
  }

  /** Keeps the first site of violating `code` (out of {@link transition}, which stays small). */
  #violation(code: number, a: number, t: number, id: number): void {
    const site = { code, level: this.#level, from: id, action: a, tuple: t };
    this.violations.set(code, site);
  }

  /** The id of the batch's state at position `j` (what {@link transition} takes). */
  id(j: number): number {
    return this.#ids[j]!;
  }

  /** Transitions tried per state: the codes {@link state} reads. */
  get perState(): number {
    return this.#perState;
  }

  /** The successors of the batch so far (the `ok` codes read since {@link begin}). */
  get successors(): number {
    return this.#successors;
  }

  /**
   * Reads the codes of a whole batch: {@link begin} with `ids` and
   * `level`, then {@link state} for each of the `count` states, whose
   * codes follow each other from `codes[at..]`. Returns the number of
   * successors.
   */
  tally(codes: Int32Array, at: number, ids: Int32Array, count: number, level: number): number {
    this.begin(ids, level);
    const perState = this.#perState;
    for (let j = 0; j < count; j++) this.state(codes, at + j * perState, j);
    return this.#successors;
  }
}
