/**
 * The expression evaluator of the reference interpreter: one recursive
 * function over {@link IExpr} following the evaluation order of `ir.ts`.
 *
 * Arithmetic is exact (`bigint`) and then checked against the i64 range:
 * a result is an `arith_error` exactly when it is undefined (`/` or `%` by
 * zero) or not representable in i64. Hence `MIN / -1` is an error and
 * `MIN % -1` is `0` (matching `i64.rem_s`, which does not trap there).
 * `sum` checks its partial sum after every element, in ascending order.
 *
 * @module
 */
import type { FiniteType, IExpr } from "../ir.ts";

/** The smallest i64. */
export const I64_MIN = -(1n << 63n);
/** The largest i64. */
export const I64_MAX = (1n << 63n) - 1n;

/**
 * Thrown inside the evaluator when an arithmetic site fails; caught by the
 * interpreter's entry points and turned into the site's verdict code.
 */
export class ArithTrap extends Error {
  /** The `arith_error` verdict code of the failing site. */
  readonly code: number;
  /** Creates a trap for verdict `code`. */
  constructor(code: number) {
    super(`Arithmetic error at verdict code '${code}'`);
    this.name = "ArithTrap";
    this.code = code;
  }
}

/**
 * What an expression reads: the current state, the pre-state (for `prev`),
 * the action's raw arguments, the quantifier frame and, in global items,
 * the states of the evaluated set of monitors.
 */
export interface Env {
  /** The state that plain slot reads see. */
  state: readonly bigint[];
  /** The state that `prev` reads see. */
  pre: readonly bigint[];
  /** Action arguments, already validated as integral and within their types. */
  args: readonly number[];
  /** Quantifier locals by frame index. */
  frame: bigint[];
  /** Monitor states for global items (positions `0 .. n-1`). */
  nodes: readonly (readonly bigint[])[];
}

/**
 * Checks that `value` is a representable i64, else traps with `code`.
 *
 * @example Overflow traps
 * ```ts
 * import assert from "node:assert/strict";
 * import { ArithTrap, checked, I64_MAX } from "./eval.ts";
 * assert.ok(checked(41n, 2) === 41n);
 * try {
 *   checked(I64_MAX + 1n, 2);
 * } catch (e) {
 *   assert.ok(e instanceof ArithTrap && e.code === 2);
 * }
 * ```
 */
export function checked(value: bigint, code: number): bigint {
  if (value < I64_MIN || value > I64_MAX) throw new ArithTrap(code);
  return value;
}

/**
 * The inclusive index range of a finite type: `0..1` for bool, `0..n-1` for
 * an enum of `n` labels, `lo..hi` for a range. The reference interpreter
 * keeps its own copy of this rule (the type checker's and the code
 * generator's is `finiteBounds` in `lib/types/type_rules.ts`): it is the
 * oracle of the differential tests, which a shared mistake would blind.
 *
 * @example Bounds of an enum
 * ```ts
 * import assert from "node:assert/strict";
 * import { finiteBounds } from "./eval.ts";
 * const mode = { kind: "enum", name: "Mode", labels: ["free", "held"] } as const;
 * assert.deepEqual(finiteBounds(mode), { lo: 0n, hi: 1n });
 * ```
 */
export function finiteBounds(type: FiniteType): { lo: bigint; hi: bigint } {
  switch (type.kind) {
    case "bool":
      return { lo: 0n, hi: 1n };
    case "enum":
      return { lo: 0n, hi: BigInt(type.labels.length - 1) };
    case "range":
      return { lo: type.lo, hi: type.hi };
  }
}

/**
 * Evaluates an expression to one i64 value; an arithmetic failure throws
 * {@link ArithTrap} with the failing site's code.
 *
 * @example Evaluate a constant sum
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluate } from "./eval.ts";
 * const env = { state: [], pre: [], args: [], frame: [], nodes: [] };
 * const sum = evaluate({
 *   kind: "arith", op: "+", code: 2,
 *   left: { kind: "const", value: 1n }, right: { kind: "const", value: 2n },
 * }, env);
 * assert.equal(sum, 3n);
 * ```
 */
