/**
 * The parser's token cursor: lookahead, consumption, node spans and
 * diagnostics. A syntax error records a diagnostic and throws
 * {@link SyntaxAbort}, which the item loop in `parser.ts` catches before
 * skipping to the next item keyword; it never escapes `parse`. Also the
 * helpers every grammar level uses: closing a delimiter and reading a name.
 *
 * @module
 */
import type { Binder } from "./ast.ts";
import { type Diagnostic, error } from "./diagnostic.ts";
import { ITEM_KEYWORDS, type Token } from "./lexer.ts";
import type { ParseCode } from "./parse_codes.ts";
import { LineIndex, type Span, SpanTable } from "./source.ts";

/**
 * The deepest nesting of expressions and types the parser accepts (VIG119 beyond).
 *
 * @example Read the limit
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_DEPTH } from "./parser_core.ts";
 * assert.ok(MAX_DEPTH === 200);
 * ```
 */
export const MAX_DEPTH = 200;

/**
 * Thrown inside the parser after a syntax error was recorded; caught by the
 * item loop, never by callers of `parse`.
 *
 * @example Recognize an abort
 * ```ts
 * import assert from "node:assert/strict";
 * import { SyntaxAbort } from "./parser_core.ts";
 * assert.ok(new SyntaxAbort() instanceof Error);
 * ```
 */
export class SyntaxAbort extends Error {
  override readonly name = "SyntaxAbort";
}

/**
 * A position in a token list, with the span table and the diagnostics of one parse.
 *
 * @example Walk two tokens
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "./lexer.ts";
 * import { Cursor } from "./parser_core.ts";
 * const c = new Cursor("spec A", tokenize("spec A").tokens);
 * assert.ok(c.next().text === "spec" && c.tok.text === "A");
 * ```
 */
export class Cursor {
  readonly #tokens: readonly Token[];
  #pos = 0;
  readonly source: string;
  readonly spans: SpanTable = new SpanTable();
  readonly diagnostics: Diagnostic[] = [];
  #lines: LineIndex | null = null;
  #depth = 0;
  /** Statements left out after a syntax error (their item is kept without them). */
  droppedStatements = 0;

  /** `tokens` must end with an `eof` token, as `tokenize` guarantees. */
  constructor(source: string, tokens: readonly Token[]) {
    this.source = source;
    this.#tokens = tokens;
  }

  /** The current token. */
  get tok(): Token {
    return this.peek(0);
  }

  /** The token `offset` places ahead (the `eof` token past the end). */
  peek(offset: number): Token {
    const last = this.#tokens.length - 1;
    return this.#tokens[Math.min(this.#pos + offset, last)]!;
  }

  /** The last consumed token, or `null` at the start. */
  get previous(): Token | null {
    return this.#pos === 0 ? null : this.#tokens[this.#pos - 1]!;
  }

  /** The end offset of the last consumed token (0 at the start). */
  get prevEnd(): number {
    return this.previous?.span.end ?? 0;
  }

  /** Consumes and returns the current token (stays on `eof`). */
  next(): Token {
    const t = this.tok;
    if (t.kind !== "eof") this.#pos++;
    return t;
  }

  /** Whether the token `offset` ahead is the symbol `text`. */
  isSymbol(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "symbol" && t.text === text;
  }

  /** Whether the token `offset` ahead is the keyword `text`. */
  isKeyword(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === "keyword" && t.text === text;
  }

  /** Whether the current token starts an item, or is `eof`. */
  atItemBoundary(): boolean {
    const t = this.tok;
    return t.kind === "eof" || (t.kind === "keyword" && ITEM_KEYWORDS.has(t.text));
  }

  /** Consumes the symbol or keyword `text` if it is current; returns whether it did. */
  eat(text: string): boolean {
    const t = this.tok;
    if ((t.kind === "symbol" || t.kind === "keyword") && t.text === text) {
      this.next();
      return true;
    }
    return false;
  }

