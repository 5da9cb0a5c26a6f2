/**
 * Sets of sequence numbers as sorted, disjoint, non-adjacent inclusive
 * ranges. The common case (numbers arriving in order) stays one range and
 * costs O(1) per number; out-of-order numbers cost a binary search.
 *
 * @module
 */

/** A mutable inclusive range `[first, last]`. */
export type Range = [number, number];

/**
 * Index of the first range whose `last >= n` (ranges.length when none).
 *
 * @example Find
 * ```ts
 * import { searchRanges } from "./ranges.ts";
 * searchRanges([[0, 3], [7, 9]], 5); // 1
 * ```
 */
export function searchRanges(ranges: readonly (readonly [number, number])[], n: number): number {
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
 * import { hasInRanges } from "./ranges.ts";
 * hasInRanges([[0, 3], [7, 9]], 8); // true
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
 * import { addToSet, type Range } from "./ranges.ts";
 * const r: Range[] = [[0, 3], [5, 9]];
 * addToSet(r, 4); // r is [[0, 9]]
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
 * import { removeFromSet, type Range } from "./ranges.ts";
 * const r: Range[] = [[0, 9]];
 * removeFromSet(r, 4); // r is [[0, 3], [5, 9]]
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
