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
 * Maps offsets to line and column, computed once per source text.
 *
 * @example Find the position of an offset
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineIndex } from "./source.ts";
 * const index = new LineIndex("spec A\nstate x: int = 0\n");
 * assert.ok(index.position(7).line === 2);
 * ```
 */
export class LineIndex {
  readonly #starts: number[];
  /** The source text. */
  readonly text: string;

  /** Indexes the line starts of `text`. */
  constructor(text: string) {
    this.text = text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.#starts = starts;
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
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** The offset of a 1-based line and column (clamped to the text). */
  offset(position: Position): number {
    const start = this.#starts[position.line - 1] ?? this.text.length;
    return Math.min(this.text.length, start + position.column - 1);
  }

  /** The line/column range of a span. */
  location(span: Span): Location {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.#starts[line - 1];
    if (start === undefined) return "";
    const next = this.#starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, "");
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
