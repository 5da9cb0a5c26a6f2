/**
 * Source ranges: where in the spec text a compiled item comes from. The
 * compiler fills them in; the ABI carries them in the metadata, so a runtime
 * can name the spec line of any verdict without the source.
 *
 * @module
 */

/**
 * A 1-based line/column range; `endColumn` is exclusive.
 *
 * @example The range of `spec Lease` on line 1
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SourceRange } from "./source_range.ts";
 * const header: SourceRange = { line: 1, column: 1, endLine: 1, endColumn: 11 };
 * assert.equal(header.endColumn - header.column, "spec Lease".length);
 * ```
 */
export interface SourceRange {
  /** First line, from 1. */
  readonly line: number;
  /** First column, from 1. */
  readonly column: number;
  /** Last line, from 1. */
  readonly endLine: number;
  /** Column just past the range on `endLine`. */
  readonly endColumn: number;
}
