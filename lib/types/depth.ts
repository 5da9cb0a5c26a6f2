/**
 * A guard against expression trees too deep to check, evaluate or compile
 * recursively (long operator chains such as `x + x + ... + x` are built by
 * the parser without recursion, so its nesting limit does not bound them).
 *
 * @module
 */
import type { Expr, Item, SpecAst, TypeExpr } from "../syntax/ast.ts";
import type { CheckContext } from "./context.ts";

/** The deepest expression tree the checker accepts. */
export const MAX_EXPR_DEPTH = 1000;

/**
 * The direct subexpressions of `e`, quantifier domain bounds included.
 *
 * @example Children of a binary expression
 * ```ts
 * import assert from "node:assert/strict";
 * import { exprChildren } from "./depth.ts";
 * const one = { kind: "int" as const, id: 1, value: 1n };
 * const two = { kind: "int" as const, id: 2, value: 2n };
 * const sum = { kind: "binary" as const, id: 3, op: "+" as const, left: one, right: two };
 * assert.deepEqual(exprChildren(sum), [one, two]);
 * ```
 */
export function exprChildren(e: Expr): Expr[] {
  switch (e.kind) {
    case "prev":
      return [e.expr];
    case "index":
      return [e.target, e.index];
    case "field":
      return [e.target];
    case "unary":
      return [e.operand];
    case "binary":
      return [e.left, e.right];
    case "if":
      return [e.cond, e.then, e.else];
    case "quant":
      return e.domain === "nodes" ? [e.body] : [...typeExprs(e.domain), e.body];
    default:
      return [];
  }
}

function typeExprs(t: TypeExpr): Expr[] {
  if (t.kind === "range") return [t.lo, t.hi];
  if (t.kind === "map") return [...typeExprs(t.key), ...typeExprs(t.value)];
  return [];
}

/**
 * The top-level expressions of an item: values, bounds, guards, assignments,
 * invariant and liveness predicates.
 *
 * @example Roots of an invariant
 * ```ts
 * import assert from "node:assert/strict";
 * import { itemRoots } from "./depth.ts";
 * import { parse } from "../syntax/parser.ts";
 * const { ast } = parse("spec A\nstate x: int = 0\ninvariant I x >= 0\n");
 * const invariant = ast!.items.at(-1)!;
 * assert.deepEqual(itemRoots(invariant).map((e) => e.kind), ["binary"]);
 * ```
 */
export function itemRoots(item: Item): Expr[] {
  switch (item.kind) {
    case "const":
      return [item.value];
    case "type":
      return typeExprs(item.def);
    case "state":
      return [...typeExprs(item.type), ...(item.init === null ? [] : [item.init])];
    case "init":
      return item.body.flatMap((a) => (a.index === null ? [a.value] : [a.index, a.value]));
    case "action":
      return [
        ...item.params.flatMap((p) => typeExprs(p.type)),
        ...item.requires.map((r) => r.expr),
        ...item.body.flatMap((a) => (a.index === null ? [a.value] : [a.index, a.value])),
      ];
    case "invariant":
    case "terminal":
      return [item.expr];
    case "liveness":
      return [item.when, item.eventually];
  }
}

/** The depth of an expression tree, computed without recursion. */
export function exprDepth(root: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [e, d] = stack.pop()!;
    if (d > max) max = d;
    for (const c of exprChildren(e)) stack.push([c, d + 1]);
  }
  return max;
}

/**
 * Reports every top-level expression deeper than {@link MAX_EXPR_DEPTH};
 * returns whether any was found (the checker then stops).
 *
 * @example Accept a shallow spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { reportTooDeep } from "./depth.ts";
 * import { CheckContext } from "./context.ts";
 * import { parse } from "../syntax/parser.ts";
 * const source = "spec A\nstate x: int = 0\ninvariant I x + x >= 0\n";
 * const { ast, spans } = parse(source);
 * assert.ok(!reportTooDeep(ast!, new CheckContext(source, spans)));
 * ```
 */
export function reportTooDeep(ast: SpecAst, ctx: CheckContext): boolean {
  let found = false;
  for (const item of ast.items) {
    for (const root of itemRoots(item)) {
      const depth = exprDepth(root);
      if (depth <= MAX_EXPR_DEPTH) continue;
      const msg = `This expression nests ${depth} levels deep, more than ${MAX_EXPR_DEPTH}`;
      ctx.report("VIG413", msg, ctx.span(root.id));
      found = true;
    }
  }
  return found;
}
