/**
 * The interpreter as a cross-check of the compiled module during
 * exploration: every transition tried is also evaluated by the reference
 * interpreter, and the verdict codes and successor states must agree.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";
import type { Program } from "../ir.ts";
import {
  liveness as interpretLiveness,
  step as interpretStep,
} from "../interpreter/interpreter.ts";
import { slotsOf } from "./valuation.ts";
import type { ArgTuples } from "./domains.ts";
import type { StateSet } from "./state_set.ts";
import type { WasmStepper } from "./wasm_stepper.ts";

/**
 * The compiled module and the interpreter disagreed.
 *
 * @example What a disagreement carries
 * ```ts
 * import assert from "node:assert/strict";
 * import { CrossCheckError } from "./cross_check.ts";
 * const e = new CrossCheckError("Verdicts differ: wasm 0, interpreter 3", [1n], "inc", [2]);
 * assert.deepEqual([e.name, e.action, e.args], ["CrossCheckError", "inc", [2]]);
 * ```
 */
export class CrossCheckError extends Error {
  /** Slot values of the state stepped from. */
  readonly state: readonly bigint[];
  /** The action's name, or `liveness`. */
  readonly action: string;
  /** The arguments. */
  readonly args: readonly number[];

  /** Creates the error; `message` says what differed. */
  constructor(message: string, state: readonly bigint[], action: string, args: readonly number[]) {
    super(message);
    this.name = "CrossCheckError";
    this.state = state;
    this.action = action;
    this.args = args;
  }
}

function sameSlots(a: readonly bigint[], b: readonly bigint[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Builds the explorer's `onTransition` hook: steps the interpreter on the
 * same state, action and arguments, and throws {@link CrossCheckError} on
 * any difference in verdict code or successor state. `states` must be the
 * set the explorer fills (read lazily).
 *
 * @example Wire the cross-check into an exploration
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { crossChecker } from "./cross_check.ts";
 * import { allArgTuples } from "./domains.ts";
 * import { breadthFirst } from "./breadth_first.ts";
 * import { StateSet } from "./state_set.ts";
 * import { WasmStepper } from "./wasm_stepper.ts";
 * const { program } = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1");
 * const meta = buildMeta(program!, initialState(program!).state);
 * const stepper = new WasmStepper(buildCoreModule(program!, meta).wasm, meta);
 * const tuples = allArgTuples(program!);
 * const states = new StateSet(stepper.words, 16);
 * const initial = stepper.block.slice(stepper.at, stepper.at + stepper.words);
 * const check = crossChecker(program!, meta, stepper, tuples, () => states);
 * let checked = 0;
 * const onTransition = (...t: Parameters<typeof check>) => (check(...t), checked++);
 * breadthFirst(program!, stepper, tuples, initial, { states, onTransition });
 * assert.equal(states.size, 4);
 * assert.equal(checked, 4); // the interpreter agreed on every transition
 * ```
 */
export function crossChecker(
  program: Program,
  meta: SpecMeta,
  stepper: WasmStepper,
  tuples: readonly ArgTuples[],
  states: () => StateSet,
): (from: number, action: number, tuple: number, code: number) => void {
  let cachedFrom = -1;
  let pre: bigint[] = [];
  return (from, action, tuple, code) => {
    const set = states();
    if (from !== cachedFrom) {
      pre = slotsOf(meta.slots, set.store, from * set.words, set.words);
      cachedFrom = from;
    }
    const tup = tuples[action]!;
    const args = Array.from(tup.values.subarray(tuple * tup.arity, (tuple + 1) * tup.arity));
    const name = program.actions[action]!.name;
    const expected = interpretStep(program, pre, action, args);
    if (expected.code !== code) {
      throw new CrossCheckError(
        `Action '${name}' gives verdict '${code}' compiled and '${expected.code}' interpreted`,
        pre,
        name,
        args,
      );
    }
    if (code !== 0) return;
    const post = slotsOf(meta.slots, stepper.block, stepper.at, stepper.words);
    if (!sameSlots(post, expected.state)) {
      throw new CrossCheckError(
        `Action '${name}' gives state '${post}' compiled and '${expected.state}' interpreted`,
        pre,
        name,
        args,
      );
    }
  };
}

/** Checks the liveness bits of every explored state against the interpreter. */
export function crossCheckLiveness(
  program: Program,
  meta: SpecMeta,
  states: StateSet,
  bits: Int32Array,
): void {
  for (let i = 0; i < states.size; i++) {
    const slots = slotsOf(meta.slots, states.store, i * states.words, states.words);
    const expected = interpretLiveness(program, slots);
    if ((bits[i]! >>> 0) !== expected) {
      throw new CrossCheckError(
        `Liveness bits '${bits[i]! >>> 0}' compiled and '${expected}' interpreted`,
        slots,
        "liveness",
        [],
      );
    }
  }
}
