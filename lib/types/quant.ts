/**
 * Checking quantifiers (`forall`, `exists`, `count`, `sum`) over finite
 * types and over `nodes`, and the shadowing rule for binders.
 *
 * @module
 */
import type { Expr } from "../syntax/ast.ts";
import type { TypeOrError } from "./context.ts";
import { type Env, ERROR_TYPED, type GlobalScope, type Typed } from "./env.ts";
import { expectKind, notConstant } from "./expect.ts";
import { cardinality, checkDomainSize, finiteBounds, isFinite, resolveType } from "./type_rules.ts";
import type { IExpr } from "../ir.ts";
import type { Span } from "../syntax/source.ts";

/** The value checker, passed in to keep the modules acyclic. */
export type ValueFn = (e: Expr, g: GlobalScope, env: Env) => Typed;

/**
 * Reports `name` when it would shadow a name in scope. Returns whether it is fresh.
 *
 * @example Check a binder
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkFresh } from "./quant.ts";
 * import { CheckContext } from "./context.ts";
 * import { Env } from "./env.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * const source = "spec A\nstate x: int = 0\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * g.resolveAll(ast!);
 * const env = new Env("invariant", "invariant I");
 * assert.ok(checkFresh("c", { start: 0, end: 1 }, g, env));
 * assert.ok(!checkFresh("x", { start: 0, end: 1 }, g, env));
 * ```
 */
export function checkFresh(name: string, span: Span, g: GlobalScope, env: Env): boolean {
  const b = env.binding(name);
  const d = b === undefined ? g.lookup(name) : undefined;
  let what: string;
  if (b !== undefined) what = b.kind === "param" ? "a parameter" : "a quantifier variable";
  else if (d === undefined) return true;
  else {
    what = {
      builtin: "a built-in type",
      const: "a constant",
      type: "a type",
      state: "a state variable",
      label: "an enum label",
    }[d.kind];
  }
  g.ctx.report("VIG208", `'${name}' shadows ${what} of the same name`, span);
  return false;
}

function domainOf(e: Extract<Expr, { kind: "quant" }>, g: GlobalScope, env: Env): TypeOrError {
  if (e.domain === "nodes") {
    if (env.mode !== "global") {
      g.ctx.report(
        "VIG410",
        "Quantifiers over 'nodes' are only allowed in global items",
        g.ctx.span(e.id),
      );
    }
    return { kind: "node" };
  }
  const span = g.ctx.span(e.domain.id);
  const t = resolveType(e.domain, g, "domain");
  if (t.kind === "int") {
    g.ctx.report("VIG310", "Cannot quantify over 'int': use a range, an enum or bool", span);
    return { kind: "error" };
  }
  if (t.kind === "error") return t;
  if (!isFinite(t)) {
    g.ctx.report("VIG311", "A quantifier domain must be bool, a range or an enum", span);
    return { kind: "error" };
  }
  if (!checkDomainSize(t, g.ctx, span)) return { kind: "error" };
  g.ctx.noteDomainSize(e.id, cardinality(t));
  return t;
}

/**
 * Checks a quantifier; multi-binder forms lower to nested one-binder nodes
 * (`count(a, b: T: p)` becomes `sum(a: count(b: p))`).
 *
 * @example Check a quantifier
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkQuant } from "./quant.ts";
 * import { CheckContext } from "./context.ts";
 * import { Env } from "./env.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * import { checkValue } from "./exprs.ts";
 * const source = "spec A\ntype K = 0..3\ninvariant I forall c, d: K: c + d >= 0\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * g.resolveAll(ast!);
 * const item = ast!.items.at(-1)!;
 * const env = new Env("invariant", "invariant I");
 * if (item.kind === "invariant" && item.expr.kind === "quant") {
 *   assert.ok(checkQuant(item.expr, g, env, checkValue).type.kind === "bool" && env.maxDepth === 2);
 * }
 * ```
 */
export function checkQuant(
  e: Extract<Expr, { kind: "quant" }>,
  g: GlobalScope,
  env: Env,
  checkValue: ValueFn,
): Typed {
  const span = g.ctx.span(e.id);
  const domain = domainOf(e, g, env);
  const first = env.depth;
  for (const b of e.binders) {
    checkFresh(b.name, g.ctx.span(b.id), g, env);
    env.bindings.push({ name: b.name, kind: "local", index: env.depth, type: domain });
    env.depth++;
    env.maxDepth = Math.max(env.maxDepth, env.depth);
  }
  const body = checkValue(e.body, g, env);
  env.bindings.length -= e.binders.length;
  env.depth = first;
  const want = e.quant === "sum" ? "int" : "bool";
  const ok = expectKind(body, want, g.ctx.span(e.body.id), g);
  const misplaced = domain.kind === "node" && env.mode !== "global";
  if (!ok || misplaced || domain.kind === "error" || body.type.kind === "error") return ERROR_TYPED;
  const count = e.binders.length;
  const sums = e.quant === "sum" || (e.quant === "count" && count > 1);
  return {
    type: { kind: e.quant === "forall" || e.quant === "exists" ? "bool" : "int" },
    value: null,
    why: notConstant("A quantifier is not a constant expression", span),
    build: (t) => {
      const code = sums ? t.arith(env.item, span, "overflow") : -1;
      let inner = body.build(t);
      for (let i = count - 1; i >= 0; i--) {
        const quant = i === count - 1 || e.quant !== "count" ? e.quant : "sum";
        inner = nest(quant, first + i, domain, inner, quant === "sum" ? code : -1);
      }
      return inner;
    },
  };
}

function nest(
  quant: "forall" | "exists" | "count" | "sum",
  local: number,
  domain: TypeOrError,
  body: IExpr,
  code: number,
): IExpr {
  if (!isFinite(domain)) return { kind: "nodeQuant", quant, local, body, code };
  const { lo, hi } = finiteBounds(domain);
  return { kind: "quant", quant, local, lo, hi, body, code };
}
