/**
 * Checking the behavioural items: `init`, `action`, `invariant` and
 * `liveness` (local and global), and `terminal`. Each check returns a builder that lowers
 * the item to IR once the whole spec is known to be valid.
 *
 * @module
 */
import type { Assign, Item } from "../syntax/ast.ts";
import { type AssignBuilder, type Assigned, checkAssign } from "./assign.ts";
import { VerdictTable } from "./context.ts";
import { Env, ERROR_TYPED, type GlobalScope, type Typed } from "./env.ts";
import { expectKind } from "./expect.ts";
import { checkValue } from "./exprs.ts";
import { checkFresh } from "./quant.ts";
import { resolveType } from "./type_rules.ts";
import type { IAction, IInvariant, ILiveness, ITerminal, ScalarType } from "../ir.ts";
import type { Span } from "../syntax/source.ts";

/** Builds an item's IR, allocating its verdict codes. */
export type Builder<T> = (table: VerdictTable) => T;

function checkBool(e: Parameters<typeof checkValue>[0], g: GlobalScope, env: Env): Typed {
  const t = checkValue(e, g, env);
  return expectKind(t, "bool", g.ctx.span(e.id), g) ? t : ERROR_TYPED;
}

function checkAssigns(
  body: readonly Assign[],
  g: GlobalScope,
  env: Env,
  assigned: Assigned,
): AssignBuilder[] {
  const out: AssignBuilder[] = [];
  for (const a of body) {
    const b = checkAssign(a, g, env, assigned);
    if (b !== null) out.push(b);
  }
  return out;
}

/**
 * Checks `init`; `assigned` receives the variables (and constant map keys) it sets.
 *
 * @example Check init
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkInit } from "./items.ts";
 * import { CheckContext } from "./context.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * import { VerdictTable } from "./context.ts";
 * const source = "spec A\nstate x: int\ninit\n  x := 3\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * g.resolveAll(ast!);
 * const item = ast!.items.at(-1)!;
 * if (item.kind === "init") {
 *   const build = checkInit(item, g, new Map());
 *   assert.ok(build(new VerdictTable(g.ctx, spans.get(ast!.id), "spec A")).assigns.length === 1);
 * }
 * ```
 */
export function checkInit(
  item: Extract<Item, { kind: "init" }>,
  g: GlobalScope,
  assigned: Assigned,
): Builder<{ assigns: ReturnType<AssignBuilder>[]; locals: number }> {
  const env = new Env("init", "init");
  const assigns = checkAssigns(item.body, g, env, assigned);
  return (t) => ({ assigns: assigns.map((b) => b(t)), locals: env.maxDepth });
}

/**
 * Checks an action: parameters, requires (bool, not constant false), assignments.
 *
 * @example Check an action
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkAction } from "./items.ts";
 * import { CheckContext } from "./context.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * import { VerdictTable } from "./context.ts";
 * const source = "spec A\nstate x: int = 0\naction go(n: 0..9)\n  require x < 5\n  x := n\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * g.resolveAll(ast!);
 * const item = ast!.items.at(-1)!;
 * if (item.kind === "action") {
 *   const action = checkAction(item, g)(new VerdictTable(g.ctx, spans.get(ast!.id), "spec A"));
 *   assert.ok(action.requires[0]!.text === "require x < 5" && action.requires[0]!.code === 3);
 * }
 * ```
 */
export function checkAction(
  item: Extract<Item, { kind: "action" }>,
  g: GlobalScope,
): Builder<IAction> {
  const ctx = g.ctx;
  const env = new Env("action", `action ${item.name}`);
  const params = item.params.map((p, index) => {
    checkFresh(p.name, ctx.span(p.id), g, env);
    const type = resolveType(p.type, g, "param");
    env.bindings.push({ name: p.name, kind: "param", index, type });
    return { p, type };
  });
  const requires = item.requires.map((r) => {
    const t = checkBool(r.expr, g, env);
    if (t.value === 0n) {
      const msg = `This 'require' never holds: '${
        ctx.text(ctx.span(r.expr.id))
      }' is constant false`;
      ctx.report("VIG411", msg, ctx.span(r.expr.id));
    }
    return { r, t };
  });
  const assigns = checkAssigns(item.body, g, env, new Map());
  return (t) => ({
    name: item.name,
    params: params.map(({ p, type }) => ({
      name: p.name,
      type: type as ScalarType,
      code: t.add("bad_argument", env.item, p.name, ctx.span(p.id)),
      range: ctx.range(ctx.span(p.id)),
    })),
    requires: requires.map(({ r, t: typed }) => {
      const span = ctx.span(r.id);
      const text = ctx.text(span);
      const code = t.add("guard_failed", env.item, text, span);
      return { expr: typed.build(t), code, text, range: ctx.range(span) };
    }),
    assigns: assigns.map((b) => b(t)),
    locals: env.maxDepth,
    range: ctx.range(ctx.span(item.id)),
  });
}

