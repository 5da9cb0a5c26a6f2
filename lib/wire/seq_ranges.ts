/**
 * Sets of sequence numbers as sorted, disjoint, non-adjacent inclusive
 * ranges. The common case (numbers arriving in order) stays one range and
 * costs O(1) per number; out-of-order numbers cost a binary search.
 *
 * @module
 */

/** A mutable inclusive range `[first, last]`. */
export type Range = [number, number];

/** Anything that starts with an inclusive range `[first, last, ...]` (a `Range`, a stream's hole). */
export type RangeLike = { readonly 0: number; readonly 1: number };

/**
 * Index of the first range whose `last >= n` (ranges.length when none), by
 * binary search over ranges sorted and disjoint.
 *
 * @example Find
 * ```ts
 * import assert from "node:assert/strict";
 * import { searchRanges } from "./seq_ranges.ts";
 * assert.equal(searchRanges([[0, 3], [7, 9]], 5), 1);
 * assert.equal(searchRanges([[0, 3], [7, 9]], 10), 2);
 * ```
 */
export function searchRanges(ranges: readonly RangeLike[], n: number): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid]![1] < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * True when `n` is in the set.
 *
 * @example Membership
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasInRanges } from "./seq_ranges.ts";
 * assert.equal(hasInRanges([[0, 3], [7, 9]], 8), true);
 * assert.equal(hasInRanges([[0, 3], [7, 9]], 5), false);
 * ```
 */
export function hasInRanges(ranges: readonly (readonly [number, number])[], n: number): boolean {
  const last = ranges[ranges.length - 1];
  if (last === undefined || n > last[1]) return false;
  if (n >= last[0]) return true;
  const r = ranges[searchRanges(ranges, n)];
  return r !== undefined && r[0] <= n;
}

/**
 * Adds `n` (not already present) to the set, merging neighbours.
 *
 * @example Add
 * ```ts
 * import assert from "node:assert/strict";
 * import { addToSet, type Range } from "./seq_ranges.ts";
 * const r: Range[] = [[0, 3], [5, 9]];
 * addToSet(r, 4);
 * assert.deepEqual(r, [[0, 9]]);
 * ```
 */
export function addToSet(ranges: Range[], n: number): void {
  const last = ranges[ranges.length - 1];
  if (last === undefined || n > last[1] + 1) {
    ranges.push([n, n]);
    return;
  }
  if (n === last[1] + 1) {
    last[1] = n;
    return;
  }
  const i = searchRanges(ranges, n - 1);
  const r = ranges[i]!;
  if (r[1] === n - 1) {
    r[1] = n;
    const next = ranges[i + 1];
    if (next !== undefined && next[0] === n + 1) {
      r[1] = next[1];
      ranges.splice(i + 1, 1);
    }
  } else if (r[0] === n + 1) {
    r[0] = n;
  } else if (r[0] > n) {
    ranges.splice(i, 0, [n, n]);
  }
}

/**
 * Removes `n` from the set (no-op when absent).
 *
 * @example Remove
 * ```ts
 * import assert from "node:assert/strict";
 * import { removeFromSet, type Range } from "./seq_ranges.ts";
 * const r: Range[] = [[0, 9]];
 * removeFromSet(r, 4);
 * assert.deepEqual(r, [[0, 3], [5, 9]]);
 * ```
 */
export function removeFromSet(ranges: Range[], n: number): void {
  const i = searchRanges(ranges, n);
  const r = ranges[i];
  if (r === undefined || r[0] > n) return;
  if (r[0] === r[1]) ranges.splice(i, 1);
  else if (r[0] === n) r[0] = n + 1;
  else if (r[1] === n) r[1] = n - 1;
  else ranges.splice(i + 1, 0, [n + 1, r[1]]), r[1] = n - 1;
}

/**
 * The set minus the ascending numbers `sorted` (absent ones ignored), as a
 * new list, in one pass: O(ranges + numbers).
 *
 * @example Subtract
 * ```ts
 * import assert from "node:assert/strict";
 * import { subtractSorted } from "./seq_ranges.ts";
 * assert.deepEqual(subtractSorted([[0, 9], [12, 12]], [0, 4, 5, 11, 12]), [[1, 3], [6, 9]]);
 * ```
 */
export function subtractSorted(ranges: readonly RangeLike[], sorted: readonly number[]): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const r of ranges) {
    let first = r[0];
    const last = r[1];
    while (j < sorted.length && sorted[j]! < first) j++;
    for (; j < sorted.length && sorted[j]! <= last; j++) {
      const n = sorted[j]!;
      if (n > first) out.push([first, n - 1]);
      first = n + 1;
    }
    if (first <= last) out.push([first, last]);
  }
  return out;
}
