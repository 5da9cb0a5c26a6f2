/**
 * What the editor says about a symbol: its declaration as one line of
 * Vigil, its type spelled out, a constant's value and its doc comment.
 * Types and values come from the checker's global scope (`lib/types/`),
 * run on the tree of the spec as it is, so they are there even when
 * another item has an error; a name whose own definition is wrong has no
 * type or value to show.
 *
 * @module
 */
import type { Item, SpecAst, TypeExpr } from "../../lib/syntax/ast.ts";
import type { Span } from "../../lib/syntax/source.ts";
import type { Type } from "../../lib/ir.ts";
import { CheckContext, type TypeOrError } from "../../lib/types/context.ts";
import { reportTooDeep } from "../../lib/types/depth.ts";
import { Globals } from "../../lib/types/scope.ts";
import { resolveType, type TypeSite } from "../../lib/types/type_rules.ts";
import { docCommentAt } from "./doc_comment.ts";
import type { SpecIndex, SpecSymbol } from "./spec_index.ts";

/**
 * A symbol described for hover and completion.
 *
 * @example The description of a constant
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * import { SymbolInfo, type SymbolDescription } from "./symbol_info.ts";
 * const index = indexSpec("spec S\n  // The largest client.\n  const Max = 2 + 1\n");
 * const max = index.symbols.find((s) => s.name === "Max")!;
 * const d: SymbolDescription = new SymbolInfo(index).describe(max);
 * assert.deepEqual(d, { signature: "const Max = 2 + 1", details: ["value: 3"], doc: "The largest client." });
 * ```
 */
export interface SymbolDescription {
  /** The declaration as one line of Vigil. */
  readonly signature: string;
  /** Lines about its type and value. */
  readonly details: readonly string[];
  /** Its doc comment, or `null`. */
  readonly doc: string | null;
}

/**
 * Types and values of one indexed spec, computed once.
 *
 * @example The type of a parameter, spelled out
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * import { SymbolInfo } from "./symbol_info.ts";
 * const index = indexSpec("spec S\n  type Client = 0..3\n  action take(c: Client)\n");
 * const c = index.symbols.find((s) => s.name === "c")!;
 * assert.equal(new SymbolInfo(index).typeText(c), "Client (0..3)");
 * ```
 */
export class SymbolInfo {
  readonly #index: SpecIndex;
  readonly #globals: Globals | null;

  constructor(index: SpecIndex) {
    this.#index = index;
    this.#globals = scopeOf(index);
  }

  /** The declaration, type, value and doc comment of `symbol`. */
  describe(symbol: SpecSymbol): SymbolDescription {
    const details: string[] = [];
    const type = this.typeText(symbol);
    if (type !== null) details.push(`type: ${type}`);
    const value = this.constValue(symbol);
    if (value !== null) details.push(`value: ${value}`);
    if (symbol.kind === "label") details.push(this.#labelDetail(symbol));
    if (symbol.kind === "param" && symbol.item?.kind === "action") {
      details.push(`parameter of action '${symbol.item.name}'`);
    }
    if (symbol.kind === "binder") {
      details.push(
        symbol.type === "nodes" ? "bound by a quantifier over the nodes" : "bound by a quantifier",
      );
    }
    if (symbol.kind === "builtin") {
      details.push(symbol.name === "int" ? "64-bit signed integers" : "false or true");
    }
    return { signature: this.#signature(symbol), details, doc: this.#doc(symbol) };
  }

  /** A constant's value (`3`, `true`), or `null` for other symbols and when it does not evaluate. */
  constValue(symbol: SpecSymbol): string | null {
    const g = this.#globals;
    if (symbol.kind !== "const" || g === null) return null;
    const decl = g.lookup(symbol.name);
    if (decl?.kind !== "const" || decl.item !== symbol.item) return null;
    const { type, value } = g.constOf(decl);
    if (value === null) return null;
    return type.kind === "bool" ? String(value !== 0n) : String(value);
  }

  /** The type of a state variable, type, parameter, binder or label, spelled out; else `null`. */
  typeText(symbol: SpecSymbol): string | null {
    if (symbol.type === "nodes") return "node";
    if (symbol.kind === "label" && symbol.item?.kind === "type") return symbol.item.name;
    if (symbol.type === null) return null;
    const site: TypeSite = symbol.kind === "state"
      ? "state"
      : symbol.kind === "type"
      ? "typedef"
      : symbol.kind === "param"
      ? "param"
      : "domain";
    const resolved = this.#resolve(symbol.type, site);
    if (resolved === null) return null;
    if (symbol.kind === "type" && resolved.kind === "enum") return spellOut(resolved, true);
    return spellOut(resolved, symbol.kind !== "type");
  }

  #resolve(t: TypeExpr, site: TypeSite): Type | null {
    const g = this.#globals;
    if (g === null) return null;
    const resolved: TypeOrError = resolveType(t, g, site);
    return resolved.kind === "error" ? null : resolved;
  }

  #labelDetail(symbol: SpecSymbol): string {
    const item = symbol.item;
    if (item?.kind !== "type" || item.def.kind !== "enum") return "enum label";
    const index = item.def.labels.findIndex((l) => l.name === symbol.name);
    return `label ${index} of enum '${item.name}'`;
  }

