/**
 * The per-action exports `step-<a>` and `check-<a>`, and the local
 * property exports `check-invariants` and `liveness`.
 *
 * A step is one straight function specialised to its action: arguments
 * (f64) are checked and converted to i64 locals, the `require`s read the
 * pre-state in memory, every key and right-hand side is computed into a
 * local, ranges are checked, the invariants read the post-state through the
 * locals (see {@link PostStateReader}), and only when all passed are the
 * locals stored (`step` only). Any failure returns its code at once.
 *
 * @module
 */
import binaryen from "binaryen";
import type { IAction, IAssign, ILiveness, IParam, Program, StateVar } from "../../ir.ts";
import { type Expr, FunctionBuilder, mapEntryPtr, outside, storeSlot } from "./func.ts";
import { ExprCompiler, type StateReader } from "./expr.ts";
import { type MemoryPlan, MemoryReader, type PendingWrite, PostStateReader } from "./readers.ts";
import { finiteBounds } from "../../types/type_rules.ts";

const I32 = binaryen.i32;
const I64 = binaryen.i64;
const F64 = binaryen.f64;
const TWO_53 = 1n << 53n;

/** The spec facts the generators share. */
export interface CodegenInput {
  readonly program: Program;
  readonly plan: MemoryPlan;
  /** `mapBaseOf(slot)`: the base slot of the variable holding `slot`. */
  readonly mapBaseOf: (slot: number) => number;
}

/** Inclusive bounds of a scalar type (the type checker's {@link finiteBounds}), or null for `int`. */
export function scalarBounds(type: IParam["type"]): { lo: bigint; hi: bigint } | null {
  return type.kind === "int" ? null : finiteBounds(type);
}

/** `ptr = BASE + inst * stride` into i32 local `ptr` from i32 param 0. */
function setPtr(m: binaryen.Module, plan: MemoryPlan, ptr: number): Expr {
  return m.local.set(
    ptr,
    m.i32.add(m.i32.const(plan.base), m.i32.mul(m.local.get(0, I32), m.i32.const(plan.stride))),
  );
}

/** Checks f64 param `index + 1` against its type; converts it into a fresh i64 local. */
function convertParam(
  fn: FunctionBuilder,
  p: IParam,
  index: number,
): { code: Expr; local: number } {
  const m = fn.module;
  const raw = () => m.local.get(index + 1, F64);
  const local = fn.local(I64);
  const bounds = scalarBounds(p.type);
  const integral = m.f64.eq(m.f64.trunc(raw()), raw());
  const fail = m.return(m.i32.const(p.code));
  const small = bounds !== null && bounds.lo >= -TWO_53 && bounds.hi <= TWO_53;
  const steps: Expr[] = [];
  if (small) {
    const ok = m.i32.and(
      m.i32.and(
        m.f64.ge(raw(), m.f64.const(Number(bounds.lo))),
        m.f64.le(raw(), m.f64.const(Number(bounds.hi))),
      ),
      integral,
    );
    steps.push(m.if(m.i32.eqz(ok), fail));
    steps.push(m.local.set(local, m.i64.trunc_s.f64(raw())));
  } else {
    const ok = m.i32.and(
      m.i32.and(m.f64.ge(raw(), m.f64.const(-(2 ** 63))), m.f64.lt(raw(), m.f64.const(2 ** 63))),
      integral,
    );
    steps.push(m.if(m.i32.eqz(ok), fail));
    steps.push(m.local.set(local, m.i64.trunc_s.f64(raw())));
    if (bounds !== null) {
      const out = outside(m, m.local.get(local, I64), bounds.lo, bounds.hi);
      steps.push(m.if(out, m.return(m.i32.const(p.code))));
    }
  }
  return { code: m.block(null, steps), local };
}

function varOf(program: Program, as: IAssign): StateVar {
  const v = program.vars[as.varIndex];
  if (v === undefined) throw new RangeError(`Assignment target '${as.varIndex}' is not a variable`);
  return v;
}

