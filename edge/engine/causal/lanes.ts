/**
 * The causal judge's lanes (`causal_judge.ts`): what the judge keeps of a
 * partition (`CausalPartition`): per node, its state intervals in start
 * order (`interval.ts`: the interval and the searches over a lane), the
 * per-lane numbers searches read, the queue, the episode, the state arena,
 * and in a sparse partition the gap log (`gap_log.ts`). Re-exports what
 * callers import from these two, and the canonical order of interval
 * starts.
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import type { Hlc } from "../types.ts";
import type { CutVerdicts } from "./cut_verdicts.ts";
import type { StateArena } from "./state_arena.ts";
import { Clearance } from "./clearance.ts";
import { compareStarts, JudgeQueue } from "./judge_queue.ts";
import { GapLog } from "./gap_log.ts";
import type { Interval } from "./interval.ts";

export { compareStarts };
export { GAP_LOG, GapLog } from "./gap_log.ts";
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

/** A per-lane typed array of {@link CausalPartition} (see {@link PER_LANE}). */
type PerLaneArray = Int32Array | Uint8Array | Float64Array;
type PerLaneField = "moved" | "watched" | "cutIds";

/**
 * The partition's per-lane typed arrays read by searches only, each with its kind and what a lane's
 * entry starts as: {@link CausalPartition.fit} grows each, {@link CausalPartition.removeLane} moves
 * each down. The numbers read per event are in {@link CausalPartition.row} instead.
 */
const PER_LANE: readonly (readonly [PerLaneField, new (n: number) => PerLaneArray, number])[] = [
  ["moved", Uint8Array, 1],
  ["watched", Uint8Array, 0],
  ["cutIds", Int32Array, -1],
];

/**
 * Numbers per lane in {@link CausalPartition.row}, and where each is in a
 * lane's entry (lane `z`'s start at `z * ROW`): {@link FLOOR} a lower
 * bound of the oldest interval's end wall, {@link GAP} the state block
 * outside P, {@link NID} the node's number, {@link HINT} the last search's
 * index (see the fields of {@link CausalPartition} of these names).
 *
 * @example Lane 2's node number
 * ```ts
 * import assert from "node:assert/strict";
 * import { NID, ROW } from "./lanes.ts";
 * assert.equal(2 * ROW + NID, 10);
 * ```
 */
export const ROW = 4;
/** See {@link ROW}. */
export const FLOOR = 0;
/** See {@link ROW}. */
export const GAP = 1;
/** See {@link ROW}. */
export const NID = 2;
/** See {@link ROW}. */
export const HINT = 3;
/** What a lane's entry of {@link CausalPartition.row} starts as, at offsets {@link FLOOR} to {@link HINT}. */
const ROW_START: readonly number[] = [-Infinity, -1, -1, -1];

