/**
 * Checked i64 arithmetic without traps: every site either yields the exact
 * result or runs its failure expression (which leaves the function with the
 * site's verdict code). Matches the interpreter: `/` truncates, `%` takes the
 * sign of the dividend, `MIN / -1` fails, `MIN % -1` is 0. Operands are
 * evaluated left to right; a constant operand gets a cheaper bound check.
 *
 * @module
 */
import binaryen from "binaryen";
import { type Expr, type FunctionBuilder, I64_MAX, I64_MIN, i64const, outside } from "./func.ts";

/** Produces the expression that leaves with a verdict code (type unreachable). */
export type Fail = (code: number) => Expr;

/** Operands and failure of one checked site. */
export interface Site {
  readonly fn: FunctionBuilder;
  readonly fail: Fail;
  readonly code: number;
}

const I64 = binaryen.i64;

/** The literal value of a constant operand, else null. */
export type Literal = bigint | null;

/** A temporary: `set` stores `value`; each `get()` is a fresh read (expressions form a tree). */
function tee(site: Site, value: Expr): { set: Expr; get: () => Expr } {
  const m = site.fn.module;
  const t = site.fn.local(I64);
  return { set: m.local.set(t, value), get: () => m.local.get(t, I64) };
}

/** `block { stmts; result }` of type i64. */
function seq(m: binaryen.Module, stmts: Expr[], result: Expr): Expr {
  return m.block(null, [...stmts, result], I64);
}

/** `if (cond) fail` as a statement. */
function failIf(site: Site, cond: Expr): Expr {
  return site.fn.module.if(cond, site.fail(site.code));
}

/** Whether `value` plus the literal `c` stays in i64, as a check on the value. */
function addConst(site: Site, a: Expr, c: bigint): Expr {
  const m = site.fn.module;
  if (c === 0n) return a;
  const t = tee(site, a);
  const lo = c > 0n ? I64_MIN : I64_MIN - c;
  const hi = c > 0n ? I64_MAX - c : I64_MAX;
  return seq(
    m,
    [t.set, failIf(site, outside(m, t.get(), lo, hi))],
    m.i64.add(t.get(), i64const(m, c)),
  );
}

/**
 * Checked `a + b`.
 *
 * @example Add with overflow detection
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { checkedAdd } from "./arith.ts";
 * import { FunctionBuilder } from "./func.ts";
 * const m = new binaryen.Module(), I64 = binaryen.i64;
 * const fn = new FunctionBuilder(m, [I64]);
 * const site = { fn, fail: () => m.unreachable(), code: 2 }; // fail traps here
 * fn.finish("inc", I64, checkedAdd(site, m.local.get(0, I64), m.i64.const(1, 0), null, 1n));
 * m.addFunctionExport("inc", "inc");
 * const wasm = new WebAssembly.Module(m.emitBinary() as BufferSource);
 * const { exports } = new WebAssembly.Instance(wasm);
 * const inc = exports.inc as (a: bigint) => bigint;
 * assert.equal(inc(41n), 42n);
 * assert.throws(() => inc(2n ** 63n - 1n), WebAssembly.RuntimeError);
 * ```
 */
export function checkedAdd(site: Site, a: Expr, b: Expr, la: Literal, lb: Literal): Expr {
  const m = site.fn.module;
  if (lb !== null) return addConst(site, a, lb);
  if (la !== null) return addConst(site, b, la);
  const x = tee(site, a), y = tee(site, b), r = tee(site, m.i64.add(x.get(), y.get()));
  const overflow = m.i64.lt_s(
    m.i64.and(m.i64.xor(x.get(), r.get()), m.i64.xor(y.get(), r.get())),
    i64const(m, 0n),
  );
  return seq(m, [x.set, y.set, r.set, failIf(site, overflow)], r.get());
}

/**
 * Checked `a - b`.
 *
 * @example Subtract with overflow detection
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { checkedSub } from "./arith.ts";
 * import { FunctionBuilder } from "./func.ts";
 * const m = new binaryen.Module(), I64 = binaryen.i64;
 * const fn = new FunctionBuilder(m, [I64, I64]);
 * const site = { fn, fail: () => m.unreachable(), code: 2 }; // fail traps here
 * const [a, b] = [m.local.get(0, I64), m.local.get(1, I64)];
 * fn.finish("sub", I64, checkedSub(site, a, b, null, null));
 * m.addFunctionExport("sub", "sub");
 * const wasm = new WebAssembly.Module(m.emitBinary() as BufferSource);
 * const { exports } = new WebAssembly.Instance(wasm);
 * const sub = exports.sub as (a: bigint, b: bigint) => bigint;
 * assert.equal(sub(3n, 5n), -2n);
 * assert.throws(() => sub(-(2n ** 63n), 1n), WebAssembly.RuntimeError);
 * ```
 */
