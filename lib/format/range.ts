/**
 * Formatting part of a spec: the source and its formatted text are cut
 * into chunks of lines that hold the same tokens and comments (a cut
 * wherever a line of each starts at the same token or comment), and only
 * the chunks that differ and touch the requested range become edits. When those alone would
 * change the spec's tokens or comments (a difference that moves a token
 * across the edge of the range), the edits of the whole text are given.
 *
 * @module
 */
import { tokenize } from "../syntax/lexer.ts";
import type { Span } from "../syntax/source.ts";
import { sameContent } from "./content.ts";

/** A replacement of the source text in `span` (offsets into the text as given) by `text`. */
export interface TextEdit {
  /** The replaced range of the source. */
  readonly span: Span;
  /** What replaces it. */
  readonly text: string;
}

interface Line {
  /** The line without its line end. */
  readonly text: string;
  /** Offset of its first character. */
  readonly start: number;
  /** Offset just past its line end. */
  readonly end: number;
}

function linesOf(source: string): Line[] {
  const lines: Line[] = [];
  const pattern = /\r\n|\r|\n/g;
  let start = 0;
  for (const m of source.matchAll(pattern)) {
    lines.push({ text: source.slice(start, m.index), start, end: m.index + m[0].length });
    start = m.index + m[0].length;
  }
  if (start < source.length) lines.push({ text: source.slice(start), start, end: source.length });
  return lines;
}

/** A run of lines: source lines `[a0, a1)` become formatted lines `[b0, b1)`. */
interface Chunk {
  readonly a0: number;
  readonly a1: number;
  readonly b0: number;
  readonly b1: number;
}

/**
 * The start offsets of a text's tokens and comments, in order (the
 * optional trailing comma of a list left out): the same sequence in a spec
 * and in its formatted text.
 */
function marks(text: string): number[] {
  const { tokens } = tokenize(text);
  const out: number[] = [];
  let from = 0;
  tokens.forEach((t, i) => {
    for (let at = text.indexOf("//", from); at >= 0 && at < t.span.start;) {
      out.push(at);
      const lineEnd = text.slice(at).search(/[\r\n]/);
      if (lineEnd < 0) break;
      at = text.indexOf("//", at + lineEnd);
    }
    from = t.span.end;
    const next = tokens[i + 1];
    const trailingComma = t.text === "," && (next?.text === ")" || next?.text === "}");
    if (t.kind !== "eof" && !trailingComma) out.push(t.span.start);
  });
  return out;
}

/** For each line, how many marks start before it: lines with equal counts start at the same place. */
function keys(lines: readonly Line[], text: string): number[] {
  const at = marks(text);
  let k = 0;
  return lines.map((line) => {
    while (k < at.length && at[k]! < line.start) k++;
    return k;
  });
}

/**
 * The chunks of lines that hold the same tokens and comments in both texts
 * but differ in layout: a chunk ends where a line of each text starts at
 * the same token or comment.
 */
function chunks(a: readonly Line[], aText: string, b: readonly Line[], bText: string): Chunk[] {
  const ka = keys(a, aText);
  const kb = keys(b, bText);
  const cuts: [number, number][] = [];
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (i > 0 && ka[i] === ka[i - 1]) continue;
    while (j < b.length && kb[j]! < ka[i]!) j++;
    if (j < b.length && kb[j] === ka[i] && (j === 0 || kb[j - 1] !== kb[j])) cuts.push([i, j]);
  }
  cuts.push([a.length, b.length]);
  const out: Chunk[] = [];
  let [a0, b0] = [0, 0];
  for (const [a1, b1] of cuts) {
    if (a1 === a0 && b1 === b0) continue;
    // Identical lines at either end stay out of the chunk.
    let [s, t, u, v] = [a0, a1, b0, b1];
    while (s < t && u < v && a[s]!.text === b[u]!.text) [s, u] = [s + 1, u + 1];
    while (s < t && u < v && a[t - 1]!.text === b[v - 1]!.text) [t, v] = [t - 1, v - 1];
    if (s < t || u < v) out.push({ a0: s, a1: t, b0: u, b1: v });
    [a0, b0] = [a1, b1];
  }
  return out;
}

/**
 * The edits that format the lines of `source` that `range` touches, given
 * the formatted text of the whole spec. Offsets are into `source` as given;
 * a replaced line ends with the line end of the source's first line.
 *
 * @example Format the second item only
 * ```ts
 * import assert from "node:assert/strict";
 * import { rangeEdits } from "./range.ts";
 * const source = "spec A\n  state  x:int\n  state  y:int\n";
 * const formatted = "spec A\n  state x: int\n  state y: int\n";
 * const edits = rangeEdits(source, formatted, { start: 25, end: 26 });
 * assert.deepEqual(edits, [{ span: { start: 22, end: 37 }, text: "  state y: int\n" }]);
 * ```
 */
export function rangeEdits(source: string, formatted: string, range: Span): TextEdit[] {
  const a = linesOf(source);
  const b = linesOf(formatted);
  const all = chunks(a, source, b, formatted);
  const eol = /\r\n|\r|\n/.exec(source)?.[0] ?? "\n";
  const edit = (h: Chunk): TextEdit => {
    const start = h.a0 < a.length ? a[h.a0]!.start : source.length;
    const end = h.a1 > h.a0 ? a[h.a1 - 1]!.end : start;
    // A source without a line end at its end gets one when its last line is replaced.
    const text = b.slice(h.b0, h.b1).map((l) => l.text + eol).join("");
    return { span: { start, end }, text };
  };
  const first = lineAt(a, range.start);
  const last = lineAt(a, Math.max(range.start, range.end - 1));
  // A chunk that only inserts lines touches the range when it inserts before one of its lines.
  const touched = all.filter((h) =>
    h.a1 > h.a0 ? h.a0 <= last && h.a1 - 1 >= first : h.a0 >= first && h.a0 <= last
  );
  const edits = touched.map(edit);
  if (sameContent(source, apply(source, edits))) return edits;
  return all.map(edit);
}

/** The index of the line holding `offset` (the last line past the end). */
function lineAt(lines: readonly Line[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

/**
 * `source` with non-overlapping `edits` applied.
 *
 * @example Apply two edits
 * ```ts
 * import assert from "node:assert/strict";
 * import { apply } from "./range.ts";
 * const edits = [{ span: { start: 0, end: 1 }, text: "A" }, { span: { start: 2, end: 3 }, text: "C" }];
 * assert.equal(apply("abc", edits), "AbC");
 * ```
 */
export function apply(source: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((x, y) => x.span.start - y.span.start);
  let out = "";
  let at = 0;
  for (const e of sorted) {
    out += source.slice(at, e.span.start) + e.text;
    at = e.span.end;
  }
  return out + source.slice(at);
}
