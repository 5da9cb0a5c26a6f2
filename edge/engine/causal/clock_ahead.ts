/**
 * Nodes whose clocks run ahead of the others' by more than the skew bound
 * allows: the causal judge assumes every clock within S of true time, so
 * two nodes' walls differ by at most 2S. A node whose batches carry walls
 * further ahead than that (and the reorder window) of every other node's
 * newest wall breaks the assumption: its walls move its partitions'
 * horizons early. The judge no longer prunes its dependencies by the
 * newest wall (see `dependency_recording.ts`), so such a node
 * costs memory, not verdicts; it is detected here, once per batch, and said
 * once per node.
 *
 * The reference is the newest wall of any other node, moved on by the
 * collector clock since it was seen (so that one node sending alone while
 * the others are quiet is not taken as ahead).
 *
 * @module
 */

/**
 * Watches the walls batches carry, per batch: the newest wall of all
 * (and its node), and the newest of any other node.
 *
 * @example One node 5 s ahead of two others
 * ```ts
 * import assert from "node:assert/strict";
 * import { ClockAhead } from "./clock_ahead.ts";
 *
 * const watch = new ClockAhead(2 * 500 + 250);
 * assert.equal(watch.batch("a", 10_000, 0), -1);
 * assert.equal(watch.batch("b", 10_010, 0), -1);
 * assert.equal(watch.batch("c", 15_020, 10), 5_010); // said once
 * assert.equal(watch.batch("c", 15_030, 20), -1);
 * assert.deepEqual(watch.nodes, ["c"]);
 * ```
 */
export class ClockAhead {
  /** How far ahead of the others a node's wall may be (ms): 2S and the reorder window. */
  readonly #toleranceMs: number;
  #top = -Infinity;
  #topNode = "";
  /** The newest wall of any node but `#topNode`, and the collector clock when it was seen. */
  #other = -Infinity;
  #otherAt = 0;
  readonly #ahead = new Set<string>();
  #found = 0;

  /** A watch that takes a node as ahead once its walls lead the others' by more than `toleranceMs`. */
  constructor(toleranceMs: number) {
    this.#toleranceMs = toleranceMs;
  }

  /**
   * Node `node`'s batch carries walls up to `wall`, at collector clock
   * `now`. Returns how far ahead of the others (ms) the node is the first
   * time it is found ahead, else -1.
   */
  batch(node: string, wall: number, now: number): number {
    if (node === this.#topNode) {
      if (wall > this.#top) this.#top = wall;
    } else if (wall > this.#top) {
      // A new leader: the old one's newest wall is the others' newest now.
      if (this.#top > this.#other) {
        this.#other = this.#top;
        this.#otherAt = now;
      }
      this.#top = wall;
      this.#topNode = node;
    } else if (wall > this.#other) {
      this.#other = wall;
      this.#otherAt = now;
    }
    if (node !== this.#topNode || this.#other === -Infinity) return -1;
    const lead = wall - this.#other - Math.max(0, now - this.#otherAt);
    if (lead <= this.#toleranceMs || this.#ahead.has(node)) return -1;
    this.#ahead.add(node);
    this.#found++;
    return lead;
  }

  /** The nodes found ahead so far, in the order found. */
  get nodes(): readonly string[] {
    return [...this.#ahead];
  }

  /** How many times a node was found ahead (a counter: a node retired and found ahead again counts twice). */
  get count(): number {
    return this.#found;
  }

  /** Node `node` left (`CausalJudge.retireNode`): when it comes back, it is watched afresh. */
  forget(node: string): void {
    this.#ahead.delete(node);
  }
}