/** Computes each key and value of `assigns` into locals; returns the code and the writes. */
function computeAssigns(
  fn: FunctionBuilder,
  input: CodegenInput,
  compiler: ExprCompiler,
  assigns: readonly IAssign[],
): { code: Expr[]; writes: PendingWrite[] } {
  const m = fn.module;
  const code: Expr[] = [];
  const writes: PendingWrite[] = [];
  for (const as of assigns) {
    const v = varOf(input.program, as);
    const keyLo = v.type.kind === "map" ? scalarBounds(v.type.key)!.lo : 0n;
    let slot: number | null = as.slot;
    let key: number | null = null;
    if (as.key !== null && as.key.kind === "const") {
      const offset = as.key.value - keyLo;
      if (offset < 0n || offset >= BigInt(v.size)) code.push(m.return(m.i32.const(as.keyCode)));
      else slot = as.slot + Number(offset);
    } else if (as.key !== null) {
      slot = null;
      key = fn.local(I64);
      code.push(m.local.set(key, compiler.int(as.key)));
      const hi = keyLo + BigInt(v.size) - 1n;
      if (!compiler.keyInDomain(as.key, keyLo, hi)) {
        const out = outside(m, m.local.get(key, I64), keyLo, hi);
        code.push(m.if(out, m.return(m.i32.const(as.keyCode))));
      }
    }
    const value = fn.local(I64);
    code.push(m.local.set(value, compiler.int(as.value)));
    writes.push({ base: as.slot, slot, key, keyLo, value });
  }
  return { code, writes };
}

/** Range checks in assignment order. */
function rangeChecks(
  m: binaryen.Module,
  assigns: readonly IAssign[],
  writes: readonly PendingWrite[],
): Expr[] {
  const code: Expr[] = [];
  assigns.forEach((as, i) => {
    if (as.rangeCode < 0 || as.bounds === null) return;
    const value = m.local.get(writes[i]!.value, I64);
    code.push(
      m.if(outside(m, value, as.bounds.lo, as.bounds.hi), m.return(m.i32.const(as.rangeCode))),
    );
  });
  return code;
}

/** Stores the new values into the instance block at i32 local `ptr`. */
function stores(
  m: binaryen.Module,
  input: CodegenInput,
  ptr: number,
  writes: readonly PendingWrite[],
): Expr[] {
  return writes.map((w) => {
    const at = m.local.get(ptr, I32);
    const value = m.local.get(w.value, I64);
    if (w.slot !== null) return storeSlot(m, input.plan.slots[w.slot]!, at, value);
    const first = input.plan.slots[w.base]!;
    const entry = mapEntryPtr(m, at, m.local.get(w.key!, I64), w.keyLo, first.width);
    return storeSlot(m, first, entry, value);
  });
}

/** Returns the first failing invariant's code from the enclosing function. */
function invariantChecks(m: binaryen.Module, program: Program, compiler: ExprCompiler): Expr[] {
  return program.invariants.map((inv) =>
    m.if(m.i32.eqz(compiler.cond(inv.expr)), m.return(m.i32.const(inv.code)))
  );
}

/**
 * Adds `step-<a>` (when `apply`) or `check-<a>` for action `a` under `name`.
 *
 * @example Add the exports of an action
 * ```ts ignore
 * // While building a core module, with `input` the spec's `CodegenInput`:
 * addActionFunction(module, input, program.actions[0]!, "step-acquire", true);
 * addActionFunction(module, input, program.actions[0]!, "check-acquire", false);
 * ```
 */
