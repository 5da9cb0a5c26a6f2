/**
 * The incremental global check: `global-check-node(first, count, node)`
 * returns what `global-check(first, count)` returns, provided every global
 * invariant held over the same instances before the monitor at position
 * `node` changed (or joined as the last position). A collector calls it
 * after each event, which changes one participant, and so re-checks only
 * what involves that participant.
 *
 * Each invariant is split at its top-level `and`s (evaluated left to right,
 * as the full check's short circuit does). A part of the form
 * `forall x1, .., xk in nodes: body`, where `body` quantifies over no
 * nodes, visits only the tuples that contain `node`, in the lexicographic
 * order of the full loop: every other tuple held before and reads states
 * that did not change, so the first failing tuple (a false body or an
 * arithmetic error) is the same one the full check meets first. With two
 * variables that is `2n - 1` bodies instead of `n²`. Any other part
 * (`exists`, `count`, `sum`, a node quantifier inside a body, more than
 * {@link MAX_PINNED} variables) is evaluated in full, as `global-check`
 * does: linear in the participants for one aggregate.
 *
 * @module
 */
import binaryen from "binaryen";
import type { IExpr } from "../../ir.ts";
import { type Expr, FunctionBuilder, i64const } from "./func.ts";
import { ExprCompiler } from "./expr.ts";
import { NodesReader } from "./readers.ts";
import type { CodegenInput } from "./actions.ts";

const I32 = binaryen.i32;
const I64 = binaryen.i64;

/**
 * At most this many leading `forall` node variables are pinned (the body is
 * copied `2^(k-1)` times).
 *
 * @example Three variables: four copies of the body
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_PINNED } from "./global_incremental.ts";
 * assert.equal(2 ** (MAX_PINNED - 1), 4);
 * ```
 */
export const MAX_PINNED = 3;

/**
 * One part of an invariant: evaluated in full, or a `forall` prefix over
 * `vars` pinned to the changed node.
 *
 * @example A pinned part names its variables' frame slots
 * ```ts
 * import assert from "node:assert/strict";
 * import type { InvariantPart } from "./global_incremental.ts";
 * const body = { kind: "const", value: 1n } as const;
 * const part: InvariantPart = { kind: "pinned", vars: [0, 1], body, expr: body };
 * assert.equal(part.kind === "pinned" ? part.vars.length : 0, 2);
 * ```
 */
export type InvariantPart =
  | { readonly kind: "full"; readonly expr: IExpr }
  | {
    readonly kind: "pinned";
    readonly vars: readonly number[];
    readonly body: IExpr;
    /** The whole part (quantifiers and body), to evaluate it in full. */
    readonly expr: IExpr;
  };

/**
 * `e` with each direct subexpression replaced by `f` of it (`e` itself
 * when it has none).
 *
 * @example Negate both operands
 * ```ts
 * import assert from "node:assert/strict";
 * import type { IExpr } from "../../ir.ts";
 * import { mapSubExpressions } from "./global_incremental.ts";
 * const one: IExpr = { kind: "const", value: 1n };
 * const e = mapSubExpressions({ kind: "cmp", op: "<", left: one, right: one }, (x) => ({ kind: "not", operand: x }));
 * assert.equal(e.kind === "cmp" ? e.left.kind : "", "not");
 * ```
 */
export function mapSubExpressions(e: IExpr, f: (e: IExpr) => IExpr): IExpr {
  switch (e.kind) {
    case "const":
    case "slot":
    case "param":
    case "local":
    case "nodeSlot":
      return e;
    case "map":
    case "nodeMap":
      return { ...e, key: f(e.key) };
    case "neg":
    case "not":
      return { ...e, operand: f(e.operand) };
    case "arith":
    case "cmp":
    case "logic":
      return { ...e, left: f(e.left), right: f(e.right) };
    case "if":
      return { ...e, cond: f(e.cond), then: f(e.then), else: f(e.else) };
    case "quant":
    case "nodeQuant":
      return { ...e, body: f(e.body) };
  }
}

/**
 * The direct subexpressions of `e`.
 *
 * @example The operands of a comparison
 * ```ts
 * import assert from "node:assert/strict";
 * import { subExpressions } from "./global_incremental.ts";
 * const one = { kind: "const", value: 1n } as const;
 * assert.equal(subExpressions({ kind: "cmp", op: "<", left: one, right: one }).length, 2);
 * ```
 */
export function subExpressions(e: IExpr): readonly IExpr[] {
  const out: IExpr[] = [];
  mapSubExpressions(e, (x) => {
    out.push(x);
    return x;
  });
  return out;
}

/**
 * True when `pred` holds for `e` or one of its subexpressions.
 *
 * @example Find a node quantifier
 * ```ts
 * import assert from "node:assert/strict";
 * import { someSubExpr } from "./global_incremental.ts";
 * const e = { kind: "not", operand: { kind: "const", value: 1n } } as const;
 * assert.equal(someSubExpr(e, (x) => x.kind === "const"), true);
 * assert.equal(someSubExpr(e, (x) => x.kind === "nodeQuant"), false);
 * ```
 */
export function someSubExpr(e: IExpr, pred: (e: IExpr) => boolean): boolean {
  return pred(e) || subExpressions(e).some((x) => someSubExpr(x, pred));
}

/** True when `e` contains a quantifier over nodes (so its value depends on every node). */
function readsAllNodes(e: IExpr): boolean {
  return someSubExpr(e, (x) => x.kind === "nodeQuant");
}

