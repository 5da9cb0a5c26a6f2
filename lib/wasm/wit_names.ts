/**
 * WIT-safe kebab-case names for a spec's actions and parameters.
 *
 * A WIT identifier is words joined by `-`; each word starts with a letter
 * and is all lowercase (or all uppercase). Spec names are camelCase or
 * snake_case (`markPaid`, `mark_paid`), so both become `mark-paid`. A word
 * that would start with a digit is glued to the word before it
 * (`retry_2` -> `retry2`). The core module exports use the bare name; WIT
 * text escapes a keyword with `%` ({@link witIdent}). Collisions are
 * resolved in declaration order: the first keeps the name, later ones get
 * the smallest numeric suffix (`mark-paid2`) that is free.
 *
 * @module
 */

/**
 * WIT keywords (and a few reserved words). Escaping an identifier that is not
 * a keyword is harmless in WIT, so the list errs on the side of inclusion.
 */
export const WIT_KEYWORDS: ReadonlySet<string> = new Set([
  "as",
  "async",
  "bool",
  "borrow",
  "char",
  "constructor",
  "enum",
  "error-context",
  "export",
  "f32",
  "f64",
  "float32",
  "float64",
  "flags",
  "from",
  "func",
  "future",
  "import",
  "include",
  "interface",
  "list",
  "option",
  "own",
  "package",
  "record",
  "resource",
  "result",
  "s16",
  "s32",
  "s64",
  "s8",
  "static",
  "stream",
  "string",
  "tuple",
  "type",
  "u16",
  "u32",
  "u64",
  "u8",
  "use",
  "variant",
  "with",
  "world",
]);

/** Kebab names an action may not take because `check-<name>` is a fixed export. */
const RESERVED_ACTION_NAMES: readonly string[] = ["invariants"];

/** Splits an identifier into lowercase words at `_`, `-` and case changes. */
function words(name: string): string[] {
  const out: string[] = [];
  for (const part of name.split(/[^A-Za-z0-9]+/)) {
    // HTTPServer -> HTTP Server; markPaid -> mark Paid; v2Beta -> v2 Beta
    const pieces = part.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[A-Z]/g) ?? [];
    let current = "";
    for (const piece of pieces) {
      const continues = /^[0-9]/.test(piece) || (/[0-9]$/.test(current) && /^[a-z]/.test(piece));
      if (continues || current === "") current += piece;
      else {
        out.push(current);
        current = piece;
      }
    }
    if (current !== "") out.push(current);
  }
  return out.map((w) => w.toLowerCase());
}

/**
 * Converts a spec identifier to a WIT-safe kebab-case name (without `%`).
 *
 * @example Convert action names
 * ```ts
 * import assert from "node:assert/strict";
 * import { toKebab } from "./wit_names.ts";
 * assert.equal(toKebab("markPaid"), "mark-paid");
 * assert.equal(toKebab("mark_paid"), "mark-paid");
 * assert.equal(toKebab("retry_2"), "retry2");
 * assert.equal(toKebab("a_b"), "ab");
 * ```
 */
export function toKebab(name: string): string {
  const ws: string[] = [];
  for (const w of words(name)) {
    const prev = ws.at(-1);
    // The bindings spell a kebab name in camelCase and the component tooling reads it back: a
    // one-character segment, or one after a one-character segment, would not survive
    // ("a-b" -> "aB" -> "ab"), so it joins the segment before it.
    const joins = /^[0-9]/.test(w) || w.length === 1 || prev?.length === 1;
    if (prev !== undefined && joins) ws[ws.length - 1] = prev + w;
    else ws.push(w);
  }
  if (ws.length === 0) return "x";
  if (/^[0-9]/.test(ws[0]!)) ws[0] = `n${ws[0]}`;
  return ws.join("-");
}

/**
 * The identifier as written in WIT text: `%` before a keyword.
 *
 * @example Escape a keyword
 * ```ts
 * import assert from "node:assert/strict";
 * import { witIdent } from "./wit_names.ts";
 * assert.equal(witIdent("record"), "%record");
 * assert.equal(witIdent("mark-paid"), "mark-paid");
 * ```
 */
export function witIdent(kebab: string): string {
  return WIT_KEYWORDS.has(kebab) ? `%${kebab}` : kebab;
}

/**
 * Kebab names for a list of identifiers, unique within the list and distinct
 * from `taken`; collisions get the smallest free numeric suffix, in order.
 *
 * @example Resolve a collision
 * ```ts
 * import assert from "node:assert/strict";
 * import { uniqueKebab } from "./wit_names.ts";
 * assert.deepEqual(uniqueKebab(["markPaid", "mark_paid"]), ["mark-paid", "mark-paid2"]);
 * ```
 */
export function uniqueKebab(names: readonly string[], taken: readonly string[] = []): string[] {
  const used = new Set(taken);
  return names.map((name) => {
    const base = toKebab(name);
    let candidate = base;
    for (let n = 2; used.has(candidate); n++) candidate = `${base}${n}`;
    used.add(candidate);
    return candidate;
  });
}

/** The kebab name and core export names of one action. */
export interface ActionExportNames {
  /** The action's kebab name, e.g. `mark-paid`. */
  readonly kebab: string;
  /** `step-<kebab>`: the core export (no `%`). */
  readonly step: string;
  /** `check-<kebab>`: the core export (no `%`). */
  readonly check: string;
}

/**
 * The export names of every action, in declaration order. No name clashes
 * with another action's or with the fixed exports (`check-invariants`).
 *
 * @example Name a spec's exports
 * ```ts
 * import assert from "node:assert/strict";
 * import { actionExportNames } from "./wit_names.ts";
 * assert.equal(actionExportNames(["acquire", "markPaid"])[1]!.step, "step-mark-paid");
 * ```
 */
export function actionExportNames(actions: readonly string[]): ActionExportNames[] {
  return uniqueKebab(actions, RESERVED_ACTION_NAMES).map((kebab) => ({
    kebab,
    step: `step-${kebab}`,
    check: `check-${kebab}`,
  }));
}

/**
 * The kebab names of an action's parameters, unique within the action and
 * distinct from `inst` (the first parameter of every step/check function).
 *
 * @example Name parameters
 * ```ts
 * import assert from "node:assert/strict";
 * import { paramKebabNames } from "./wit_names.ts";
 * assert.deepEqual(paramKebabNames(["clientId", "inst"]), ["client-id", "inst2"]);
 * ```
 */
export function paramKebabNames(params: readonly string[]): string[] {
  return uniqueKebab(params, ["inst"]);
}