  /** Consumes `text` or fails with `code` and `message` + `, found <current>`. */
  expect(text: string, code: ParseCode, message: string): Token {
    const t = this.tok;
    if (!this.eat(text)) this.fail(code, `${message}, found ${describe(t)}`);
    return t;
  }

  /** Records a diagnostic at `span` (default: the current token) and continues. */
  report(code: ParseCode, message: string, span: Span = this.tok.span): void {
    this.diagnostics.push(error(code, message, span));
  }

  /** Records a diagnostic at `span` (default: the current token) and aborts the item. */
  fail(code: ParseCode, message: string, span: Span = this.tok.span): never {
    this.report(code, message, span);
    throw new SyntaxAbort(message);
  }

  /** Records a node spanning from `start` to the end of the last consumed token. */
  node(start: number): number {
    return this.spans.add({ start, end: Math.max(start, this.prevEnd) });
  }

  /**
   * The source text from `start` to the end of the last consumed token, as a
   * message quotes it: comments dropped, each run of white space (line ends
   * included, whichever they are) one space.
   */
  textFrom(start: number): string {
    return this.source.slice(start, this.prevEnd)
      .replace(/\/\/[^\r\n]*/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  }

  /** The 1-based line of an offset. */
  lineOf(offset: number): number {
    this.#lines ??= new LineIndex(this.source);
    return this.#lines.position(offset).line;
  }

  /**
   * Runs `parse` one nesting level deeper; past {@link MAX_DEPTH} levels it
   * fails with VIG119 instead of exhausting the call stack.
   */
  nested<T>(parse: () => T): T {
    if (this.#depth >= MAX_DEPTH) {
      this.fail("VIG119", `Expression nested more than ${MAX_DEPTH} levels deep`);
    }
    this.#depth++;
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  /** The index of the current token: a mark for {@link tokensSince}. */
  get mark(): number {
    return this.#pos;
  }

  /** The tokens consumed since `mark` (a value of {@link mark}). */
  tokensSince(mark: number): readonly Token[] {
    return this.#tokens.slice(mark, this.#pos);
  }

  /** Skips tokens up to the next item keyword or `eof`. */
  skipToItem(): void {
    while (!this.atItemBoundary()) this.next();
  }
}

/**
 * A token as it appears in a message: `'text'`, or `end of file`.
 *
 * @example Describe a token
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "./lexer.ts";
 * import { describe } from "./parser_core.ts";
 * assert.ok(describe(tokenize("x").tokens[0]!) === "'x'");
 * ```
 */
export function describe(t: Token): string {
  return t.kind === "eof" ? "end of file" : `'${t.text}'`;
}

/**
 * Consumes the closing delimiter of the one opened at offset `open`, or fails with VIG106.
 *
 * @example Close a parenthesis
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "./lexer.ts";
 * import { closeDelimiter, Cursor } from "./parser_core.ts";
 * const c = new Cursor("(x)", tokenize("(x)").tokens);
 * c.next();
 * c.next();
 * closeDelimiter(c, ")", 0);
 * assert.equal(c.tok.kind, "eof");
 * ```
 */
export function closeDelimiter(c: Cursor, close: string, open: number): void {
  if (c.eat(close)) return;
  const opener = c.source[open];
  c.fail(
    "VIG106",
    `Expected '${close}' to close the '${opener}' on line ${c.lineOf(open)}, found ${
      describe(c.tok)
    }`,
  );
}

/**
 * Consumes a name, or fails with VIG105 naming what it should follow.
 *
 * @example Read a name
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "./lexer.ts";
 * import { Cursor, expectName } from "./parser_core.ts";
 * assert.ok(expectName(new Cursor("x", tokenize("x").tokens), "state").name === "x");
 * ```
 */
export function expectName(c: Cursor, after: string): Binder {
  const t = c.tok;
  if (t.kind !== "name") c.fail("VIG105", `Expected a name after '${after}', found ${describe(t)}`);
  c.next();
  return { name: t.text, id: c.node(t.span.start) };
}
