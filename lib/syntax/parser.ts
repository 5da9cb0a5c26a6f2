/**
 * The parser: spec source to {@link SpecAst}. Keyword-led and
 * newline-insensitive: an item starts with an item keyword and runs to the
 * next one. A syntax error inside an item is recorded and the parser skips
 * to the next item keyword, so one parse reports every independent error.
 * `parse` never throws and always terminates.
 *
 * @module
 */
import type { Assign, Binder, Expr, Item, Param, Require, SpecAst } from "./ast.ts";
import { sortDiagnostics } from "./diagnostic.ts";
import { type Token, tokenize } from "./lexer.ts";
import { closeDelimiter, Cursor, describe, expectName, SyntaxAbort } from "./parser_core.ts";
import { parseAdditive, parseExpr } from "./parser_expr.ts";
import { parseType } from "./parser_type.ts";
import type { ParseResult } from "./ast.ts";

/**
 * Parses a spec. Diagnostics (lexical and syntax, sorted by position) are
 * all collected; `ast` is `null` when no named `spec` header was found.
 *
 * @example Parse a small spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { parse } from "./parser.ts";
 * const { ast, diagnostics } = parse("spec Toggle\nstate on: bool = false\naction flip\n  on := not on\n");
 * assert.ok(diagnostics.length === 0 && ast?.name === "Toggle" && ast.items.length === 2);
 * ```
 */
export function parse(source: string): ParseResult {
  const lexed = tokenize(source);
  const c = new Cursor(source, lexed.tokens);
  const header = parseHeader(c);
  const items: Item[] = [];
  const abandoned = { names: [] as string[], init: false };
  while (c.tok.kind !== "eof") {
    if (c.isKeyword("spec")) {
      duplicateHeader(c, header);
      continue;
    }
    const mark = c.mark;
    const count = items.length;
    const dropped = c.droppedStatements;
    try {
      items.push(parseItem(c));
      // An init that lost a statement may have initialized more than the tree shows.
      if (items.at(-1)?.kind === "init" && c.droppedStatements > dropped) abandoned.init = true;
      if (!c.atItemBoundary()) {
        c.fail("VIG108", `Unexpected ${describe(c.tok)} after ${describeItem(items.at(-1)!)}`);
      }
    } catch (e) {
      if (!(e instanceof SyntaxAbort)) throw e;
      // An item followed by stray tokens may have been cut short: it is abandoned too.
      items.length = count;
      noteAbandoned(c.tokensSince(mark), abandoned);
      c.skipToItem();
    }
  }
  const ast: SpecAst | null = header === null ? null : { ...header, items };
  const diagnostics = sortDiagnostics([...lexed.diagnostics, ...c.diagnostics]);
  return { ast, spans: c.spans, diagnostics, abandoned };
}

/**
 * Remembers what an item abandoned after a syntax error declared (from the
 * tokens read before the error): its name for `const`, `type` and `state`,
 * the enum labels read, and an abandoned `init`.
 */
function noteAbandoned(
  tokens: readonly Token[],
  abandoned: { names: string[]; init: boolean },
): void {
  const keyword = tokens[0]?.text;
  if (keyword === "init") abandoned.init = true;
  if (keyword !== "const" && keyword !== "type" && keyword !== "state") return;
  const name = tokens[1];
  if (name?.kind === "name") abandoned.names.push(name.text);
  if (keyword !== "type") return;
  tokens.forEach((t, i) => {
    const before = tokens[i - 1];
    if (i > 2 && t.kind === "name" && (before?.text === "{" || before?.text === ",")) {
      abandoned.names.push(t.text);
    }
  });
}

type Header = { readonly name: string; readonly nameId: number; readonly id: number };

/** `spec Name` as the first item, or a VIG103 diagnostic. */
function parseHeader(c: Cursor): Header | null {
  if (!c.isKeyword("spec")) {
    c.report("VIG103", `Expected 'spec Name' at the start of the file, found ${describe(c.tok)}`);
    c.skipToItem();
    return null;
  }
  try {
    const start = c.next().span.start;
    const name = expectName(c, "spec");
    const header = { name: name.name, nameId: name.id, id: c.node(start) };
    if (!c.atItemBoundary()) {
      c.fail("VIG108", `Unexpected ${describe(c.tok)} after 'spec ${name.name}'`);
    }
    return header;
  } catch (e) {
    if (!(e instanceof SyntaxAbort)) throw e;
    c.skipToItem();
    return null;
  }
}

