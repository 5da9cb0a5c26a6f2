/**
 * Steps a spec's compiled core module (the same code as production) on one
 * scratch instance: load a state block into the instance, call
 * `step-<action>` with an argument tuple, read the successor block back.
 *
 * @module
 */
import type { SpecMeta } from "../abi/meta.ts";

import type { ArgTuples } from "./domains.ts";
import { Expander, type ExpandExports } from "./expander.ts";

type StepFn = (inst: number, ...args: number[]) => number;

interface CoreExports {
  readonly memory: WebAssembly.Memory;
  create(count: number): number;
  "state-ptr"(inst: number): number;
  liveness(inst: number): number;
  "check-invariants"(inst: number): number;
}

/**
 * What the breadth-first explorer steps: a state of `words` words at
 * `block[at..]`, loaded from a stored copy, stepped in place by action and
 * argument tuple, with its liveness bit mask. {@link WasmStepper} steps one
 * monitor; `ProductStepper` steps one of several.
 *
 * @example A WasmStepper is a Stepper
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { type Stepper, WasmStepper } from "./wasm_stepper.ts";
 * const { program } = analyze("spec T state on: bool = false action flip on := not on");
 * const meta = buildMeta(program!, initialState(program!).state);
 * const stepper: Stepper = new WasmStepper(buildCoreModule(program!, meta).wasm, meta);
 * assert.equal(stepper.words, meta.stride / 4);
 * ```
 */
export interface Stepper {
  /** Words per state. */
  readonly words: number;
  /** Memory as words; the current state starts at {@link at}. */
  readonly block: Uint32Array;
  /** Word index of the current state in {@link block}. */
  readonly at: number;
  /** Copies a stored state (`words` words from `src[from..]`) into the current state. */
  load(src: Uint32Array, from: number): void;
  /** Steps the current state with action `action` and tuple `t`; returns the verdict code. */
  step(action: number, tuples: ArgTuples, t: number): number;
  /** The liveness bit mask of the current state. */
  liveness(): number;
}

/**
 * One instance of a compiled core module used as the explorer's scratch
 * state: `block` views its state words in linear memory.
 *
 * @example Step the toggle spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../frontend.ts";
 * import { initialState } from "../interpreter/interpreter.ts";
 * import { buildMeta } from "../wasm/meta_build.ts";
 * import { buildCoreModule } from "../wasm/codegen/codegen.ts";
 * import { WasmStepper } from "./wasm_stepper.ts";
 * const { program } = analyze("spec T state on: bool = false action flip on := not on");
 * const meta = buildMeta(program!, initialState(program!).state);
 * const stepper = new WasmStepper(buildCoreModule(program!, meta).wasm, meta);
 * const before = stepper.block[stepper.at];
 * assert.ok(stepper.step(0, { arity: 0, count: 1, values: new Float64Array() }, 0) === 0);
 * assert.ok(stepper.block[stepper.at] !== before);
 * ```
 */
export class WasmStepper implements Stepper {
  /** Words per state block. */
  readonly words: number;
  #block: Uint32Array;
  /** Word index of the instance block in {@link block}. */
  readonly at: number;
  readonly #inst: number;
  readonly #steps: readonly StepFn[];
  readonly #exports: CoreExports;

  /**
   * Instantiates `wasm` (built from `meta`: its bytes, or the module
   * compiled, e.g. once for every worker) and allocates its scratch
   * instance.
   */
  constructor(wasm: Uint8Array | WebAssembly.Module, meta: SpecMeta) {
    const module = wasm instanceof WebAssembly.Module
      ? wasm
      : new WebAssembly.Module(wasm as BufferSource);
    const instance = new WebAssembly.Instance(module);
    const exports = instance.exports as unknown as CoreExports;
    this.#exports = exports;
    this.#inst = exports.create(1);
    const ptr = exports["state-ptr"](this.#inst);
    if (ptr % 4 !== 0 || meta.stride % 4 !== 0) {
      throw new RangeError(`Instance block at '${ptr}' is not word aligned`);
    }
    this.words = meta.stride / 4;
    this.at = ptr / 4;
    this.#block = new Uint32Array(exports.memory.buffer);
    const table = instance.exports as unknown as Record<string, StepFn | undefined>;
    this.#steps = meta.actions.map((a) => {
      const f = table[a.stepExport];
      if (f === undefined) throw new RangeError(`Core module lacks export '${a.stepExport}'`);
      return f;
    });
  }

  /**
   * The linear memory as words; the instance block starts at {@link at}
   * (a new view after {@link expander} grew the memory).
   */
  get block(): Uint32Array {
    return this.#block;
  }

  /**
   * An {@link Expander} of up to `states` states at once over this
   * instance's module, or `null` when the module lacks `explore-expand`
   * (built without `explore: true`). Allocating its memory may grow the
   * module's memory: read {@link block} again after.
   */
  expander(tuples: readonly ArgTuples[], states: number): Expander | null {
    const exports = this.#exports as unknown as Partial<ExpandExports>;
    if (typeof exports["explore-expand"] !== "function") return null;
    const expander = new Expander(exports as ExpandExports, this.words, tuples, states);
    this.#block = new Uint32Array(this.#exports.memory.buffer);
    return expander;
  }

  /** Copies `words` words from `src[from..]` into the instance block. */
  load(src: Uint32Array, from: number): void {
    const block = this.#block;
    const at = this.at;
    for (let i = 0; i < this.words; i++) block[at + i] = src[from + i]!;
  }

  /** Steps action `action` with tuple `t` of `tuples`; returns the verdict code. */
  step(action: number, tuples: ArgTuples, t: number): number {
    const f = this.#steps[action]!;
    const v = tuples.values;
    const k = t * tuples.arity;
    switch (tuples.arity) {
      case 0:
        return f(this.#inst) >>> 0;
      case 1:
        return f(this.#inst, v[k]!) >>> 0;
      case 2:
        return f(this.#inst, v[k]!, v[k + 1]!) >>> 0;
      case 3:
        return f(this.#inst, v[k]!, v[k + 1]!, v[k + 2]!) >>> 0;
      default:
        return f(this.#inst, ...v.subarray(k, k + tuples.arity)) >>> 0;
    }
  }

  /** The liveness bit mask of the instance's current state. */
  liveness(): number {
    return this.#exports.liveness(this.#inst) >>> 0;
  }

  /** The first failing local invariant on the current state (prev = current), or 0. */
  checkInvariants(): number {
    return this.#exports["check-invariants"](this.#inst) >>> 0;
  }
}
