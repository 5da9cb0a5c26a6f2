/**
 * The causal judge's queue of one partition (`causal_judge.ts`): the
 * intervals not judged yet, in canonical order of their starts (HLC, then
 * node), kept in a ring that only ever grows, so a busy partition's queue
 * allocates nothing once it is as long as it gets.
 *
 * @module
 */
import type { Interval } from "./lanes.ts";

/**
 * Canonical order of interval starts: HLC, then node.
 *
 * @example Same HLC: node order
 * ```ts
 * import assert from "node:assert/strict";
 * import { Interval } from "./lanes.ts";
 * import { compareStarts } from "./judge_queue.ts";
 * const at = (node: string) =>
 *   new Interval({ node, index: 0, boot: "b" }, { nid: 0, seq: 0, action: 0, wall: 5, logical: 0, block: 0 });
 * assert.ok(compareStarts(at("A"), at("B")) < 0);
 * ```
 */
export function compareStarts(a: Interval, b: Interval): number {
  return a.wall - b.wall || a.logical - b.logical ||
    (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
}

/** Room a queue takes on its first interval (it doubles when full and never shrinks). */
const ROOM_AT_FIRST = 8;

/** The ring of a queue that never held an interval (shared: never written). */
const NONE: (Interval | null)[] = [];
/** The walls of {@link NONE} (shared: never written). */
const NO_WALLS = new Float64Array(0);

/**
 * Intervals not judged yet, in canonical order (`compareStarts`), in a
 * ring buffer: taking the first moves an index, and an interval queued in
 * order (the usual case: events are applied in HLC order) is one write.
 * Each queued interval's start wall is kept beside it, in a ring of
 * doubles of its own ({@link JudgeQueue.firstWall} is the first's), so
 * neither the judge learning that nothing is due, nor taking the first,
 * nor queueing an interval in order reads another interval: a queued
 * interval waits the horizon (seconds), and is out of the cache by then.
 *
 * @example Queued out of order, taken in canonical order
 * ```ts
 * import assert from "node:assert/strict";
 * import { Interval } from "./lanes.ts";
 * import { JudgeQueue } from "./judge_queue.ts";
 * const at = (wall: number) =>
 *   new Interval({ node: "A", index: 0, boot: "b" }, { nid: 0, seq: 0, action: 0, wall, logical: 0, block: 0 });
 * const q = new JudgeQueue();
 * for (const wall of [30, 10, 20]) q.insert(at(wall));
 * assert.equal(q.firstWall, 10);
 * assert.deepEqual([q.shift().wall, q.shift().wall, q.shift().wall], [10, 20, 30]);
 * assert.equal(q.firstWall, Infinity);
 * ```
 */
export class JudgeQueue {
  #ring: (Interval | null)[] = NONE;
  /** The start wall of each interval of `#ring`, at the same index (its start never changes while queued). */
  #walls: Float64Array = NO_WALLS;
  /** Where the first interval is in the ring. */
  #head = 0;
  #count = 0;
  /** The first interval's start wall; Infinity when the queue is empty. */
  firstWall = Infinity;

  /** How many intervals are queued. */
  get length(): number {
    return this.#count;
  }

  /** The `k`-th queued interval (0: the first), in canonical order; throws a `RangeError` past the end. */
  at(k: number): Interval {
    if (!(k >= 0 && k < this.#count)) {
      throw new RangeError(`Judge queue: no interval '${k}', it holds ${this.#count}`);
    }
    return this.#ring[(this.#head + k) & (this.#ring.length - 1)]!;
  }

  /** Queues `i` in canonical order (after every interval that starts before it or at the same point). */
  insert(i: Interval): void {
    if (this.#count === this.#ring.length) this.#grow();
    const ring = this.#ring;
    const walls = this.#walls;
    const mask = ring.length - 1;
    const wall = i.wall;
    let k = this.#count;
    // From the tail: an interval queued in order goes there with no move, and reads no other interval
    // unless their walls tie.
    while (k > 0) {
      const before = (this.#head + k - 1) & mask;
      const w = walls[before]!;
      if (w < wall || (w === wall && compareStarts(ring[before]!, i) <= 0)) break;
      ring[(this.#head + k) & mask] = ring[before]!;
      walls[(this.#head + k) & mask] = w;
      k--;
    }
    ring[(this.#head + k) & mask] = i;
    walls[(this.#head + k) & mask] = wall;
    this.#count++;
    if (k === 0) this.firstWall = wall;
  }

  /** Appends `i` without looking at the order (a restored queue, saved in canonical order). */
  push(i: Interval): void {
    if (this.#count === this.#ring.length) this.#grow();
    const ring = this.#ring;
    const at = (this.#head + this.#count) & (ring.length - 1);
    ring[at] = i;
    this.#walls[at] = i.wall;
    if (this.#count++ === 0) this.firstWall = i.wall;
  }

  /** Takes the first interval; throws a `RangeError` when the queue is empty. */
  shift(): Interval {
    if (this.#count === 0) throw new RangeError("Judge queue: shift of an empty queue");
    const ring = this.#ring;
    const i = ring[this.#head]!;
    // The ring lets go of it (the lane keeps it as long as it is needed).
    ring[this.#head] = null;
    this.#head = (this.#head + 1) & (ring.length - 1);
    this.#count--;
    this.firstWall = this.#count === 0 ? Infinity : this.#walls[this.#head]!;
    return i;
  }

  /** The queued intervals, in canonical order (a new array). */
  toArray(): Interval[] {
    const out: Interval[] = [];
    for (let k = 0; k < this.#count; k++) out.push(this.at(k));
    return out;
  }

  /** Keeps only the queued intervals `keep` accepts, in their order. */
  retain(keep: (i: Interval) => boolean): void {
    const kept = this.toArray().filter(keep);
    this.clear();
    for (const i of kept) this.push(i);
  }

  /** Empties the queue (its room is kept). */
  clear(): void {
    this.#ring.fill(null);
    this.#head = 0;
    this.#count = 0;
    this.firstWall = Infinity;
  }

  /** Doubles the ring's room, its intervals moved to the front in order. */
  #grow(): void {
    const old = this.#ring;
    const oldWalls = this.#walls;
    const size = Math.max(ROOM_AT_FIRST, 2 * old.length);
    const ring: (Interval | null)[] = new Array(size).fill(null);
    const walls = new Float64Array(size);
    for (let k = 0; k < this.#count; k++) {
      const at = (this.#head + k) & (old.length - 1);
      ring[k] = old[at]!;
      walls[k] = oldWalls[at]!;
    }
    this.#ring = ring;
    this.#walls = walls;
    this.#head = 0;
  }
}
