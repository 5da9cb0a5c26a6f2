/**
 * A node's state interval in one partition (`Interval`, with its flags
 * packed in one field) and the searches over a lane of them (a lane: one
 * participant's intervals in start order), which the causal judge's lanes
 * (`lanes.ts`, `CausalPartition`) hold.
 *
 * @module
 */
import { NO_VECTOR } from "./happened_before.ts";
import { compareStarts } from "./judge_queue.ts";

/** Where an interval starts: the node's number in the dependency table, the start event, the state block. */
export interface IntervalStart {
  readonly nid: number;
  readonly seq: number;
  readonly action: number;
  readonly wall: number;
  readonly logical: number;
  readonly block: number;
  /** The start event's first dependency carried from ingest (`AppliedEvent.depFrom`; absent or -1: none). */
  readonly depFrom?: number;
  readonly depBefore?: number;
  readonly depLogical?: number;
  readonly depRetired?: number;
}

/**
 * One node's state over a stretch of its events in one partition: from
 * its start event to the node's next event there (open while none).
 *
 * @example An open interval of node A's lane 0, starting at HLC (1 000, 0)
 * ```ts
 * import assert from "node:assert/strict";
 * import { Interval } from "./interval.ts";
 * const i = new Interval({ node: "A", index: 0, boot: "b1" }, {
 *   nid: 0, seq: 3, action: 0, wall: 1_000, logical: 0, block: 0,
 * });
 * assert.equal(i.endWall, Infinity);
 * ```
 */
export class Interval {
  // The start wall has an initializer of its kind (-Infinity: a double field, written in place), as
  // the end wall has: declared bare (a tagged field), every interval started wrote a new heap number
  // to it, which lived as long as the interval (copied by the young generation's collector, and from
  // a pooled interval, old, a pointer to a young object: the write barrier's slow path). Measured
  // without `--predictable`, 16 nodes, `bench/causal_bench.ts`'s workload, 12 runs after 3 warm-ups
  // (total_allocated_bytes, twice each): 59.8 and 59.4 bytes per event bare, 54.3 and 53.4 with the
  // initializer. (With `--predictable`, an earlier layout measured the opposite, 8 bytes more per
  // event, reads of the wall passed to calls V8 did not inline being boxed.) The other start fields
  // are declared bare: small integers, never boxed.
  // Fields are laid out in declaration order (8 bytes each, after a 24-byte header): the ones the
  // lane's pruning reads of an interval seconds old (end, block, flags) and the handoff chain's
  // (start wall, node number) come first, so that these reads touch one cache line, not three.
  /** End event (the lane's next interval's start, or in a lane of P-intervals only the event that left P): Infinity while open. */
  endWall = Infinity;
  /** The byte offset of its state block in the partition's {@link StateArena} (set once, when it starts). */
  block!: number;
  /** {@link Interval.queued}, {@link Interval.dropped}, {@link Interval.behind}: one field (each costs 8 bytes per interval). */
  #flags = 0;
  /** Start event's HLC wall (this and the other start fields are set by the constructor and {@link Interval.reset} only). */
  wall = -Infinity;
  /** The node's number in the dependency table. */
  nid!: number;
  /** Start event's HLC logical part, sequence number (-1 for none) and action index. */
  logical!: number;
  seq!: number;
  action!: number;
  endLogical = 0;
  /** The end event's sequence number and action index, set where no interval starts at the end (a lane of P-intervals only, `CausalPartition.sparse`); -1 otherwise. */
  endSeq = -1;
  endAction = -1;
  /** The node's name, its lane, its boot. */
  node!: string;
  lane!: number;
  boot!: string;
  /** The id of the state's projection onto what the global check reads, as of `CutVerdicts` epoch `pidEpoch` (-1: not interned). */
  pid = -1;
  pidEpoch = -1;
  /** The handle of the vector clock at the start (`NO_VECTOR`: nothing known), as of the node's dependency generation `vcGen` (-1: not computed). */
  vc = NO_VECTOR;
  vcGen = -1;
  /**
   * The start event's first dependency as recorded at ingest: its sender's
   * number in the dependency table (-1: none), its stamp (ms before
   * {@link Interval.wall}, a small integer: no double field to box, and its
   * logical), and the table's retirements then (`ExclusionLanes.#handedOn`
   * tests it before a lookup).
   */
  depFrom = -1;
  depBefore = 0;
  depLogical = 0;
  depRetired = 0;

  constructor(
    participant: { readonly node: string; readonly index: number; readonly boot: string },
    start: IntervalStart,
  ) {
    // The fields exist already, in declaration order (their definitions run first): this only sets them.
    this.reset(participant, start);
  }

  /**
   * Makes this interval a new one, as the constructor does: the causal
   * judge reuses intervals its lanes dropped once nothing refers to them
   * any more (`LanePruning.pool`), so a busy partition allocates none.
   * Its start fields are written only here (the constructor calls it).
   */
  reset(
    participant: { readonly node: string; readonly index: number; readonly boot: string },
    start: IntervalStart,
  ): void {
    this.node = participant.node;
    this.nid = start.nid;
    this.lane = participant.index;
    this.boot = participant.boot;
    this.seq = start.seq;
    this.action = start.action;
    this.wall = start.wall;
    this.logical = start.logical;
    this.block = start.block;
    this.endWall = Infinity;
    this.endLogical = 0;
    this.endSeq = -1;
    this.endAction = -1;
    this.#flags = 0;
    this.pid = -1;
    this.pidEpoch = -1;
    this.vc = NO_VECTOR;
    this.vcGen = -1;
    this.depFrom = start.depFrom ?? -1;
    this.depBefore = start.depBefore ?? 0;
    this.depLogical = start.depLogical ?? 0;
    this.depRetired = start.depRetired ?? 0;
  }

