/**
 * Hover: what the name under the cursor declares, its type spelled out, a
 * constant's value and the declaration's doc comment, as Markdown.
 *
 * @module
 */
import { type Hover, MarkupKind } from "vscode-languageserver";
import { LineMap } from "./line_map.ts";
import type { SpecIndex } from "./spec_index.ts";

/**
 * The hover at `offset`, or `null` when no declared name is there.
 *
 * @example Hover over a constant's use
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * import { hoverAt } from "./hover.ts";
 * const source = "spec S\n  const Max = 3\n  type Client = 0..Max\n";
 * const hover = hoverAt(indexSpec(source), source.lastIndexOf("Max"));
 * const text = hover !== null && typeof hover.contents === "object" && "value" in hover.contents ? hover.contents.value : "";
 * assert.match(text, /const Max = 3/);
 * assert.match(text, /value: 3/);
 * ```
 */
export function hoverAt(index: SpecIndex, offset: number): Hover | null {
  const occurrence = index.occurrenceAt(offset);
  const symbol = occurrence?.symbol;
  if (occurrence === undefined || symbol == null) return null;
  const d = index.info.describe(symbol);
  const parts = ["```vigil\n" + d.signature + "\n```"];
  if (d.details.length > 0) parts.push(d.details.map((line) => `- ${line}`).join("\n"));
  if (d.doc !== null) parts.push(d.doc);
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join("\n\n") },
    range: new LineMap(index.source).range(occurrence.span),
  };
}
