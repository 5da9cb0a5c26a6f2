/**
 * The causal judge's lanes (`causal_judge.ts`): per partition and node,
 * the intervals of the node's state in start order (`interval.ts`: the
 * interval and the searches over a lane, re-exported here), what a
 * partition keeps besides (queue, episode, state arena), and the
 * canonical order of interval starts.
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import type { Hlc } from "../types.ts";
import type { CutVerdicts } from "./cut_verdicts.ts";
import type { StateArena } from "./state_arena.ts";
import { Clearance } from "./clearance.ts";
import { compareStarts, JudgeQueue } from "./judge_queue.ts";
import type { Interval } from "./interval.ts";

export { compareStarts };
export {
  contiguous,
  Interval,
  type IntervalStart,
  lastBefore,
  lastBeforeFrom,
  openEnd,
} from "./interval.ts";

/**
 * Intervals kept per lane at most (the oldest closed ones go first).
 *
 * @example The cap
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_LANE } from "./lanes.ts";
 * assert.equal(MAX_LANE, 256);
 * ```
 */
export const MAX_LANE = 256;

/**
 * Every this many events applied to a partition, the causal judge prunes
 * one more of its lanes, in turn, by the partition's horizon
 * ({@link CausalPartition.sweep}): a power of two.
 *
 * @example Every eighth event
 * ```ts
 * import assert from "node:assert/strict";
 * import { SWEEP_EVERY } from "./lanes.ts";
 * assert.equal(SWEEP_EVERY, 8);
 * ```
 */
export const SWEEP_EVERY = 8;

/** Room for lanes a partition's per-lane numbers start with. */
const LANES_AT_FIRST = 8;

/**
 * State changes outside P a lane of P-intervals only keeps (the newest),
 * so an older event arriving within that stretch finds where its own state
 * ended ({@link CausalPartition.logGap}).
 *
 * @example Eight per lane
 * ```ts
 * import assert from "node:assert/strict";
 * import { GAP_LOG } from "./lanes.ts";
 * assert.equal(GAP_LOG, 8);
 * ```
 */
export const GAP_LOG = 8;

/** The gap log of a partition none of whose lanes logged a change yet (never written: see {@link CausalPartition.logGap}). */
const NO_GAPS = new Float64Array(0);

/** A failing cut found in an episode. */
export interface Found {
  readonly cut: readonly Interval[];
  /** Its smallest failing subset. */
  readonly failing: readonly Interval[];
  readonly code: number;
  /** True for the cut of the merge order (every other node at its newest interval). */
  readonly base: boolean;
  /** The state block of each interval of `cut` (copies: the arena reuses blocks). */
  readonly states: readonly Uint8Array[];
  /**
   * What `failing` was last found to coexist with (`Episodes.recheck`): per
   * failing interval, its node's dependency generation and its end (wall,
   * logical); absent until checked. Whether two intervals coexist depends
   * on nothing else, so an unchanged record needs no new test.
   */
  checked?: number[];
  /**
   * Where it was found (`Episodes.join`): the HLC of the interval judged
   * and the collector clock then. When `Episodes.recheck` drops the cut
   * that opened the episode, the episode starts at its earliest kept
   * cut's, as if the dropped one had never been found.
   */
  detected?: FoundAt;
}

/** Where a cut was found: the judged interval's HLC (`wall`, `logical`) and the collector clock (`now`). */
export interface FoundAt {
  readonly wall: number;
  readonly logical: number;
  readonly now: number;
}

/** An open episode of a partition. */
export interface Episode {
  readonly code: number;
  /** Its start: where its earliest kept cut was found (moves later when `Episodes.recheck` drops that cut). */
  at: Hlc;
  /** `at`'s wall: the raise point counts from it. */
  detectWall: number;
  /** The collector clock when its earliest kept cut was found. */
  detectedAt: number;
  readonly found: Found[];
  /** The wall of its last failing cut: the latest kept one's, or `skippedWall` (recomputed when `Episodes.recheck` drops cuts). */
  lastWall: number;
  /** The latest wall at which cuts past the 64 kept were found (not kept, so never rechecked); -Infinity if none. */
  skippedWall: number;
  raised: boolean;
}

/**
 * What the causal judge keeps of one partition: its lanes (one per
 * participant, intervals in start order), the queue of intervals not
 * judged yet, the open episode, and where its states are kept.
 *
 * @example A partition's causal side starts empty
 * ```ts
 * import assert from "node:assert/strict";
 * import { CausalPartition } from "./lanes.ts";
 * import { StateArena } from "./state_arena.ts";
 * import { CutVerdicts } from "./cut_verdicts.ts";
 * const cp = new CausalPartition(new StateArena(4), new CutVerdicts({ stride: 4, slots: [{ offset: 0, width: 4 }] }));
 * assert.equal(cp.lanes.length + cp.queue.length, 0);
 * assert.equal(cp.episode, null);
 * ```
 */