  /** True while it waits in the queue to be judged (its block is kept even if the lane drops it). */
  get queued(): boolean {
    return (this.#flags & QUEUED) !== 0;
  }
  set queued(on: boolean) {
    this.#flags = on ? this.#flags | QUEUED : this.#flags & ~QUEUED;
  }

  /** True once its lane dropped it (its block is freed when it leaves the queue). */
  get dropped(): boolean {
    return (this.#flags & DROPPED) !== 0;
  }
  set dropped(on: boolean) {
    this.#flags = on ? this.#flags | DROPPED : this.#flags & ~DROPPED;
  }

  /** Queued behind the horizon (it arrived late): judged against every interval known, later ones too. */
  get behind(): boolean {
    return (this.#flags & BEHIND) !== 0;
  }
  set behind(on: boolean) {
    this.#flags = on ? this.#flags | BEHIND : this.#flags & ~BEHIND;
  }
}

const QUEUED = 1;
const DROPPED = 2;
const BEHIND = 4;

/**
 * Index of the last interval of `lane` (sorted by start) starting before
 * `i` in canonical order, -1 when none.
 *
 * @example Two intervals start before one at wall 20
 * ```ts
 * import assert from "node:assert/strict";
 * import { Interval, lastBefore } from "./interval.ts";
 * const at = (wall: number) =>
 *   new Interval({ node: "A", index: 0, boot: "b" }, { nid: 0, seq: 0, action: 0, wall, logical: 0, block: 0 });
 * assert.equal(lastBefore([at(5), at(10), at(30)], at(20)), 1);
 * ```
 */
export function lastBefore(lane: readonly Interval[], i: Interval): number {
  // Most lanes have only their newest few intervals after `i`: look there first.
  let k = lane.length - 1;
  for (let steps = 0; k >= 0 && steps < 4; steps++, k--) {
    const c = lane[k]!;
    if (c.wall < i.wall || (c.wall === i.wall && compareStarts(c, i) < 0)) return k;
  }
  let lo = 0;
  let hi = k + 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareStarts(lane[mid]!, i) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * {@link lastBefore}, starting from `hint`: the index a search for an
 * earlier interval gave (judgement moves forward in canonical order, so the
 * answer is there or a few intervals on). Exact whatever the hint: a hint
 * past the answer falls back to the binary search.
 *
 * @example The hint of the previous search
 * ```ts
 * import assert from "node:assert/strict";
 * import { Interval, lastBeforeFrom } from "./interval.ts";
 * const at = (wall: number) =>
 *   new Interval({ node: "A", index: 0, boot: "b" }, { nid: 0, seq: 0, action: 0, wall, logical: 0, block: 0 });
 * const lane = [at(5), at(10), at(30), at(40)];
 * assert.equal(lastBeforeFrom(lane, at(20), 0), 1);
 * assert.equal(lastBeforeFrom(lane, at(35), 1), 2);
 * assert.equal(lastBeforeFrom(lane, at(7), 3), 0);
 * assert.equal(lastBeforeFrom(lane, at(1), -1), -1);
 * assert.equal(lastBeforeFrom(lane, at(12), -3), 1); // a hint its lane's pruning moved below the first

 * ```
 */
export function lastBeforeFrom(lane: readonly Interval[], i: Interval, hint: number): number {
  const n = lane.length;
  let k = hint < n ? (hint < -1 ? -1 : hint) : n - 1;
  if (k >= 0 && !startsBefore(lane[k]!, i)) return lastBefore(lane, i);
  for (let steps = 0; k + 1 < n && startsBefore(lane[k + 1]!, i); k++) {
    if (++steps > 8) return lastBefore(lane, i);
  }
  return k;
}

function startsBefore(c: Interval, i: Interval): boolean {
  return c.wall < i.wall || (c.wall === i.wall && compareStarts(c, i) < 0);
}

/**
 * True when every lane is contiguous: each interval ends where the next
 * one of its lane starts.
 *
 * @example A gap where an interval was left out
 * ```ts
 * import assert from "node:assert/strict";
 * import { contiguous, Interval } from "./interval.ts";
 * const at = (wall: number, end: number) => {
 *   const i = new Interval({ node: "A", index: 0, boot: "b" }, { nid: 0, seq: 0, action: 0, wall, logical: 0, block: 0 });
 *   i.endWall = end;
 *   return i;
 * };
 * assert.equal(contiguous([[at(5, 10), at(10, Infinity)]]), true);
 * assert.equal(contiguous([[at(5, 8), at(10, Infinity)]]), false);
 * ```
 */
export function contiguous(lanes: readonly (readonly Interval[])[]): boolean {
  for (const lane of lanes) {
    for (let k = 0; k + 1 < lane.length; k++) {
      const a = lane[k]!;
      const b = lane[k + 1]!;
      if (a.endWall !== b.wall || a.endLogical !== b.logical) return false;
    }
  }
  return true;
}

/** The lane's newest interval when its end is open, else null. */
export function openEnd(lane: readonly Interval[]): Interval | null {
  const last = lane.length === 0 ? null : lane[lane.length - 1]!;
  return last !== null && last.endWall === Infinity ? last : null;
}
