/**
 * Checking state access forms: `prev(e)`, map entries `m[k]` and node
 * fields `a.x`.
 *
 * @module
 */
import type { Expr } from "../syntax/ast.ts";
import { type Env, ERROR_TYPED, type GlobalScope, type MapRef, type Typed } from "./env.ts";
import { assignable, describeType } from "./type_rules.ts";
import type { IExpr } from "../ir.ts";
import { suggestion } from "./suggest.ts";

/** The expression checker, passed in to keep the modules acyclic. */
export type CheckFn = (e: Expr, g: GlobalScope, env: Env) => Typed;

/**
 * Checks `prev(e)`: only in local invariants, not nested.
 *
 * @example Check prev
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPrev } from "./access.ts";
 * import { checkExpr } from "./exprs.ts";
 * import { CheckContext } from "./context.ts";
 * import { Env } from "./env.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * const source = "spec A\ntype K = 0..1\nstate m: map[K, int] = 0\ninvariant I prev(m[0]) <= m[0]\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * g.resolveAll(ast!);
 * const item = ast!.items.at(-1)!;
 * const env = new Env("invariant", "invariant I");
 * if (item.kind === "invariant" && item.expr.kind === "binary" && item.expr.left.kind === "prev") {
 *   assert.ok(checkPrev(item.expr.left, g, env, checkExpr).type.kind === "int" && env.usesPrev);
 * }
 * ```
 */
export function checkPrev(
  e: Extract<Expr, { kind: "prev" }>,
  g: GlobalScope,
  env: Env,
  check: CheckFn,
): Typed {
  const span = g.ctx.span(e.id);
  let ok = true;
  if (env.inPrev) {
    g.ctx.report("VIG402", "'prev' cannot be nested inside 'prev'", span);
    ok = false;
  } else if (env.mode !== "invariant") {
    const where = env.mode === "global" ? "a global item" : `'${env.item}'`;
    g.ctx.report("VIG401", `'prev' is only allowed in local invariants, not in ${where}`, span);
    ok = false;
  }
  const outer = env.inPrev;
  env.inPrev = true;
  const inner = check(e.expr, g, env);
  env.inPrev = outer;
  env.usesPrev = true;
  return ok ? inner : ERROR_TYPED;
}

/**
 * Checks a map entry read `m[k]` (also `a.m[k]` and `prev(m)[k]`).
 *
 * @example Check an entry read
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkIndex } from "./access.ts";
 * import { checkExpr } from "./exprs.ts";
 * import { CheckContext } from "./context.ts";
 * import { Env } from "./env.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * const source = "spec A\ntype K = 0..1\nstate m: map[K, int] = 0\ninvariant I m[1] >= 0\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * g.resolveAll(ast!);
 * const item = ast!.items.at(-1)!;
 * const env = new Env("invariant", "invariant I");
 * if (item.kind === "invariant" && item.expr.kind === "binary" && item.expr.left.kind === "index") {
 *   assert.ok(checkIndex(item.expr.left, g, env, checkExpr).type.kind === "int");
 * }
 * ```
 */
export function checkIndex(
  e: Extract<Expr, { kind: "index" }>,
  g: GlobalScope,
  env: Env,
  check: CheckFn,
): Typed {
  const target = check(e.target, g, env);
  const key = checkKey(e.index, g, env, check);
  if (target.type.kind === "error") return ERROR_TYPED;
  const map = target.map;
  if (target.type.kind !== "map" || map === undefined) {
    g.ctx.report(
      "VIG314",
      `Only a map can be indexed; this is '${describeType(target.type)}'`,
      g.ctx.span(e.target.id),
    );
    return ERROR_TYPED;
  }
  if (!keyFits(map, key, e.index, g)) return ERROR_TYPED;
  const span = g.ctx.span(e.id);
  const what = `key out of '${describeType(map.keyType)}'`;
  return {
    type: target.type.value,
    value: null,
    why: target.why,
    build: (t) => {
      const code = t.arith(env.item, span, what);
      return mapRead(map, key.build(t), code);
    },
  };
}

