/**
 * Expands a batch of states in one call into WebAssembly: the core
 * module's optional `explore-expand` (`lib/wasm/codegen/expand.ts`, built
 * with `buildCoreModule(.., { explore: true })`) steps every action and
 * argument tuple of each state, writing the successors and one verdict
 * code per transition tried into the module's memory. The explorer copies
 * the states in, calls once, and reads the codes and successors out,
 * instead of crossing into WebAssembly once per transition.
 *
 * The regions are instances the expander allocates (`create`) when it is
 * made: the states to expand, the successors, and the codes and argument
 * table after them.
 *
 * @module
 */
import type { ArgTuples } from "./domains.ts";
import type { VerdictTally } from "./verdict_tally.ts";

/** The exports the expander calls. */
export interface ExpandExports {
  readonly memory: WebAssembly.Memory;
  create(count: number): number;
  "state-ptr"(inst: number): number;
  "explore-expand"(src: number, count: number, out: number, codes: number, tuples: number): number;
}

/**
 * What an explorer expands a batch of states with: it copies the states
 * into {@link block} at {@link srcAt} (`words` words each), begins the
 * batch in its {@link VerdictTally} and calls {@link expand}, which
 * writes the successors to {@link block} at {@link outAt} and has the
 * tally read one verdict code per transition tried
 * ({@link VerdictTally.transition}). {@link Expander} does it in one call
 * into the core module, which writes the codes to its memory, then has
 * each state's read ({@link VerdictTally.state}); `StepExpander`
 * (`step_expander.ts`) one call per transition, each code read as it is
 * returned.
 *
 * @example An Expander is a StateExpander
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { allArgTuples } from "./domains.ts";
 * import { WasmStepper } from "./wasm_stepper.ts";
 * import type { StateExpander } from "./expander.ts";
 * const program = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1").program!;
 * const meta = buildMeta(program, initialState(program).state);
 * const stepper = new WasmStepper(buildCoreModule(program, meta, { explore: true }).wasm, meta);
 * const x: StateExpander | null = stepper.expander(allArgTuples(program), 8);
 * assert.equal(x?.perState, 1);
 * ```
 */
export interface StateExpander {
  /** Words per state. */
  readonly words: number;
  /** The most states one {@link expand} takes. */
  readonly states: number;
  /** Transitions tried per state (argument tuples of all actions). */
  readonly perState: number;
  /** Word index in {@link block} of the first state to expand. */
  readonly srcAt: number;
  /** Word index in {@link block} of the first successor. */
  readonly outAt: number;
  /** States and successors. */
  readonly block: Uint32Array;
  /**
   * Expands the `count` states at {@link srcAt} (at most {@link states}):
   * returns the number of successors, written at {@link outAt}; `tally`
   * reads one verdict code per transition tried (state by state, action
   * by action, tuple by tuple: {@link VerdictTally.transition}, then
   * {@link VerdictTally.ended}; the caller began the batch).
   */
  expand(count: number, tally: VerdictTally): number;
}

/**
 * Regions in a core module's memory and the call that expands them.
 *
 * @example Expand the initial state of a counter
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { allArgTuples } from "./domains.ts";
 * import { Expander, type ExpandExports } from "./expander.ts";
 * import { VerdictTally } from "./verdict_tally.ts";
 * const program = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1").program!;
 * const meta = buildMeta(program, initialState(program).state);
 * const { wasm } = buildCoreModule(program, meta, { explore: true });
 * const exports = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource)).exports;
 * const x = new Expander(exports as unknown as ExpandExports, meta.stride / 4, allArgTuples(program), 4);
 * const memory = new Uint32Array((exports.memory as WebAssembly.Memory).buffer);
 * memory[x.srcAt] = 3; // n = 3 (id 7): inc is not enabled
 * memory[x.srcAt + x.words] = 1; // n = 1 (id 8): inc goes to 2
 * const tally = new VerdictTally(program, allArgTuples(program), 4);
 * tally.begin(new Int32Array([7, 8]), 0);
 * assert.equal(x.expand(2, tally), 1);
 * const guard = program.actions[0]!.requires[0]!.code; // n < 3 is false
 * assert.deepEqual([x.codes[x.codesAt], x.codes[x.codesAt + 1], memory[x.outAt]], [guard, 0, 2]);
 * assert.deepEqual([tally.successors, tally.parent[0], tally.deadCount, tally.dead[0]], [1, 8, 1, 0]);
 * ```
 */