export class CausalPartition {
  readonly lanes: Interval[][] = [];
  /** The state blocks of its intervals. */
  readonly arena: StateArena;
  /** Its spec's projections and cut verdicts. */
  readonly memo: CutVerdicts;
  episode: Episode | null = null;
  /** Intervals not judged yet, in canonical order (HLC, then node). */
  readonly queue: JudgeQueue = new JudgeQueue();
  /** The horizon judgement last reached. */
  horizon = -Infinity;
  /**
   * Per lane: where the last search for the newest interval before a
   * judged one ended (see {@link lastBeforeFrom}; -1: none). This and the
   * other per-lane numbers are typed arrays (room for
   * {@link CausalPartition.fit}'s lanes), so a search reads a few cache
   * lines per partition, not an object per lane.
   */
  hints: Int32Array = new Int32Array(LANES_AT_FIRST).fill(-1);
  /** What the last interval judged in order learnt of the other lanes. */
  readonly clearance: Clearance = new Clearance();
  /** True while some lane has an interval whose end is not its successor's start (restored from a snapshot that left intervals out). */
  gappy = false;
  /**
   * What the last search in order found per lane, kept for the next one
   * (`cut_search.ts`): while it {@link CausalPartition.tracks} the lanes,
   * a lane not marked `moved` has the same newest interval before the next
   * interval judged in order (`tops`, at index `hints`), so the search
   * reads these numbers instead of the lane's intervals.
   */
  readonly tops: (Interval | null)[] = [];
  /** Per lane: its interval judged last in order (null: none yet); while `tops` are tracked, its newest interval before the next one judged. */
  readonly judged: (Interval | null)[] = [];
  /** Per lane: 1 when its newest interval before the next judged one may have changed (an interval of it was judged). */
  moved: Uint8Array = new Uint8Array(LANES_AT_FIRST).fill(1);
  /** Per lane: its node's number in the dependency table (known once it had an interval). */
  nids: Int32Array = new Int32Array(LANES_AT_FIRST).fill(-1);
  /**
   * Per lane holding two or more intervals: a lower bound of its oldest
   * interval's end wall (-Infinity: none known), so that the judge's
   * pruning learns that nothing is due from this array, not from the
   * lane's intervals (out of the cache by then: a lane's interval lives
   * seconds). Set by the pruning; anything that places an interval other
   * than at the lane's end, or moves an end earlier, sets it to -Infinity.
   */
  floors: Float64Array = new Float64Array(LANES_AT_FIRST).fill(-Infinity);
  /** True once two lanes have the same node (a search in order then visits every lane). */
  sharedNodes = false;
  /**
   * The lanes the next search in order visits when it inherits (the
   * others are cleared, or have no older interval, and did not move): the
   * lane judged last, lanes with no interval before the judged one, lanes
   * not cleared; `watchCount` of them, `watched` marks them per lane.
   */
  watch: Int32Array = new Int32Array(LANES_AT_FIRST);
  /** Per lane: 1 while it is among the first `watchCount` of `watch`. */
  watched: Uint8Array = new Uint8Array(LANES_AT_FIRST);
  /** How many lanes `watch` holds. */
  watchCount = 0;
  /**
   * The merge order cut's key (`cut_search.ts`): per lane, the projection
   * id of its `tops` interval (-1: none), as of the memo's epoch
   * `cutEpoch` (-1: to be built again) for `cutLanes` lanes, and a hash of
   * them kept as a sum of one term per lane (a lane's change is one update).
   */
  cutIds: Int32Array = new Int32Array(LANES_AT_FIRST);
  cutHash = 0;
  cutEpoch = -1;
  cutLanes = 0;
  /** Bumped whenever what a snapshot saves of this side may have changed (`PartitionSnapshot.causal` is written again only then). */
  changes = 0;
  /** The lane count `tops` was complete for; -1 when they must be found again (see {@link CausalPartition.untrack}). */
  tracked = -1;
  /**
   * True when the lanes hold only the intervals whose state satisfies the
   * exclusion spec's predicate P (`CutVerdicts.exclusion`): a state that
   * does not is a stretch between one interval's explicit end and the
   * next interval's start (`docs/causality.md`, "Lanes of P-intervals").
   */
  sparse = false;
  /**
   * In a sparse partition: the last P-interval judged in order, and
   * whether every P-interval judged before it (in canonical order) is
   * proved to end before it begins (the handoff chain: a new P-interval
   * whose start follows this one's end extends it with no search).
   */
  chainLast: Interval | null = null;
  chain = false;

