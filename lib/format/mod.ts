/**
 * The formatter: one canonical layout for `.vigil` specs
 * (`docs/formatting.md`), behind `vigil fmt` and the language server's
 * formatting. It changes whitespace and line breaks only: every token is
 * kept in order (the trailing comma of an enum or a parameter list is
 * written exactly when the list is broken over lines), parentheses stay as
 * written, and every comment stays where it was. Line ends become `\n` and
 * a leading byte-order mark is dropped. Formatting twice gives the text of
 * formatting once.
 *
 * @module
 */
import type { Diagnostic } from "../syntax/diagnostic.ts";
import { tokenize } from "../syntax/lexer.ts";
import { parse } from "../syntax/parser.ts";
import type { Span } from "../syntax/source.ts";
import { sameContent } from "./content.ts";
import { render } from "./layout.ts";
import { printSpec } from "./printer.ts";
import { rangeEdits, type TextEdit } from "./range.ts";
import { gapsOf } from "./trivia.ts";

export type { TextEdit } from "./range.ts";
export type { Diagnostic, Severity } from "../syntax/diagnostic.ts";
export type { Span } from "../syntax/source.ts";

/**
 * The width the formatter fits lines in, in columns (the repository's
 * TypeScript uses the same).
 *
 * @example Lines fit in 100 columns
 * ```ts
 * import assert from "node:assert/strict";
 * import { FORMAT_WIDTH } from "./mod.ts";
 * assert.equal(FORMAT_WIDTH, 100);
 * ```
 */
export const FORMAT_WIDTH = 100;

/**
 * The formatted text, or the errors that keep a spec from being formatted
 * (lexical and syntax errors, with spans into `source` as given). A spec
 * that parses is formatted even when its names or types do not check.
 *
 * @throws {Error} When the layout would change the spec's tokens or
 * comments: a bug of the formatter, which it reports rather than write.
 *
 * @example Format a spec written on one line
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSpec } from "./mod.ts";
 * const result = formatSpec("spec Toggle state on:bool=false action flip on:=not on // flip it\r\n");
 * assert.ok("text" in result);
 * assert.equal(
 *   result.text,
 *   "spec Toggle\n  state on: bool = false\n\n  action flip\n    on := not on // flip it\n",
 * );
 * assert.deepEqual(formatSpec(result.text), result);
 * ```
 *
 * @example A spec that does not parse
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSpec } from "./mod.ts";
 * const result = formatSpec("spec A\n  state x: int = \n");
 * assert.ok("diagnostics" in result);
 * assert.deepEqual(result.diagnostics.map((d) => d.code), ["VIG101"]);
 * ```
 */
export function formatSpec(source: string): { text: string } | { diagnostics: Diagnostic[] } {
  const first = parse(source);
  const errors = first.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { diagnostics: errors };
  const text = normalizeLineEnds(source);
  const parsed = text === source ? first : parse(text);
  const stillErrors = parsed.diagnostics.filter((d) => d.severity === "error");
  if (parsed.ast === null || stillErrors.length > 0) return { diagnostics: stillErrors };
  const { tokens } = tokenize(text);
  const gaps = gapsOf(text, tokens);
  const { doc, blocks, separated } = printSpec(parsed.ast, { tokens, spans: parsed.spans });
  const out = render(doc, { tokens, gaps, blocks, separated, width: FORMAT_WIDTH });
  if (!sameContent(text, out)) {
    // A bug of the formatter, never of the spec: refuse to write rather than change the spec.
    throw new Error(
      `The formatter would change the spec's tokens or comments; it was left as it is (${text.length} characters)`,
    );
  }
  return { text: out };
}

/**
 * The edits that format the lines a range of `source` touches (offsets
 * into `source` as given, `range.end` exclusive), or the errors that keep
 * the spec from being formatted. Applied, they leave the spec's tokens and
 * comments as they were; the other lines are left as they are, unless
 * formatting the range alone would move a token across its edge, in which
 * case the edits of the whole text are given.
 *
 * @example Format one badly written item
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatRange } from "./mod.ts";
 * const source = "spec A\n  state  x:int\n  state  y:int\n";
 * const result = formatRange(source, { start: source.indexOf("y"), end: source.indexOf("y") + 1 });
 * assert.ok("edits" in result);
 * assert.deepEqual(result.edits.map((e) => e.text), ["  state y: int\n"]);
 * ```
 */
export function formatRange(
  source: string,
  range: Span,
): { edits: TextEdit[] } | { diagnostics: Diagnostic[] } {
  const result = formatSpec(source);
  if ("diagnostics" in result) return result;
  return { edits: rangeEdits(source, result.text, range) };
}

/** `\r\n` and lone `\r` to `\n`; a leading byte-order mark dropped. */
function normalizeLineEnds(source: string): string {
  return source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}
