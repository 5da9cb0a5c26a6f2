/**
 * The model checker's optional export `explore-expand` (built only when
 * `buildCoreModule` is asked for it with `explore: true`; the modules of
 * the SDK and the collector never have it): expands many states in one
 * call, so a breadth-first search crosses from JavaScript into
 * WebAssembly once per batch of states instead of once per transition.
 *
 * `explore-expand(src: u32, count: u32, out: u32, codes: u32, tuples: u32) -> u32`:
 * for each of the `count` instances `src ..`, in order, for each action in
 * `meta.actions` order, for each of its argument tuples in order, copies
 * the instance's block to instance `out + n` and calls `step-<a>` there,
 * then writes the verdict code as an i32 at byte `codes` (4 bytes apart,
 * one per transition tried). An `ok` step keeps its successor at `out + n`
 * (n counts them); a step with any other verdict wrote nothing (see
 * `actions.ts`), so the next tuple reuses the copy. Returns the number of
 * successors. `tuples` is the byte address of the argument table: per
 * action `a`, at `tuples + 8a`, an i32 tuple count and the i32 byte offset
 * (from `tuples`) of its tuples' arguments, f64s in parameter order. The
 * caller provides instances `out .. out + count * tuplesPerState` (one more
 * than the successors: the block after the last successor is written).
 *
 * @module
 */
import binaryen from "binaryen";
import type { SpecMeta } from "../../abi/meta.ts";
import { type Expr, FunctionBuilder } from "./func.ts";
import type { MemoryPlan } from "./readers.ts";

const I32 = binaryen.i32;

/** The export's name. */
export const EXPAND_EXPORT = "explore-expand";

/** Copies `stride` bytes from local `from` to local `to` (word by word for small blocks). */
function copyBlock(m: binaryen.Module, stride: number, to: number, from: number): Expr {
  const dst = () => m.local.get(to, I32), src = () => m.local.get(from, I32);
  if (stride > 64) return m.memory.copy(dst(), src(), m.i32.const(stride));
  const moves: Expr[] = [];
  let at = 0;
  for (; at + 8 <= stride; at += 8) {
    moves.push(m.i64.store(at, 4, dst(), m.i64.load(at, 4, src())));
  }
  for (; at < stride; at += 4) moves.push(m.i32.store(at, 4, dst(), m.i32.load(at, 4, src())));
  return m.block(null, moves);
}

/**
 * Adds `explore-expand` (see the module doc) over the step functions
 * `meta.actions[a].stepExport`, already in the module.
 *
 * @example Expand the initial state of a counter
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../../frontend.ts";
 * import { initialState } from "../../interpreter/interpreter.ts";
 * import { buildMeta } from "../meta_build.ts";
 * import { buildCoreModule } from "./codegen.ts";
 * import { EXPAND_EXPORT } from "./expand.ts";
 * const program = analyze("spec C state n: 0..3 = 0 action inc require n < 3 n := n + 1").program!;
 * const meta = buildMeta(program, initialState(program).state);
 * const { wasm } = buildCoreModule(program, meta, { explore: true });
 * const core = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource)).exports;
 * const create = core.create as (n: number) => number;
 * const expand = core[EXPAND_EXPORT] as (...a: number[]) => number;
 * const src = create(1), out = create(2), table = create(2);
 * const tablePtr = (core["state-ptr"] as (i: number) => number)(table);
 * const words = new Int32Array((core.memory as WebAssembly.Memory).buffer);
 * words[tablePtr / 4] = 1; // action inc: one (empty) tuple
 * const codesPtr = tablePtr + 8;
 * assert.equal(expand(src, 1, out, codesPtr, tablePtr), 1);
 * assert.equal(words[codesPtr / 4], 0);
 * ```
 */
export function addExpand(
  m: binaryen.Module,
  plan: MemoryPlan,
  meta: SpecMeta,
  name: string = EXPAND_EXPORT,
): void {
  const fn = new FunctionBuilder(m, [I32, I32, I32, I32, I32]);
  const SRC = 0, COUNT = 1, OUT = 2, CODES = 3, TUPLES = 4;
  const s = fn.local(I32), o = fn.local(I32), src = fn.local(I32), dst = fn.local(I32);
  const t = fn.local(I32), n = fn.local(I32), vp = fn.local(I32), code = fn.local(I32);
  const c = fn.local(I32);
  const get = (l: number) => m.local.get(l, I32);
  const set = (l: number, v: Expr) => m.local.set(l, v);
  const add = (l: number, k: number) => set(l, m.i32.add(get(l), m.i32.const(k)));
  const ptrOf = (inst: Expr) =>
    m.i32.add(m.i32.const(plan.base), m.i32.mul(inst, m.i32.const(plan.stride)));
  const perAction: Expr[] = meta.actions.map((action, a) => {
    const arity = action.params.length;
    const args: Expr[] = [get(o)];
    for (let j = 0; j < arity; j++) args.push(m.f64.load(j * 8, 8, get(vp)));
    const brk = fn.label("done"), cont = fn.label("tuple");
    const next = m.block(null, [
      set(code, m.call(action.stepExport, args, I32)),
      m.i32.store(0, 4, get(c), get(code)),
      add(c, 4),
      m.if(
        m.i32.eqz(get(code)),
        m.block(null, [
          add(o, 1),
          add(dst, plan.stride),
          copyBlock(m, plan.stride, dst, src),
        ]),
      ),
      add(vp, arity * 8),
      add(t, 1),
      m.br(cont),
    ]);
    return m.block(null, [
      set(n, m.i32.load(a * 8, 4, get(TUPLES))),
      set(vp, m.i32.add(get(TUPLES), m.i32.load(a * 8 + 4, 4, get(TUPLES)))),
      set(t, m.i32.const(0)),
      m.block(brk, [
        m.loop(cont, m.block(null, [m.br(brk, m.i32.ge_u(get(t), get(n))), next])),
      ]),
    ]);
  });
  const stateBrk = fn.label("states"), stateLoop = fn.label("state");
  const body = m.block(null, [
    set(o, get(OUT)),
    set(c, get(CODES)),
    set(s, m.i32.const(0)),
    set(dst, ptrOf(get(OUT))),
    m.block(stateBrk, [
      m.loop(
        stateLoop,
        m.block(null, [
          m.br(stateBrk, m.i32.ge_u(get(s), get(COUNT))),
          set(src, ptrOf(m.i32.add(get(SRC), get(s)))),
          copyBlock(m, plan.stride, dst, src),
          ...perAction,
          add(s, 1),
          m.br(stateLoop),
        ]),
      ),
    ]),
    m.i32.sub(get(o), get(OUT)),
  ], I32);
  fn.finish(name, I32, body);
}
