/**
 * The formatter: one canonical layout for `.vigil` specs
 * (`docs/formatting.md`), behind `vigil fmt` and the language server's
 * formatting. It changes whitespace and line breaks only: every token is
 * kept in order (the trailing comma of an enum or a parameter list is
 * written exactly when the list is broken over lines), parentheses stay as
 * written, and every comment stays where it was. Line ends become `\n` and
 * a leading byte-order mark is dropped. Formatting twice gives the text of
 * formatting once.
 *
 * @module
 */
import type { Diagnostic } from "../syntax/diagnostic.ts";
import { type Token, tokenize } from "../syntax/lexer.ts";
import { parse } from "../syntax/parser.ts";
import { render } from "./layout.ts";
import { printSpec } from "./printer.ts";
import { type Gap, gapsOf } from "./trivia.ts";

/**
 * The width the formatter fits lines in, in columns (the repository's
 * TypeScript uses the same).
 *
 * @example Lines fit in 100 columns
 * ```ts
 * import assert from "node:assert/strict";
 * import { FORMAT_WIDTH } from "./mod.ts";
 * assert.equal(FORMAT_WIDTH, 100);
 * ```
 */
export const FORMAT_WIDTH = 100;

/**
 * The formatted text, or the errors that keep a spec from being formatted
 * (lexical and syntax errors, with spans into `source` as given). A spec
 * that parses is formatted even when its names or types do not check.
 *
 * @throws {Error} When the layout would change the spec's tokens or
 * comments: a bug of the formatter, which it reports rather than write.
 *
 * @example Format a spec written on one line
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSpec } from "./mod.ts";
 * const result = formatSpec("spec Toggle state on:bool=false action flip on:=not on // flip it\r\n");
 * assert.ok("text" in result);
 * assert.equal(
 *   result.text,
 *   "spec Toggle\n  state on: bool = false\n\n  action flip\n    on := not on // flip it\n",
 * );
 * assert.deepEqual(formatSpec(result.text), result);
 * ```
 *
 * @example A spec that does not parse
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSpec } from "./mod.ts";
 * const result = formatSpec("spec A\n  state x: int = \n");
 * assert.ok("diagnostics" in result);
 * assert.deepEqual(result.diagnostics.map((d) => d.code), ["VIG101"]);
 * ```
 */
export function formatSpec(source: string): { text: string } | { diagnostics: Diagnostic[] } {
  const first = parse(source);
  const errors = first.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { diagnostics: errors };
  const text = normalizeLineEnds(source);
  const parsed = text === source ? first : parse(text);
  const stillErrors = parsed.diagnostics.filter((d) => d.severity === "error");
  if (parsed.ast === null || stillErrors.length > 0) return { diagnostics: stillErrors };
  const { tokens } = tokenize(text);
  const gaps = gapsOf(text, tokens);
  const { doc, blocks, separated } = printSpec(parsed.ast, { tokens, spans: parsed.spans });
  const out = render(doc, { tokens, gaps, blocks, separated, width: FORMAT_WIDTH });
  assertSameContent(text, tokens, gaps, out);
  return { text: out };
}

/** `\r\n` and lone `\r` to `\n`; a leading byte-order mark dropped. */
function normalizeLineEnds(source: string): string {
  return source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

/** Token texts, without the optional trailing comma of a list. */
function essentialTokens(tokens: readonly Token[]): string[] {
  const out: string[] = [];
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    if (t.text === "," && (next?.text === ")" || next?.text === "}")) return;
    out.push(`${t.kind}:${t.text}`);
  });
  return out;
}

function commentsOf(gaps: readonly Gap[]): string[] {
  return gaps.flatMap((g) => [...(g.trailing === null ? [] : [g.trailing]), ...g.own])
    .map((c) => c.text);
}

/** The formatter's own guard: the output has the input's tokens and comments, in order. */
function assertSameContent(
  input: string,
  tokens: readonly Token[],
  gaps: readonly Gap[],
  output: string,
): void {
  const lexed = tokenize(output);
  const before = essentialTokens(tokens).join(" ");
  const after = essentialTokens(lexed.tokens).join(" ");
  const comments = JSON.stringify(commentsOf(gaps));
  const kept = JSON.stringify(commentsOf(gapsOf(output, lexed.tokens)));
  if (lexed.diagnostics.length > 0 || before !== after || comments !== kept) {
    throw new Error(
      `The formatter would change the spec (${
        before !== after ? "its tokens" : "its comments"
      }); it was left as it is (${input.length} characters)`,
    );
  }
}
