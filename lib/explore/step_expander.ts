/**
 * Expands a batch of states one transition at a time: each state is
 * loaded into a {@link Stepper}'s current state and stepped with every
 * action and argument tuple, one call into WebAssembly per transition.
 * It has the regions and the call of the module's own `explore-expand`
 * ({@link StateExpander}, `expander.ts`), so an explorer has one loop for
 * both: this one serves a module without `explore-expand`, a stepper of
 * several monitors (`product_stepper.ts`), and the cross-check, which
 * looks at every transition as it is stepped.
 *
 * @module
 */
import type { ArgTuples } from "./domains.ts";
import type { StateExpander } from "./expander.ts";
import type { Stepper } from "./wasm_stepper.ts";
import type { VerdictTally } from "./verdict_tally.ts";

/** Options of {@link StepExpander}. */
export interface StepExpanderOptions {
  /**
   * Called after every transition tried, while the stepper holds its
   * successor: the state's position in the batch, the action, the tuple
   * index and the verdict code.
   */
  readonly onTransition?: (position: number, action: number, tuple: number, code: number) => void;
}

/**
 * A {@link StateExpander} over a {@link Stepper}: the regions are arrays
 * of its own, and {@link expand} steps each transition.
 *
 * @example Expand two states of a counter
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { allArgTuples } from "./domains.ts";
 * import { StepExpander } from "./step_expander.ts";
 * import { VerdictTally } from "./verdict_tally.ts";
 * import { WasmStepper } from "./wasm_stepper.ts";
 * const program = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1").program!;
 * const meta = buildMeta(program, initialState(program).state);
 * const stepper = new WasmStepper(buildCoreModule(program, meta).wasm, meta);
 * const x = new StepExpander(stepper, allArgTuples(program), 4);
 * x.block[x.srcAt] = 3; // n = 3 (id 7): inc is not enabled
 * x.block[x.srcAt + x.words] = 1; // n = 1 (id 8): inc goes to 2
 * const tally = new VerdictTally(program, allArgTuples(program), 4);
 * tally.begin(new Int32Array([7, 8]), 0);
 * assert.equal(x.expand(2, tally), 1);
 * assert.equal(x.block[x.outAt], 2);
 * const guard = program.actions[0]!.requires[0]!.code; // n < 3 is false for n = 3
 * assert.deepEqual([tally.codeCounts[0]![guard], tally.codeCounts[0]![0]], [1, 1]);
 * assert.deepEqual([tally.successors, tally.parent[0], tally.deadCount, tally.dead[0]], [1, 8, 1, 0]);
 * ```
 */
export class StepExpander implements StateExpander {
  /** Words per state. */
  readonly words: number;
  /** The most states one {@link expand} takes. */
  readonly states: number;
  /** Transitions tried per state (argument tuples of all actions). */
  readonly perState: number;
  /** Word index in {@link block} of the first state to expand (0). */
  readonly srcAt = 0;
  /** Word index in {@link block} of the first successor. */
  readonly outAt: number;
  /** The states to expand, then the successors. */
  readonly block: Uint32Array;
  readonly #stepper: Stepper;
  readonly #tuples: readonly ArgTuples[];
  readonly #onTransition: StepExpanderOptions["onTransition"];

  /**
   * Room to expand up to `states` states of `stepper` with the argument
   * tuples `tuples` (one {@link ArgTuples} per action).
   */
  constructor(
    stepper: Stepper,
    tuples: readonly ArgTuples[],
    states: number,
    options: StepExpanderOptions = {},
  ) {
    if (!Number.isInteger(states) || states < 1) {
      throw new RangeError(`Invalid number of states to expand at once '${states}'`);
    }
    this.#stepper = stepper;
    this.#tuples = tuples;
    this.#onTransition = options.onTransition;
    this.words = stepper.words;
    this.states = states;
    this.perState = tuples.reduce((n, t) => n + t.count, 0);
    this.outAt = states * this.words;
    this.block = new Uint32Array((states + states * this.perState + 1) * this.words);
  }

  /**
   * Expands the `count` states at {@link srcAt} (at most {@link states}):
   * returns the number of successors, at {@link outAt}. `tally` reads
   * each transition's verdict code as soon as it is stepped (the caller
   * began the batch).
   */
  expand(count: number, tally: VerdictTally): number {
    if (count > this.states) {
      throw new RangeError(`Cannot expand '${count}' states at once (room for ${this.states})`);
    }
    const s = this.#stepper, w = this.words, tuples = this.#tuples, hook = this.#onTransition;
    // The stepper's memory view is read once per call (its module's memory may have grown).
    const mem = this.block, block = s.block, at = s.at;
    let n = 0, out = this.outAt;
    for (let j = 0, src = this.srcAt; j < count; j++, src += w) {
      s.load(mem, src);
      const id = tally.id(j);
      let enabled = false;
      for (let a = 0; a < tuples.length; a++) {
        const tup = tuples[a]!;
        for (let t = 0, tn = tup.count; t < tn; t++) {
          const code = s.step(a, tup, t);
          if (hook !== undefined) hook(j, a, t, code);
          // Each code read as it is stepped: a second pass over the state's cost up to 8%.
          if (tally.transition(code, a, t, id)) enabled = true;
          if (code !== 0) continue;
          for (let k = 0; k < w; k++) mem[out + k] = block[at + k]!;
          out += w;
          n++;
          s.load(mem, src);
        }
      }
      tally.ended(j, enabled);
    }
    return n;
  }
}
