/**
 * The trivia of a spec: what lies between two tokens. The lexer skips
 * whitespace and `//` comments; the formatter keeps the comments and notes
 * where the author left a blank line, so it can write both back in place.
 *
 * Gap `k` is the text before token `k` (after token `k - 1`, or from the
 * start of the file for `k = 0`). A comment on the same line as token
 * `k - 1` is that gap's trailing comment; the others stand on lines of
 * their own.
 *
 * @module
 */
import type { Token } from "../syntax/lexer.ts";

/** A `//` comment, its text without trailing whitespace. */
export interface Comment {
  /** The comment from `//` to the end of its line, trailing whitespace removed. */
  readonly text: string;
  /** Whether a blank line separates it from what precedes it (a token or a comment). */
  readonly blankBefore: boolean;
}

/** The trivia before one token. */
export interface Gap {
  /** A comment on the line of the previous token, after it; null when none. */
  readonly trailing: Comment | null;
  /** Comments on lines of their own, in order. */
  readonly own: readonly Comment[];
  /** Whether a blank line separates the token from what precedes it. */
  readonly blankBefore: boolean;
}

const NO_GAP: Gap = { trailing: null, own: [], blankBefore: false };

/**
 * The gaps of a tokenized source: one per token (the last one, before
 * `eof`, holds the comments at the end of the file). `source` must use
 * `\n` line ends, and its gaps must hold only whitespace and comments (a
 * source that lexes without errors).
 *
 * @example A trailing comment, an own-line comment and a blank line
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "../syntax/lexer.ts";
 * import { gapsOf } from "./trivia.ts";
 * const source = "spec A // the header\n\n  // the state\n  state x: int = 0\n";
 * const gaps = gapsOf(source, tokenize(source).tokens);
 * assert.equal(gaps[2]?.trailing?.text, "// the header");
 * assert.deepEqual(gaps[2]?.own.map((c) => [c.text, c.blankBefore]), [["// the state", true]]);
 * assert.equal(gaps[2]?.blankBefore, false);
 * ```
 */
export function gapsOf(source: string, tokens: readonly Token[]): Gap[] {
  const gaps: Gap[] = [];
  let from = 0;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    gaps.push(scanGap(source, from, token.span.start, k > 0));
    from = token.span.end;
  }
  return gaps;
}

/** Counts line breaks in `text` between two offsets. */
function breaks(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function scanGap(source: string, start: number, end: number, afterToken: boolean): Gap {
  // Searched within the gap only: a spec may have many thousands of gaps.
  const gap = source.slice(start, end);
  if (!gap.includes("//")) {
    if (!afterToken) return NO_GAP;
    return { trailing: null, own: [], blankBefore: breaks(gap, 0, gap.length) >= 2 };
  }
  let trailing: Comment | null = null;
  const own: Comment[] = [];
  let pos = 0;
  let first = true;
  for (;;) {
    const open = gap.indexOf("//", pos);
    if (open < 0) break;
    let close = gap.indexOf("\n", open);
    if (close < 0) close = gap.length;
    const text = gap.slice(open, close).replace(/\s+$/, "");
    const lines = breaks(gap, pos, open);
    const comment = { text, blankBefore: (afterToken || !first) && lines >= 2 };
    if (first && afterToken && lines === 0) trailing = comment;
    else own.push(comment);
    first = false;
    pos = close;
  }
  return { trailing, own, blankBefore: breaks(gap, pos, gap.length) >= 2 };
}
