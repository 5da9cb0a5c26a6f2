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

/**
 * The lanes cleared at the last interval judged in order in a partition.
 *
 * @example A lane cleared by physical time stays cleared while its newest interval is the same
 * ```ts
 * import assert from "node:assert/strict";
 * import { BY_TIME, Clearance } from "./clearance.ts";
 * import { Interval } from "./lanes.ts";
 * const at = (node: string, index: number, wall: number) =>
 *   new Interval({ node, index, boot: "b" }, { nid: index, seq: 0, action: 0, wall, logical: 0, block: 0 });
 * const clear = new Clearance();
 * const top = at("B", 1, 5_000);
 * const judged = at("A", 0, 9_000);
 * clear.set(1, top, BY_TIME);
 * clear.judged(judged, 0, false);
 * const next = at("C", 2, 9_500);
 * assert.equal(clear.last(0), judged);
 * assert.equal(clear.last(1), null); // the dependencies were pruned since
 * const inherit = false; // `next` does not know `judged`
 * assert.equal(clear.holds(1, top, inherit), true);
 * assert.equal(clear.holds(1, at("B", 1, 9_200), inherit), false);
 * clear.reset();
 * assert.equal(clear.holds(1, top, true), false);
 * ```
 */
export class Clearance {
  /** The last interval judged in order (null: none, or what was learnt was reset). */
  #last: Interval | null = null;
  /** Dependency prunings when it was judged. */
  #prunedAt = -1;
  /** Intervals judged in order so far; from which one on each started after the one before it by happened-before. */
  #round = 0;
  #chainFrom = 0;
  /** Per lane: the newest interval before the judged one when the lane was tested, how it was cleared, in which round. */
  readonly #tested: (Interval | null)[] = [];
  readonly #how: number[] = [];
  readonly #setIn: number[] = [];

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

  /**
   * True when lane `lane`, whose newest interval before the judged one is
   * `top`, is still cleared (`inherit`: the judged one inherits from
   * {@link Clearance.last}): by time, or by happened-before along an
   * unbroken chain.
   */
  holds(lane: number, top: Interval, inherit: boolean): boolean {
    if (this.#tested[lane] !== top) return false;
    const how = this.#how[lane]!;
    if (how === BY_TIME) return true;
    return how === BY_CAUSE && inherit && this.#setIn[lane]! >= this.#chainFrom;
  }

  /** Lane `lane` (newest interval `top`) was tested against the interval being judged: `how` it was cleared, or {@link NOT_BEFORE}. */
  set(lane: number, top: Interval, how: number): void {
    while (this.#tested.length <= lane) {
      this.#tested.push(null);
      this.#how.push(NOT_BEFORE);
      this.#setIn.push(-1);
    }
    this.#tested[lane] = top;
    this.#how[lane] = how;
    this.#setIn[lane] = this.#round + 1;
  }

  /**
   * `fresh` was judged in order (`pruned`: dependency prunings so far;
   * `inherited`: it inherited from {@link Clearance.last}): what the lanes
   * learnt is relative to it now.
   */
  judged(fresh: Interval, pruned: number, inherited: boolean): void {
    this.#round++;
    if (!inherited) this.#chainFrom = this.#round;
    this.#last = fresh;
    this.#prunedAt = pruned;
  }

  /** Forgets what was learnt (a late interval, or a lane changed other than at its end). */
  reset(): void {
    this.#last = null;
    this.#tested.fill(null);
  }
}