/**
 * A later `spec`: VIG104 when a header was parsed. Without one, the missing
 * or malformed header was already reported at the start of the file.
 */
function duplicateHeader(c: Cursor, header: Header | null): void {
  const t = c.next();
  if (header !== null) {
    const name = c.tok.kind === "name" ? ` '${c.tok.text}'` : "";
    const message = `Duplicate spec header${name}; the spec is already named '${header.name}'`;
    c.report("VIG104", message, t.span);
  }
  c.skipToItem();
}

function describeItem(item: Item): string {
  return item.kind === "init" ? "'init'" : `${item.kind} '${item.name}'`;
}

/** Parses one item; the current token is an item keyword other than `spec`. */
function parseItem(c: Cursor): Item {
  const t = c.next();
  const start = t.span.start;
  switch (t.text) {
    case "const": {
      const name = expectName(c, "const");
      c.expect("=", "VIG107", `Expected '=' after const '${name.name}'`);
      const value = parseExpr(c);
      return { kind: "const", id: c.node(start), name: name.name, nameId: name.id, value };
    }
    case "type": {
      const name = expectName(c, "type");
      c.expect("=", "VIG107", `Expected '=' after type '${name.name}'`);
      const def = parseType(c, parseAdditive);
      return { kind: "type", id: c.node(start), name: name.name, nameId: name.id, def };
    }
    case "state":
      return parseState(c, start);
    case "init": {
      const { body } = parseStatements(c, null);
      return { kind: "init", id: c.node(start), body };
    }
    case "action":
      return parseAction(c, start);
    case "global":
      return parseGlobal(c, start);
    case "terminal":
      return parseTerminal(c, start);
    default:
      return t.text === "invariant"
        ? parseInvariant(c, start, false)
        : parseLiveness(c, start, false);
  }
}

function parseState(c: Cursor, start: number): Item {
  const name = expectName(c, "state");
  c.expect(":", "VIG107", `Expected ':' after state '${name.name}'`);
  const type = parseType(c, parseAdditive);
  const init = c.eat("=") ? parseExpr(c) : null;
  return { kind: "state", id: c.node(start), name: name.name, nameId: name.id, type, init };
}

function parseGlobal(c: Cursor, start: number): Item {
  if (c.eat("invariant")) return parseInvariant(c, start, true);
  if (c.eat("liveness")) return parseLiveness(c, start, true);
  return c.fail(
    "VIG112",
    `Expected 'invariant' or 'liveness' after 'global', found ${describe(c.tok)}`,
  );
}

/** Symbols that can only continue an expression: after them the item's name was missing. */
const CONTINUES_EXPR: ReadonlySet<string> = new Set(
  ["==", "!=", "<", "<=", ">", ">=", "+", "*", "/", "%", "[", ".", "and", "or", "implies"],
);

/** `Name expr` after `invariant` or `terminal`: the name, then the predicate. */
function parseNamedPredicate(
  c: Cursor,
  keyword: "invariant" | "terminal",
): { name: Binder; expr: Expr } {
  const next = c.peek(1);
  if (c.tok.kind === "name" && next.kind !== "eof" && CONTINUES_EXPR.has(next.text)) {
    c.fail(
      "VIG105",
      `Expected a name after '${keyword}' before its expression, found '${c.tok.text}'`,
    );
  }
  const name = expectName(c, keyword);
  return { name, expr: parseExpr(c) };
}

function parseInvariant(c: Cursor, start: number, global: boolean): Item {
  const { name, expr } = parseNamedPredicate(c, "invariant");
  return { kind: "invariant", id: c.node(start), name: name.name, nameId: name.id, global, expr };
}

function parseTerminal(c: Cursor, start: number): Item {
  const { name, expr } = parseNamedPredicate(c, "terminal");
  return { kind: "terminal", id: c.node(start), name: name.name, nameId: name.id, expr };
}

function parseLiveness(c: Cursor, start: number, global: boolean): Item {
  const name = expectName(c, "liveness");
  c.expect("within", "VIG107", `Expected 'within' after liveness '${name.name}'`);
  const d = c.tok;
  if (d.kind !== "duration") {
    const hint = d.kind === "int" ? `; add a unit, e.g. '${d.text}s'` : "";
    c.fail("VIG110", `Expected a duration after 'within', found ${describe(d)}${hint}`);
  }
  c.next();
  // An invalid duration was reported by the lexer: the item is abandoned, not checked with it.
  if (d.value < 0n) throw new SyntaxAbort(`Invalid duration '${d.text}'`);
  const within = { id: c.node(d.span.start), ms: Number(d.value) };
  c.expect("when", "VIG107", `Expected 'when' after 'within ${d.text}'`);
  const when = parseExpr(c);
  c.expect(
    "then",
    "VIG116",
    `Expected 'then' after the 'when' condition of liveness '${name.name}'`,
  );
  c.expect("eventually", "VIG118", `Expected 'eventually' after 'then' in liveness '${name.name}'`);
  const eventually = parseExpr(c);
  return {
    kind: "liveness",
    id: c.node(start),
    name: name.name,
    nameId: name.id,
    global,
    within,
    when,
    eventually,
  };
}

