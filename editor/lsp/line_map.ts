/**
 * Offsets into a spec's text as editor positions: 0-based lines and 0-based
 * characters counted in UTF-16 code units (the position encoding every
 * language client supports). A line ends at `\n`, `\r\n` or a lone `\r`, as
 * editors count lines, so a file saved with any of the three line ends maps
 * to the lines the editor shows. A byte-order mark in the text a client
 * sends is one character of the first line, as the client counts it (the
 * compiler's `LineIndex` skips it: its columns are for messages, these are
 * the client's).
 *
 * @module
 */
import type { Span } from "../../lib/syntax/source.ts";

/**
 * A 0-based line and UTF-16 character, the shape of an editor position.
 *
 * @example The position of the second line's first character
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineMap, type EditorPosition } from "./line_map.ts";
 * const position: EditorPosition = new LineMap("spec A\nstate x: int = 0\n").position(7);
 * assert.deepEqual(position, { line: 1, character: 0 });
 * ```
 */
export interface EditorPosition {
  /** Line, from 0. */
  readonly line: number;
  /** UTF-16 code units from the start of the line, from 0. */
  readonly character: number;
}

/**
 * A range of editor positions; `end` is exclusive.
 *
 * @example The range of a name
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineMap, type EditorRange } from "./line_map.ts";
 * const range: EditorRange = new LineMap("spec Lease").range({ start: 5, end: 10 });
 * assert.deepEqual(range, { start: { line: 0, character: 5 }, end: { line: 0, character: 10 } });
 * ```
 */
export interface EditorRange {
  /** Where the range starts. */
  readonly start: EditorPosition;
  /** Where it ends (exclusive). */
  readonly end: EditorPosition;
}

/**
 * Converts between offsets and editor positions for one text.
 *
 * @example Every line end counts, and characters are UTF-16 units
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineMap } from "./line_map.ts";
 * const text = "spec A\r\n// π ✓\rstate x: int = 0\n";
 * const lines = new LineMap(text);
 * const x = text.indexOf("x:");
 * assert.deepEqual(lines.position(x), { line: 2, character: 6 });
 * assert.equal(lines.offset({ line: 2, character: 6 }), x);
 * assert.equal(lines.lineCount, 4);
 * ```
 */
export class LineMap {
  readonly #text: string;
  /** Offset of the first character of each line. */
  readonly #starts: number[];

  /** Indexes the line starts of `text`. */
  constructor(text: string) {
    this.#text = text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.#starts = starts;
  }

  /** The number of lines (a text ending with a line break has an empty last line). */
  get lineCount(): number {
    return this.#starts.length;
  }

  /** The editor position of an offset (clamped to the text). */
  position(offset: number): EditorPosition {
    const at = Math.max(0, Math.min(offset, this.#text.length));
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: at - starts[lo]! };
  }

  /**
   * The offset of an editor position. A line past the end is the end of the
   * text; a character past the end of its line is the end of the line.
   */
  offset(position: EditorPosition): number {
    const start = this.#starts[position.line];
    if (start === undefined) return this.#text.length;
    return Math.min(start + Math.max(0, position.character), this.#lineEnd(position.line));
  }

  /** The editor range of a span. */
  range(span: Span): EditorRange {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  /** The offset just past line `line`'s last character (before its line break). */
  #lineEnd(line: number): number {
    const next = this.#starts[line + 1];
    if (next === undefined) return this.#text.length;
    const text = this.#text;
    let end = next;
    if (text.charCodeAt(end - 1) === 10) end--;
    if (text.charCodeAt(end - 1) === 13) end--;
    return end;
  }
}