  #text(span: Span): string {
    return this.#index.source.slice(span.start, span.end)
      .replace(/\/\/[^\n\r]*/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  }

  #typeExprText(t: TypeExpr): string {
    return this.#text(this.#index.analysis.spans.get(t.id));
  }

  #signature(symbol: SpecSymbol): string {
    const spans = this.#index.analysis.spans;
    const item = symbol.item;
    switch (symbol.kind) {
      case "spec":
        return `spec ${symbol.name}`;
      case "builtin":
        return `type ${symbol.name}`;
      case "label":
        return item?.kind === "type" ? `${symbol.name}: ${item.name}` : symbol.name;
      case "param":
        return symbol.type === null || symbol.type === "nodes"
          ? symbol.name
          : `${symbol.name}: ${this.#typeExprText(symbol.type)}`;
      case "binder":
        return symbol.type === null || symbol.type === "nodes"
          ? `${symbol.name} in nodes`
          : `${symbol.name}: ${this.#typeExprText(symbol.type)}`;
      default:
        return item === null ? symbol.name : this.#itemSignature(item, spans);
    }
  }

  #itemSignature(item: Item, spans: SpecIndex["analysis"]["spans"]): string {
    switch (item.kind) {
      case "const":
        return `const ${item.name} = ${this.#text(spans.get(item.value.id))}`;
      case "type":
        return `type ${item.name} = ${this.#typeExprText(item.def)}`;
      case "state": {
        const init = item.init === null ? "" : ` = ${this.#text(spans.get(item.init.id))}`;
        return `state ${item.name}: ${this.#typeExprText(item.type)}${init}`;
      }
      case "action": {
        const params = item.params.map((p) => `${p.name}: ${this.#typeExprText(p.type)}`);
        return `action ${item.name}(${params.join(", ")})`;
      }
      case "invariant":
        return `${item.global ? "global " : ""}invariant ${item.name}`;
      case "liveness":
        return `${item.global ? "global " : ""}liveness ${item.name} within ${
          this.#text(spans.get(item.within.id))
        }`;
      case "terminal":
        return `terminal ${item.name}`;
      case "init":
        return "init";
    }
  }

  #doc(symbol: SpecSymbol): string | null {
    if (symbol.kind === "spec") return docCommentAt(this.#index.source, symbol.span.start);
    const item = symbol.item;
    if (item === null) return null;
    if (symbol.kind === "label" || symbol.kind === "param" || symbol.kind === "binder") {
      return docCommentAt(this.#index.source, symbol.nameSpan.start);
    }
    return docCommentAt(this.#index.source, this.#index.analysis.spans.get(item.id).start);
  }
}

/** The checker's global scope over the tree as it is, or `null` when there is no tree or it is too deep. */
function scopeOf(index: SpecIndex): Globals | null {
  const ast: SpecAst | null = index.analysis.ast;
  if (ast === null) return null;
  const ctx = new CheckContext(index.source, index.analysis.spans);
  if (reportTooDeep(ast, ctx)) return null;
  const g = new Globals(ast, ctx);
  g.resolveAll(ast);
  return g;
}

/** A type spelled out: a named range or enum with what it stands for. */
function spellOut(t: Type, withName: boolean): string {
  switch (t.kind) {
    case "range": {
      const bounds = `${t.lo}..${t.hi}`;
      return t.name !== undefined && withName ? `${t.name} (${bounds})` : bounds;
    }
    case "enum": {
      const labels = `enum { ${t.labels.join(", ")} }`;
      return withName ? `${t.name} (${labels})` : labels;
    }
    case "map":
      return `map[${spellOut(t.key, true)}, ${spellOut(t.value, true)}]`;
    default:
      return t.kind;
  }
}