/** A row of `n` lanes' numbers as they start (see {@link ROW}). */
function newRow(n: number): Float64Array {
  const row = new Float64Array(n * ROW);
  for (let at = 0; at < row.length; at += ROW) row.set(ROW_START, at);
  return row;
}

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
  // Fields are laid out in declaration order: the ones each event reads (the lanes, their numbers,
  // the arena, the episode, the chain, the queue, the horizon, the counters) come first, so that an
  // event touches the partition's first cache lines only (a partition's next event is hundreds of
  // events later, when these are out of the nearest caches).
  readonly lanes: Interval[][] = [];
  /**
   * Per lane, {@link ROW} numbers, one typed array (one object, a lane's
   * numbers side by side, not one array each): at {@link FLOOR}, for
   * a lane holding two or more intervals, a lower bound of its oldest
   * interval's end wall (-Infinity: none known), so that the judge's
   * pruning learns that nothing is due from here, not from the lane's
   * intervals (out of the cache by then: a lane's interval lives seconds;
   * set by the pruning; anything that places an interval other than at
   * the lane's end, or moves an end earlier, sets it to -Infinity); at
   * {@link GAP}, in a sparse partition, the arena block of its state while
   * outside P (-1: in P, or not known; a lane with a block here has no
   * open P-interval, so `ExclusionLanes.applied` reads no interval of it
   * then); at {@link NID}, its node's number in the dependency table
   * (known once it had an interval); at {@link HINT}, where the last
   * search for the newest interval before a judged one ended (see
   * {@link lastBeforeFrom}; -1: none). Room for {@link CausalPartition.fit}'s
   * lanes; read with the accessors below outside the per-event path.
   */
  row: Float64Array = newRow(LANES_AT_FIRST);
  /** The state blocks of its intervals. */
  readonly arena: StateArena;
  /** Its spec's projections and cut verdicts. */
  readonly memo: CutVerdicts;
  /**
   * True when the lanes hold only the intervals whose state satisfies the
   * exclusion spec's predicate P (`CutVerdicts.exclusion`): a state that
   * does not is a stretch between one interval's explicit end and the
   * next interval's start (`docs/causality.md`, "Lanes of P-intervals").
   */
  sparse = false;
  episode: Episode | null = null;
  /**
   * In a sparse partition: the last P-interval judged in order, and
   * whether every P-interval judged before it (in canonical order) is
   * proved to end before it begins (the handoff chain: a new P-interval
   * whose start follows this one's end extends it with no search).
   */
  chainLast: Interval | null = null;
  chain = false;
  /** Intervals not judged yet, in canonical order (HLC, then node). */
  readonly queue: JudgeQueue = new JudgeQueue();
  /** The horizon judgement last reached. */
  horizon = -Infinity;
  /** Bumped whenever what a snapshot saves of this side may have changed (`PartitionSnapshot.causal` is written again only then). */
  changes = 0;
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
  /** The lane count `tops` was complete for; -1 when they must be found again (see {@link CausalPartition.untrack}). */
  tracked = -1;
  /** What the last interval judged in order learnt of the other lanes. */
  readonly clearance: Clearance = new Clearance();
  /** True while some lane has an interval whose end is not its successor's start (restored from a snapshot that left intervals out). */
  gappy = false;
  /**
   * What the last search in order found per lane, kept for the next one
   * (`cut_search.ts`): while it {@link CausalPartition.tracks} the lanes,
   * a lane not marked `moved` has the same newest interval before the next
   * interval judged in order (`tops`, at index {@link HINT} of `row`), so the search
   * reads these numbers instead of the lane's intervals.
   */
  readonly tops: (Interval | null)[] = [];
  /** Per lane: its interval judged last in order (null: none yet); while `tops` are tracked, its newest interval before the next one judged. */
  readonly judged: (Interval | null)[] = [];
  /** Per lane: 1 when its newest interval before the next judged one may have changed (an interval of it was judged). */
  moved: Uint8Array = new Uint8Array(LANES_AT_FIRST).fill(1);
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

  /** Per lane of a sparse partition: its newest state changes outside P. */
  readonly gaps: GapLog = new GapLog(LANES_AT_FIRST);

  /** Makes room in the per-lane numbers and `tops` for `n` lanes. */
  fit(n: number): void {
    while (this.tops.length < n) this.tops.push(null);
    while (this.judged.length < n) this.judged.push(null);
    const room = this.row.length / ROW;
    if (n <= room) return;
    const size = Math.max(n, 2 * room);
    const row = newRow(size);
    row.set(this.row);
    this.row = row;
    const fields = this as unknown as Record<PerLaneField, PerLaneArray>;
    for (const [field, Make, fill] of PER_LANE) {
      const b = new Make(size).fill(fill);
      b.set(fields[field]);
      fields[field] = b;
    }
    const watch = new Int32Array(size);
    watch.set(this.watch);
    this.watch = watch;
    this.gaps.fit(size);
  }

  /** Sets lane `z`'s bound on its oldest interval's end ({@link FLOOR} of {@link CausalPartition.row}; room made for it). */
  floor(z: number, wall: number): void {
    if (z * ROW >= this.row.length) this.fit(z + 1);
    this.row[z * ROW + FLOOR] = wall;
  }

  /** Lane `z`'s bound on its oldest interval's end ({@link FLOOR}; -Infinity: none known). */
  floorOf(z: number): number {
    return z * ROW < this.row.length ? this.row[z * ROW + FLOOR]! : -Infinity;
  }

  /** Lane `z`'s state block outside P ({@link GAP}; -1: none). */
  gapBlockOf(z: number): number {
    return z * ROW < this.row.length ? this.row[z * ROW + GAP]! : -1;
  }

  /** Sets lane `z`'s state block outside P ({@link GAP}; room made for it). */
  setGapBlock(z: number, block: number): void {
    if (z * ROW >= this.row.length) this.fit(z + 1);
    this.row[z * ROW + GAP] = block;
  }

  /** Lane `z`'s node number ({@link NID}; -1: not known yet). */
  nidOf(z: number): number {
    return z * ROW < this.row.length ? this.row[z * ROW + NID]! : -1;
  }

  /** Lane `z`'s search hint ({@link HINT}; -1: none). */
  hintOf(z: number): number {
    return z * ROW < this.row.length ? this.row[z * ROW + HINT]! : -1;
  }

  /** Sets lane `z`'s search hint ({@link HINT}; room made for it). */
  setHint(z: number, k: number): void {
    if (z * ROW >= this.row.length) this.fit(z + 1);
    this.row[z * ROW + HINT] = k;
  }

  /** Lane `z`'s node is node number `nid` (set once: a lane's node never changes). */
  nodeOf(z: number, nid: number): void {
    if (z * ROW >= this.row.length) this.fit(z + 1);
    const row = this.row;
    for (let at = NID; at < row.length; at += ROW) if (row[at] === nid) this.sharedNodes = true;
    row[z * ROW + NID] = nid;
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
      // Appended: the lane's oldest interval is the same one (see {@link FLOOR}), unless
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
    const n = this.row.length / ROW;
    if (z < n) {
      const gap = this.row[z * ROW + GAP]!;
      if (gap >= 0) this.arena.free(gap);
      this.row.copyWithin(z * ROW, (z + 1) * ROW);
      this.row.set(ROW_START, (n - 1) * ROW);
      const fields = this as unknown as Record<PerLaneField, PerLaneArray>;
      for (const [field, , fill] of PER_LANE) {
        const a = fields[field];
        a.copyWithin(z, z + 1);
        a[n - 1] = fill;
      }
      this.gaps.remove(z);
      // The lanes watched, renumbered (lane z's left out).
      let kept = 0;
      for (let k = 0; k < this.watchCount; k++) {
        const y = this.watch[k]!;
        if (y !== z) this.watch[kept++] = y > z ? y - 1 : y;
      }
      this.watchCount = kept;
    }
    this.sharedNodes = false;
    for (let y = 0; y < lanes.length && y < n; y++) {
      const nid = this.row[y * ROW + NID]!;
      for (let x = 0; x < y && nid >= 0; x++) {
        if (this.row[x * ROW + NID] === nid) this.sharedNodes = true;
      }
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
    // Word by word into the arena's Int32Array: the same copy by DataView stores (`copyStateInto`)
    // cost 3-5% more CPU per run with causal verdicts on (16 nodes, a fresh collector per run;
    // about 1% in a long-running one: `bench/variant_ab.ts`, session 25).
    if (compiled.copyStateWords !== undefined && (arena.stride & 3) === 0) {
      compiled.copyStateWords(inst, arena.words, at >> 2);
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
   * Checks that each lane's {@link FLOOR} number bounds its oldest interval's end; throws an `Error` naming the lane (of the
   * partition numbered `index`) when not: a bug, as pruning would then keep
   * what is due.
   */
  checkPruneFloors(index: number): void {
    this.lanes.forEach((lane, z) => {
      if (lane.length < 2) return;
      const floor = this.floorOf(z);
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
