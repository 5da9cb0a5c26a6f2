/**
 * Source text, offsets and line/column positions.
 *
 * Every AST node carries an `id`; its source range lives in a {@link SpanTable}
 * side table indexed by that id, which also feeds provenance and the WASM
 * custom section.
 *
 * @module
 */

/**
 * A half-open range of UTF-16 offsets `[start, end)` into the source text.
 *
 * @example The text a span covers
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Span } from "./source.ts";
 * const text = "spec Lease";
 * const name: Span = { start: 5, end: 10 };
 * assert.equal(text.slice(name.start, name.end), "Lease");
 * ```
 */
export interface Span {
  /** First offset of the range. */
  readonly start: number;
  /** Offset just past the range. */
  readonly end: number;
}

/**
 * A 1-based line and column position (column counts UTF-16 code units).
 *
 * @example Line and column of an offset
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineIndex, type Position } from "./source.ts";
 * const position: Position = new LineIndex("spec A\n  state x: int = 0\n").position(9);
 * assert.deepEqual(position, { line: 2, column: 3 });
 * ```
 */
export interface Position {
  /** Line, from 1. */
  readonly line: number;
  /** Column, from 1 (UTF-16 code units). */
  readonly column: number;
}

/**
 * A source range as line/column pairs; `end` is exclusive.
 *
 * @example A span as lines and columns
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineIndex, type Location } from "./source.ts";
 * const location: Location = new LineIndex("spec A\n  state x: int = 0\n").location({ start: 9, end: 14 });
 * assert.deepEqual(location, { start: { line: 2, column: 3 }, end: { line: 2, column: 8 } });
 * ```
 */
export interface Location {
  /** Where the range starts. */
  readonly start: Position;
  /** Where it ends (exclusive). */
  readonly end: Position;
}

/**
 * The byte-order mark U+FEFF: accepted at the very start of a spec and not
 * counted in its columns.
 *
 * @example A leading mark is not part of the spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { BOM } from "./source.ts";
 * assert.equal(BOM.charCodeAt(0), 0xfeff);
 * ```
 */
export const BOM = "\uFEFF";

/**
 * The canonical text of a spec: LF line ends (CRLF and lone CR become LF)
 * and no leading byte-order mark. Two sources with the same canonical text
 * mean the same spec; the compiler hashes this text.
 *
 * @example Line ends and a mark do not change the canonical text
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalText } from "./source.ts";
 * assert.equal(canonicalText("\uFEFFspec A\r\nstate x: int = 0\rinit\n"), "spec A\nstate x: int = 0\ninit\n");
 * ```
 */
export function canonicalText(text: string): string {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  return body.replace(/\r\n?/g, "\n");
}

/**
 * Maps offsets to line and column, computed once per source text. A line
 * ends at LF, CRLF or a lone CR, so the three conventions give the same
 * positions; a leading byte-order mark takes no column.
 *
 * @example Find the position of an offset
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineIndex } from "./source.ts";
 * const index = new LineIndex("spec A\nstate x: int = 0\n");
 * assert.ok(index.position(7).line === 2);
 * assert.deepEqual(new LineIndex("spec A\rstate x").position(13), { line: 2, column: 7 });
 * assert.deepEqual(new LineIndex("\uFEFFspec A").position(6), { line: 1, column: 6 });
 * ```
 */
export class LineIndex {
  readonly #starts: number[];
  /** 1 when the text starts with a byte-order mark (it takes no column), else 0. */
  readonly #mark: number;
  /** The source text. */
  readonly text: string;

  /** Indexes the line starts of `text`. */
  constructor(text: string) {
    this.text = text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
    }
    this.#starts = starts;
    this.#mark = text.startsWith(BOM) ? 1 : 0;
  }

  /** The 1-based line and column of an offset. */
  position(offset: number): Position {
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const mark = lo === 0 && offset > 0 ? this.#mark : 0;
    return { line: lo + 1, column: offset - starts[lo]! + 1 - mark };
  }

  /** The offset of a 1-based line and column (clamped to the text). */
  offset(position: Position): number {
    const start = this.#starts[position.line - 1] ?? this.text.length;
    const mark = position.line === 1 ? this.#mark : 0;
    return Math.min(this.text.length, start + mark + position.column - 1);
  }

  /** The line/column range of a span. */
  location(span: Span): Location {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  /** The text of a 1-based line, without its line break (nor a leading byte-order mark). */
  lineText(line: number): string {
    const start = this.#starts[line - 1];
    if (start === undefined) return "";
    const next = this.#starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    const text = this.text.slice(start + (line === 1 ? this.#mark : 0), end);
    return text.replace(/\r$/, "");
  }
}

/**
 * Source ranges of AST nodes, indexed by node id.
 *
 * @example Each node's id gives its span
 * ```ts
 * import assert from "node:assert/strict";
 * import { SpanTable } from "./source.ts";
 * const spans = new SpanTable();
 * const id = spans.add({ start: 0, end: 4 });
 * assert.deepEqual(spans.get(id), { start: 0, end: 4 });
 * assert.equal(spans.size, 1);
 * assert.throws(() => spans.get(7), RangeError);
 * ```
 */
export class SpanTable {
  readonly #spans: Span[] = [];

  /** Records the span of a new node and returns the node's id. */
  add(span: Span): number {
    this.#spans.push(span);
    return this.#spans.length - 1;
  }

  /** The span of node `id`; throws `RangeError` for an unknown id. */
  get(id: number): Span {
    const span = this.#spans[id];
    if (span === undefined) throw new RangeError(`Unknown node id ${id}`);
    return span;
  }

  /** The number of nodes recorded. */
  get size(): number {
    return this.#spans.length;
  }
}
