/**
 * Expression parsing, by recursive descent. Precedence, loosest first:
 * `if`/quantifiers (prefix, extending as far right as possible), `implies`
 * (right-associative), `or`, `and`, `not`, comparisons (non-associative),
 * `+ -`, `* / %`, unary `-`, postfix `m[k]` and `a.var`, primaries.
 *
 * @module
 */
import type { BinaryOp, Binder, Expr, Quantifier, TypeExpr } from "./ast.ts";
import { closeDelimiter, type Cursor, describe, expectName } from "./parser_core.ts";
import { parseType } from "./parser_type.ts";

const COMPARISONS: ReadonlySet<string> = new Set(["==", "!=", "<", "<=", ">", ">="]);
const ADDITIVE: ReadonlySet<string> = new Set(["+", "-"]);
const MULTIPLICATIVE: ReadonlySet<string> = new Set(["*", "/", "%"]);

/**
 * Parses one expression at the loosest precedence level.
 *
 * @example Parse an implication
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "./lexer.ts";
 * import { Cursor } from "./parser_core.ts";
 * import { parseExpr } from "./parser_expr.ts";
 * const src = "a implies b implies c";
 * const e = parseExpr(new Cursor(src, tokenize(src).tokens));
 * assert.ok(e.kind === "binary" && e.right.kind === "binary");
 * ```
 */
export function parseExpr(c: Cursor): Expr {
  return c.nested(() => {
    if (c.isKeyword("if")) return parseIf(c);
    if (c.isKeyword("forall") || c.isKeyword("exists")) return parseQuant(c);
    return parseImplies(c);
  });
}

function binary(c: Cursor, op: BinaryOp, left: Expr, right: Expr): Expr {
  const id = c.spans.add({ start: c.spans.get(left.id).start, end: c.spans.get(right.id).end });
  return { kind: "binary", id, op, left, right };
}

function parseImplies(c: Cursor): Expr {
  const left = parseOr(c);
  if (!c.eat("implies")) return left;
  return binary(c, "implies", left, c.nested(() => parseImplies(c)));
}

function parseOr(c: Cursor): Expr {
  let left = parseAnd(c);
  while (c.eat("or")) left = binary(c, "or", left, parseAnd(c));
  return left;
}

function parseAnd(c: Cursor): Expr {
  let left = parseNot(c);
  while (c.eat("and")) left = binary(c, "and", left, parseNot(c));
  return left;
}

function parseNot(c: Cursor): Expr {
  if (!c.isKeyword("not")) return parseComparison(c);
  const start = c.next().span.start;
  const operand = c.nested(() => parseNot(c));
  return { kind: "unary", id: c.node(start), op: "not", operand };
}

function parseComparison(c: Cursor): Expr {
  const left = parseAdditive(c);
  if (!isSymbolIn(c, COMPARISONS)) return left;
  const op = c.next().text as BinaryOp;
  const expr = binary(c, op, left, parseAdditive(c));
  if (isSymbolIn(c, COMPARISONS)) {
    c.fail(
      "VIG111",
      `Comparison operators do not chain: '${c.tok.text}' follows '${
        c.textFrom(c.spans.get(expr.id).start)
      }'; ` +
        "combine comparisons with 'and'",
    );
  }
  return expr;
}

/**
 * Parses `+ -` and tighter levels (the bounds of range types, and type names).
 *
 * @example Parse a sum
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "./lexer.ts";
 * import { Cursor } from "./parser_core.ts";
 * import { parseAdditive } from "./parser_expr.ts";
 * const e = parseAdditive(new Cursor("1 + 2", tokenize("1 + 2").tokens));
 * assert.ok(e.kind === "binary" && e.op === "+");
 * ```
 */
export function parseAdditive(c: Cursor): Expr {
  let left = parseMultiplicative(c);
  while (isSymbolIn(c, ADDITIVE)) {
    const op = c.next().text as BinaryOp;
    left = binary(c, op, left, parseMultiplicative(c));
  }
  return left;
}

function parseMultiplicative(c: Cursor): Expr {
  let left = parseUnary(c);
  while (isSymbolIn(c, MULTIPLICATIVE)) {
    const op = c.next().text as BinaryOp;
    left = binary(c, op, left, parseUnary(c));
  }
  return left;
}

function parseUnary(c: Cursor): Expr {
  if (!c.isSymbol("-")) return parsePostfix(c);
  const start = c.next().span.start;
  const operand = c.nested(() => parseUnary(c));
  return { kind: "unary", id: c.node(start), op: "-", operand };
}

function parsePostfix(c: Cursor): Expr {
  let e = parsePrimary(c);
  const start = c.spans.get(e.id).start;
  for (;;) {
    if (c.isSymbol("[")) {
      const open = c.next();
      const index = parseExpr(c);
      closeDelimiter(c, "]", open.span.start);
      e = { kind: "index", id: c.node(start), target: e, index };
    } else if (c.isSymbol(".")) {
      c.next();
      const name = expectName(c, ".");
      e = { kind: "field", id: c.node(start), target: e, name: name.name, nameId: name.id };
    } else {
      return e;
    }
  }
}

