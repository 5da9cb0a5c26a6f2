/**
 * Signature help inside the language's parenthesized forms: `prev(e)`,
 * `count(x: T: condition)`, `sum(x: T: expression)` (either over `in
 * nodes` in global items) and `map[K, V]`, with the part being written
 * highlighted. Read from the tokens before the cursor, so it works while
 * the item does not parse yet.
 *
 * @module
 */
import type { SignatureHelp } from "vscode-languageserver";
import { ITEM_KEYWORDS, type Token, tokenize } from "../../lib/syntax/lexer.ts";

/** One form: its label, what it means, its parts (each a substring of the label). */
interface Form {
  readonly label: string;
  readonly doc: string;
  readonly parts: readonly string[];
}

const FORMS: Readonly<Record<string, Form>> = {
  prev: {
    label: "prev(e)",
    doc: "`e` evaluated in the pre-state of the step being checked (local invariants only).",
    parts: ["e"],
  },
  count: {
    label: "count(x, y: Domain: condition)",
    doc: "How many values of the names satisfy the condition (an int). " +
      "The domain is a finite type, or `in nodes` in global items.",
    parts: ["x, y", "Domain", "condition"],
  },
  sum: {
    label: "sum(x, y: Domain: expression)",
    doc: "The sum of the expression over the values of the names (an int). " +
      "The domain is a finite type, or `in nodes` in global items.",
    parts: ["x, y", "Domain", "expression"],
  },
  map: {
    label: "map[Key, Value]",
    doc: "One `Value` per key of `Key` (a finite type); only as the type of a state variable.",
    parts: ["Key", "Value"],
  },
};

const CLOSERS: Readonly<Record<string, string>> = { ")": "(", "]": "[", "}": "{" };

/**
 * The signature help at `offset` in `source`, or `null` outside the forms.
 *
 * @example Inside `count(` after the names and the domain
 * ```ts
 * import assert from "node:assert/strict";
 * import { signatureHelpAt } from "./signature_help.ts";
 * const source = "spec S\n  type C = 0..3\n  invariant Few\n    count(c: C: c > ";
 * const help = signatureHelpAt(source, source.length);
 * assert.equal(help?.signatures[0]?.label, "count(x, y: Domain: condition)");
 * assert.equal(help?.activeParameter, 2);
 * ```
 */
export function signatureHelpAt(source: string, offset: number): SignatureHelp | null {
  const tokens = tokenize(source.slice(0, offset)).tokens.filter((t) => t.kind !== "eof");
  // The innermost bracket still open before the cursor, within the current item.
  const open: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === "keyword" && ITEM_KEYWORDS.has(t.text)) open.length = 0;
    else if (t.kind === "symbol" && (t.text === "(" || t.text === "[" || t.text === "{")) {
      open.push(i);
    } else if (t.kind === "symbol" && CLOSERS[t.text] !== undefined) open.pop();
  }
  // The innermost of them that is one of the forms (a plain parenthesis inside `sum(` is not).
  let at: number | undefined;
  let form: Form | undefined;
  for (let k = open.length - 1; k >= 0 && form === undefined; k--) {
    const candidate = FORMS[tokens[open[k]! - 1]?.text ?? ""];
    if (candidate === undefined) continue;
    if ((tokens[open[k]!]!.text === "[") !== (candidate === FORMS.map)) continue;
    at = open[k]!;
    form = candidate;
  }
  if (at === undefined || form === undefined) return null;
  return {
    signatures: [{
      label: form.label,
      documentation: { kind: "markdown", value: form.doc },
      parameters: form.parts.map((p) => ({ label: partRange(form.label, p) })),
    }],
    activeSignature: 0,
    activeParameter: Math.min(activePart(form, tokens.slice(at + 1)), form.parts.length - 1),
  };
}

/** Where `part` stands in `label`, as a [start, end) pair. */
function partRange(label: string, part: string): [number, number] {
  const start = label.indexOf(part, label.indexOf("(") + 1 || label.indexOf("[") + 1);
  return [start, start + part.length];
}

/** Which part the tokens after the opening bracket are in (nested brackets skipped). */
function activePart(form: Form, tokens: readonly Token[]): number {
  let depth = 0;
  let part = 0;
  for (const t of tokens) {
    if (t.kind === "symbol" && (t.text === "(" || t.text === "[" || t.text === "{")) depth++;
    else if (t.kind === "symbol" && CLOSERS[t.text] !== undefined) depth--;
    else if (depth === 0) {
      if (form === FORMS.map && t.kind === "symbol" && t.text === ",") part++;
      else if (
        form !== FORMS.map && form !== FORMS.prev &&
        ((t.kind === "symbol" && t.text === ":") || (t.kind === "keyword" && t.text === "in"))
      ) part++;
    }
  }
  return part;
}
