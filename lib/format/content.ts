/**
 * What formatting must keep: a spec's tokens, in order (but for the
 * optional trailing comma of a list), and its comments, in order. Two
 * texts with the same content parse to the same tree.
 *
 * @module
 */
import { type Token, tokenize } from "../syntax/lexer.ts";
import { type Gap, gapsOf } from "./trivia.ts";

/** Token kinds and texts, without the optional trailing comma of a list. */
function essentialTokens(tokens: readonly Token[]): string {
  const out: string[] = [];
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    if (t.text === "," && (next?.text === ")" || next?.text === "}")) return;
    out.push(`${t.kind}:${t.text}`);
  });
  return out.join(" ");
}

function commentsOf(gaps: readonly Gap[]): string {
  const texts = gaps.flatMap((g) => [...(g.trailing === null ? [] : [g.trailing]), ...g.own]);
  return JSON.stringify(texts.map((c) => c.text));
}

/**
 * Whether two texts hold the same tokens and comments, and the second lexes without errors.
 * Line ends may differ (`\r\n`, `\r`, `\n`).
 *
 * @example Layout differs, content does not
 * ```ts
 * import assert from "node:assert/strict";
 * import { sameContent } from "./content.ts";
 * assert.ok(sameContent("spec A state x:int // c\n", "spec A\n  state x: int // c\n"));
 * assert.ok(!sameContent("spec A state x:int // c\n", "spec A\n  state x: int\n"));
 * assert.ok(!sameContent("spec A state x:int\n", "spec A\n  state y: int\n"));
 * ```
 */
export function sameContent(before: string, after: string): boolean {
  const a = tokenize(before.replace(/\r\n?/g, "\n"));
  const b = tokenize(after.replace(/\r\n?/g, "\n"));
  if (b.diagnostics.length > 0) return false;
  if (essentialTokens(a.tokens) !== essentialTokens(b.tokens)) return false;
  const textA = before.replace(/\r\n?/g, "\n");
  const textB = after.replace(/\r\n?/g, "\n");
  return commentsOf(gapsOf(textA, a.tokens)) === commentsOf(gapsOf(textB, b.tokens));
}
