/**
 * Line layout for generated TypeScript, matching `deno fmt` (line width 100):
 * a construct stays on one line when it fits, else it breaks one element per
 * line with a trailing comma, as the formatter does.
 *
 * @module
 */

/** The project's `deno fmt` line width. */
export const LINE_WIDTH = 100;

/**
 * `export type A = "x" | "y";`, or one `| "x"` per line when it does not fit.
 *
 * @example Lay out a union
 * ```ts
 * import assert from "node:assert/strict";
 * import { unionDecl } from "./typescript_layout.ts";
 * assert.ok(unionDecl("export type A =", ['"x"', '"y"'])[0] === 'export type A = "x" | "y";');
 * ```
 */
export function unionDecl(head: string, members: readonly string[]): string[] {
  const one = `${head} ${members.length === 0 ? "never" : members.join(" | ")};`;
  if (one.length <= LINE_WIDTH || members.length < 2) return [one];
  return [head, ...members.map((m, i) => `  | ${m}${i === members.length - 1 ? ";" : ""}`)];
}

/**
 * `head{ a: 0, b: 1 };` or one entry per line when it does not fit.
 *
 * @example Lay out an object literal
 * ```ts
 * import assert from "node:assert/strict";
 * import { objectDecl } from "./typescript_layout.ts";
 * assert.ok(objectDecl("const A = ", ["a: 0"])[0] === "const A = { a: 0 };");
 * ```
 */
export function objectDecl(head: string, entries: readonly string[]): string[] {
  const one = `${head}{ ${entries.join(", ")} };`;
  if (one.length <= LINE_WIDTH || entries.length === 0) return [one];
  return [`${head}{`, ...entries.map((e) => `  ${e},`), "};"];
}

/**
 * `indent + head(a, b)tail`, or the arguments one per line when it does not fit.
 *
 * @example Lay out a call
 * ```ts
 * import assert from "node:assert/strict";
 * import { callLines } from "./typescript_layout.ts";
 * assert.ok(callLines("  ", "f", ["a", "b"], ";")[0] === "  f(a, b);");
 * ```
 */
export function callLines(
  indent: string,
  head: string,
  args: readonly string[],
  tail: string,
): string[] {
  const one = `${indent}${head}(${args.join(", ")})${tail}`;
  if (one.length <= LINE_WIDTH || args.length === 0) return [one];
  return [`${indent}${head}(`, ...args.map((a) => `${indent}  ${a},`), `${indent})${tail}`];
}

/**
 * `import { a, b } from "m";`, or one name per line when it does not fit.
 *
 * @example Lay out an import
 * ```ts
 * import assert from "node:assert/strict";
 * import { importLines } from "./typescript_layout.ts";
 * assert.ok(importLines("import type", ["A"], '"m"')[0] === 'import type { A } from "m";');
 * ```
 */
export function importLines(head: string, names: readonly string[], from: string): string[] {
  const one = `${head} { ${names.join(", ")} } from ${from};`;
  if (one.length <= LINE_WIDTH || names.length === 0) return [one];
  return [`${head} {`, ...names.map((n) => `  ${n},`), `} from ${from};`];
}

/**
 * A type literal: `indent + head{ a: A; b: B }tail` when it fits on one line
 * (and `multiline` is not asked), else one member per line, each ending in
 * `;`, as `deno fmt` keeps it. No member: `head` + `empty` + `tail`.
 *
 * @example Lay out a type literal
 * ```ts
 * import assert from "node:assert/strict";
 * import { typeLiteral } from "./typescript_layout.ts";
 * assert.deepEqual(typeLiteral("  ", "readonly a: ", ["readonly c: number"], ";"), [
 *   "  readonly a: { readonly c: number };",
 * ]);
 * assert.deepEqual(typeLiteral("", "type T = ", ["a: A"], ";", { multiline: true }), [
 *   "type T = {",
 *   "  a: A;",
 *   "};",
 * ]);
 * assert.deepEqual(typeLiteral("", "type E = ", [], ";", { empty: "Record<never, never>" }), [
 *   "type E = Record<never, never>;",
 * ]);
 * ```
 */
export function typeLiteral(
  indent: string,
  head: string,
  members: readonly string[],
  tail: string,
  options: { readonly multiline?: boolean; readonly empty?: string } = {},
): string[] {
  if (members.length === 0) return [`${indent}${head}${options.empty ?? "{}"}${tail}`];
  const one = `${indent}${head}{ ${members.join("; ")} }${tail}`;
  if (one.length <= LINE_WIDTH && options.multiline !== true) return [one];
  return [`${indent}${head}{`, ...members.map((m) => `${indent}  ${m};`), `${indent}}${tail}`];
}
