/**
 * Turning explored state indices into decoded counterexample rows: the
 * shortest path from the initial state (parent pointers), and the action
 * and arguments of an edge found again by stepping the compiled module.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { Program } from "../ir.ts";
import { step as interpretStep } from "../interpreter/interpreter.ts";
import { argValuation, slotsOf, valuation } from "./valuation.ts";
import type { ArgTuples } from "./domains.ts";
import { type Exploration, pathTo } from "./breadth_first.ts";
import type { TraceStep } from "./report.ts";
import type { WasmStepper } from "./wasm_stepper.ts";

/** Decodes explored states and transitions of one exploration. */
export class TraceBuilder {
  readonly #program: Program;
  readonly #meta: SpecMeta;
  readonly #exploration: Exploration;
  readonly #stepper: WasmStepper;
  readonly #tuples: readonly ArgTuples[];

  /** A builder over exploration `x` of `program`, stepping with `stepper`. */
  constructor(
    program: Program,
    meta: SpecMeta,
    x: Exploration,
    stepper: WasmStepper,
    tuples: readonly ArgTuples[],
  ) {
    this.#program = program;
    this.#meta = meta;
    this.#exploration = x;
    this.#stepper = stepper;
    this.#tuples = tuples;
  }

  /** The slot values of explored state `i`. */
  slots(i: number): bigint[] {
    const w = this.#exploration.states.words;
    return slotsOf(this.#meta.slots, this.#exploration.states.store, i * w, w);
  }

  /** The argument values of tuple `t` of action `a`. */
  args(a: number, t: number): number[] {
    const tup = this.#tuples[a]!;
    return Array.from(tup.values.subarray(t * tup.arity, (t + 1) * tup.arity));
  }

  /** One decoded row. */
  row(step: number, action: number, tuple: number, state: bigint[] | null): TraceStep {
    const name = action < 0 ? null : this.#program.actions[action]!.name;
    const args = action < 0 ? {} : argValuation(this.#program, action, this.args(action, tuple));
    return {
      step,
      action: name,
      args,
      state: state === null ? null : valuation(this.#program, state),
    };
  }

  /** The shortest trace from the initial state to state `i`. */
  traceTo(i: number): TraceStep[] {
    const x = this.#exploration;
    return pathTo(x.parent, i).map((s, k) =>
      this.row(k, x.parentAction[s]!, x.parentTuple[s]!, this.slots(s))
    );
  }

  /**
   * The state a failing step would have produced, evaluated by the
   * interpreter without invariants (`null` when the step fails before its
   * post-state exists: a range or arithmetic error).
   */
  failedPost(from: number, action: number, tuple: number): bigint[] | null {
    const p = { ...this.#program, invariants: [] };
    const r = interpretStep(p, this.slots(from), action, this.args(action, tuple));
    return r.code === 0 ? r.state : null;
  }

  /** An action and tuple leading from state `u` to state `v` (found by stepping). */
  edge(u: number, v: number): { action: number; tuple: number } {
    const s = this.#stepper;
    const store = this.#exploration.states.store;
    const w = s.words;
    for (let a = 0; a < this.#tuples.length; a++) {
      const tup = this.#tuples[a]!;
      for (let t = 0; t < tup.count; t++) {
        s.load(store, u * w);
        if (s.step(a, tup, t) !== 0) continue;
        let same = true;
        for (let k = 0; k < w; k++) if (s.block[s.at + k] !== store[v * w + k]) same = false;
        if (same) return { action: a, tuple: t };
      }
    }
    throw new RangeError(`No transition from state '${u}' to state '${v}'`);
  }

  /** Rows for the path of states `path` (consecutive states joined by edges), numbered from `first`. */
  pathRows(path: readonly number[], first: number): TraceStep[] {
    const rows: TraceStep[] = [];
    for (let k = 1; k < path.length; k++) {
      const { action, tuple } = this.edge(path[k - 1]!, path[k]!);
      rows.push(this.row(first + k - 1, action, tuple, this.slots(path[k]!)));
    }
    return rows;
  }
}