/**
 * Checks a local or global invariant.
 *
 * @example Check an invariant
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkInvariant } from "./items.ts";
 * import { CheckContext } from "./context.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * import { VerdictTable } from "./context.ts";
 * const source = "spec A\nstate x: int = 0\ninvariant Up x >= prev(x)\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * g.resolveAll(ast!);
 * const item = ast!.items.at(-1)!;
 * if (item.kind === "invariant") {
 *   const inv = checkInvariant(item, g)(new VerdictTable(g.ctx, spans.get(ast!.id), "spec A"));
 *   assert.ok(inv.usesPrev && inv.code === 2);
 * }
 * ```
 */
export function checkInvariant(
  item: Extract<Item, { kind: "invariant" }>,
  g: GlobalScope,
): Builder<IInvariant> {
  const ctx = g.ctx;
  const label = `${item.global ? "global " : ""}invariant ${item.name}`;
  const env = new Env(item.global ? "global" : "invariant", label);
  const typed = checkBool(item.expr, g, env);
  return (t) => {
    const span = ctx.span(item.id);
    const code = t.add("invariant_failed", label, ctx.text(ctx.span(item.expr.id)), span);
    return {
      name: item.name,
      expr: typed.build(t),
      code,
      locals: env.maxDepth,
      usesPrev: env.usesPrev,
      range: ctx.range(span),
    };
  };
}

/**
 * Checks a local or global liveness property.
 *
 * @example Check a liveness item
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLiveness } from "./items.ts";
 * import { CheckContext } from "./context.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * import { VerdictTable } from "./context.ts";
 * const source = "spec A\nstate x: int = 0\nliveness L within 30s when x == 1 then eventually x == 0\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * g.resolveAll(ast!);
 * const item = ast!.items.at(-1)!;
 * if (item.kind === "liveness") {
 *   const l = checkLiveness(item, g)(new VerdictTable(g.ctx, spans.get(ast!.id), "spec A"));
 *   assert.ok(l.withinMs === 30000);
 * }
 * ```
 */
export function checkLiveness(
  item: Extract<Item, { kind: "liveness" }>,
  g: GlobalScope,
): Builder<ILiveness> {
  const ctx = g.ctx;
  const label = `${item.global ? "global " : ""}liveness ${item.name}`;
  const env = new Env(item.global ? "global" : "liveness", label);
  if (item.within.ms <= 0) {
    ctx.report(
      "VIG412",
      `The duration of '${label}' must be greater than zero`,
      ctx.span(item.within.id),
    );
  }
  const when = checkBool(item.when, g, env);
  const eventually = checkBool(item.eventually, g, env);
  return (t) => {
    const span = ctx.span(item.id);
    const text = (id: number) => ctx.text(ctx.span(id));
    const detail = `when ${text(item.when.id)} then eventually ${text(item.eventually.id)}`;
    const code = t.add("liveness_timeout", label, detail, span);
    return {
      name: item.name,
      withinMs: item.within.ms,
      when: when.build(t),
      eventually: eventually.build(t),
      code,
      locals: env.maxDepth,
      range: ctx.range(span),
    };
  };
}

/**
 * Checks a `terminal` item: a bool state predicate, read like a liveness
 * predicate (state variables, no `prev`, no node quantifiers). Its
 * arithmetic sites get codes in a table of its own, so a terminal item
 * leaves the program's verdict table (and the compiled module) unchanged.
 *
 * @example Check a terminal item
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTerminal } from "./items.ts";
 * import { CheckContext } from "./context.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * const source = "spec A\nstate x: 0..3 = 0\nterminal Done x == 3\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * g.resolveAll(ast!);
 * const item = ast!.items.at(-1)!;
 * if (item.kind === "terminal") {
 *   const done = checkTerminal(item, g, spans.get(ast!.id))();
 *   assert.equal(done.name, "Done");
 *   assert.equal(done.expr.kind, "cmp");
 * }
 * ```
 */
export function checkTerminal(
  item: Extract<Item, { kind: "terminal" }>,
  g: GlobalScope,
  header: Span,
): () => ITerminal {
  const ctx = g.ctx;
  const label = `terminal ${item.name}`;
  // A state predicate: what a liveness predicate may read.
  const env = new Env("liveness", label);
  const typed = checkBool(item.expr, g, env);
  return () => {
    const table = new VerdictTable(ctx, header, label);
    const expr = typed.build(table);
    return {
      name: item.name,
      expr,
      locals: env.maxDepth,
      verdicts: table.entries,
      range: ctx.range(ctx.span(item.id)),
    };
  };
}