export function addActionFunction(
  m: binaryen.Module,
  input: CodegenInput,
  action: IAction,
  name: string,
  apply: boolean,
): void {
  const fn = new FunctionBuilder(m, [I32, ...action.params.map(() => F64)]);
  const ptr = fn.local(I32);
  const body: Expr[] = [setPtr(m, input.plan, ptr)];
  const params = action.params.map((p, i) => {
    const { code, local } = convertParam(fn, p, i);
    body.push(code);
    return local;
  });
  const fail = (code: number) => m.return(m.i32.const(code));
  const paramBounds = action.params.map((p) => scalarBounds(p.type));
  const memory = new MemoryReader(m, input.plan, ptr);
  const pre = new ExprCompiler({ fn, fail, params, paramBounds, reader: memory });
  for (const r of action.requires) {
    body.push(m.if(m.i32.eqz(pre.cond(r.expr)), m.return(m.i32.const(r.code))));
  }
  const { code, writes } = computeAssigns(fn, input, pre, action.assigns);
  body.push(...code, ...rangeChecks(m, action.assigns, writes));
  const reader: StateReader = new PostStateReader(m, input.plan, ptr, writes, input.mapBaseOf);
  const post = new ExprCompiler({ fn, fail, params, paramBounds, reader });
  body.push(...invariantChecks(m, input.program, post));
  if (apply) body.push(...stores(m, input, ptr, writes));
  body.push(m.i32.const(0));
  fn.finish(name, I32, m.block(null, body, I32));
}

/**
 * Adds `check-invariants(inst) -> u32`: local invariants on the current
 * state with `prev(x)` = `x`.
 *
 * @example Add the export
 * ```ts ignore
 * // While building a core module, with `input` the spec's `CodegenInput`:
 * addCheckInvariants(module, input, "check-invariants");
 * ```
 */
export function addCheckInvariants(m: binaryen.Module, input: CodegenInput, name: string): void {
  const fn = new FunctionBuilder(m, [I32]);
  const ptr = fn.local(I32);
  const fail = (code: number) => m.return(m.i32.const(code));
  const compiler = new ExprCompiler({
    fn,
    fail,
    params: [],
    reader: new MemoryReader(m, input.plan, ptr),
  });
  const body = [setPtr(m, input.plan, ptr), ...invariantChecks(m, input.program, compiler)];
  fn.finish(name, I32, m.block(null, [...body, m.i32.const(0)], I32));
}

/**
 * The liveness bit mask of `items` as an i32 expression: bit `2i` is
 * `when_i`, bit `2i+1` is `eventually_i`; a predicate whose evaluation hits
 * an arithmetic error counts as false.
 *
 * @example Build the mask
 * ```ts ignore
 * // Inside a function under construction, reading the instance at local `ptr`:
 * const mask = livenessMask(fn, program.liveness, new MemoryReader(module, plan, ptr));
 * ```
 */
export function livenessMask(
  fn: FunctionBuilder,
  items: readonly ILiveness[],
  reader: StateReader,
): Expr {
  const m = fn.module;
  let mask: Expr = m.i32.const(0);
  items.forEach((item, i) => {
    [item.when, item.eventually].forEach((pred, j) => {
      const label = fn.label("pred");
      const fail = () => m.br(label, 0, m.i32.const(0));
      const compiler = new ExprCompiler({ fn, fail, params: [], reader });
      const holds = m.block(label, [compiler.cond(pred)], I32);
      const bit = m.i32.shl(holds, m.i32.const(2 * i + j));
      mask = m.i32.or(mask, bit);
    });
  });
  return mask;
}

/**
 * Adds `liveness(inst) -> u32`.
 *
 * @example Add the export
 * ```ts ignore
 * // While building a core module, with `input` the spec's `CodegenInput`:
 * addLiveness(module, input, "liveness");
 * ```
 */
export function addLiveness(m: binaryen.Module, input: CodegenInput, name: string): void {
  const fn = new FunctionBuilder(m, [I32]);
  const ptr = fn.local(I32);
  const mask = livenessMask(fn, input.program.liveness, new MemoryReader(m, input.plan, ptr));
  fn.finish(name, I32, m.block(null, [setPtr(m, input.plan, ptr), mask], I32));
}
