/**
 * Types in the checker: resolving type expressions, and the compatibility
 * rules of comparisons, assignments and `if` branches.
 *
 * @module
 */
import type { Expr, TypeExpr } from "../syntax/ast.ts";
import { type CheckContext, ERROR_TYPE, type TypeOrError } from "./context.ts";
import type { FiniteType, ScalarType, Type } from "../ir.ts";
import type { Span } from "../syntax/source.ts";

/** The largest number of values of a map key type or quantifier domain. */
export const MAX_DOMAIN = 65536n;

/** What {@link resolveType} needs from the global scope. */
export interface TypeResolver {
  readonly ctx: CheckContext;
  /** The type a name denotes; reports unknown names, non-types and cycles. */
  namedType(name: string, span: Span): TypeOrError;
  /** A constant integer expression's value; reports and returns `null` when it is not one. */
  constInt(e: Expr, what: string): bigint | null;
}

/** Where a type expression appears; decides whether maps and enums are allowed. */
export type TypeSite = "state" | "param" | "domain" | "typedef" | "key" | "value";

/**
 * Resolves a type expression; reports what is not allowed at `site`.
 *
 * @example Resolve `bool`
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveType } from "./type_rules.ts";
 * import { CheckContext } from "./context.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * const source = "spec A\nstate x: 0..3 = 0\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * const item = ast!.items[0]!;
 * if (item.kind === "state") assert.ok(resolveType(item.type, g, "state").kind === "range");
 * ```
 */
export function resolveType(t: TypeExpr, r: TypeResolver, site: TypeSite): TypeOrError {
  const span = r.ctx.span(t.id);
  switch (t.kind) {
    case "named":
      return r.namedType(t.name, span);
    case "range": {
      const lo = r.constInt(t.lo, "A range bound");
      const hi = r.constInt(t.hi, "A range bound");
      if (lo === null || hi === null) return ERROR_TYPE;
      if (lo > hi) {
        r.ctx.report("VIG332", `The range '${lo}..${hi}' is empty`, span);
        return ERROR_TYPE;
      }
      return { kind: "range", lo, hi };
    }
    case "enum":
      r.ctx.report("VIG312", "An enum may only be defined by a 'type' item", span);
      return ERROR_TYPE;
    case "map":
      return resolveMap(t, r, site);
  }
}

function resolveMap(
  t: Extract<TypeExpr, { kind: "map" }>,
  r: TypeResolver,
  site: TypeSite,
): TypeOrError {
  const span = r.ctx.span(t.id);
  if (site === "key") r.ctx.report("VIG308", "A map cannot be a map key", span);
  else if (site === "value") r.ctx.report("VIG309", "A map cannot be a map value", span);
  else if (site !== "state") {
    r.ctx.report("VIG306", "A map is only allowed as the type of a state variable", span);
  }
  const key = resolveType(t.key, r, "key");
  const value = resolveType(t.value, r, "value");
  if (site !== "state") return ERROR_TYPE;
  const keySpan = r.ctx.span(t.key.id);
  if (key.kind === "int") {
    r.ctx.report("VIG307", "A map cannot be keyed by 'int': use a range, an enum or bool", keySpan);
    return ERROR_TYPE;
  }
  if (key.kind === "error" || key.kind === "map" || key.kind === "node") return ERROR_TYPE;
  if (!checkDomainSize(key, r.ctx, keySpan)) return ERROR_TYPE;
  if (value.kind === "error" || value.kind === "map" || value.kind === "node") return ERROR_TYPE;
  return { kind: "map", key, value };
}

/** Reports a finite type with more than {@link MAX_DOMAIN} values; true when it is small enough. */
export function checkDomainSize(t: FiniteType, ctx: CheckContext, span: Span): boolean {
  if (cardinality(t) <= MAX_DOMAIN) return true;
  ctx.report(
    "VIG313",
    `The type '${describeType(t)}' has ${cardinality(t)} values, more than ${MAX_DOMAIN}`,
    span,
  );
  return false;
}

/**
 * Inclusive value bounds of a finite type: bools 0..1, enums 0..n-1.
 *
 * @example Bounds of bool
 * ```ts
 * import assert from "node:assert/strict";
 * import { finiteBounds } from "./type_rules.ts";
 * assert.ok(finiteBounds({ kind: "bool" }).hi === 1n);
 * ```
 */
export function finiteBounds(t: FiniteType): { lo: bigint; hi: bigint } {
  if (t.kind === "bool") return { lo: 0n, hi: 1n };
  if (t.kind === "enum") return { lo: 0n, hi: BigInt(t.labels.length - 1) };
  return { lo: t.lo, hi: t.hi };
}

/** The number of values of a finite type. */
export function cardinality(t: FiniteType): bigint {
  const { lo, hi } = finiteBounds(t);
  return hi - lo + 1n;
}

/**
 * A type as messages spell it: `bool`, `int`, `'Client'`, `0..3`, `'Mode'`.
 *
 * @example Describe a named range
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeType } from "./type_rules.ts";
 * assert.ok(describeType({ kind: "range", lo: 0n, hi: 3n, name: "Client" }) === "Client");
 * ```
 */
export function describeType(t: TypeOrError): string {
  switch (t.kind) {
    case "range":
      return t.name ?? `${t.lo}..${t.hi}`;
    case "enum":
      return t.name;
    case "map":
      return `map[${describeType(t.key)}, ${describeType(t.value)}]`;
    case "error":
      return "?";
    default:
      return t.kind;
  }
}

/** Whether a type is `int` or a range. */
export function isIntLike(t: TypeOrError): boolean {
  return t.kind === "int" || t.kind === "range";
}

/** Whether a type is finite (a quantifier domain or map key). */
export function isFinite(t: TypeOrError): t is FiniteType {
  return t.kind === "bool" || t.kind === "range" || t.kind === "enum";
}

/** Whether `==`/`!=` may compare values of types `a` and `b`. */
export function comparable(a: TypeOrError, b: TypeOrError): boolean {
  if (a.kind === "error" || b.kind === "error") return true;
  if (isIntLike(a) && isIntLike(b)) return true;
  if (a.kind === "enum" && b.kind === "enum") return a.name === b.name;
  return (a.kind === "bool" || a.kind === "node") && a.kind === b.kind;
}

/** Whether a value of type `value` may be stored in a slot of type `target`. */
export function assignable(target: ScalarType | FiniteType, value: TypeOrError): boolean {
  if (value.kind === "error") return true;
  if (isIntLike(target)) return isIntLike(value);
  if (target.kind === "enum") return value.kind === "enum" && value.name === target.name;
  return value.kind === "bool";
}

/** The type of `if c then a else b`, or `null` when the branches are incompatible. */
export function joinTypes(a: TypeOrError, b: TypeOrError): TypeOrError | null {
  if (a.kind === "error") return b;
  if (b.kind === "error") return a;
  if (isIntLike(a) && isIntLike(b)) return sameType(a, b) ? a : { kind: "int" };
  if (a.kind === "map" || b.kind === "map") return null;
  return comparable(a, b) ? a : null;
}

function sameType(a: Type, b: Type): boolean {
  if (a.kind === "range" && b.kind === "range") return a.lo === b.lo && a.hi === b.hi;
  return a.kind === b.kind;
}
