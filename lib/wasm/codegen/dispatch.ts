/**
 * The dispatching exports `dispatch-step` and `dispatch-check`:
 * `(inst: u32, action: u32, a0: f64, ..., a<K-1>: f64) -> u32` where `K`
 * is the largest parameter count of the spec's actions (at least 1). The
 * body is one `br_table` on `action` to a direct call of that action's
 * `step-<a>` (or `check-<a>`) with its first parameters; extra arguments
 * are ignored, an action index out of range returns 1 (`unknown_action`).
 *
 * A runtime that steps several actions calls one export from one call
 * site, which stays monomorphic (a JS engine can inline the call into
 * WebAssembly), where calling each action's export would not.
 *
 * The names cannot collide with an action's exports: those always start
 * with `step-` or `check-`.
 *
 * @module
 */
import binaryen from "binaryen";
import { dispatchArity, type SpecMeta } from "../../abi/meta.ts";
import type { Expr } from "./func.ts";

const I32 = binaryen.i32;
const F64 = binaryen.f64;

/** The verdict code of an action index the spec does not have. */
const UNKNOWN_ACTION = 1;

/**
 * Adds the dispatcher `name` over the functions `targets[i]` (the step or
 * check function of action `i`, already in the module, taking
 * `meta.actions[i].params.length` f64 arguments after the instance).
 *
 * @example Add both dispatchers
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { TOGGLE_META } from "../../abi/testdata/hand_metas.ts";
 * import { addDispatcher } from "./dispatch.ts";
 * const m = new binaryen.Module(), I32 = binaryen.i32;
 * // Stand-ins for the step functions of `flip` and `turnOn`: (inst) -> verdict.
 * m.addFunction("step-flip", I32, I32, [], m.i32.const(10));
 * m.addFunction("step-turn-on", I32, I32, [], m.i32.const(20));
 * addDispatcher(m, TOGGLE_META, "dispatch-step", ["step-flip", "step-turn-on"]);
 * m.addFunctionExport("dispatch-step", "dispatch");
 * const wasm = new WebAssembly.Module(m.emitBinary() as BufferSource);
 * const { exports } = new WebAssembly.Instance(wasm);
 * const dispatch = exports.dispatch as (inst: number, action: number) => number;
 * assert.deepEqual([dispatch(0, 0), dispatch(0, 1), dispatch(0, 2)], [10, 20, 1]); // 1: unknown action
 * ```
 */
export function addDispatcher(
  m: binaryen.Module,
  meta: SpecMeta,
  name: string,
  targets: readonly string[],
): void {
  const k = dispatchArity(meta);
  const params = binaryen.createType([I32, I32, ...new Array<binaryen.Type>(k).fill(F64)]);
  const labels = targets.map((_, i) => `case${i}`);
  const table = m.switch(labels, "default", m.local.get(1, I32));
  // Nested blocks: case i's block ends right before the return of its call.
  let inner: Expr = m.block(labels[0] ?? "default", [table]);
  targets.forEach((target, i) => {
    const arity = meta.actions[i]!.params.length;
    const args = [m.local.get(0, I32)];
    for (let j = 0; j < arity; j++) args.push(m.local.get(2 + j, F64));
    const call = m.return(m.call(target, args, I32));
    inner = m.block(labels[i + 1] ?? "default", [inner, call]);
  });
  const body = m.block(null, [inner, m.i32.const(UNKNOWN_ACTION)], I32);
  m.addFunction(name, params, I32, [], body);
}