export class Expander implements StateExpander {
  readonly words: number;
  readonly states: number;
  readonly perState: number;
  /** In the module's memory: where the `create`d instances for the states begin. */
  readonly srcAt: number;
  /** In the module's memory: the instances after the states'. */
  readonly outAt: number;
  /** In {@link codes}: the first verdict code (after the argument table). */
  readonly codesAt: number;
  /** The module's memory as i32 words. */
  readonly codes: Int32Array;
  /** The module's memory as u32 words. */
  readonly block: Uint32Array;
  readonly #exports: ExpandExports;
  readonly #src: number;
  readonly #out: number;
  readonly #codesPtr: number;
  readonly #tablePtr: number;

  /**
   * Allocates, in the module behind `exports`, room to expand up to
   * `states` states of `words` words with the argument tuples `tuples`
   * (one {@link ArgTuples} per action, in `meta.actions` order).
   */
  constructor(exports: ExpandExports, words: number, tuples: readonly ArgTuples[], states: number) {
    if (typeof exports["explore-expand"] !== "function") {
      throw new TypeError("The core module lacks 'explore-expand' (build it with explore: true)");
    }
    const perState = tuples.reduce((n, t) => n + t.count, 0);
    if (!Number.isInteger(states) || states < 1) {
      throw new RangeError(`Invalid number of states to expand at once '${states}'`);
    }
    this.#exports = exports;
    this.words = words;
    this.states = states;
    this.perState = perState;
    const stride = words * 4;
    const tableBytes = 8 * tuples.length + 8 +
      tuples.reduce((n, t) => n + t.count * t.arity * 8, 0);
    const codesBytes = 4 * states * perState;
    const outCount = states * perState + 1;
    const extra = Math.ceil((tableBytes + codesBytes + 8) / stride);
    const first = exports.create(states + outCount + extra);
    if (first < 0) throw new RangeError("The core module could not allocate the expander's memory");
    this.#src = first;
    this.#out = first + states;
    const ptr = (inst: number) => exports["state-ptr"](inst);
    const rest = ptr(this.#out + outCount);
    this.#tablePtr = Math.ceil(rest / 8) * 8;
    this.#codesPtr = this.#tablePtr + Math.ceil(tableBytes / 8) * 8;
    const buffer = exports.memory.buffer;
    this.block = new Uint32Array(buffer);
    this.codes = new Int32Array(buffer);
    this.srcAt = ptr(this.#src) / 4;
    this.outAt = ptr(this.#out) / 4;
    this.codesAt = this.#codesPtr / 4;
    // The argument table: per action its tuple count and the offset of its f64 arguments.
    const view = new DataView(buffer);
    let values = 8 * tuples.length + 8;
    tuples.forEach((t, a) => {
      view.setInt32(this.#tablePtr + 8 * a, t.count, true);
      view.setInt32(this.#tablePtr + 8 * a + 4, values, true);
      for (let k = 0; k < t.count * t.arity; k++) {
        view.setFloat64(this.#tablePtr + values + 8 * k, t.values[k]!, true);
      }
      values += t.count * t.arity * 8;
    });
  }

  /**
   * Expands the `count` states at {@link srcAt} (at most {@link states})
   * in one call: returns the number of successors, at {@link outAt}, with
   * one verdict code per transition tried at {@link codesAt} (state by
   * state, action by action, tuple by tuple), then has `tally` read them
   * (the caller began the batch).
   */
  expand(count: number, tally: VerdictTally): number {
    if (count > this.states) {
      throw new RangeError(`Cannot expand '${count}' states at once (room for ${this.states})`);
    }
    const made = this.#exports["explore-expand"](
      this.#src,
      count,
      this.#out,
      this.#codesPtr,
      this.#tablePtr,
    ) >>> 0;
    const codes = this.codes, perState = this.perState;
    for (let j = 0, c = this.codesAt; j < count; j++, c += perState) tally.state(codes, c, j);
    return made;
  }
}
