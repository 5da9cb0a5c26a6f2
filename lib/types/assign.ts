/**
 * Checking assignments (`x := e`, `m[k] := e`) in `init` and actions: the
 * target, the value's type, and the one-assignment-per-variable rule.
 *
 * @module
 */
import type { Assign } from "../syntax/ast.ts";
import { checkKey, keyFits } from "./access.ts";
import type { VerdictTable } from "./context.ts";
import type { Env, GlobalScope, MapRef, Typed } from "./env.ts";
import { checkExpr, checkValue } from "./exprs.ts";
import { assignable, describeType, finiteBounds, isFinite } from "./type_rules.ts";
import type { IAssign, StateVar } from "../ir.ts";
import { suggestion } from "./suggest.ts";
import type { Span } from "../syntax/source.ts";

/** Keys assigned so far per variable index (`null` for a non-constant key or a scalar). */
export type Assigned = Map<number, (bigint | null)[]>;

/** Builds the IR of one checked assignment. */
export type AssignBuilder = (table: VerdictTable) => IAssign;

const NOT_ASSIGNABLE: Record<string, string> = {
  builtin: "built-in type",
  const: "constant",
  type: "type",
  label: "enum label",
};

function targetOf(a: Assign, g: GlobalScope, env: Env): { index: number; v: StateVar } | null {
  const span = g.ctx.span(a.targetId);
  const b = env.binding(a.target);
  if (b !== undefined) {
    g.ctx.report("VIG403", `Cannot assign to parameter '${a.target}'`, span);
    return null;
  }
  const d = g.lookup(a.target);
  if (d === undefined) {
    if (g.abandoned(a.target)) return null;
    const hint = suggestion(a.target, g.names(["state"]));
    g.ctx.report("VIG203", `Unknown state variable '${a.target}'${hint}`, span);
    return null;
  }
  if (d.kind !== "state") {
    g.ctx.report("VIG403", `Cannot assign to ${NOT_ASSIGNABLE[d.kind]} '${a.target}'`, span);
    return null;
  }
  const v = g.stateVar(d.index);
  return v === null ? null : { index: d.index, v };
}

/**
 * Checks one assignment and records it in `assigned`; returns its IR builder,
 * or `null` after reporting.
 *
 * @example Check an assignment
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkAssign } from "./assign.ts";
 * import { CheckContext } from "./context.ts";
 * import { Env } from "./env.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * const source = "spec A\nstate x: int = 0\naction go\n  x := x + 1\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * g.resolveAll(ast!);
 * const item = ast!.items.at(-1)!;
 * const assigned = new Map<number, (bigint | null)[]>();
 * if (item.kind === "action") checkAssign(item.body[0]!, g, new Env("action", "action go"), assigned);
 * assert.ok(assigned.has(0));
 * ```
 */
export function checkAssign(
  a: Assign,
  g: GlobalScope,
  env: Env,
  assigned: Assigned,
): AssignBuilder | null {
  const target = targetOf(a, g, env);
  const key = a.index === null ? null : checkKey(a.index, g, env, checkExpr);
  const value = checkValue(a.value, g, env);
  if (target === null) return null;
  const { index, v } = target;
  const span = g.ctx.span(a.targetId);
  if (v.type.kind === "map") {
    if (key === null || a.index === null) {
      const msg = `The map '${v.name}' is assigned one entry at a time: '${v.name}[k] := e'`;
      g.ctx.report("VIG318", msg, span);
      return null;
    }
    const map: MapRef = {
      name: v.name,
      base: v.base,
      size: v.size,
      keyType: v.type.key,
      prev: false,
      node: null,
    };
    if (!keyFits(map, key, a.index, g) || !firstForKey(index, v, key.value, span, g, assigned)) {
      return null;
    }
  } else if (a.index !== null) {
    const msg = `Only a map can be indexed; '${v.name}' is '${describeType(v.type)}'`;
    g.ctx.report("VIG314", msg, span);
    return null;
  } else if (assigned.has(index)) {
    g.ctx.report("VIG404", `'${v.name}' is assigned more than once in '${env.item}'`, span);
    return null;
  } else {
    assigned.set(index, [null]);
  }
  const scalar = v.type.kind === "map" ? v.type.value : v.type;
  if (!assignable(scalar, value.type)) {
    const msg = `Cannot assign '${describeType(value.type)}' to '${v.name}' of type '${
      describeType(scalar)
    }'`;
    g.ctx.report("VIG305", msg, g.ctx.span(a.value.id));
    return null;
  }
  return builder(a, index, v, key, value, g, env);
}

/** Records a map entry assignment; reports it when the map was assigned with a non-distinct key. */
function firstForKey(
  index: number,
  v: StateVar,
  key: bigint | null,
  span: Span,
  g: GlobalScope,
  assigned: Assigned,
): boolean {
  const keys = assigned.get(index) ?? [];
  const clash = keys.length > 0 && (key === null || keys.some((k) => k === null || k === key));
  if (clash) {
    const why = key !== null && keys.includes(key)
      ? `twice with key ${key}`
      : "more than once, and not every key is a distinct constant";
    g.ctx.report("VIG405", `The map '${v.name}' is assigned ${why}`, span);
    return false;
  }
  keys.push(key);
  assigned.set(index, keys);
  return true;
}

function builder(
  a: Assign,
  varIndex: number,
  v: StateVar,
  key: Typed | null,
  value: Typed,
  g: GlobalScope,
  env: Env,
): AssignBuilder {
  const ctx = g.ctx;
  const span = ctx.span(a.id);
  const scalar = v.type.kind === "map" ? v.type.value : v.type;
  const bounds = isFinite(scalar) ? finiteBounds(scalar) : null;
  const keySpan = a.index === null
    ? null
    : entrySpan(ctx.span(a.targetId), ctx.span(a.index.id), ctx.source);
  const detail = keySpan === null ? v.name : ctx.text(keySpan);
  return (t) => {
    const rangeCode = scalar.kind === "range"
      ? t.add("range_violation", env.item, detail, span)
      : -1;
    let keyCode = -1;
    if (keySpan !== null && v.type.kind === "map") {
      const what = `${detail}: key out of '${describeType(v.type.key)}'`;
      keyCode = t.add("arith_error", env.item, what, keySpan);
    }
    return {
      varIndex,
      slot: v.base,
      key: key === null ? null : key.build(t),
      keyCode,
      value: value.build(t),
      rangeCode,
      bounds,
      range: ctx.range(span),
    };
  };
}

/** The span of `m[k]` from the target name through the closing bracket. */
function entrySpan(target: Span, index: Span, source: string): Span {
  const close = source.indexOf("]", index.end);
  return { start: target.start, end: close < 0 ? index.end : close + 1 };
}
