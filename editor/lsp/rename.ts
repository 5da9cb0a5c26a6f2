/**
 * Rename, checked: a new name must be a valid name, not a keyword, and must
 * not clash with a declaration of the same namespace or with a parameter or
 * quantifier name where both would be visible (the language refuses a
 * parameter or quantifier name that reuses a name in scope). A refused
 * rename is a {@link RenameError} saying why, and nothing changes.
 *
 * @module
 */
import { KEYWORDS } from "../../lib/syntax/lexer.ts";
import type { Span } from "../../lib/syntax/source.ts";
import { LineMap } from "./line_map.ts";
import type { SpecIndex, SpecSymbol, SymbolKind } from "./spec_index.ts";

/**
 * A rename the server refuses, with the reason as its message.
 *
 * @example Renaming a state variable to a keyword
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * import { RenameError, renameAt } from "./rename.ts";
 * const source = "spec S\n  state n: int = 0\n";
 * assert.throws(() => renameAt(indexSpec(source), source.indexOf("n:"), "state"), RenameError);
 * ```
 */
export class RenameError extends Error {
  override readonly name = "RenameError";
}

/** One replacement of a rename. */
export interface RenameEdit {
  /** The text replaced: one occurrence of the old name. */
  readonly span: Span;
  /** The new name. */
  readonly newText: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const KIND_NAMES: Readonly<Record<SymbolKind, string>> = {
  spec: "the spec",
  const: "the constant",
  type: "the type",
  label: "the enum label",
  state: "the state variable",
  action: "the action",
  param: "the parameter",
  invariant: "the invariant",
  liveness: "the liveness property",
  terminal: "the terminal property",
  binder: "the quantifier variable",
  builtin: "the built-in type",
};

const GLOBAL_KINDS: readonly SymbolKind[] = ["const", "type", "label", "state"];

/**
 * The symbol a rename at `offset` would rename and the span of the name
 * there; throws {@link RenameError} when nothing there can be renamed.
 *
 * @example What a rename would start from
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * import { renameTarget } from "./rename.ts";
 * const source = "spec S\n  state n: int = 0\n  invariant Pos n >= 0\n";
 * const { symbol, span } = renameTarget(indexSpec(source), source.lastIndexOf("n >="));
 * assert.equal(symbol.kind, "state");
 * assert.equal(source.slice(span.start, span.end), "n");
 * ```
 */
export function renameTarget(
  index: SpecIndex,
  offset: number,
): { readonly symbol: SpecSymbol; readonly span: Span } {
  const occurrence = index.occurrenceAt(offset);
  if (occurrence === undefined) throw new RenameError("There is no name to rename here");
  const symbol = occurrence.symbol;
  if (symbol === null) {
    throw new RenameError(`'${occurrence.name}' is not declared, so it cannot be renamed`);
  }
  if (symbol.kind === "builtin") {
    throw new RenameError(`'${symbol.name}' is a built-in type and cannot be renamed`);
  }
  return { symbol, span: occurrence.span };
}

/**
 * The edits renaming the name at `offset` to `newName` everywhere it names
 * the same declaration; throws {@link RenameError} when the new name is not
 * a valid name, is a keyword, or would clash.
 *
 * @example Rename a state variable, and a rename that would clash
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexSpec } from "./spec_index.ts";
 * import { RenameError, renameAt } from "./rename.ts";
 * const source = "spec S\n  state n: int = 0\n  state m: int = 0\n  action inc\n    n := n + 1\n";
 * const index = indexSpec(source);
 * assert.equal(renameAt(index, source.indexOf("n:"), "count").length, 3);
 * assert.throws(() => renameAt(index, source.indexOf("n:"), "m"), (e) => e instanceof RenameError && /clashes with the state variable 'm'/.test(e.message));
 * ```
 */
export function renameAt(index: SpecIndex, offset: number, newName: string): RenameEdit[] {
  const { symbol } = renameTarget(index, offset);
  if (!NAME.test(newName)) {
    throw new RenameError(
      `'${newName}' is not a valid name: a name is a letter or '_' followed by letters, digits or '_'`,
    );
  }
  if (KEYWORDS.has(newName)) {
    throw new RenameError(`'${newName}' is a reserved keyword and cannot be a name`);
  }
  if (newName === symbol.name) return [];
  const clash = clashOf(index, symbol, newName);
  if (clash !== null) {
    const where = clash.kind === "builtin"
      ? ""
      : ` declared on line ${new LineMap(index.source).position(clash.nameSpan.start).line + 1}`;
    throw new RenameError(
      `Renaming '${symbol.name}' to '${newName}' clashes with ${
        KIND_NAMES[clash.kind]
      } '${newName}'${where}`,
    );
  }
  return index.referencesOf(symbol).map((o) => ({ span: o.span, newText: newName }));
}

/** The declaration `newName` would clash with, or `null`. */
function clashOf(index: SpecIndex, symbol: SpecSymbol, newName: string): SpecSymbol | null {
  const namesake = index.namesakes(symbol, newName)[0];
  if (namesake !== undefined) return namesake;
  const locals = index.symbols.filter((s) =>
    s !== symbol && s.name === newName && (s.kind === "param" || s.kind === "binder")
  );
  if (GLOBAL_KINDS.includes(symbol.kind)) {
    // A parameter or quantifier name may not reuse a global name, wherever it is.
    return locals[0] ?? null;
  }
  if (symbol.kind === "param" || symbol.kind === "binder") {
    const global = index.global(newName);
    if (global !== undefined) return global;
    return locals.find((s) => overlaps(s.scope, symbol.scope)) ?? null;
  }
  return null;
}

/** Whether one scope holds the other (two names both visible somewhere). */
function overlaps(a: Span | null, b: Span | null): boolean {
  if (a === null || b === null) return false;
  return (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end);
}