  /**
   * True when some interval was judged before the horizon passed its start
   * (on arrival: the handoff chain extended to it, `CausalJudge`'s
   * `#early`) and the horizon has not passed it yet: the chain's last then
   * is one (the newest judged).
   */
  earlyPending(): boolean {
    const last = this.chainLast;
    return last !== null && last.wall >= this.horizon;
  }

  /**
   * The intervals of the lanes judged on arrival whose start the horizon
   * has not passed yet (see {@link CausalPartition.earlyPending}), in
   * canonical order: those not queued with a start the horizon has not
   * passed (an interval judged once the horizon passed it starts before
   * it). Empty unless {@link CausalPartition.earlyPending}.
   */
  judgedEarly(): Interval[] {
    if (!this.earlyPending()) return [];
    const out: Interval[] = [];
    for (const lane of this.lanes) {
      for (let k = lane.length - 1; k >= 0; k--) {
        const i = lane[k]!;
        if (i.wall < this.horizon) break;
        if (!i.queued && i.seq >= 0) out.push(i);
      }
    }
    return out.sort(compareStarts);
  }
  /** True while the judge watches the partition (an episode or intervals pending). */
  watching = false;
  /**
   * The judge's sweep of the lanes (`CausalJudge.applied`): events applied
   * to the partition, and the lane the sweep pruned last. Every
   * {@link SWEEP_EVERY}th event prunes the next lane by the partition's
   * horizon as well as the event's own, so a lane whose node went quiet
   * drops what no judgement can meet any more.
   */
  sweep = 0;
  sweepLane = 0;
  /**
   * Per lane of a sparse partition: the arena block of its state while outside P (-1: in P, or not
   * known). A lane with a block here has no open P-interval (`ExclusionLanes.applied` reads no
   * interval of it then).
   */
  gapBlock: Int32Array = new Int32Array(LANES_AT_FIRST).fill(-1);
  /**
   * Per lane of a sparse partition: its newest {@link GAP_LOG} state
   * changes outside P (sequence number, HLC wall, logical, action), oldest first,
   * `gapCount` of them; `gapLost` 1 once an older one was let go. Empty
   * until a lane first logs a change (most partitions never do: 4 KB each
   * at 16 lanes); then room for every lane ({@link CausalPartition.fit}'s).
   * Read only where `gapCount` says an entry is kept.
   */
  gapLog: Float64Array = NO_GAPS;
  gapCount: Uint8Array = new Uint8Array(LANES_AT_FIRST);
  gapLost: Uint8Array = new Uint8Array(LANES_AT_FIRST);
  /** Per lane: where its oldest kept entry of `gapLog` is (the log is a ring). */
  gapHead: Uint8Array = new Uint8Array(LANES_AT_FIRST);

  /** Makes room in the per-lane numbers and `tops` for `n` lanes. */
  fit(n: number): void {
    while (this.tops.length < n) this.tops.push(null);
    while (this.judged.length < n) this.judged.push(null);
    if (n <= this.hints.length) return;
    const size = Math.max(n, 2 * this.hints.length);
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(
      a: T,
      make: (size: number) => T,
      fill: number,
    ) => {
      const b = make(size).fill(fill) as T;
      b.set(a);
      return b;
    };
    this.hints = grow(this.hints, (k) => new Int32Array(k), -1);
    this.moved = grow(this.moved, (k) => new Uint8Array(k), 1);
    this.nids = grow(this.nids, (k) => new Int32Array(k), -1);
    this.floors = grow(this.floors, (k) => new Float64Array(k), -Infinity);
    this.watch = grow(this.watch, (k) => new Int32Array(k), 0);
    this.watched = grow(this.watched, (k) => new Uint8Array(k), 0);
    this.cutIds = grow(this.cutIds, (k) => new Int32Array(k), -1);
    this.gapBlock = grow(this.gapBlock, (k) => new Int32Array(k), -1);
    this.gapCount = grow(this.gapCount, (k) => new Uint8Array(k), 0);
    this.gapLost = grow(this.gapLost, (k) => new Uint8Array(k), 0);
    this.gapHead = grow(this.gapHead, (k) => new Uint8Array(k), 0);
    if (this.gapLog.length > 0) this.#gapRoom(size);
  }