/**
 * Splits a global invariant into the parts the incremental check evaluates
 * in order.
 *
 * @example OneHolder is one pinned part over two node variables
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../../frontend.ts";
 * import { invariantParts } from "./global_incremental.ts";
 * const program = analyze(
 *   "spec S\nstate on: bool = false\naction flip\n  on := not on\n" +
 *     "global invariant One\n  forall a, b in nodes: a.on and b.on implies a == b\n" +
 *     "global invariant Few\n  count(n in nodes: n.on) <= 3\n",
 * ).program!;
 * const [one, few] = program.globalInvariants.map((g) => invariantParts(g.expr));
 * assert.deepEqual(one!.map((p) => p.kind === "pinned" ? p.vars.length : 0), [2]);
 * assert.deepEqual(few!.map((p) => p.kind), ["full"]);
 * ```
 */
export function invariantParts(e: IExpr): InvariantPart[] {
  if (e.kind === "logic" && e.op === "and") {
    return [...invariantParts(e.left), ...invariantParts(e.right)];
  }
  const vars: number[] = [];
  let body = e;
  while (body.kind === "nodeQuant" && body.quant === "forall" && vars.length < MAX_PINNED) {
    vars.push(body.local);
    body = body.body;
  }
  if (vars.length === 0 || readsAllNodes(body)) return [{ kind: "full", expr: e }];
  return [{ kind: "pinned", vars, body, expr: e }];
}

/**
 * True when some global invariant of the program has a pinned part (the
 * incremental check then visits fewer states than the full one).
 *
 * @example Lease's OneHolder pins
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyze } from "../../frontend.ts";
 * import { hasPinnedParts } from "./global_incremental.ts";
 * const src = "spec S\nstate on: bool = false\naction flip\n  on := not on\n";
 * const pinned = analyze(src + "global invariant One\n  forall a, b in nodes: a.on and b.on implies a == b\n");
 * assert.equal(hasPinnedParts(pinned.program!.globalInvariants.map((g) => g.expr)), true);
 * assert.equal(hasPinnedParts(analyze(src).program!.globalInvariants.map((g) => g.expr)), false);
 * ```
 */
export function hasPinnedParts(invariants: readonly IExpr[]): boolean {
  return invariants.some((e) => invariantParts(e).some((p) => p.kind === "pinned"));
}

/**
 * Adds `global-check-node(first: u32, count: u32, node: u32) -> u32`.
 *
 * @example Add the export
 * ```ts ignore
 * // While building a core module, with `input` the spec's `CodegenInput`:
 * addGlobalCheckNode(module, input, "global-check-node");
 * ```
 */
export function addGlobalCheckNode(m: binaryen.Module, input: CodegenInput, name: string): void {
  const fn = new FunctionBuilder(m, [I32, I32, I32]);
  const compiler = new ExprCompiler({
    fn,
    fail: (code) => m.return(m.i32.const(code)),
    params: [],
    reader: new NodesReader(m, input.plan),
  });
  const node = fn.local(I64);
  const body: Expr[] = [m.local.set(node, m.i64.extend_u(m.local.get(2, I32)))];
  for (const inv of input.program.globalInvariants) {
    const failed = () => m.return(m.i32.const(inv.code));
    for (const part of invariantParts(inv.expr)) {
      body.push(
        part.kind === "full"
          ? m.if(m.i32.eqz(compiler.cond(part.expr)), failed())
          : pinnedLoops(compiler, { fn, node, vars: part.vars, body: part.body, failed }),
      );
    }
  }
  fn.finish(name, I32, m.block(null, [...body, m.i32.const(0)], I32));
}

/** What {@link pinnedLoops} builds over. */
export interface PinnedInput {
  readonly fn: FunctionBuilder;
  /** The i64 local holding the changed node's position. */
  readonly node: number;
  readonly vars: readonly number[];
  readonly body: IExpr;
  /** Leaves the function with the invariant's code (a fresh expression per call). */
  readonly failed: () => Expr;
}

/**
 * The loops over the tuples of `vars` that contain `node`, in
 * lexicographic order: a variable before the first one equal to `node`
 * ranges over every position; the last one, when none before it is
 * `node`, is `node`; after it, every position again.
 *
 * @example Build the loops of a pinned part
 * ```ts ignore
 * // Inside `global-check-node`, for a part split by `invariantParts`:
 * const loops = pinnedLoops(compiler, { fn, node, vars: part.vars, body: part.body, failed });
 * ```
 */
export function pinnedLoops(compiler: ExprCompiler, p: PinnedInput): Expr {
  const m = p.fn.module;
  const locals = p.vars.map((v) => compiler.frameLocal(v));
  const get = (l: number) => m.local.get(l, I64);
  const build = (depth: number, seen: boolean): Expr => {
    if (depth === locals.length) return m.if(m.i32.eqz(compiler.cond(p.body)), p.failed());
    const x = locals[depth]!;
    if (!seen && depth === locals.length - 1) {
      return m.block(null, [m.local.set(x, get(p.node)), build(depth + 1, true)]);
    }
    const visit = seen
      ? build(depth + 1, true)
      : m.if(m.i64.eq(get(x), get(p.node)), build(depth + 1, true), build(depth + 1, false));
    return loopOverNodes(p.fn, x, visit);
  };
  return build(0, false);
}

/** `for x in 0 .. count-1: visit` (count is the function's i32 parameter 1). */
function loopOverNodes(fn: FunctionBuilder, x: number, visit: Expr): Expr {
  const m = fn.module;
  const brk = fn.label("n_end");
  const cont = fn.label("n_next");
  const get = () => m.local.get(x, I64);
  const count = m.i64.extend_u(m.local.get(1, I32));
  return m.block(brk, [
    m.local.set(x, i64const(m, 0n)),
    m.loop(
      cont,
      m.block(null, [
        m.br(brk, m.i64.ge_u(get(), count)),
        visit,
        m.local.set(x, m.i64.add(get(), i64const(m, 1n))),
        m.br(cont),
      ]),
    ),
  ]);
}
