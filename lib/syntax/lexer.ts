/**
 * The lexer: source text to tokens. Whitespace and `//` comments separate
 * tokens and are otherwise ignored (newlines are not significant; a line
 * ends at LF, CRLF or a lone CR; a leading byte-order mark is skipped). Lexical
 * errors become diagnostics (VIG001-VIG005) and lexing continues.
 *
 * @module
 */
import { type Diagnostic, error } from "./diagnostic.ts";
import { BOM, type Span } from "./source.ts";
import type { ParseCode } from "./parse_codes.ts";

/** Token kinds. `symbol` covers operators and punctuation; `eof` ends every token list. */
export type TokenKind = "int" | "duration" | "name" | "keyword" | "symbol" | "eof";

/** One token. */
export interface Token {
  readonly kind: TokenKind;
  /**
   * The source text of the token (`""` for `eof`), except that `&&`, `||`
   * and `!` (each reported as VIG001) become the keywords `and`, `or`, `not`.
   */
  readonly text: string;
  readonly span: Span;
  /** Whether no other token precedes this one on its line. */
  readonly lineStart: boolean;
  /**
   * `int`: the literal's value (0 when it was too large or malformed);
   * `duration`: milliseconds (-1 when invalid: a bad unit or too large, already
   * reported); other kinds: 0.
   */
  readonly value: bigint;
}

/**
 * Reserved keywords: never usable as names.
 *
 * @example Check a word
 * ```ts
 * import assert from "node:assert/strict";
 * import { KEYWORDS } from "./lexer.ts";
 * assert.ok(KEYWORDS.has("implies") && !KEYWORDS.has("count"));
 * ```
 */
export const KEYWORDS: ReadonlySet<string> = new Set([
  "spec",
  "const",
  "type",
  "state",
  "init",
  "action",
  "require",
  "invariant",
  "global",
  "liveness",
  "terminal",
  "within",
  "when",
  "then",
  "eventually",
  "enum",
  "map",
  "true",
  "false",
  "and",
  "or",
  "not",
  "implies",
  "if",
  "else",
  "forall",
  "exists",
  "prev",
  "in",
]);

/**
 * Keywords that start a top-level item; error recovery skips to the next one.
 *
 * @example Check an item keyword
 * ```ts
 * import assert from "node:assert/strict";
 * import { ITEM_KEYWORDS } from "./lexer.ts";
 * assert.ok(ITEM_KEYWORDS.has("global") && !ITEM_KEYWORDS.has("require"));
 * ```
 */
export const ITEM_KEYWORDS: ReadonlySet<string> = new Set([
  "spec",
  "const",
  "type",
  "state",
  "init",
  "action",
  "invariant",
  "global",
  "liveness",
  "terminal",
]);

const TWO_CHAR_SYMBOLS = new Set([":=", "==", "!=", "<=", ">=", ".."]);
const ONE_CHAR_SYMBOLS = new Set("=<>+-*/%()[]{},:.");
// Maps, not objects: a unit or a run of characters named like an Object member
// (`5constructor`) must find nothing.
const UNIT_MS: ReadonlyMap<string, bigint> = new Map([["ms", 1n], ["s", 1000n], ["m", 60000n]]);
const I64_MAX = (1n << 63n) - 1n;
const MAX_DURATION_MS = BigInt(Number.MAX_SAFE_INTEGER);