export function evaluate(e: IExpr, env: Env): bigint {
  switch (e.kind) {
    case "const":
      return e.value;
    case "slot":
      return read(e.prev ? env.pre : env.state, e.slot);
    case "map":
      return read(e.prev ? env.pre : env.state, mapSlot(e, evaluate(e.key, env)));
    case "param":
      return BigInt(env.args[e.index] as number);
    case "local":
      return local(env, e.index);
    case "nodeSlot":
      return read(nodeState(env, e.node), e.slot);
    case "nodeMap": {
      const state = nodeState(env, e.node);
      return read(state, mapSlot(e, evaluate(e.key, env)));
    }
    case "neg":
      return checked(-evaluate(e.operand, env), e.code);
    case "not":
      return evaluate(e.operand, env) === 0n ? 1n : 0n;
    case "arith":
      return arith(e.op, evaluate(e.left, env), evaluate(e.right, env), e.code);
    case "cmp":
      return compare(e.op, evaluate(e.left, env), evaluate(e.right, env)) ? 1n : 0n;
    case "logic":
      return logic(e, env);
    case "if":
      return evaluate(e.cond, env) !== 0n ? evaluate(e.then, env) : evaluate(e.else, env);
    case "quant":
      return quantify(e.quant, e.local, e.lo, e.hi, e.body, e.code, env);
    case "nodeQuant":
      return quantify(e.quant, e.local, 0n, BigInt(env.nodes.length - 1), e.body, e.code, env);
  }
}

/**
 * Checked binary arithmetic on i64 values: `/` truncates toward zero, `%`
 * takes the sign of the dividend, `MIN % -1` is `0`.
 *
 * @example Truncating division
 * ```ts
 * import assert from "node:assert/strict";
 * import { arith, ArithTrap } from "./eval.ts";
 * assert.equal(arith("/", -7n, 2n, 2), -3n);
 * assert.equal(arith("%", -7n, 2n, 2), -1n);
 * assert.throws(() => arith("/", 1n, 0n, 2), (e) => e instanceof ArithTrap && e.code === 2);
 * ```
 */
export function arith(op: "+" | "-" | "*" | "/" | "%", a: bigint, b: bigint, code: number): bigint {
  switch (op) {
    case "+":
      return checked(a + b, code);
    case "-":
      return checked(a - b, code);
    case "*":
      return checked(a * b, code);
    case "/":
      if (b === 0n) throw new ArithTrap(code);
      return checked(a / b, code);
    case "%":
      if (b === 0n) throw new ArithTrap(code);
      return a % b;
  }
}

function compare(op: "==" | "!=" | "<" | "<=" | ">" | ">=", a: bigint, b: bigint): boolean {
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

function logic(e: Extract<IExpr, { kind: "logic" }>, env: Env): bigint {
  const left = evaluate(e.left, env);
  switch (e.op) {
    case "and":
      return left === 0n ? 0n : evaluate(e.right, env);
    case "or":
      return left !== 0n ? 1n : evaluate(e.right, env);
    case "implies":
      return left === 0n ? 1n : evaluate(e.right, env);
  }
}

function quantify(
  quant: "forall" | "exists" | "count" | "sum",
  index: number,
  lo: bigint,
  hi: bigint,
  body: IExpr,
  code: number,
  env: Env,
): bigint {
  let acc = 0n;
  for (let v = lo; v <= hi; v++) {
    env.frame[index] = v;
    const b = evaluate(body, env);
    if (quant === "forall") {
      if (b === 0n) return 0n;
    } else if (quant === "exists") {
      if (b !== 0n) return 1n;
    } else if (quant === "count") {
      if (b !== 0n) acc++;
    } else {
      acc = checked(acc + b, code);
    }
  }
  return quant === "forall" ? 1n : acc;
}

function mapSlot(
  e: { base: number; keyLo: bigint; size: number; code: number },
  key: bigint,
): number {
  const offset = key - e.keyLo;
  if (offset < 0n || offset >= BigInt(e.size)) throw new ArithTrap(e.code);
  return e.base + Number(offset);
}

function read(state: readonly bigint[], slot: number): bigint {
  const v = state[slot];
  if (v === undefined) throw new RangeError(`Slot '${slot}' is outside the state`);
  return v;
}

function local(env: Env, index: number): bigint {
  const v = env.frame[index];
  if (v === undefined) throw new RangeError(`Local '${index}' is not bound`);
  return v;
}

function nodeState(env: Env, node: number): readonly bigint[] {
  const state = env.nodes[Number(local(env, node))];
  if (state === undefined) throw new RangeError(`Node local '${node}' is outside the set`);
  return state;
}
