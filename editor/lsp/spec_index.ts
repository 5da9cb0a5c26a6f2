/**
 * What the language server knows about one version of a spec: the front
 * end's analysis (every diagnostic) and an index of its names, built from
 * the syntax tree the parser returns even when the spec has errors. Each
 * declaration is a {@link SpecSymbol}; each place a name is written (its
 * declaration included) is an {@link Occurrence} resolved to its symbol by
 * the language's scoping rules: globals (constants, types, enum labels,
 * state variables) everywhere, an action's parameters in that action, a
 * quantifier's names in its body, `a.var` naming state variable `var`.
 * Actions and properties have namespaces of their own and are never named
 * in expressions.
 *
 * @module
 */
import { type Analysis, analyze } from "../../lib/frontend.ts";
import type { Expr, Item, SpecAst, TypeExpr } from "../../lib/syntax/ast.ts";
import { ITEM_KEYWORDS, tokenize } from "../../lib/syntax/lexer.ts";
import type { Span, SpanTable } from "../../lib/syntax/source.ts";
import { initialStateDiagnostics } from "./initial_state.ts";
import { SymbolInfo } from "./symbol_info.ts";

/**
 * What a symbol declares.
 *
 * @example The kinds of the Lease spec's declarations
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec, type SymbolKind } from "./spec_index.ts";
 * const index = indexSpec("spec S\n  type Mode = enum { on, off }\n  state m: Mode = on\n");
 * const kinds: SymbolKind[] = index.symbols.map((s) => s.kind);
 * assert.deepEqual(kinds, ["spec", "type", "label", "label", "state"]);
 * ```
 */
export type SymbolKind =
  | "spec"
  | "const"
  | "type"
  | "label"
  | "state"
  | "action"
  | "param"
  | "invariant"
  | "liveness"
  | "terminal"
  | "binder"
  | "builtin";

/**
 * A declared name.
 *
 * @example A parameter and the action it belongs to
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec, type SpecSymbol } from "./spec_index.ts";
 * const index = indexSpec("spec S\n  state n: int = 0\n  action add(k: 0..3)\n    n := n + k\n");
 * const k: SpecSymbol | undefined = index.symbols.find((s) => s.name === "k");
 * assert.equal(k?.kind, "param");
 * assert.equal(k?.item?.kind === "action" ? k.item.name : "", "add");
 * ```
 */
export interface SpecSymbol {
  /** What it declares. */
  readonly kind: SymbolKind;
  /** The declared name. */
  readonly name: string;
  /** The name where it is declared (empty at 0 for the built-in types). */
  readonly nameSpan: Span;
  /** The whole declaration: the item for items, the name for labels, parameters and binders. */
  readonly span: Span;
  /** The item that declares it (`null` for the header and the built-in types). */
  readonly item: Item | null;
  /** The declared type: of a state variable, a parameter or a quantifier's names. */
  readonly type: TypeExpr | "nodes" | null;
  /** Where a parameter or a quantifier's name can be used (`null` for globals). */
  readonly scope: Span | null;
}

/**
 * One place a name is written.
 *
 * @example The occurrences of a state variable
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec, type Occurrence } from "./spec_index.ts";
 * const index = indexSpec("spec S\n  state n: int = 0\n  action inc\n    n := n + 1\n");
 * const n = index.symbols.find((s) => s.name === "n")!;
 * const uses: Occurrence[] = index.referencesOf(n);
 * assert.deepEqual(uses.map((o) => o.declaration), [true, false, false]);
 * ```
 */
export interface Occurrence {
  /** The name as written. */
  readonly span: Span;
  /** The name. */
  readonly name: string;
  /** What it names, or `null` when it names nothing declared. */
  readonly symbol: SpecSymbol | null;
  /** Whether this is the declaration itself. */
  readonly declaration: boolean;
}

/** The names an item or a quantifier adds, and the text where they are visible. */
interface LocalScope {
  readonly span: Span;
  readonly symbols: readonly SpecSymbol[];
}

/** A chain of local scopes, innermost first. */
type Env = { readonly names: ReadonlyMap<string, SpecSymbol>; readonly parent: Env } | null;

