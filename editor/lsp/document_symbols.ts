/**
 * Document symbols: the outline of a spec, the header holding its items,
 * enum types holding their labels and actions their parameters.
 *
 * @module
 */
import { type DocumentSymbol, SymbolKind } from "vscode-languageserver";
import { LineMap } from "./line_map.ts";
import type { SpecIndex, SpecSymbol, SymbolKind as VigilKind } from "./spec_index.ts";

const KINDS: Readonly<Record<VigilKind, SymbolKind>> = {
  spec: SymbolKind.Module,
  const: SymbolKind.Constant,
  type: SymbolKind.Class,
  label: SymbolKind.EnumMember,
  state: SymbolKind.Variable,
  action: SymbolKind.Function,
  param: SymbolKind.Variable,
  invariant: SymbolKind.Boolean,
  liveness: SymbolKind.Event,
  terminal: SymbolKind.Boolean,
  binder: SymbolKind.Variable,
  builtin: SymbolKind.Class,
};

/**
 * The outline of an indexed spec: one symbol for the header, holding the
 * items in source order.
 *
 * @example The outline of a small spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * import { documentSymbols } from "./document_symbols.ts";
 * const [spec] = documentSymbols(indexSpec("spec S\n  type M = enum { a, b }\n  action go(x: M)\n"));
 * assert.equal(spec?.name, "S");
 * assert.deepEqual(spec?.children?.map((c) => [c.name, c.children?.map((g) => g.name)]), [["M", ["a", "b"]], ["go", ["x"]]]);
 * ```
 */
export function documentSymbols(index: SpecIndex): DocumentSymbol[] {
  const lines = new LineMap(index.source);
  const info = index.info;
  const symbolOf = (s: SpecSymbol, children: DocumentSymbol[]): DocumentSymbol => ({
    name: s.name,
    detail: info.describe(s).signature,
    kind: s.kind === "type" && s.type !== null && s.type !== "nodes" && s.type.kind === "enum"
      ? SymbolKind.Enum
      : KINDS[s.kind],
    range: lines.range(s.span),
    selectionRange: lines.range(s.nameSpan),
    children,
  });
  const header = index.symbols.find((s) => s.kind === "spec");
  const items = index.symbols.filter((s) =>
    s.kind !== "spec" && s.kind !== "label" && s.kind !== "param" && s.kind !== "binder"
  );
  const children = items.map((s) =>
    symbolOf(
      s,
      index.symbols
        .filter((c) => (c.kind === "label" || c.kind === "param") && c.item === s.item)
        .map((c) => symbolOf(c, [])),
    )
  );
  if (header === undefined) return children;
  const whole = { start: header.span.start, end: index.source.length };
  return [{ ...symbolOf(header, children), range: lines.range(whole) }];
}