function parseAction(c: Cursor, start: number): Item {
  const name = expectName(c, "action");
  const params = c.isSymbol("(") ? parseParams(c, name.name) : [];
  const { requires, body } = parseStatements(c, name.name);
  return {
    kind: "action",
    id: c.node(start),
    name: name.name,
    nameId: name.id,
    params,
    requires,
    body,
  };
}

function parseParams(c: Cursor, action: string): Param[] {
  const open = c.next();
  const params: Param[] = [];
  while (!c.isSymbol(")")) {
    const p = expectName(c, params.length === 0 ? "(" : ",");
    c.expect(":", "VIG107", `Expected ':' after parameter '${p.name}'`);
    params.push({ name: p.name, id: p.id, type: parseType(c, parseAdditive) });
    if (!c.eat(",")) break;
  }
  if (!c.isSymbol(")")) {
    const line = c.lineOf(open.span.start);
    c.fail(
      "VIG106",
      `Expected ',' or ')' in the parameters of action '${action}' (opened on line ${line}), found ${
        describe(c.tok)
      }`,
    );
  }
  closeDelimiter(c, ")", open.span.start);
  return params;
}

/**
 * Statements of an action (`action` names it) or of `init` (`action` is
 * `null`): `require e`, `x := e`, `m[k] := e`, up to the next item.
 */
function parseStatements(
  c: Cursor,
  action: string | null,
): { requires: Require[]; body: Assign[] } {
  const requires: Require[] = [];
  const body: Assign[] = [];
  while (!c.atItemBoundary()) {
    const start = c.mark;
    try {
      parseStatement(c, action, requires, body);
    } catch (e) {
      if (!(e instanceof SyntaxAbort)) throw e;
      // The broken statement is left out; the item goes on from the next statement (which may
      // be where the error was found: an expression cut short by the end of its line).
      c.droppedStatements++;
      if (c.mark === start) c.next();
      skipToStatement(c);
    }
  }
  return { requires, body };
}

/** One `require e`, `x := e` or `m[k] := e`, appended to `requires` or `body`. */
function parseStatement(
  c: Cursor,
  action: string | null,
  requires: Require[],
  body: Assign[],
): void {
  const t = c.tok;
  if (t.kind === "keyword" && t.text === "require") {
    c.next();
    const expr = parseExpr(c);
    const req: Require = { kind: "require", id: c.node(t.span.start), expr };
    if (action === null) {
      c.report("VIG115", "'require' is not allowed in 'init'", c.spans.get(req.id));
    }
    requires.push(req);
  } else if (t.kind === "name") {
    body.push(parseAssign(c));
  } else {
    const where = action === null ? "'init'" : `action '${action}'`;
    c.fail(
      "VIG108",
      `Unexpected ${describe(t)} in ${where}; expected 'require', an assignment or a new item`,
    );
  }
}

/**
 * Skips past a broken statement: to the next token that starts a line and a
 * statement (`require`, or a name followed by `:=` or `[`), or to the next item.
 */
function skipToStatement(c: Cursor): void {
  while (!c.atItemBoundary()) {
    const t = c.tok;
    const starts = (t.kind === "keyword" && t.text === "require") ||
      (t.kind === "name" && (c.isSymbol(":=", 1) || c.isSymbol("[", 1)));
    if (t.lineStart && starts) return;
    c.next();
  }
}

function parseAssign(c: Cursor): Assign {
  const t = c.next();
  const start = t.span.start;
  const targetId = c.node(start);
  let index: Expr | null = null;
  if (c.isSymbol("[")) {
    const open = c.next();
    index = parseExpr(c);
    closeDelimiter(c, "]", open.span.start);
  }
  c.expect(":=", "VIG102", `Expected ':=' after '${c.textFrom(start)}'`);
  const value = parseExpr(c);
  return { kind: "assign", id: c.node(start), target: t.text, targetId, index, value };
}