const BUILTINS: ReadonlyMap<string, SpecSymbol> = new Map(
  ["int", "bool"].map((name) => [name, {
    kind: "builtin",
    name,
    nameSpan: { start: 0, end: 0 },
    span: { start: 0, end: 0 },
    item: null,
    type: null,
    scope: null,
  }]),
);

/** Global kinds: one namespace, visible everywhere. */
const GLOBAL_KINDS: ReadonlySet<SymbolKind> = new Set(["const", "type", "label", "state"]);

/**
 * The index of one spec text. Build it with {@link indexSpec}.
 *
 * @example Find what the name under a position refers to
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * const source = "spec S\n  const Max = 3\n  state n: 0..Max = 0\n";
 * const index = indexSpec(source);
 * const use = index.occurrenceAt(source.lastIndexOf("Max") + 1);
 * assert.equal(use?.symbol?.kind, "const");
 * assert.equal(use?.declaration, false);
 * ```
 */
export class SpecIndex {
  /** The text indexed. */
  readonly source: string;
  /** The front end's result: tree, spans, diagnostics. */
  readonly analysis: Analysis;
  /** Every declaration, in source order. */
  readonly symbols: readonly SpecSymbol[];
  /** Every name written, in source order. */
  readonly occurrences: readonly Occurrence[];
  readonly #scopes: readonly LocalScope[];
  readonly #globals: ReadonlyMap<string, SpecSymbol>;
  readonly #extents: readonly { readonly item: Item; readonly extent: Span }[];
  #info: SymbolInfo | null = null;

  constructor(source: string, analysis: Analysis) {
    this.source = source;
    this.analysis = analysis;
    const items = analysis.ast?.items ?? [];
    // An item's text runs to the next item keyword (an item that did not parse has none).
    const starts = tokenize(source).tokens
      .filter((t) => t.kind === "keyword" && ITEM_KEYWORDS.has(t.text))
      .map((t) => t.span.start);
    this.#extents = items.map((item) => {
      const span = analysis.spans.get(item.id);
      const next = starts.find((s) => s >= span.end);
      return { item, extent: { start: span.start, end: next ?? source.length } };
    });
    const builder = new IndexBuilder(
      analysis.spans,
      new Map(this.#extents.map((e) => [e.item, e.extent])),
    );
    if (analysis.ast !== null) builder.build(analysis.ast);
    this.symbols = builder.symbols;
    this.occurrences = [...builder.occurrences].sort((a, b) => a.span.start - b.span.start);
    this.#scopes = builder.scopes;
    this.#globals = builder.globals;
  }

  /** Types, values and doc comments of the symbols, computed on first use and kept. */
  get info(): SymbolInfo {
    this.#info ??= new SymbolInfo(this);
    return this.#info;
  }

  /** The name at `offset` (a cursor just after a name is on it), or `undefined`. */
  occurrenceAt(offset: number): Occurrence | undefined {
    let best: Occurrence | undefined;
    for (const o of this.occurrences) {
      if (o.span.start > offset) break;
      if (offset < o.span.end) return o;
      if (offset === o.span.end) best = o;
    }
    return best;
  }

  /** Every occurrence of `symbol`, its declaration included, in source order. */
  referencesOf(symbol: SpecSymbol): Occurrence[] {
    return this.occurrences.filter((o) => o.symbol === symbol);
  }

  /** The global name `name` (a constant, type, enum label or state variable), or a built-in type. */
  global(name: string): SpecSymbol | undefined {
    return this.#globals.get(name) ?? BUILTINS.get(name);
  }

  /** The global names and the built-in types. */
  globals(): SpecSymbol[] {
    return [...this.#globals.values(), ...BUILTINS.values()];
  }

  /** The parameters and quantifier names visible at `offset`, innermost last. */
  localsAt(offset: number): SpecSymbol[] {
    const out: SpecSymbol[] = [];
    for (const s of this.#scopes) {
      if (s.span.start <= offset && offset <= s.span.end) out.push(...s.symbols);
    }
    return out;
  }

  /**
   * The item whose text (up to the next item keyword) holds `offset`, or
   * `null` (in the header, or in an item that does not parse).
   */
  itemAt(offset: number): Item | null {
    for (const { item, extent } of this.#extents) {
      if (extent.start <= offset && offset <= extent.end) return item;
    }
    return null;
  }

  /** Every symbol of the same namespace as `symbol` that `name` would clash with. */
  namesakes(symbol: SpecSymbol, name: string): SpecSymbol[] {
    if (GLOBAL_KINDS.has(symbol.kind)) {
      const g = this.global(name);
      return g === undefined || g === symbol ? [] : [g];
    }
    const same = (kinds: readonly SymbolKind[]) =>
      this.symbols.filter((s) => s !== symbol && s.name === name && kinds.includes(s.kind));
    if (symbol.kind === "action") return same(["action"]);
    if (["invariant", "liveness", "terminal"].includes(symbol.kind)) {
      return same(["invariant", "liveness", "terminal"]);
    }
    return [];
  }
}