/** Checks a map key expression: a value, not a whole map. */
export function checkKey(e: Expr, g: GlobalScope, env: Env, check: CheckFn): Typed {
  const key = check(e, g, env);
  if (key.type.kind !== "map") return key;
  g.ctx.report("VIG315", `A whole map cannot be a key`, g.ctx.span(e.id));
  return ERROR_TYPED;
}

/** Reports a key whose type does not fit the map's key type. */
export function keyFits(map: MapRef, key: Typed, e: Expr, g: GlobalScope): boolean {
  if (assignable(map.keyType, key.type)) return true;
  g.ctx.report(
    "VIG316",
    `The map '${map.name}' is keyed by '${describeType(map.keyType)}', not '${
      describeType(key.type)
    }'`,
    g.ctx.span(e.id),
  );
  return false;
}

function mapRead(map: MapRef, key: IExpr, code: number): IExpr {
  const keyLo = map.keyType.kind === "range" ? map.keyType.lo : 0n;
  if (map.node !== null) {
    return { kind: "nodeMap", node: map.node, base: map.base, keyLo, size: map.size, key, code };
  }
  return { kind: "map", base: map.base, keyLo, size: map.size, key, prev: map.prev, code };
}

/**
 * Checks `a.x`: `a` bound over `nodes`, `x` a state variable.
 *
 * @example Check a node field
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkField } from "./access.ts";
 * import { CheckContext } from "./context.ts";
 * import { Env } from "./env.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * import { checkValue } from "./exprs.ts";
 * const source = "spec A\nstate x: int = 0\nglobal invariant G forall a in nodes: a.x >= 0\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * g.resolveAll(ast!);
 * const item = ast!.items.at(-1)!;
 * // checkValue reaches checkField for `a.x` inside the quantifier.
 * if (item.kind === "invariant") {
 *   assert.ok(checkValue(item.expr, g, new Env("global", "global invariant G")).type.kind === "bool");
 * }
 * ```
 */
export function checkField(
  e: Extract<Expr, { kind: "field" }>,
  g: GlobalScope,
  env: Env,
): Typed {
  const node = nodeOf(e.target, g, env);
  const d = g.lookup(e.name);
  const nameSpan = g.ctx.span(e.nameId);
  if (d === undefined || d.kind !== "state") {
    const hint = suggestion(e.name, g.names(["state"]));
    g.ctx.report("VIG209", `'${e.name}' is not a state variable${hint}`, nameSpan);
    return ERROR_TYPED;
  }
  const v = g.stateVar(d.index);
  if (node === null || v === null) return ERROR_TYPED;
  const why = null;
  if (v.type.kind === "map") {
    const map = {
      name: e.name,
      base: v.base,
      size: v.size,
      keyType: v.type.key,
      prev: false,
      node,
    };
    return { type: v.type, value: null, why, build: ERROR_TYPED.build, map };
  }
  return {
    type: v.type,
    value: null,
    why,
    build: () => ({ kind: "nodeSlot", node, slot: v.base }),
  };
}

/** The frame index of the node variable `e` names, or `null` after reporting. */
function nodeOf(e: Expr, g: GlobalScope, env: Env): number | null {
  const span = g.ctx.span(e.id);
  if (e.kind === "name") {
    const b = env.binding(e.name);
    if (b !== undefined && b.type.kind === "node") return b.index;
    if (b === undefined && g.lookup(e.name) === undefined) {
      if (!g.abandoned(e.name)) g.ctx.report("VIG202", `Unknown name '${e.name}'`, span);
      return null;
    }
  }
  g.ctx.report(
    "VIG210",
    "Only a variable bound over 'nodes' has fields, e.g. 'forall n in nodes: n.x'",
    span,
  );
  return null;
}
