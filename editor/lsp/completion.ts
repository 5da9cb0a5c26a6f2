/**
 * Completion: after `a.` in a global item, the state variables; elsewhere
 * the keywords, the built-in types and every name in scope (constants,
 * types, enum labels, state variables, the enclosing action's parameters
 * and quantifier names).
 *
 * @module
 */
import { type CompletionItem, CompletionItemKind, MarkupKind } from "vscode-languageserver";
import { ITEM_KEYWORDS, KEYWORDS, tokenize } from "../../lib/syntax/lexer.ts";
import type { SpecIndex, SpecSymbol, SymbolKind } from "./spec_index.ts";
import { SymbolInfo } from "./symbol_info.ts";

/** Words special in one position only (a quantifier's start, a node domain). */
const CONTEXTUAL_WORDS: readonly string[] = ["count", "sum", "nodes"];

const KINDS: Readonly<Partial<Record<SymbolKind, CompletionItemKind>>> = {
  const: CompletionItemKind.Constant,
  type: CompletionItemKind.Class,
  label: CompletionItemKind.EnumMember,
  state: CompletionItemKind.Variable,
  param: CompletionItemKind.Variable,
  binder: CompletionItemKind.Variable,
  builtin: CompletionItemKind.Class,
};

/** `name.` then the start of a word, just before the cursor. */
const FIELD_ACCESS = /(?:^|[^A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z0-9_]*)$/;

/**
 * The completions at `offset`.
 *
 * @example State variables after `n.` in a global invariant
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * import { completionsAt } from "./completion.ts";
 * const source = "spec S\n  state mode: bool = false\n  state count: int = 0\n  global invariant One\n    forall n in nodes: n.";
 * const labels = completionsAt(indexSpec(source), source.length).map((c) => c.label);
 * assert.deepEqual(labels, ["mode", "count"]);
 * ```
 */
export function completionsAt(index: SpecIndex, offset: number): CompletionItem[] {
  const info = new SymbolInfo(index);
  const item = (symbol: SpecSymbol, kind: CompletionItemKind): CompletionItem => {
    const d = info.describe(symbol);
    const completion: CompletionItem = { label: symbol.name, kind, detail: d.signature };
    if (d.doc !== null) {
      completion.documentation = { kind: MarkupKind.Markdown, value: d.doc };
    }
    return completion;
  };
  const line = index.source.slice(lineStart(index.source, offset), offset);
  const field = FIELD_ACCESS.exec(line);
  if (field !== null) {
    if (!inGlobalItem(index.source, offset)) return [];
    return index.globals()
      .filter((s) => s.kind === "state")
      .map((s) => item(s, CompletionItemKind.Field));
  }
  const out: CompletionItem[] = [];
  const seen = new Set<string>();
  const add = (c: CompletionItem) => {
    if (seen.has(c.label)) return;
    seen.add(c.label);
    out.push(c);
  };
  for (const s of index.localsAt(offset).reverse()) add(item(s, KINDS[s.kind]!));
  for (const s of index.globals()) add(item(s, KINDS[s.kind]!));
  for (const k of [...KEYWORDS, ...CONTEXTUAL_WORDS]) {
    add({ label: k, kind: CompletionItemKind.Keyword });
  }
  return out;
}

function lineStart(source: string, offset: number): number {
  let i = offset;
  while (i > 0 && source[i - 1] !== "\n" && source[i - 1] !== "\r") i--;
  return i;
}

/**
 * Whether `offset` is inside a `global invariant` or `global liveness`
 * item: the last item keyword before it is `global`'s. Read from the
 * tokens, so it holds while the item does not parse yet.
 */
function inGlobalItem(source: string, offset: number): boolean {
  const tokens = tokenize(source.slice(0, offset)).tokens;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.kind !== "keyword" || !ITEM_KEYWORDS.has(t.text)) continue;
    if (t.text === "global") return true;
    const before = tokens[i - 1];
    return (t.text === "invariant" || t.text === "liveness") && before?.kind === "keyword" &&
      before.text === "global";
  }
  return false;
}