/**
 * Analyzes and indexes a spec text. The diagnostics are the front end's and
 * a failing initial state's (VIG501), every one `vigil compile` reports.
 *
 * @example Diagnostics and names of one text
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * const index = indexSpec("spec S\n  state n: int = m\n");
 * assert.equal(index.analysis.diagnostics[0]?.code, "VIG202");
 * assert.equal(index.occurrenceAt(index.source.indexOf("m\n"))?.symbol, null);
 * ```
 */
export function indexSpec(source: string): SpecIndex {
  const analysis = analyze(source);
  const initial = initialStateDiagnostics(analysis, source);
  return new SpecIndex(
    source,
    initial.length === 0
      ? analysis
      : { ...analysis, diagnostics: [...analysis.diagnostics, ...initial] },
  );
}

/** Walks a tree once, declaring and resolving names. */
class IndexBuilder {
  readonly symbols: SpecSymbol[] = [];
  readonly occurrences: Occurrence[] = [];
  readonly scopes: LocalScope[] = [];
  readonly globals = new Map<string, SpecSymbol>();
  readonly #spans: SpanTable;
  /** Each item's text up to the next item: where an action's parameters are visible. */
  readonly #extents: ReadonlyMap<Item, Span>;
  /** The item being resolved. */
  #item: Item | null = null;

  constructor(spans: SpanTable, extents: ReadonlyMap<Item, Span>) {
    this.#spans = spans;
    this.#extents = extents;
  }