  /** Makes {@link CausalPartition.gapLog} hold `lanes` lanes, keeping its entries. */
  #gapRoom(lanes: number): void {
    const log = new Float64Array(lanes * GAP_LOG * 4);
    log.set(this.gapLog);
    this.gapLog = log;
  }

  /** Lane `z` changed state outside P at event `seq` (action `action`), HLC (`wall`, `logical`): kept in its {@link CausalPartition.gapLog}, in sequence order. */
  logGap(z: number, at: { seq: number; wall: number; logical: number; action: number }): void {
    if (this.gapLog.length === 0) this.#gapRoom(this.gapCount.length);
    const log = this.gapLog;
    const base = z * GAP_LOG * 4;
    const seq = at.seq;
    const n = this.gapCount[z]!;
    const h = this.gapHead[z]!;
    if (n > 0 && !(seq > log[base + 4 * ((h + n - 1) % GAP_LOG)]!)) {
      this.#logOlder(z, at);
      return;
    }
    // In order (the usual case): appended, the oldest let go of when full.
    let k = n;
    if (n === GAP_LOG) {
      this.gapHead[z] = (h + 1) % GAP_LOG;
      this.gapLost[z] = 1;
      k = GAP_LOG - 1;
    } else this.gapCount[z] = n + 1;
    const o = base + 4 * ((this.gapHead[z]! + k) % GAP_LOG);
    log[o] = seq;
    log[o + 1] = at.wall;
    log[o + 2] = at.logical;
    log[o + 3] = at.action;
  }

  /** {@link CausalPartition.logGap} of an event older than the lane's newest kept (rare): put in its place. */
  #logOlder(z: number, at: { seq: number; wall: number; logical: number; action: number }): void {
    const n = this.gapCount[z]!;
    const entries: number[][] = [];
    for (let k = 0; k < n; k++) {
      const o = this.gapOffset(z, k);
      entries.push([
        this.gapLog[o]!,
        this.gapLog[o + 1]!,
        this.gapLog[o + 2]!,
        this.gapLog[o + 3]!,
      ]);
    }
    if (entries.some((e) => e[0] === at.seq)) return;
    entries.push([at.seq, at.wall, at.logical, at.action]);
    entries.sort((a, b) => a[0]! - b[0]!);
    if (entries.length > GAP_LOG) {
      entries.shift();
      this.gapLost[z] = 1;
    }
    this.gapHead[z] = 0;
    this.gapCount[z] = entries.length;
    entries.forEach((e, k) => this.gapLog.set(e, z * GAP_LOG * 4 + 4 * k));
  }

  /** Where entry `k` (0: the oldest kept) of lane `z`'s {@link CausalPartition.gapLog} is: its sequence number, then HLC wall, logical and action. */
  gapOffset(z: number, k: number): number {
    return z * GAP_LOG * 4 + 4 * ((this.gapHead[z]! + k) % GAP_LOG);
  }

  /**
   * The first state change outside P of lane `z` kept after event `seq`
   * (its entry number, see {@link CausalPartition.gapOffset}), -1 when
   * none is kept.
   */
  gapAfter(z: number, seq: number): number {
    const n = this.gapCount[z]!;
    for (let k = 0; k < n; k++) if (this.gapLog[this.gapOffset(z, k)]! > seq) return k;
    return -1;
  }

  /** Sets lane `z`'s {@link CausalPartition.floors} entry (room made for it). */
  floor(z: number, wall: number): void {
    if (z >= this.floors.length) this.fit(z + 1);
    this.floors[z] = wall;
  }

  /** Lane `z`'s node is node number `nid` (set once: a lane's node never changes). */
  nodeOf(z: number, nid: number): void {
    for (let y = 0; y < this.nids.length; y++) if (this.nids[y] === nid) this.sharedNodes = true;
    this.nids[z] = nid;
  }

  /** True when `tops` hold for all `n` lanes (see {@link CausalPartition.tops}). */
  tracks(n: number): boolean {
    return this.tracked === n;
  }

  /**
   * The lanes changed other than by intervals judged in order (a late
   * interval, a lane split by an older event, a restore, a cap drop): the
   * next search finds every lane's newest interval again.
   */
  untrack(): void {
    this.tracked = -1;
    this.cutEpoch = -1;
  }

  constructor(arena: StateArena, memo: CutVerdicts) {
    this.arena = arena;
    this.memo = memo;
  }

  /**
   * Inserts `interval` into its lane right after the lane's interval
   * `after` (-1: the lane is empty), which it closes and whose end it
   * takes (open for the lane's newest).
   */
  insertAfter(interval: Interval, after: number): void {
    const lane = this.lanes[interval.lane]!;
    const before = lane[after];
    if (before !== undefined) {
      interval.endWall = before.endWall;
      interval.endLogical = before.endLogical;
      before.endWall = interval.wall;
      before.endLogical = interval.logical;
    }
    if (after === lane.length - 1) {
      // Appended: the lane's oldest interval is the same one (see `CausalPartition.floors`), unless
      // the lane was empty.
      if (before === undefined) this.floor(interval.lane, -Infinity);
      lane.push(interval);
    } else {
      lane.splice(after + 1, 0, interval);
      // An end moved earlier, perhaps the oldest interval's.
      this.floor(interval.lane, -Infinity);
      this.untrack();
    }
  }

  /**
   * Removes lane `z` (its participant is retired): the lanes after it move
   * down one, with their per-lane numbers and their intervals' `lane`;
   * what was learnt of the lanes is forgotten (the next search finds every
   * lane's newest interval again). Returns the lane's intervals: the
   * caller frees their blocks and takes them out of the queue and the
   * episode. Intervals of later lanes that the lanes no longer hold (in
   * the queue or an episode's cuts) are the caller's to renumber.
   */
  removeLane(z: number): Interval[] {
    const lanes = this.lanes;
    if (this.chainLast !== null && this.chainLast.lane === z) {
      this.chainLast = null;
      this.chain = false;
    }
    const lane = z < lanes.length ? lanes.splice(z, 1)[0]! : [];
    for (let y = z; y < lanes.length; y++) for (const i of lanes[y]!) i.lane = y;
    if (z < this.tops.length) this.tops.splice(z, 1);
    if (z < this.judged.length) this.judged.splice(z, 1);
    const n = this.hints.length;
    if (z < n) {
      const down = (a: Int32Array | Uint8Array | Float64Array, fill: number) => {
        a.copyWithin(z, z + 1);
        a[n - 1] = fill;
      };
      const gap = this.gapBlock[z]!;
      if (gap >= 0) this.arena.free(gap);
      down(this.hints, -1);
      down(this.moved, 1);
      down(this.nids, -1);
      down(this.floors, -Infinity);
      down(this.cutIds, -1);
      down(this.gapBlock, -1);
      down(this.gapCount, 0);
      down(this.gapLost, 0);
      down(this.gapHead, 0);
      if (this.gapLog.length > 0) {
        const per = GAP_LOG * 4;
        this.gapLog.copyWithin(z * per, (z + 1) * per);
        this.gapLog.fill(0, (n - 1) * per);
      }
      // The lanes watched, renumbered (lane z's left out).
      let kept = 0;
      for (let k = 0; k < this.watchCount; k++) {
        const y = this.watch[k]!;
        if (y !== z) this.watch[kept++] = y > z ? y - 1 : y;
      }
      this.watchCount = kept;
      down(this.watched, 0);
    }
    this.sharedNodes = false;
    for (let y = 0; y < lanes.length && y < n; y++) {
      const nid = this.nids[y]!;
      for (let x = 0; x < y && nid >= 0; x++) if (this.nids[x] === nid) this.sharedNodes = true;
    }
    if (this.sweepLane >= lanes.length) this.sweepLane = 0;
    this.clearance.reset();
    this.untrack();
    return lane;
  }

  /** Copies participant instance `inst`'s state into a new block; returns its offset. */
  copyIn(p: Partition, inst: number): number {
    const arena = this.arena;
    const at = arena.alloc();
    const compiled = p.served.compiled;
    if (compiled.copyStateInto !== undefined && (arena.stride & 3) === 0) {
      compiled.copyStateInto(inst, arena.view, at);
    } else compiled.copyState(inst, arena.bytes, at);
    return at;
  }

  /** The intervals this partition's lanes hold. */
  held(): number {
    let n = 0;
    for (const lane of this.lanes) n += lane.length;
    return n;
  }

  /**
   * Checks that each lane's {@link CausalPartition.floors} entry bounds
   * its oldest interval's end; throws an `Error` naming the lane (of the
   * partition numbered `index`) when not: a bug, as pruning would then keep
   * what is due.
   */
  checkPruneFloors(index: number): void {
    this.lanes.forEach((lane, z) => {
      if (lane.length < 2) return;
      const floor = z < this.floors.length ? this.floors[z]! : -Infinity;
      if (floor > lane[0]!.endWall) {
        throw new Error(
          `Causal judge: lane ${z} of partition number ${index} bounds its oldest interval's end by ${floor}, which ends at ${
            lane[0]!.endWall
          }`,
        );
      }
    });
  }
}
