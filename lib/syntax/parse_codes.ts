/**
 * Stable diagnostic codes of the front end: VIG001-099 lexical, VIG100-199
 * syntax. Each code is one kind of error; the message of each diagnostic
 * names the specific values involved.
 *
 * @module
 */

/** The title and help text of one diagnostic code. */
export interface CodeInfo {
  readonly title: string;
  readonly help: string;
}

/**
 * Lexical (VIG0xx) and syntax (VIG1xx) codes, used by `lib/syntax/lexer.ts` and
 * `lib/parser*.ts`.
 *
 * @example Look up a code's title
 * ```ts
 * import assert from "node:assert/strict";
 * import { PARSE_CODES } from "./parse_codes.ts";
 * assert.ok(PARSE_CODES.VIG102.title === "Expected ':='");
 * ```
 */
export const PARSE_CODES = {
  VIG001: {
    title: "Unexpected character",
    help: "Only ASCII names, decimal integers, durations, '//' comments and the operators " +
      ":= == != <= >= < > = + - * / % ( ) [ ] { } , : . .. may appear in a spec. " +
      "Write 'and', 'or' and 'not' instead of '&&', '||' and '!'",
  },
  VIG002: {
    title: "Integer literal too large",
    help: "Integers are 64-bit signed: a literal is at most 9223372036854775807",
  },
  VIG003: {
    title: "Invalid duration unit",
    help: "A duration is an integer immediately followed by 'ms', 's' or 'm', e.g. '30s'",
  },
  VIG004: {
    title: "Malformed integer literal",
    help: "'_' may only separate digits, e.g. '1_000_000'",
  },
  VIG005: {
    title: "Duration too large",
    help: "A duration is at most 9007199254740991 milliseconds",
  },
  VIG101: {
    title: "Expected an expression",
    help: "An operand is missing: write a literal, a name, 'prev(x)', a parenthesized " +
      "expression, 'if', or a quantifier here",
  },
  VIG102: {
    title: "Expected ':='",
    help: "A statement in 'init' or 'action' is 'require e', 'x := e' or 'm[k] := e'",
  },
  VIG103: {
    title: "Missing spec header",
    help: "A spec file starts with 'spec Name' before any other item",
  },
  VIG104: {
    title: "Duplicate spec header",
    help: "A spec file has exactly one 'spec Name' header, its first item",
  },
  VIG105: {
    title: "Expected a name",
    help: "Names start with a letter or '_'; reserved keywords cannot be used as names",
  },
  VIG106: {
    title: "Unclosed delimiter",
    help: "Every '(' needs a matching ')' and every '[' a matching ']'",
  },
  VIG107: {
    title: "Expected a token",
    help: "The item's syntax requires this token here; see docs/language.md for each item's form",
  },
  VIG108: {
    title: "Unexpected token",
    help: "The previous item or statement is complete here; what follows must start a new " +
      "statement or item (spec const type state init action invariant global liveness)",
  },
  VIG109: {
    title: "Expected a type",
    help: "A type is a type name (bool, int or a declared type), a range 'lo..hi', " +
      "'map[K, V]', or in a 'type' item 'enum { a, b }'",
  },
  VIG110: {
    title: "Expected a duration",
    help: "'within' takes a duration: an integer immediately followed by 'ms', 's' or 'm'",
  },
  VIG111: {
    title: "Chained comparison",
    help: "Comparison operators do not associate: write 'a < b and b < c' instead of 'a < b < c'",
  },
  VIG112: {
    title: "Expected 'invariant' or 'liveness' after 'global'",
    help: "'global' starts a 'global invariant' or a 'global liveness' item",
  },
  VIG113: {
    title: "Duration in an expression",
    help: "Durations are only allowed after 'within' in a liveness item",
  },
  VIG114: {
    title: "Empty enum",
    help: "An enum needs at least one label: 'enum { a, b }'",
  },
  VIG115: {
    title: "'require' in 'init'",
    help: "'init' holds only assignments; 'require' belongs in an action",
  },
  VIG116: {
    title: "Expected 'then'",
    help: "Write 'if c then a else b', and 'when P then eventually Q' in a liveness item",
  },
  VIG117: {
    title: "Expected 'else'",
    help: "Every 'if c then a' needs an 'else' branch",
  },
  VIG118: {
    title: "Expected 'eventually'",
    help: "A liveness item reads 'when P then eventually Q'",
  },
  VIG119: {
    title: "Expression nested too deeply",
    help: "Expressions and types nest at most 200 levels (parentheses, prefix operators, " +
      "'if', quantifiers, 'implies' chains); split the expression with constants",
  },
} as const satisfies Record<string, CodeInfo>;

/** A code declared in {@link PARSE_CODES}. */
export type ParseCode = keyof typeof PARSE_CODES;
