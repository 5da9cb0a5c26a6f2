/**
 * Go to definition and find references: the declaration of the name under
 * the cursor, and every place that names the same declaration.
 *
 * @module
 */
import type { Span } from "../../lib/syntax/source.ts";
import type { SpecIndex } from "./spec_index.ts";

/**
 * Where the name at `offset` is declared, or `null` (no name there, a
 * built-in type, or a name that names nothing).
 *
 * @example From a use to the declaration
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * import { definitionAt } from "./navigation.ts";
 * const source = "spec S\n  state n: int = 0\n  invariant Pos n >= 0\n";
 * const span = definitionAt(indexSpec(source), source.lastIndexOf("n >="));
 * assert.equal(span?.start, source.indexOf("n:"));
 * ```
 */
export function definitionAt(index: SpecIndex, offset: number): Span | null {
  const symbol = index.occurrenceAt(offset)?.symbol;
  if (symbol == null || symbol.kind === "builtin") return null;
  return symbol.nameSpan;
}

/**
 * Every place naming what the name at `offset` names, in source order; the
 * declaration only when `includeDeclaration` is set.
 *
 * @example The uses of a parameter
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * import { referencesAt } from "./navigation.ts";
 * const source = "spec S\n  state n: int = 0\n  action add(k: 0..3)\n    require k > 0\n    n := n + k\n";
 * const spans = referencesAt(indexSpec(source), source.indexOf("k:"), { includeDeclaration: false });
 * assert.deepEqual(spans.map((s) => source.slice(s.start, s.end)), ["k", "k"]);
 * ```
 */
export function referencesAt(
  index: SpecIndex,
  offset: number,
  options: { readonly includeDeclaration: boolean },
): Span[] {
  const symbol = index.occurrenceAt(offset)?.symbol;
  if (symbol == null || symbol.kind === "builtin") return [];
  return index.referencesOf(symbol)
    .filter((o) => options.includeDeclaration || !o.declaration)
    .map((o) => o.span);
}