function parsePrimary(c: Cursor): Expr {
  const t = c.tok;
  const start = t.span.start;
  if (t.kind === "int") {
    c.next();
    return { kind: "int", id: c.node(start), value: t.value };
  }
  if (t.kind === "keyword") {
    if (t.text === "true" || t.text === "false") {
      c.next();
      return { kind: "bool", id: c.node(start), value: t.text === "true" };
    }
    if (t.text === "prev") return parsePrev(c);
    if (t.text === "if" || t.text === "forall" || t.text === "exists") return parseExpr(c);
  }
  if (t.kind === "name") {
    if (c.isSymbol(":=", 1)) missingExpr(c); // `x :=` starts the next statement
    if (isCountOrSum(c)) return parseCountSum(c);
    c.next();
    return { kind: "name", id: c.node(start), name: t.text };
  }
  if (c.isSymbol("(")) {
    c.next();
    const inner = parseExpr(c);
    closeDelimiter(c, ")", start);
    return { ...inner, id: c.node(start) };
  }
  if (t.kind === "duration") {
    c.fail("VIG113", `Duration '${t.text}' cannot be used in an expression`);
  }
  return missingExpr(c);
}

function missingExpr(c: Cursor): never {
  const after = c.previous === null ? "" : ` after '${c.previous.text}'`;
  return c.fail("VIG101", `Expected an expression${after}, found ${describe(c.tok)}`);
}

function parsePrev(c: Cursor): Expr {
  const start = c.next().span.start;
  const open = c.expect("(", "VIG107", "Expected '(' after 'prev'");
  const expr = parseExpr(c);
  closeDelimiter(c, ")", open.span.start);
  return { kind: "prev", id: c.node(start), expr };
}

function parseIf(c: Cursor): Expr {
  const start = c.next().span.start;
  const cond = parseExpr(c);
  c.expect("then", "VIG116", "Expected 'then' after the condition of 'if'");
  const then = parseExpr(c);
  c.expect("else", "VIG117", "Expected 'else' after the 'then' branch of 'if'");
  const otherwise = parseExpr(c);
  return { kind: "if", id: c.node(start), cond, then, else: otherwise };
}

/** `forall x, y: T: body`, `exists n in nodes: body`. */
function parseQuant(c: Cursor): Expr {
  const q = c.next();
  const { binders, domain } = parseBindersAndDomain(c, q.text);
  c.expect(":", "VIG107", `Expected ':' before the body of '${q.text}'`);
  const body = parseExpr(c);
  const quant = q.text as Quantifier;
  return { kind: "quant", id: c.node(q.span.start), quant, binders, domain, body };
}

/** `count(x: T: body)`, `sum(n in nodes: body)`. */
function parseCountSum(c: Cursor): Expr {
  const q = c.next();
  const open = c.next(); // "(", checked by isCountOrSum
  const { binders, domain } = parseBindersAndDomain(c, q.text);
  c.expect(":", "VIG107", `Expected ':' before the body of '${q.text}'`);
  const body = parseExpr(c);
  closeDelimiter(c, ")", open.span.start);
  const quant = q.text as Quantifier;
  return { kind: "quant", id: c.node(q.span.start), quant, binders, domain, body };
}

function parseBindersAndDomain(
  c: Cursor,
  quant: string,
): { binders: Binder[]; domain: TypeExpr | "nodes" } {
  const binders = [expectName(c, quant)];
  while (c.eat(",")) binders.push(expectName(c, ","));
  if (c.eat("in")) {
    const t = c.tok;
    if (t.kind !== "name" || t.text !== "nodes") {
      c.fail("VIG107", `Expected 'nodes' after 'in', found ${describe(t)}`);
    }
    c.next();
    return { binders, domain: "nodes" };
  }
  const names = binders.map((b) => b.name).join(", ");
  c.expect(":", "VIG107", `Expected ':' or 'in' after '${quant} ${names}'`);
  return { binders, domain: parseType(c, parseAdditive) };
}

/** Whether the current `count`/`sum` name starts a quantifier: `(` NAME (`,` NAME)* then `:` or `in`. */
function isCountOrSum(c: Cursor): boolean {
  const t = c.tok;
  if ((t.text !== "count" && t.text !== "sum") || !c.isSymbol("(", 1)) return false;
  let i = 2;
  for (;;) {
    if (c.peek(i).kind !== "name") return false;
    if (c.isSymbol(":", i + 1) || c.isKeyword("in", i + 1)) return true;
    if (!c.isSymbol(",", i + 1)) return false;
    i += 2;
  }
}

function isSymbolIn(c: Cursor, set: ReadonlySet<string>): boolean {
  return c.tok.kind === "symbol" && set.has(c.tok.text);
}