  build(ast: SpecAst): void {
    const headerSpan = this.#spans.get(ast.id);
    this.#declare({
      kind: "spec",
      name: ast.name,
      nameSpan: this.#spans.get(ast.nameId),
      span: headerSpan,
      item: null,
      type: null,
      scope: null,
    });
    // Globals first, so a name used above its declaration still resolves.
    for (const item of ast.items) this.#declareGlobals(item);
    for (const item of ast.items) this.#resolveItem(item);
  }

  #declare(symbol: SpecSymbol): SpecSymbol {
    this.symbols.push(symbol);
    this.occurrences.push({
      span: symbol.nameSpan,
      name: symbol.name,
      symbol,
      declaration: true,
    });
    if (GLOBAL_KINDS.has(symbol.kind) && !this.globals.has(symbol.name)) {
      this.globals.set(symbol.name, symbol);
    }
    return symbol;
  }

  #itemSymbol(item: Extract<Item, { name: string }>, type: TypeExpr | null): SpecSymbol {
    return this.#declare({
      kind: item.kind,
      name: item.name,
      nameSpan: this.#spans.get(item.nameId),
      span: this.#spans.get(item.id),
      item,
      type,
      scope: null,
    });
  }

  #declareGlobals(item: Item): void {
    switch (item.kind) {
      case "const":
        this.#itemSymbol(item, null);
        return;
      case "type":
        this.#itemSymbol(item, item.def);
        if (item.def.kind === "enum") {
          for (const label of item.def.labels) {
            const span = this.#spans.get(label.id);
            this.#declare({
              kind: "label",
              name: label.name,
              nameSpan: span,
              span,
              item,
              type: null,
              scope: null,
            });
          }
        }
        return;
      case "state":
        this.#itemSymbol(item, item.type);
        return;
      default:
        return;
    }
  }

  #resolveItem(item: Item): void {
    this.#item = item;
    switch (item.kind) {
      case "const":
        this.#expr(item.value, null);
        return;
      case "type":
        this.#type(item.def, null);
        return;
      case "state":
        this.#type(item.type, null);
        if (item.init !== null) this.#expr(item.init, null);
        return;
      case "init":
        this.#assigns(item.body, null);
        return;
      case "action": {
        this.#itemSymbol(item, null);
        const span = this.#extents.get(item) ?? this.#spans.get(item.id);
        const names = new Map<string, SpecSymbol>();
        const symbols: SpecSymbol[] = [];
        for (const p of item.params) {
          this.#type(p.type, null);
          const nameSpan = this.#spans.get(p.id);
          const symbol = this.#declare({
            kind: "param",
            name: p.name,
            nameSpan,
            span: nameSpan,
            item,
            type: p.type,
            scope: span,
          });
          symbols.push(symbol);
          if (!names.has(p.name)) names.set(p.name, symbol);
        }
        this.scopes.push({ span, symbols });
        const env: Env = { names, parent: null };
        for (const r of item.requires) this.#expr(r.expr, env);
        this.#assigns(item.body, env);
        return;
      }
      case "invariant":
      case "terminal":
        this.#itemSymbol(item, null);
        this.#expr(item.expr, null);
        return;
      case "liveness":
        this.#itemSymbol(item, null);
        this.#expr(item.when, null);
        this.#expr(item.eventually, null);
        return;
    }
  }

  #assigns(body: Extract<Item, { kind: "init" }>["body"], env: Env): void {
    for (const a of body) {
      this.#use(a.target, this.#spans.get(a.targetId), env);
      if (a.index !== null) this.#expr(a.index, env);
      this.#expr(a.value, env);
    }
  }

  /** Records a use of `name`, resolved locals first. */
  #use(name: string, span: Span, env: Env): void {
    let symbol: SpecSymbol | null = null;
    for (let e = env; e !== null && symbol === null; e = e.parent) {
      symbol = e.names.get(name) ?? null;
    }
    symbol ??= this.globals.get(name) ?? null;
    this.occurrences.push({ span, name, symbol, declaration: false });
  }

  #type(t: TypeExpr, env: Env): void {
    switch (t.kind) {
      case "named": {
        const span = this.#spans.get(t.id);
        const symbol = this.globals.get(t.name) ?? BUILTINS.get(t.name) ?? null;
        this.occurrences.push({ span, name: t.name, symbol, declaration: false });
        return;
      }
      case "range":
        this.#expr(t.lo, env);
        this.#expr(t.hi, env);
        return;
      case "map":
        this.#type(t.key, env);
        this.#type(t.value, env);
        return;
      case "enum":
        return;
    }
  }

  /** Resolves the names of an expression, without recursion (chains may be long). */
  #expr(root: Expr, rootEnv: Env): void {
    const stack: [Expr, Env][] = [[root, rootEnv]];
    while (stack.length > 0) {
      const [e, env] = stack.pop()!;
      switch (e.kind) {
        case "name":
          this.#use(e.name, this.#spans.get(e.id), env);
          break;
        case "field": {
          const span = this.#spans.get(e.nameId);
          const g = this.globals.get(e.name);
          const symbol = g?.kind === "state" ? g : null;
          this.occurrences.push({ span, name: e.name, symbol, declaration: false });
          stack.push([e.target, env]);
          break;
        }
        case "prev":
          stack.push([e.expr, env]);
          break;
        case "index":
          stack.push([e.index, env], [e.target, env]);
          break;
        case "unary":
          stack.push([e.operand, env]);
          break;
        case "binary":
          stack.push([e.right, env], [e.left, env]);
          break;
        case "if":
          stack.push([e.else, env], [e.then, env], [e.cond, env]);
          break;
        case "quant": {
          if (e.domain !== "nodes") this.#type(e.domain, env);
          const scope = this.#spans.get(e.id);
          const names = new Map<string, SpecSymbol>();
          const symbols: SpecSymbol[] = [];
          for (const b of e.binders) {
            const nameSpan = this.#spans.get(b.id);
            const symbol = this.#declare({
              kind: "binder",
              name: b.name,
              nameSpan,
              span: nameSpan,
              item: this.#item,
              type: e.domain,
              scope,
            });
            symbols.push(symbol);
            if (!names.has(b.name)) names.set(b.name, symbol);
          }
          this.scopes.push({ span: scope, symbols });
          stack.push([e.body, { names, parent: env }]);
          break;
        }
        default:
          break;
      }
    }
  }
}
