/**
 * One node's dependency entries with their vector clocks
 * ({@link NodeEntries}), the columns the dependency table
 * (`happened_before.ts`) keeps per node, and the HLC order they are kept in.
 *
 * @module
 */

/** The handle of no vector (nothing known). */
export const NO_VECTOR = -1;

/**
 * True when `(aw, al)` is at or before `(bw, bl)`.
 *
 * @example Compare two points
 * ```ts
 * import assert from "node:assert/strict";
 * import { atOrBefore } from "./happened_before.ts";
 * assert.equal(atOrBefore(5, 1, 5, 2), true);
 * assert.equal(atOrBefore(6, 0, 5, 9), false);
 * ```
 */
export function atOrBefore(aw: number, al: number, bw: number, bl: number): boolean {
  return aw < bw || (aw === bw && al <= bl);
}

/** Entries a node's columns hold at first (they double when full and never shrink). */
const ENTRIES_AT_FIRST = 16;

/**
 * One node's dependency entries, sorted by the HLC of the event that
 * carried them, with their vector clocks: columns of `length` entries,
 * with their own count (V8 shrinks a plain array whose length is cut and
 * copies it as it grows back: every pruning cost its kept entries again).
 */
export class NodeEntries {
  atWall: Float64Array = new Float64Array(ENTRIES_AT_FIRST);
  atLogical: Float64Array = new Float64Array(ENTRIES_AT_FIRST);
  from: Float64Array = new Float64Array(ENTRIES_AT_FIRST);
  fromWall: Float64Array = new Float64Array(ENTRIES_AT_FIRST);
  fromLogical: Float64Array = new Float64Array(ENTRIES_AT_FIRST);
  /** The handle of the vector clock just after entry `i` (computed when first asked), and the epoch it was computed in. */
  vc: Float64Array = new Float64Array(ENTRIES_AT_FIRST);
  vcEpoch: Float64Array = new Float64Array(ENTRIES_AT_FIRST);
  /** The table's generation when an entry of this node was last added, replaced or pruned. */
  changed = 0;
  /** Entries held (the first `length` of each column). */
  length = 0;

  /**
   * Inserts the entry `entry` holds (its event's wall and logical, the
   * sender's number, the stamp's wall and logical: see
   * {@link DependencyTable.recordIds}); -1 when it was already there
   * (nothing changed), else its position. The numbers come in a typed
   * array, not as parameters: V8 does not inline this call, and an HLC
   * wall passed to a call is boxed (two heap numbers per dependency).
   */
  add(entry: Float64Array): number {
    const aw = entry[0]!;
    const al = entry[1]!;
    const from = entry[2]!;
    const fw = entry[3]!;
    const fl = entry[4]!;
    const n = this.length;
    let i = n;
    while (i > 0 && !atOrBefore(this.atWall[i - 1]!, this.atLogical[i - 1]!, aw, al)) i--;
    // The same entry again (a redelivered batch): keep the later time.
    for (let j = i - 1; j >= 0 && this.atWall[j] === aw && this.atLogical[j] === al; j--) {
      if (this.from[j] !== from) continue;
      if (atOrBefore(fw, fl, this.fromWall[j]!, this.fromLogical[j]!)) return -1;
      this.fromWall[j] = fw;
      this.fromLogical[j] = fl;
      return j;
    }
    if (n === this.atWall.length) this.#grow();
    if (i < n) {
      // Rare (an entry older than the node's newest): the later ones move up one.
      this.atWall.copyWithin(i + 1, i, n);
      this.atLogical.copyWithin(i + 1, i, n);
      this.from.copyWithin(i + 1, i, n);
      this.fromWall.copyWithin(i + 1, i, n);
      this.fromLogical.copyWithin(i + 1, i, n);
      this.vc.copyWithin(i + 1, i, n);
      this.vcEpoch.copyWithin(i + 1, i, n);
    }
    this.atWall[i] = aw;
    this.atLogical[i] = al;
    this.from[i] = from;
    this.fromWall[i] = fw;
    this.fromLogical[i] = fl;
    this.vc[i] = NO_VECTOR;
    this.vcEpoch[i] = -1;
    this.length = n + 1;
    return i;
  }