export function checkedSub(site: Site, a: Expr, b: Expr, _la: Literal, lb: Literal): Expr {
  const m = site.fn.module;
  if (lb !== null && lb !== I64_MIN) return addConst(site, a, -lb);
  const x = tee(site, a), y = tee(site, b), r = tee(site, m.i64.sub(x.get(), y.get()));
  const overflow = m.i64.lt_s(
    m.i64.and(m.i64.xor(x.get(), y.get()), m.i64.xor(x.get(), r.get())),
    i64const(m, 0n),
  );
  return seq(m, [x.set, y.set, r.set, failIf(site, overflow)], r.get());
}

/**
 * Checked `-a`: fails exactly for `MIN`.
 *
 * @example Negate
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { checkedNeg } from "./arith.ts";
 * import { FunctionBuilder } from "./func.ts";
 * const m = new binaryen.Module(), I64 = binaryen.i64;
 * const fn = new FunctionBuilder(m, [I64]);
 * const site = { fn, fail: () => m.unreachable(), code: 2 }; // fail traps here
 * fn.finish("neg", I64, checkedNeg(site, m.local.get(0, I64)));
 * m.addFunctionExport("neg", "neg");
 * const wasm = new WebAssembly.Module(m.emitBinary() as BufferSource);
 * const { exports } = new WebAssembly.Instance(wasm);
 * const neg = exports.neg as (a: bigint) => bigint;
 * assert.equal(neg(5n), -5n);
 * assert.throws(() => neg(-(2n ** 63n)), WebAssembly.RuntimeError);
 * ```
 */
export function checkedNeg(site: Site, a: Expr): Expr {
  const m = site.fn.module;
  const t = tee(site, a);
  return seq(
    m,
    [t.set, failIf(site, m.i64.eq(t.get(), i64const(m, I64_MIN)))],
    m.i64.sub(i64const(m, 0n), t.get()),
  );
}

function mulConst(site: Site, a: Expr, c: bigint): Expr {
  const m = site.fn.module;
  if (c === 1n) return a;
  if (c === 0n) return seq(m, [m.drop(a)], i64const(m, 0n));
  if (c === -1n) return checkedNeg(site, a);
  const t = tee(site, a);
  const lo = c > 0n ? I64_MIN / c : I64_MAX / c;
  const hi = c > 0n ? I64_MAX / c : I64_MIN / c;
  return seq(
    m,
    [t.set, failIf(site, outside(m, t.get(), lo, hi))],
    m.i64.mul(t.get(), i64const(m, c)),
  );
}

/**
 * Checked `a * b`; operands that both fit in i32 skip the division test.
 *
 * @example Multiply
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { checkedMul } from "./arith.ts";
 * import { FunctionBuilder } from "./func.ts";
 * const m = new binaryen.Module(), I64 = binaryen.i64;
 * const fn = new FunctionBuilder(m, [I64]);
 * const site = { fn, fail: () => m.unreachable(), code: 2 }; // fail traps here
 * fn.finish("triple", I64, checkedMul(site, m.local.get(0, I64), m.i64.const(3, 0), null, 3n));
 * m.addFunctionExport("triple", "triple");
 * const wasm = new WebAssembly.Module(m.emitBinary() as BufferSource);
 * const { exports } = new WebAssembly.Instance(wasm);
 * const triple = exports.triple as (a: bigint) => bigint;
 * assert.equal(triple(-7n), -21n);
 * assert.throws(() => triple(2n ** 62n), WebAssembly.RuntimeError);
 * ```
 */
export function checkedMul(site: Site, a: Expr, b: Expr, la: Literal, lb: Literal): Expr {
  const m = site.fn.module;
  if (lb !== null) return mulConst(site, a, lb);
  if (la !== null) return mulConst(site, b, la);
  const x = tee(site, a), y = tee(site, b), r = tee(site, m.i64.mul(x.get(), y.get()));
  const small = (v: () => Expr) => m.i64.eq(m.i64.extend32_s(v()), v());
  const slow = m.if(
    m.i64.ne(x.get(), i64const(m, 0n)),
    m.if(
      m.i64.eq(x.get(), i64const(m, -1n)),
      failIf(site, m.i64.eq(y.get(), i64const(m, I64_MIN))),
      failIf(site, m.i64.ne(m.i64.div_s(r.get(), x.get()), y.get())),
    ),
  );
  const check = m.if(m.i32.and(small(x.get), small(y.get)), m.nop(), slow);
  return seq(m, [x.set, y.set, r.set, check], r.get());
}

