/**
 * Small helpers shared by the expression checkers: operand kind checks and
 * the reasons an expression is not constant.
 *
 * @module
 */
import type { CheckCode } from "./type_codes.ts";
import type { GlobalScope, Typed } from "./env.ts";
import { describeType, isIntLike } from "./type_rules.ts";
import { type Diagnostic, error } from "../syntax/diagnostic.ts";
import type { Span } from "../syntax/source.ts";

/**
 * Reports an operand of the wrong kind: `int` (ints and ranges) or `bool`.
 * Returns whether the operand is usable (an earlier error counts as usable).
 *
 * @example Require a bool
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectKind } from "./expect.ts";
 * import { constant } from "./env.ts";
 * import { CheckContext } from "./context.ts";
 * import { Globals } from "./scope.ts";
 * import { parse } from "../syntax/parser.ts";
 * const source = "spec A\nconst N = 2\ninvariant I N * 3 == 6\n";
 * const { ast, spans } = parse(source);
 * const g = new Globals(ast!, new CheckContext(source, spans));
 * assert.ok(expectKind(constant({ kind: "bool" }, 1n), "bool", { start: 0, end: 4 }, g));
 * ```
 */
export function expectKind(t: Typed, want: "int" | "bool", span: Span, g: GlobalScope): boolean {
  const k = t.type.kind;
  if (k === "error" || (want === "int" ? isIntLike(t.type) : k === "bool")) return true;
  if (k === "node") {
    g.ctx.report("VIG317", "A node variable supports only '==', '!=' and 'a.x'", span);
    return false;
  }
  const code: CheckCode = want === "int" ? "VIG301" : "VIG302";
  const what = want === "int" ? "an integer" : "a bool";
  g.ctx.report(code, `Expected ${what}, found '${describeType(t.type)}'`, span);
  return false;
}

/** The first reason among operands that do not fold (`null` if it was an error). */
export function whyNot(...parts: readonly Typed[]): Diagnostic | null {
  for (const p of parts) if (p.value === null) return p.why;
  return null;
}

/** A reason for "not a constant" pointing at `span`. */
export function notConstant(message: string, span: Span): Diagnostic {
  return error("VIG330", message, span);
}
