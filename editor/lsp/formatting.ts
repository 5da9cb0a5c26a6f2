/**
 * Formatting: the whole document in the canonical layout of the formatter
 * (`lib/format/`, the same as `vigil fmt`), as one edit; or only the lines
 * a selection touches (`formatRange`), as the edits of those lines. A spec with
 * syntax errors cannot be formatted: that is a {@link FormatRefusal} naming
 * the first error, so the editor says why nothing changed.
 *
 * @module
 */
import { formatRange, formatSpec } from "../../lib/format/mod.ts";
import type { Diagnostic } from "../../lib/syntax/diagnostic.ts";
import type { Span } from "../../lib/syntax/source.ts";
import { LineMap } from "./line_map.ts";

/**
 * A document the formatter cannot format, with the reason as its message.
 *
 * @example A spec with a syntax error
 * ```ts
 * import assert from "node:assert/strict";
 * import { FormatRefusal, formatEdits } from "./formatting.ts";
 * assert.throws(() => formatEdits("spec A\n  state x: int = \n"), FormatRefusal);
 * ```
 */
export class FormatRefusal extends Error {
  override readonly name = "FormatRefusal";
}

/** One replacement of the document's text. */
export interface FormatEdit {
  /** The text replaced. */
  readonly span: Span;
  /** Its replacement. */
  readonly newText: string;
}

/**
 * The edits that put `source` in the canonical layout: none when it is
 * already, else one replacing the whole text.
 *
 * @example Format a spec written on one line, then nothing more to do
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatEdits } from "./formatting.ts";
 * const source = "spec Toggle state on: bool = false action flip on := not on\n";
 * const [edit] = formatEdits(source);
 * assert.deepEqual(edit?.span, { start: 0, end: source.length });
 * assert.deepEqual(formatEdits(edit!.newText), []);
 * ```
 */
export function formatEdits(source: string): FormatEdit[] {
  const result = formatSpec(source);
  if ("diagnostics" in result) throw refusal(source, result.diagnostics);
  if (result.text === source) return [];
  return [{ span: { start: 0, end: source.length }, newText: result.text }];
}

/**
 * The edits that put the lines `range` touches (offsets into `source`,
 * `end` exclusive) in the canonical layout, leaving the other lines as
 * they are; none when those lines already are.
 *
 * @throws {FormatRefusal} When the spec has syntax errors.
 *
 * @example Format the second item only
 * ```ts
 * import assert from "node:assert/strict";
 * import { rangeFormatEdits } from "./formatting.ts";
 * const source = "spec A\n  state  x:int\n  state  y:int\n";
 * const y = source.indexOf("y");
 * const edits = rangeFormatEdits(source, { start: y, end: y + 1 });
 * assert.deepEqual(edits.map((e) => e.newText), ["  state y: int\n"]);
 * ```
 */
export function rangeFormatEdits(source: string, range: Span): FormatEdit[] {
  const result = formatRange(source, range);
  if ("diagnostics" in result) throw refusal(source, result.diagnostics);
  return result.edits
    .filter((e) => source.slice(e.span.start, e.span.end) !== e.text)
    .map((e) => ({ span: e.span, newText: e.text }));
}

/** The refusal naming the first syntax error of `source`. */
function refusal(source: string, diagnostics: readonly Diagnostic[]): FormatRefusal {
  const first = diagnostics[0];
  const where = first === undefined
    ? ""
    : `: ${first.code} at line ${
      new LineMap(source).position(first.span.start).line + 1
    }, ${first.message}`;
  const count = diagnostics.length;
  return new FormatRefusal(
    `Cannot format a spec with ${count} syntax error${count === 1 ? "" : "s"}${where}`,
  );
}