/**
 * Checked `a / b` (truncating): fails for a zero divisor and for `MIN / -1`.
 *
 * @example Divide
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { checkedDiv } from "./arith.ts";
 * import { FunctionBuilder } from "./func.ts";
 * const m = new binaryen.Module(), I64 = binaryen.i64;
 * const fn = new FunctionBuilder(m, [I64, I64]);
 * const site = { fn, fail: () => m.unreachable(), code: 2 }; // fail traps here
 * const [a, b] = [m.local.get(0, I64), m.local.get(1, I64)];
 * fn.finish("div", I64, checkedDiv(site, a, b, null, null));
 * m.addFunctionExport("div", "div");
 * const wasm = new WebAssembly.Module(m.emitBinary() as BufferSource);
 * const { exports } = new WebAssembly.Instance(wasm);
 * const div = exports.div as (a: bigint, b: bigint) => bigint;
 * assert.equal(div(-7n, 2n), -3n);
 * assert.throws(() => div(1n, 0n), WebAssembly.RuntimeError);
 * assert.throws(() => div(-(2n ** 63n), -1n), WebAssembly.RuntimeError);
 * ```
 */
export function checkedDiv(site: Site, a: Expr, b: Expr, _la: Literal, lb: Literal): Expr {
  const m = site.fn.module;
  if (lb !== null && lb !== 0n && lb !== -1n) return m.i64.div_s(a, i64const(m, lb));
  const x = tee(site, a), y = tee(site, b);
  const zero = failIf(site, m.i64.eqz(y.get()));
  const min = failIf(
    site,
    m.i32.and(
      m.i64.eq(x.get(), i64const(m, I64_MIN)),
      m.i64.eq(y.get(), i64const(m, -1n)),
    ),
  );
  return seq(m, [x.set, y.set, zero, min], m.i64.div_s(x.get(), y.get()));
}

/**
 * Checked `a % b` (sign of the dividend): fails only for a zero divisor.
 *
 * @example Remainder
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { checkedRem } from "./arith.ts";
 * import { FunctionBuilder } from "./func.ts";
 * const m = new binaryen.Module(), I64 = binaryen.i64;
 * const fn = new FunctionBuilder(m, [I64, I64]);
 * const site = { fn, fail: () => m.unreachable(), code: 2 }; // fail traps here
 * const [a, b] = [m.local.get(0, I64), m.local.get(1, I64)];
 * fn.finish("rem", I64, checkedRem(site, a, b, null, null));
 * m.addFunctionExport("rem", "rem");
 * const wasm = new WebAssembly.Module(m.emitBinary() as BufferSource);
 * const { exports } = new WebAssembly.Instance(wasm);
 * const rem = exports.rem as (a: bigint, b: bigint) => bigint;
 * assert.equal(rem(-7n, 2n), -1n);
 * assert.equal(rem(-(2n ** 63n), -1n), 0n);
 * assert.throws(() => rem(1n, 0n), WebAssembly.RuntimeError);
 * ```
 */
export function checkedRem(site: Site, a: Expr, b: Expr, _la: Literal, lb: Literal): Expr {
  const m = site.fn.module;
  if (lb !== null && lb !== 0n) {
    return lb === -1n ? seq(m, [m.drop(a)], i64const(m, 0n)) : m.i64.rem_s(a, i64const(m, lb));
  }
  const x = tee(site, a), y = tee(site, b);
  return seq(m, [x.set, y.set, failIf(site, m.i64.eqz(y.get()))], m.i64.rem_s(x.get(), y.get()));
}

/**
 * Checked addition of an accumulator and a value (used by `sum`).
 *
 * @example Accumulate
 * ```ts
 * import assert from "node:assert/strict";
 * import binaryen from "binaryen";
 * import { checkedAccumulate } from "./arith.ts";
 * import { FunctionBuilder } from "./func.ts";
 * const m = new binaryen.Module(), I64 = binaryen.i64;
 * const fn = new FunctionBuilder(m, [I64, I64]);
 * const site = { fn, fail: () => m.unreachable(), code: 2 }; // fail traps here
 * const [acc, value] = [m.local.get(0, I64), m.local.get(1, I64)];
 * fn.finish("acc", I64, checkedAccumulate(site, acc, value));
 * m.addFunctionExport("acc", "acc");
 * const wasm = new WebAssembly.Module(m.emitBinary() as BufferSource);
 * const { exports } = new WebAssembly.Instance(wasm);
 * const add = exports.acc as (acc: bigint, value: bigint) => bigint;
 * assert.equal(add(40n, 2n), 42n);
 * assert.throws(() => add(2n ** 63n - 1n, 1n), WebAssembly.RuntimeError);
 * ```
 */
export function checkedAccumulate(site: Site, acc: Expr, value: Expr): Expr {
  return checkedAdd(site, acc, value, null, null);
}
