/**
 * Compiles IR expressions to binaryen expressions. Integers compile to i64
 * ({@link ExprCompiler.int}); conditions compile to i32 0/1
 * ({@link ExprCompiler.cond}) so that comparisons and logic stay in i32.
 * Where the state lives is the {@link StateReader}'s business: the step
 * functions read the post-state from the new-value locals, everything else
 * from memory. A failing site runs `fail(code)`, which leaves the exported
 * function (or the enclosing predicate) with that code.
 *
 * @module
 */
import binaryen from "binaryen";
import type { IExpr } from "../../ir.ts";
import { type Expr, type FunctionBuilder, i64const, outside } from "./func.ts";
import {
  checkedAdd,
  checkedDiv,
  checkedMul,
  checkedNeg,
  checkedRem,
  checkedSub,
  type Fail,
  type Literal,
  type Site,
} from "./arith.ts";

/** Where slot reads come from. `key` is an i64 local holding an in-domain key. */
export interface StateReader {
  /** Slot `slot` of the monitor's state (pre-state when `prev`). */
  slot(slot: number, prev: boolean): Expr;
  /** Entry `key` (an i64 local, already checked) of the map at `base`. */
  mapEntry(base: number, keyLo: bigint, key: number, prev: boolean): Expr;
  /** Slot `slot` of the monitor at the position held by i64 local `node` (global items). */
  nodeSlot(node: number, slot: number): Expr;
  /** Map entry of the monitor at the position held by i64 local `node` (global items). */
  nodeMapEntry(node: number, base: number, keyLo: bigint, key: number): Expr;
  /** The number of monitors in the evaluated set, as an i64 (global items). */
  nodeCount(): Expr;
}

/** What a compiler needs besides the expression. */
export interface ExprContext {
  readonly fn: FunctionBuilder;
  readonly fail: Fail;
  readonly reader: StateReader;
  /** i64 locals holding the action's converted parameters. */
  readonly params: readonly number[];
  /** The checked bounds of each parameter (null for `int`), to skip redundant key checks. */
  readonly paramBounds?: readonly (Bounds | null)[];
}

/** Inclusive bounds of a value. */
export interface Bounds {
  readonly lo: bigint;
  readonly hi: bigint;
}

const I64 = binaryen.i64;

type Quant = "forall" | "exists" | "count" | "sum";

/**
 * Compiles expressions of one function; quantifier frame slots get i64
 * locals on first use.
 *
 * @example Compile a condition
 * ```ts ignore
 * // Inside a function under construction, with `fn`, `fail`, the action's
 * // parameter locals and a reader of the state it refers to:
 * const compiler = new ExprCompiler({ fn, fail, params, reader: new MemoryReader(module, plan, ptr) });
 * const i32Cond = compiler.cond(require.expr);
 * ```
 */
export class ExprCompiler {
  readonly #ctx: ExprContext;
  readonly #module: binaryen.Module;
  readonly #frame = new Map<number, number>();
  readonly #frameBounds = new Map<number, Bounds>();

  /** Creates a compiler over `ctx`. */
  constructor(ctx: ExprContext) {
    this.#ctx = ctx;
    this.#module = ctx.fn.module;
  }