const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isNameStart = (c: string): boolean =>
  (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
const isNameChar = (c: string): boolean => isNameStart(c) || isDigit(c);
const isSpace = (c: string): boolean => c === " " || c === "\t" || c === "\n" || c === "\r";

/** What {@link tokenize} returns: the tokens (always ending with `eof`) and lexical diagnostics. */
export interface LexResult {
  readonly tokens: Token[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Splits a spec source into tokens. Never throws; every lexical error is a
 * diagnostic and the token list always ends with one `eof` token.
 *
 * @example Tokenize a state item
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "./lexer.ts";
 * const { tokens } = tokenize("state x: int = 1_000");
 * assert.ok(tokens.map((t) => t.kind).join(" ") === "keyword name symbol name symbol int eof");
 * assert.ok(tokens[5]!.value === 1000n);
 * ```
 */
export function tokenize(source: string): LexResult {
  return new Lexer(source).run();
}

class Lexer {
  readonly #src: string;
  readonly #tokens: Token[] = [];
  readonly #diagnostics: Diagnostic[] = [];
  #pos = 0;
  #lineStart = true;

  constructor(source: string) {
    this.#src = source;
  }

  run(): LexResult {
    while (this.#skipTrivia()) {
      const c = this.#src[this.#pos]!;
      if (isDigit(c)) this.#number();
      else if (isNameStart(c)) this.#name();
      else this.#symbol();
    }
    const end = this.#src.length;
    this.#push("eof", end, end, 0n);
    return { tokens: this.#tokens, diagnostics: this.#diagnostics };
  }

  /** Skips whitespace and comments; returns whether a token follows. */
  #skipTrivia(): boolean {
    const src = this.#src;
    while (this.#pos < src.length) {
      const c = src[this.#pos]!;
      if (c === "\n" || c === "\r") {
        this.#lineStart = true;
        this.#pos++;
      } else if (isSpace(c)) {
        this.#pos++;
      } else if (c === "/" && src[this.#pos + 1] === "/") {
        while (this.#pos < src.length && src[this.#pos] !== "\n" && src[this.#pos] !== "\r") {
          this.#pos++;
        }
      } else if (this.#pos === 0 && c === BOM) {
        this.#pos++;
      } else {
        return true;
      }
    }
    return false;
  }

  #push(kind: TokenKind, start: number, end: number, value: bigint): void {
    const text = this.#src.slice(start, end);
    this.#tokens.push({ kind, text, span: { start, end }, lineStart: this.#lineStart, value });
    this.#lineStart = false;
    this.#pos = end;
  }

  #report(code: ParseCode, message: string, start: number, end: number): void {
    this.#diagnostics.push(error(code, message, { start, end }));
  }

  #name(): void {
    const start = this.#pos;
    let end = start + 1;
    while (end < this.#src.length && isNameChar(this.#src[end]!)) end++;
    const kind = KEYWORDS.has(this.#src.slice(start, end)) ? "keyword" : "name";
    this.#push(kind, start, end, 0n);
  }

  /** An integer, or a duration when letters follow the digits immediately. */
  #number(): void {
    const src = this.#src;
    const start = this.#pos;
    let end = start;
    while (end < src.length && (isDigit(src[end]!) || src[end] === "_")) end++;
    const digits = src.slice(start, end);
    let value = this.#intValue(digits, start, end);
    let unitEnd = end;
    while (unitEnd < src.length && isNameChar(src[unitEnd]!)) unitEnd++;
    if (unitEnd === end) {
      this.#push("int", start, end, value);
      return;
    }
    const unit = src.slice(end, unitEnd);
    const scale = UNIT_MS.get(unit);
    if (scale === undefined) {
      this.#report(
        "VIG003",
        `Invalid duration unit '${unit}' in '${digits}${unit}', expected 'ms', 's' or 'm'`,
        start,
        unitEnd,
      );
      value = -1n;
    } else if (value * scale > MAX_DURATION_MS) {
      this.#report("VIG005", `Duration '${digits}${unit}' is too large`, start, unitEnd);
      value = -1n;
    } else {
      value *= scale;
    }
    this.#push("duration", start, unitEnd, value);
  }

  #intValue(digits: string, start: number, end: number): bigint {
    if (digits.endsWith("_") || digits.includes("__")) {
      this.#report(
        "VIG004",
        `Malformed integer literal '${digits}': '_' must stand between digits`,
        start,
        end,
      );
      return 0n;
    }
    const value = BigInt(digits.replaceAll("_", ""));
    if (value > I64_MAX) {
      this.#report(
        "VIG002",
        `Integer literal '${digits}' is too large for a 64-bit integer`,
        start,
        end,
      );
      return 0n;
    }
    return value;
  }

  #symbol(): void {
    const src = this.#src;
    const start = this.#pos;
    const two = src.slice(start, start + 2);
    if (TWO_CHAR_SYMBOLS.has(two)) return this.#push("symbol", start, start + 2, 0n);
    if (ONE_CHAR_SYMBOLS.has(src[start]!)) return this.#push("symbol", start, start + 1, 0n);
    // A run of unexpected characters is one diagnostic.
    let end = start + 1;
    while (end < src.length && !this.#startsToken(end)) end++;
    const bad = src.slice(start, end);
    const what = end - start === 1 ? "character" : "characters";
    const keyword = HINTS.get(bad);
    if (keyword === undefined) {
      this.#report("VIG001", `Unexpected ${what} '${bad}'`, start, end);
      this.#pos = end;
      return;
    }
    // Stand in the keyword the writer meant, so parsing continues without cascades.
    this.#report("VIG001", `Unexpected ${what} '${bad}'; write '${keyword}'`, start, end);
    this.#tokens.push({
      kind: "keyword",
      text: keyword,
      span: { start, end },
      lineStart: this.#lineStart,
      value: 0n,
    });
    this.#lineStart = false;
    this.#pos = end;
  }

  #startsToken(at: number): boolean {
    const c = this.#src[at]!;
    return isSpace(c) || isNameChar(c) || ONE_CHAR_SYMBOLS.has(c) ||
      TWO_CHAR_SYMBOLS.has(this.#src.slice(at, at + 2));
  }
}

const HINTS: ReadonlyMap<string, string> = new Map([
  ["&&", "and"],
  ["||", "or"],
  ["!", "not"],
]);
