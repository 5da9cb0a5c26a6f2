/**
 * Completion: after `a.` in a global item, the state variables; elsewhere
 * the keywords, the built-in types and every name in scope (constants,
 * types, enum labels, state variables, the enclosing action's parameters
 * and quantifier names).
 *
 * @module
 */
import { type CompletionItem, CompletionItemKind, MarkupKind } from "vscode-languageserver";
import { ITEM_KEYWORDS, KEYWORDS, type Token, tokenize } from "../../lib/syntax/lexer.ts";
import type { SpecIndex, SpecSymbol, SymbolKind } from "./spec_index.ts";

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
 * The completions at `offset`. The parameters and quantifier names written
 * in the item before the cursor are read from its tokens too, so they are
 * offered while what declares them does not parse yet.
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
  const info = index.info;
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
  const typed = itemTokens(index.source, offset);
  if (field !== null) {
    if (!inGlobalItem(typed)) return [];
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
  // The part being typed may not be in the tree (an item or a statement that does not parse
  // yet): the names its tokens declare are offered too.
  for (const name of typedLocals(typed)) {
    add({ label: name, kind: CompletionItemKind.Variable, detail: "declared in this item" });
  }
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
 * The tokens of the item holding `offset`, from its first keyword (`global`
 * for a global item) to `offset`. Read from the text, so they are there
 * while the item does not parse yet.
 */
function itemTokens(source: string, offset: number): Token[] {
  const tokens = tokenize(source.slice(0, offset)).tokens.filter((t) => t.kind !== "eof");
  let start = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.kind !== "keyword" || !ITEM_KEYWORDS.has(t.text)) continue;
    const before = tokens[i - 1];
    start = before?.kind === "keyword" && before.text === "global" ? i - 1 : i;
    break;
  }
  return tokens.slice(start);
}

/** Whether the item's tokens start a `global invariant` or `global liveness`. */
function inGlobalItem(tokens: readonly Token[]): boolean {
  const first = tokens[0];
  return first?.kind === "keyword" && first.text === "global";
}

/**
 * The parameters (`action a(x: T, y: U)`) and quantifier names (`forall
 * a, b in nodes:`, `exists c: C:`, `count(n in nodes: ...)`) an item's
 * tokens declare before the cursor.
 */
function typedLocals(tokens: readonly Token[]): string[] {
  const names: string[] = [];
  const is = (i: number, kind: Token["kind"], text?: string) =>
    tokens[i]?.kind === kind && (text === undefined || tokens[i]?.text === text);
  /** Names separated by commas from `i`, when `:` or `in` follows them. */
  const binders = (i: number) => {
    const found: string[] = [];
    let j = i;
    while (is(j, "name")) {
      found.push(tokens[j]!.text);
      if (!is(j + 1, "symbol", ",")) break;
      j += 2;
    }
    if (is(j + 1, "symbol", ":") || is(j + 1, "keyword", "in")) names.push(...found);
  };
  if (is(0, "keyword", "action") && is(1, "name") && is(2, "symbol", "(")) {
    for (let i = 3; i < tokens.length && !is(i, "symbol", ")"); i++) {
      if (is(i, "name") && is(i + 1, "symbol", ":") && (i === 3 || is(i - 1, "symbol", ","))) {
        names.push(tokens[i]!.text);
      }
    }
  }
  tokens.forEach((t, i) => {
    if (t.kind === "keyword" && (t.text === "forall" || t.text === "exists")) binders(i + 1);
    if (t.kind === "name" && (t.text === "count" || t.text === "sum") && is(i + 1, "symbol", "(")) {
      binders(i + 2);
    }
  });
  return names;
}
