/**
 * What the causal judge (`causal_judge.ts`) learnt, judging one interval,
 * about each other lane: that the lane's intervals older than its newest
 * one before the judged interval all end before the judged interval
 * begins, so none of them can form a cut with it. The next interval judged
 * in the same partition (in canonical order, so its start is at or after
 * the last one's) inherits that without testing again:
 *
 * - a lane cleared by physical time (its older intervals end more than 2S
 *   before the last judged start) stays cleared: walls only grow along the
 *   canonical order;
 * - a lane cleared by happened-before stays cleared when the last judged
 *   start happened before the new one (same node, or the new one's vector
 *   clock knows it): happened-before is transitive, and the vector clocks
 *   the dependency table gives only grow while no entry is pruned.
 *
 * Either holds only while the lane's newest interval before the judged one
 * is the same interval (a lane whose intervals were split or replaced is
 * tested again) and the judged intervals come in order: a late interval,
 * a lane split by an older event, or a pruning of the dependencies resets
 * what was learnt. The search then gives what testing every lane gives; it
 * tests only the lanes whose newest interval changed.
 *
 * @module
 */
import type { Interval } from "./lanes.ts";

/**
 * The lane's older intervals were not shown to end before the judged one.
 *
 * @example The three answers of a test
 * ```ts
 * import assert from "node:assert/strict";
 * import { BY_CAUSE, BY_TIME, NOT_BEFORE } from "./clearance.ts";
 * assert.equal(new Set([NOT_BEFORE, BY_TIME, BY_CAUSE]).size, 3);
 * ```
 */
export const NOT_BEFORE = 0;
/**
 * They end before it by physical time (more than 2S before).
 *
 * @example Physical time is not happened-before
 * ```ts
 * import assert from "node:assert/strict";
 * import { BY_CAUSE, BY_TIME } from "./clearance.ts";
 * assert.notEqual(BY_TIME, BY_CAUSE);
 * ```
 */
export const BY_TIME = 1;
/**
 * They end before it by happened-before.
 *
 * @example A nonzero answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { BY_CAUSE } from "./clearance.ts";
 * assert.ok(BY_CAUSE > 0);
 * ```
 */
export const BY_CAUSE = 2;

/** A lane's status: cleared by physical time (a chain number, 1 and up, says "by cause, in that chain"; 0: not cleared). */
const CLEARED_BY_TIME = -1;

/**
 * The lanes cleared at the last interval judged in order in a partition.
 * Per lane, one number (a typed array, so a search reads no object per
 * lane): not cleared, cleared by time, or cleared by happened-before in
 * chain number c. A chain is a run of judged intervals each of whose
 * starts happened before the next one's: every judgement that does not
 * inherit from the last one starts a new chain ({@link Clearance.begin}),
 * so what an older chain learnt by cause lapses at once. The caller calls
 * {@link Clearance.changed} when a lane's newest interval before the
 * judged one is not the one it was tested with.
 *
 * @example A lane cleared by physical time stays cleared while its newest interval is the same
 * ```ts
 * import assert from "node:assert/strict";
 * import { BY_CAUSE, BY_TIME, Clearance } from "./clearance.ts";
 * import { Interval } from "./lanes.ts";
 * const at = (node: string, index: number, wall: number) =>
 *   new Interval({ node, index, boot: "b" }, { nid: index, seq: 0, action: 0, wall, logical: 0, block: 0 });
 * const clear = new Clearance();
 * const judged = at("A", 0, 9_000);
 * clear.begin(false);
 * clear.set(1, BY_TIME);
 * clear.set(2, BY_CAUSE);
 * clear.judged(judged, 0);
 * assert.equal(clear.last(0), judged);
 * assert.equal(clear.last(1), null); // the dependencies were pruned since
 * // The next judged interval does not know `judged`: a new chain; time still clears lane 1.
 * clear.begin(false);
 * assert.equal(clear.holds(1, false), true);
 * assert.equal(clear.holds(2, false), false);
 * clear.changed(1); // lane 1's newest interval is another one now
 * assert.equal(clear.holds(1, true), false);
 * clear.set(1, BY_TIME);
 * clear.reset();
 * assert.equal(clear.holds(1, true), false);
 * ```
 */
export class Clearance {
  /** The last interval judged in order (null: none, or what was learnt was reset). */
  #last: Interval | null = null;
  /** Dependency prunings when it was judged. */
  #prunedAt = -1;
  /** The current chain's number. */
  #chain = 1;
  /** Per lane: {@link CLEARED_BY_TIME}, the chain it was cleared by cause in, or 0. */
  #status = new Float64Array(16);

  /**
   * The last interval judged in order, when what it learnt may still be
   * inherited: null when nothing was judged since a reset, or the
   * dependencies were pruned since (`pruned` counts prunings). The next
   * interval inherits it when that one's start happened before its own
   * (same node and an earlier HLC, or its vector clock knows it).
   */
  last(pruned: number): Interval | null {
    return pruned === this.#prunedAt ? this.#last : null;
  }

  /** A judgement in order starts (`inherit`: it inherits from {@link Clearance.last}; else a new chain starts). */
  begin(inherit: boolean): void {
    if (!inherit) this.#chain++;
  }

  /**
   * True when lane `lane` is still cleared for the judgement begun
   * (`inherit` as given to {@link Clearance.begin}): by time, or by
   * happened-before along the unbroken chain.
   */
  holds(lane: number, inherit: boolean): boolean {
    const s = lane < this.#status.length ? this.#status[lane]! : 0;
    return s === CLEARED_BY_TIME || (inherit && s === this.#chain);
  }

  /** Lane `lane` was tested against the interval being judged: `how` it was cleared, or {@link NOT_BEFORE}. */
  set(lane: number, how: number): void {
    if (lane >= this.#status.length) {
      const grown = new Float64Array(Math.max(2 * this.#status.length, lane + 1));
      grown.set(this.#status);
      this.#status = grown;
    }
    this.#status[lane] = how === BY_TIME ? CLEARED_BY_TIME : how === BY_CAUSE ? this.#chain : 0;
  }

  /** Lane `lane`'s newest interval before the judged one changed: what it learnt no longer holds. */
  changed(lane: number): void {
    if (lane < this.#status.length) this.#status[lane] = 0;
  }

  /** `fresh` was judged in order (`pruned`: dependency prunings so far): what the lanes learnt is relative to it now. */
  judged(fresh: Interval, pruned: number): void {
    this.#last = fresh;
    this.#prunedAt = pruned;
  }

  /** Forgets what was learnt (a late interval, or a lane changed other than at its end). */
  reset(): void {
    this.#last = null;
    this.#status.fill(0);
  }
}