  /** Doubles the columns' room. */
  #grow(): void {
    const size = 2 * this.atWall.length;
    const grow = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.atWall = grow(this.atWall);
    this.atLogical = grow(this.atLogical);
    this.from = grow(this.from);
    this.fromWall = grow(this.fromWall);
    this.fromLogical = grow(this.fromLogical);
    this.vc = grow(this.vc);
    this.vcEpoch = grow(this.vcEpoch);
  }

  /** Where the last lookup ended (the judge's lookups mostly move forward: it judges in canonical order). */
  hint = 0;
  /** The hint of {@link NodeEntries.lastAtOrBeforeDirect}'s lookups (their times move apart from the vectors'). */
  directHint = 0;

  /** {@link NodeEntries.lastAtOrBefore} with a hint of its own (the handoff chain's direct test). */
  lastAtOrBeforeDirect(w: number, l: number): number {
    const shared = this.hint;
    this.hint = this.directHint;
    const i = this.lastAtOrBefore(w, l);
    this.directHint = this.hint;
    this.hint = shared;
    return i;
  }

  /**
   * Index of the last entry at or before (`w`, `l`), -1 when none. Starts
   * from {@link NodeEntries.hint} and gallops from there (a few entries
   * read near the last answer, instead of a binary search over all of
   * them); exact whatever the hint.
   */
  lastAtOrBefore(w: number, l: number): number {
    const aw = this.atWall;
    const al = this.atLogical;
    const n = this.length;
    const h = this.hint < n ? this.hint : n - 1;
    let lo: number;
    let hi: number;
    if (h >= 0 && atOrBefore(aw[h]!, al[h]!, w, l)) {
      // The answer is at h or after: double the step until an entry after (w, l), then search between.
      let known = h;
      let step = 1;
      hi = h + 1;
      while (hi < n && atOrBefore(aw[hi]!, al[hi]!, w, l)) {
        known = hi;
        step *= 2;
        hi = known + step;
      }
      if (hi > n) hi = n;
      lo = known + 1;
    } else {
      lo = 0;
      hi = h < 0 ? 0 : h;
    }
    // The first entry in [lo, hi) after (w, l) (hi when none); every entry before lo is at or before it.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (atOrBefore(aw[mid]!, al[mid]!, w, l)) lo = mid + 1;
      else hi = mid;
    }
    this.hint = lo > 0 ? lo - 1 : 0;
    return lo - 1;
  }

  /** Drops the entries that name node number `from` (a retired node), releasing their vectors; returns how many. */
  dropFrom(from: number, release: (handle: number) => void): number {
    const n = this.length;
    let kept = 0;
    for (let j = 0; j < n; j++) {
      if (this.from[j] === from) {
        release(this.vc[j]!);
        continue;
      }
      if (kept !== j) {
        this.atWall[kept] = this.atWall[j]!;
        this.atLogical[kept] = this.atLogical[j]!;
        this.from[kept] = this.from[j]!;
        this.fromWall[kept] = this.fromWall[j]!;
        this.fromLogical[kept] = this.fromLogical[j]!;
        this.vc[kept] = this.vc[j]!;
        this.vcEpoch[kept] = this.vcEpoch[j]!;
      }
      kept++;
    }
    this.length = kept;
    if (this.hint >= kept) this.hint = kept > 0 ? kept - 1 : 0;
    if (this.directHint >= kept) this.directHint = kept > 0 ? kept - 1 : 0;
    return n - kept;
  }

  /** Drops the entries carried and sent before `wall` (their vector clocks stay with the entries kept), releasing their vectors. */
  prune(wall: number, release: (handle: number) => void): number {
    let k = 0;
    const n = this.length;
    while (k < n - 1 && this.fromWall[k]! < wall && this.atWall[k]! < wall) k++;
    // Only once half can go: each pruning moves the kept entries, so a few at a time would cost
    // every kept one each time (what is kept longer only orders more).
    if (k === 0 || 2 * k < n) return 0;
    for (let j = 0; j < k; j++) release(this.vc[j]!);
    // Moved down in place: the columns keep their room.
    this.atWall.copyWithin(0, k, n);
    this.atLogical.copyWithin(0, k, n);
    this.from.copyWithin(0, k, n);
    this.fromWall.copyWithin(0, k, n);
    this.fromLogical.copyWithin(0, k, n);
    this.vcEpoch.copyWithin(0, k, n);
    this.vc.copyWithin(0, k, n);
    this.length = n - k;
    this.hint = this.hint > k ? this.hint - k : 0;
    this.directHint = this.directHint > k ? this.directHint - k : 0;
    return k;
  }
}