  #frameLocal(index: number): number {
    let l = this.#frame.get(index);
    if (l === undefined) {
      l = this.#ctx.fn.local(I64);
      this.#frame.set(index, l);
    }
    return l;
  }

  /**
   * The i64 local holding quantifier frame slot `index` (allocated on first
   * use), for a caller that binds the variable itself (the incremental
   * global check pins a node variable to one position).
   */
  frameLocal(index: number): number {
    return this.#frameLocal(index);
  }

  #site(code: number): Site {
    return { fn: this.#ctx.fn, fail: this.#ctx.fail, code };
  }

  /** Evaluates `e` to an i64. */
  int(e: IExpr): Expr {
    const m = this.#module;
    switch (e.kind) {
      case "const":
        return i64const(m, e.value);
      case "slot":
        return this.#ctx.reader.slot(e.slot, e.prev);
      case "map":
        return this.#withKey(e, (k) => this.#ctx.reader.mapEntry(e.base, e.keyLo, k, e.prev));
      case "param":
        return m.local.get(this.#param(e.index), I64);
      case "local":
        return m.local.get(this.#frameLocal(e.index), I64);
      case "nodeSlot":
        return this.#ctx.reader.nodeSlot(this.#frameLocal(e.node), e.slot);
      case "nodeMap":
        return this.#withKey(
          e,
          (k) => this.#ctx.reader.nodeMapEntry(this.#frameLocal(e.node), e.base, e.keyLo, k),
        );
      case "neg":
        return checkedNeg(this.#site(e.code), this.int(e.operand));
      case "arith":
        return this.#arith(e);
      case "if":
        return m.if(this.cond(e.cond), this.int(e.then), this.int(e.else));
      case "quant":
        return this.#quant(
          e.quant,
          e.local,
          i64const(m, e.lo),
          i64const(m, e.hi),
          e.body,
          e.code,
          { lo: e.lo, hi: e.hi },
        );
      case "nodeQuant":
        return this.#nodeQuant(e);
      case "not":
      case "cmp":
      case "logic":
        return m.i64.extend_u(this.cond(e));
    }
  }

  /** Evaluates the boolean `e` to an i32 0 or 1. */
  cond(e: IExpr): Expr {
    const m = this.#module;
    switch (e.kind) {
      case "const":
        return m.i32.const(e.value !== 0n ? 1 : 0);
      case "not":
        return m.i32.eqz(this.cond(e.operand));
      case "cmp":
        return this.#cmp(e.op, this.int(e.left), this.int(e.right));
      case "logic": {
        const l = this.cond(e.left);
        const r = this.cond(e.right);
        if (e.op === "and") return m.if(l, r, m.i32.const(0));
        if (e.op === "or") return m.if(l, m.i32.const(1), r);
        return m.if(l, r, m.i32.const(1));
      }
      case "if":
        return m.if(this.cond(e.cond), this.cond(e.then), this.cond(e.else));
      default:
        return m.i64.ne(this.int(e), i64const(m, 0n));
    }
  }

  /** Bounds of `e` known at compile time (constants, parameters, quantifier variables), else null. */
  boundsOf(e: IExpr): Bounds | null {
    switch (e.kind) {
      case "const":
        return { lo: e.value, hi: e.value };
      case "param":
        return this.#ctx.paramBounds?.[e.index] ?? null;
      case "local":
        return this.#frameBounds.get(e.index) ?? null;
      default:
        return null;
    }
  }

  /** Whether `key` is known to lie within `lo..hi`, so its domain check can be left out. */
  keyInDomain(key: IExpr, lo: bigint, hi: bigint): boolean {
    const b = this.boundsOf(key);
    return b !== null && b.lo >= lo && b.hi <= hi;
  }

  #param(index: number): number {
    const l = this.#ctx.params[index];
    if (l === undefined) throw new RangeError(`Parameter '${index}' is not bound`);
    return l;
  }

  #cmp(op: Extract<IExpr, { kind: "cmp" }>["op"], l: Expr, r: Expr): Expr {
    const m = this.#module;
    switch (op) {
      case "==":
        return m.i64.eq(l, r);
      case "!=":
        return m.i64.ne(l, r);
      case "<":
        return m.i64.lt_s(l, r);
      case "<=":
        return m.i64.le_s(l, r);
      case ">":
        return m.i64.gt_s(l, r);
      case ">=":
        return m.i64.ge_s(l, r);
    }
  }

  #arith(e: Extract<IExpr, { kind: "arith" }>): Expr {
    const site = this.#site(e.code);
    const la: Literal = e.left.kind === "const" ? e.left.value : null;
    const lb: Literal = e.right.kind === "const" ? e.right.value : null;
    const a = this.int(e.left);
    const b = this.int(e.right);
    switch (e.op) {
      case "+":
        return checkedAdd(site, a, b, la, lb);
      case "-":
        return checkedSub(site, a, b, la, lb);
      case "*":
        return checkedMul(site, a, b, la, lb);
      case "/":
        return checkedDiv(site, a, b, la, lb);
      case "%":
        return checkedRem(site, a, b, la, lb);
    }
  }

  /** Evaluates a map key into a local, checks its domain, then reads with `read`. */
  #withKey(
    e: { key: IExpr; keyLo: bigint; size: number; code: number },
    read: (key: number) => Expr,
  ): Expr {
    const m = this.#module;
    const k = this.#ctx.fn.local(I64);
    const hi = e.keyLo + BigInt(e.size) - 1n;
    const check = this.keyInDomain(e.key, e.keyLo, hi)
      ? m.nop()
      : m.if(outside(m, m.local.get(k, I64), e.keyLo, hi), this.#ctx.fail(e.code));
    return m.block(null, [m.local.set(k, this.int(e.key)), check, read(k)], I64);
  }

  /**
   * A quantifier loop over `lo..hi` binding frame slot `index`; `domain` is
   * the static domain when known (then the body knows the variable's bounds).
   * `forall` stops at the first false body, `exists` at the first true;
   * `count` and `sum` visit every element.
   */
  #quant(
    quant: Quant,
    index: number,
    lo: Expr,
    hi: Expr,
    body: IExpr,
    code: number,
    domain: Bounds | null,
  ): Expr {
    const m = this.#module;
    const fn = this.#ctx.fn;
    const init = quant === "forall" ? 1n : 0n;
    if (domain !== null && domain.lo > domain.hi) return i64const(m, init);
    const x = this.#frameLocal(index);
    const acc = fn.local(I64);
    const hiLocal = fn.local(I64);
    const brk = fn.label("q_end");
    const cont = fn.label("q_next");
    const get = (l: number) => m.local.get(l, I64);
    const outer = this.#frameBounds.get(index);
    if (domain !== null) this.#frameBounds.set(index, domain);
    else this.#frameBounds.delete(index);
    let visit: Expr;
    if (quant === "forall" || quant === "exists") {
      const stop = quant === "forall" ? m.i32.eqz(this.cond(body)) : this.cond(body);
      visit = m.if(stop, m.block(null, [m.local.set(acc, i64const(m, 1n - init)), m.br(brk)]));
    } else if (quant === "count") {
      visit = m.local.set(acc, m.i64.add(get(acc), m.i64.extend_u(this.cond(body))));
    } else {
      const site = this.#site(code);
      visit = m.local.set(acc, checkedAdd(site, get(acc), this.int(body), null, null));
    }
    if (outer !== undefined) this.#frameBounds.set(index, outer);
    else this.#frameBounds.delete(index);
    const loop = m.loop(
      cont,
      m.block(null, [
        visit,
        m.br(brk, m.i64.eq(get(x), get(hiLocal))),
        m.local.set(x, m.i64.add(get(x), i64const(m, 1n))),
        m.br(cont),
      ]),
    );
    return m.block(null, [
      m.local.set(acc, i64const(m, init)),
      m.local.set(hiLocal, hi),
      m.local.set(x, lo),
      m.block(brk, [m.br(brk, m.i64.gt_s(get(x), get(hiLocal))), loop]),
      get(acc),
    ], I64);
  }

  #nodeQuant(e: Extract<IExpr, { kind: "nodeQuant" }>): Expr {
    const m = this.#module;
    const hi = m.i64.sub(this.#ctx.reader.nodeCount(), i64const(m, 1n));
    return this.#quant(e.quant, e.local, i64const(m, 0n), hi, e.body, e.code, null);
  }
}
