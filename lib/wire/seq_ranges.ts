/**
 * Sequence-number ranges, every range operation of the project in one
 * module: the wire's `SeqRange` (a batch's dropped numbers), the rule a
 * batch's dropped ranges follow, counting, appending and merging (the
 * batcher's drops), and sets of numbers as sorted, disjoint, non-adjacent
 * inclusive ranges (the collector's received numbers). In a set the common
 * case (numbers arriving in order) stays one range and costs O(1) per
 * number; out-of-order numbers cost a binary search.
 *
 * @module
 */

/**
 * An inclusive range of sequence numbers, `[first, last]`.
 *
 * @example Numbers 3 to 5, both included
 * ```ts
 * import assert from "node:assert/strict";
 * import { countRanges, type SeqRange } from "./seq_ranges.ts";
 * const dropped: readonly SeqRange[] = [[3, 5], [9, 9]];
 * assert.equal(countRanges(dropped), 4);
 * ```
 */
export type SeqRange = readonly [first: number, last: number];

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

/**
 * The set minus the ascending, disjoint ranges `sorted` (numbers absent
 * from the set ignored), as a new list, in one pass: O(ranges + sorted).
 *
 * @example Subtract runs
 * ```ts
 * import assert from "node:assert/strict";
 * import { subtractRanges } from "./seq_ranges.ts";
 * assert.deepEqual(subtractRanges([[0, 9], [12, 14]], [[0, 0], [4, 5], [8, 13]]), [[1, 3], [6, 7], [14, 14]]);
 * ```
 */
export function subtractRanges(
  ranges: readonly RangeLike[],
  sorted: readonly RangeLike[],
): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const r of ranges) {
    let first = r[0];
    const last = r[1];
    while (j < sorted.length && sorted[j]![1] < first) j++;
    for (; j < sorted.length && sorted[j]![0] <= last; j++) {
      const a = sorted[j]![0];
      const b = sorted[j]![1];
      if (a > first) out.push([first, a - 1]);
      if (b + 1 > first) first = b + 1;
      if (b > last) break;
    }
    if (first <= last) out.push([first, last]);
  }
  return out;
}

/** Why a list of drop ranges cannot be declared. */
export interface DropRangeProblem {
  /** Index of the offending range. */
  readonly index: number;
  /** The problem, in words. */
  readonly problem: string;
}

/**
 * The first problem of a batch's dropped ranges, the wire's rule: each
 * `[first, last]` holds non-negative safe integers with
 * `first <= last < below` (`below` is the batch's first number), the
 * ranges ascending and disjoint. `null` when they are fine.
 *
 * @example Check a batch's drops
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkDropRanges } from "./seq_ranges.ts";
 * assert.equal(checkDropRanges([[0, 2], [5, 5]], 9), null);
 * assert.equal(checkDropRanges([[0, 2], [2, 4]], 9)?.index, 1);
 * assert.match(checkDropRanges([[7, 9]], 9)!.problem, /below the batch's first number '9'/);
 * ```
 */
export function checkDropRanges(
  ranges: readonly RangeLike[],
  below = Number.MAX_SAFE_INTEGER + 1,
): DropRangeProblem | null {
  let floor = 0;
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    const first = r[0];
    const last = r[1];
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first < 0) {
      return { index: i, problem: `expected non-negative safe integers, got '${first}..${last}'` };
    }
    if (last < first) {
      return { index: i, problem: `range '${first}..${last}' ends before it starts` };
    }
    if (first < floor) {
      return {
        index: i,
        problem: `range '${first}..${last}' is not after the previous range (ascending, disjoint)`,
      };
    }
    if (last >= below) {
      return {
        index: i,
        problem: `range '${first}..${last}' is not below the batch's first number '${below}'`,
      };
    }
    floor = last + 1;
  }
  return null;
}

/**
 * Counts the sequence numbers in a list of ranges.
 *
 * @example Count dropped events
 * ```ts
 * import assert from "node:assert/strict";
 * import { countRanges } from "./seq_ranges.ts";
 * assert.equal(countRanges([[3, 5], [9, 9]]), 4);
 * ```
 */
export function countRanges(ranges: readonly SeqRange[]): number {
  let n = 0;
  for (const [a, b] of ranges) n += b - a + 1;
  return n;
}

/**
 * Appends one sequence number to an ascending range list, merging with the
 * last range when adjacent. Returns the list (mutated).
 *
 * @example Build ranges
 * ```ts
 * import assert from "node:assert/strict";
 * import { addToRanges } from "./seq_ranges.ts";
 * const r: [number, number][] = [];
 * for (const seq of [4, 5, 9]) addToRanges(r, seq);
 * assert.deepEqual(r, [[4, 5], [9, 9]]);
 * ```
 */
export function addToRanges(ranges: [number, number][], seq: number): [number, number][] {
  const last = ranges[ranges.length - 1];
  if (last !== undefined && last[1] + 1 === seq) last[1] = seq;
  else ranges.push([seq, seq]);
  return ranges;
}

/**
 * Merges two ascending lists of inclusive ranges into one ascending list
 * in which overlapping and adjacent ranges are joined, in linear time.
 * The result holds new range arrays (the inputs are not changed).
 *
 * @example Merge drops
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeRanges } from "./seq_ranges.ts";
 * assert.deepEqual(mergeRanges([[0, 2], [9, 9]], [[3, 4], [7, 7]]), [[0, 4], [7, 7], [9, 9]]);
 * ```
 */
export function mergeRanges(
  a: readonly SeqRange[],
  b: readonly SeqRange[],
): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    let r: SeqRange;
    if (y === undefined || (x !== undefined && x[0] <= y[0])) r = x!, i++;
    else r = y, j++;
    const tail = out[out.length - 1];
    if (tail !== undefined && r[0] <= tail[1] + 1) {
      if (r[1] > tail[1]) tail[1] = r[1];
    } else out.push([r[0], r[1]]);
  }
  return out;
}
