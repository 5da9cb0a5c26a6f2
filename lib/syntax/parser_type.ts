/**
 * Type expressions: names (`bool`, `int`, declared types), ranges `lo..hi`,
 * `map[K, V]` and `enum { a, b }`. Where each form is allowed is the
 * checker's business; the parser accepts every form in every type position.
 *
 * @module
 */
import type { Binder, Expr, TypeExpr } from "./ast.ts";
import { closeDelimiter, type Cursor, describe, expectName } from "./parser_core.ts";

/**
 * Parses the bound of a range type (`lo` and `hi` in `lo..hi`): the
 * expression parser's additive level, passed in so that types and
 * expressions, each of which nests the other, live in two modules without
 * importing each other.
 */
export type BoundParser = (c: Cursor) => Expr;

/**
 * Parses a type expression, reading range bounds with `parseBound`.
 *
 * @example Parse a map type
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "./lexer.ts";
 * import { Cursor } from "./parser_core.ts";
 * import { parseAdditive } from "./parser_expr.ts";
 * import { parseType } from "./parser_type.ts";
 * const src = "map[Client, 0..9]";
 * const t = parseType(new Cursor(src, tokenize(src).tokens), parseAdditive);
 * assert.ok(t.kind === "map" && t.value.kind === "range");
 * ```
 */
export function parseType(c: Cursor, parseBound: BoundParser): TypeExpr {
  return c.nested(() => parseTypeInner(c, parseBound));
}

function parseTypeInner(c: Cursor, parseBound: BoundParser): TypeExpr {
  if (c.isKeyword("map")) return parseMap(c, parseBound);
  if (c.isKeyword("enum")) return parseEnum(c);
  const t = c.tok;
  const startsBound = t.kind === "name" || t.kind === "int" || c.isSymbol("-") ||
    c.isSymbol("(");
  if (!startsBound) {
    const after = c.previous === null ? "" : ` after '${c.previous.text}'`;
    c.fail("VIG109", `Expected a type${after}, found ${describe(t)}`);
  }
  const lo = parseBound(c);
  const start = c.spans.get(lo.id).start;
  if (c.eat("..")) {
    const hi = parseBound(c);
    return { kind: "range", id: c.node(start), lo, hi };
  }
  if (lo.kind === "name") return { kind: "named", id: lo.id, name: lo.name };
  return c.fail(
    "VIG107",
    `Expected '..' after the lower bound '${c.textFrom(start)}' of a range type, found ${
      describe(c.tok)
    }`,
  );
}

function parseMap(c: Cursor, parseBound: BoundParser): TypeExpr {
  const start = c.next().span.start;
  const open = c.expect("[", "VIG107", "Expected '[' after 'map'");
  const key = parseType(c, parseBound);
  c.expect(",", "VIG107", "Expected ',' between the key and value types of 'map'");
  const value = parseType(c, parseBound);
  closeDelimiter(c, "]", open.span.start);
  return { kind: "map", id: c.node(start), key, value };
}

function parseEnum(c: Cursor): TypeExpr {
  const start = c.next().span.start;
  c.expect("{", "VIG107", "Expected '{' after 'enum'");
  if (c.isSymbol("}")) c.fail("VIG114", "Enum has no labels");
  const labels: Binder[] = [];
  for (;;) {
    labels.push(expectName(c, labels.length === 0 ? "{" : ","));
    const hasComma = c.eat(",");
    if (c.eat("}")) break;
    if (!hasComma) {
      const last = labels[labels.length - 1]!.name;
      c.fail("VIG107", `Expected ',' or '}' after enum label '${last}', found ${describe(c.tok)}`);
    }
  }
  return { kind: "enum", id: c.node(start), labels };
}
