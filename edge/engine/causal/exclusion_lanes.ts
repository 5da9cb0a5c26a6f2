/**
 * Lanes of P-intervals only (`docs/causality.md`, "Lanes of P-intervals
 * only"): the causal judge's bookkeeping for an exclusion spec
 * (`CutVerdicts.exclusion`, {@link CausalPartition.sparse}), which the
 * judge (`causal_judge.ts`) composes beside the general cut search.
 *
 * - **Explicit ends.** An event that leaves P writes the end (HLC,
 *   sequence number, action) on the lane's open interval; an event that
 *   enters P starts one. The stretch outside P between them keeps its state
 *   (`CausalPartition.row`, its `GAP`) and its last state changes
 *   (`CausalPartition.gaps`).
 * - **Older events** split a P-interval, or start one within a stretch
 *   outside P that ends at the first later change the log kept; an end
 *   the log may have let go of is approximated and counted
 *   ({@link ExclusionLanes.approximatedEnds}).
 * - **The handoff chain**: a P-interval whose start follows the last
 *   judged one's end needs no search; anything else is searched on the
 *   lanes with their stretches outside P as intervals of their own.
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import type { CutSearch } from "./cut_search.ts";
import { atOrBefore, type DependencyTable } from "./happened_before.ts";
import { type CausalPartition, type Found, GAP, type Interval, lastBefore, ROW } from "./lanes.ts";
import { StretchViews } from "./stretch_views.ts";

/** An applied event as {@link ExclusionLanes} reads it (the judge's `AppliedEvent`). */
export interface ExclusionEvent {
  /** Its sequence number in its node's stream. */
  readonly seq: number;
  /** Its action index. */
  readonly action: number;
  /** Its HLC wall. */
  readonly wall: number;
  /** Its HLC logical counter. */
  readonly logical: number;
  /** Its first dependency, carried from ingest (`AppliedEvent.depFrom`; absent: none). */
  readonly depFrom?: number;
  readonly depBefore?: number;
  readonly depLogical?: number;
  readonly depRetired?: number;
}

/** A participant of a partition, as lanes name it. */
export interface LaneParticipant {
  /** Its node's name. */
  readonly node: string;
  /** Its lane (the participant's index in the partition). */
  readonly index: number;
  /** Its node's boot id. */
  readonly boot: string;
}

/**
 * What {@link ExclusionLanes.applied} did with an event's state: nothing
 * (`UNCHANGED`: the block was freed), a stretch outside P (`OUTSIDE`: the
 * block is the lane's gap block now), or a new P-interval to start on
 * the block (`ENTERED`).
 *
 * @example The three outcomes
 * ```ts
 * import assert from "node:assert/strict";
 * import { ENTERED, OUTSIDE, UNCHANGED } from "./exclusion_lanes.ts";
 * assert.deepEqual([UNCHANGED, OUTSIDE, ENTERED], [-1, 0, 1]);
 * ```
 */
export const UNCHANGED: number = -1;
/** See {@link UNCHANGED}. */
export const OUTSIDE: number = 0;
/** See {@link UNCHANGED}. */
export const ENTERED: number = 1;

/**
 * Options of {@link ExclusionLanes}.
 *
 * @example Half a second of skew
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ExclusionLanesOptions } from "./exclusion_lanes.ts";
 * const options: Pick<ExclusionLanesOptions, "maxSkewMs"> = { maxSkewMs: 500 };
 * assert.equal(options.maxSkewMs, 500);
 * ```
 */
export interface ExclusionLanesOptions {
  /** The skew bound S, ms. */
  readonly maxSkewMs: number;
  /** The judge's dependencies. */
  readonly deps: DependencyTable;
  /** The judge's cut search (pair verdicts, ends-before tests, the search on given lanes). */
  readonly search: CutSearch;
  /** A new interval of `participant` starting at event `e` (its block set by the caller). */
  readonly intervalOf: (
    cp: CausalPartition,
    participant: LaneParticipant,
    e: ExclusionEvent,
  ) => Interval;
  /** An older event started a P-interval whose end is approximated. */
  readonly approximated: (p: Partition) => void;
  /** `p`'s causal side changed (a snapshot writes it again). */
  readonly changed: (p: Partition, cp: CausalPartition) => void;
}

/**
 * The exclusion path of a causal judge: explicit ends, the stretches
 * outside P, older events, and the handoff chain.
 *
 * @example How the judge composes it
 * ```ts ignore
 * const exclusion = new ExclusionLanes({ maxSkewMs: 500, deps, search, intervalOf, approximated, changed });
 * if (exclusion.applied(p, cp, 0, block, e) === ENTERED) lane.push(intervalOf(cp, participant, e));
 * const found = exclusion.search(p, cp, fresh); // null: every cut passes
 * ```
 */
export class ExclusionLanes {
  readonly #skew2: number;
  readonly #deps: DependencyTable;
  readonly #search: CutSearch;
  readonly #options: ExclusionLanesOptions;
  #approximated = 0;
  /** The lanes with their stretches outside P that searches run on, kept across searches. */
  readonly #views = new StretchViews();

  constructor(options: ExclusionLanesOptions) {
    this.#skew2 = 2 * options.maxSkewMs;
    this.#deps = options.deps;
    this.#search = options.search;
    this.#options = options;
  }

  /**
   * Intervals that an older event started in a stretch outside P, ended
   * at the first later event known rather than at their real end (see
   * {@link ExclusionLanes.older}).
   */
  get approximatedEnds(): number {
    return this.#approximated;
  }

  /**
   * Event `e` of lane `z` was applied in order with state block `block`:
   * ends the lane's open P-interval, if any, and says whether a P-interval
   * starts on the block ({@link ENTERED}), the lane is outside P
   * ({@link OUTSIDE}: the block is kept as its stretch's state) or nothing
   * changed ({@link UNCHANGED}: the block is freed). Positional parameters,
   * not an options object: it runs once per event, and an object literal
   * per call was measured to cost 52 bytes per event where V8 did not
   * inline the call (4 nodes, `bench/causal_bench.ts --base`).
   */
  applied(
    p: Partition,
    cp: CausalPartition,
    z: number,
    block: number,
    e: ExclusionEvent,
  ): number {
    const inP = this.#search.relevant(p, cp, block);
    // The lane's numbers: one typed array of the partition's, room made for lane z (`CausalJudge.applied`).
    const row = cp.row;
    const at = z * ROW + GAP;
    const gap = row[at]!;
    if (gap >= 0) {
      // Outside P (a lane with a stretch's state has no open P-interval: see `CausalPartition.row`):
      // a state in P differs from the stretch's, so neither the stretch's block nor the lane's intervals
      // (out of the cache: the lane's last event may be seconds old) are read.
      if (!inP && cp.arena.equal(gap, block)) {
        cp.arena.free(block);
        return UNCHANGED;
      }
      cp.arena.free(gap);
      if (inP) {
        row[at] = -1;
        return ENTERED;
      }
      row[at] = block;
      // A change within a stretch outside P (one that leaves P is the interval's end already).
      cp.gaps.log(z, e);
      return OUTSIDE;
    }
    const lane = cp.lanes[z]!;
    const current = lane.length === 0 ? null : lane[lane.length - 1]!;
    const open = current !== null && current.endWall === Infinity;
    // An open P-interval's state is in P: a state outside P ends it with no comparison.
    if (open && inP && cp.arena.equal(current.block, block)) {
      cp.arena.free(block);
      return UNCHANGED;
    }
    if (open) {
      current.endWall = e.wall;
      current.endLogical = e.logical;
      current.endSeq = e.seq;
      current.endAction = e.action;
    }
    if (inP) return ENTERED;
    row[at] = block;
    if (!open) cp.gaps.log(z, e);
    return OUTSIDE;
  }

  /**
   * An event older than its node's latest applied one in a partition of
   * P-intervals only. Within a P-interval, the event ends it there, and
   * starts a new one when its state is in P. Within a stretch outside P, a
   * state outside P changes nothing; a state in P starts an interval whose
   * end the lane does not know (the node's next event after it may have
   * been outside P, which leaves no trace): it ends at the first later
   * state change the lane's log kept, or else at the next P-interval's
   * start, which may be later than the real end: such a pair may be
   * reported `possibly` where full lanes would not. Counted in
   * {@link ExclusionLanes.approximatedEnds}. As for full lanes, an event
   * within the lane's newest stretch (an open P-interval, or outside P
   * after the newest one) or before its first interval changes nothing.
   *
   * Returns undefined when nothing changed; else the interval it placed in
   * the lane (to be queued), or null when none.
   */
  older(
    p: Partition,
    cp: CausalPartition,
    at: {
      readonly participant: LaneParticipant;
      readonly e: ExclusionEvent;
      readonly state: Uint8Array;
    },
  ): Interval | null | undefined {
    const { participant, e, state } = at;
    const lane = cp.lanes[participant.index]!;
    let k = lane.length - 1;
    while (k >= 0 && lane[k]!.seq > e.seq) k--;
    if (k < 0 || lane[k]!.seq === e.seq || lane[k]!.endSeq === e.seq) return undefined;
    const open = lane[k]!.endWall === Infinity;
    const covering = open || lane[k]!.endSeq < 0 || lane[k]!.endSeq > e.seq;
    // As for full lanes, an event within the lane's newest interval (open, or the stretch outside P
    // after the newest P-interval) or before its first one changes nothing.
    if (k === lane.length - 1 && (open || !covering)) return undefined;
    if (covering && cp.arena.same(lane[k]!.block, state)) return undefined;
    const block = cp.arena.alloc();
    const bytes = cp.arena.bytes;
    for (let b = 0; b < cp.arena.stride; b++) bytes[block + b] = state[b]!;
    const relevant = this.#search.relevant(p, cp, block);
    const z = participant.index;
    if (!covering && !relevant) {
      // A change within a stretch outside P: kept for the older events to come.
      cp.gaps.log(z, e);
      cp.arena.free(block);
      return undefined;
    }
    this.#options.changed(p, cp);
    cp.chain = false;
    let interval: Interval | null = null;
    if (relevant) {
      interval = this.#options.intervalOf(cp, participant, e);
      interval.block = block;
    } else cp.arena.free(block);
    if (covering) {
      const before = lane[k]!;
      if (interval !== null) {
        interval.endWall = before.endWall;
        interval.endLogical = before.endLogical;
        interval.endSeq = before.endSeq;
        interval.endAction = before.endAction;
      }
      if (interval === null && before.endSeq >= 0) {
        // Its old end is now a change within the stretch outside P that this event starts.
        cp.gaps.log(z, {
          seq: before.endSeq,
          wall: before.endWall,
          logical: before.endLogical,
          action: before.endAction,
        });
      }
      before.endWall = e.wall;
      before.endLogical = e.logical;
      before.endSeq = e.seq;
      before.endAction = e.action;
    } else if (interval !== null) {
      // Ends at the first state change after it: outside P (kept in the gap log), or the next P-interval.
      const next = lane[k + 1]!; // k is not the lane's last (see above)
      interval.endWall = next.wall;
      interval.endLogical = next.logical;
      interval.endSeq = next.seq;
      interval.endAction = next.action;
      const g = cp.gaps.after(z, e.seq);
      const log = cp.gaps.entries;
      const at = cp.gaps.offset(z, g < 0 ? 0 : g);
      if (g >= 0 && log[at]! < next.seq) {
        interval.endSeq = log[at]!;
        interval.endWall = log[at + 1]!;
        interval.endLogical = log[at + 2]!;
        interval.endAction = log[at + 3]!;
      }
      // Changes let go of may have been between this event and the first kept after it.
      if (cp.gaps.lost[z] === 1 && (g === 0 || cp.gaps.count[z] === 0)) {
        this.#approximated++;
        this.#options.approximated(p);
      }
    }
    if (interval !== null) lane.splice(k + 1, 0, interval);
    // An end moved earlier, perhaps the oldest interval's (`CausalPartition.row`, its `FLOOR`).
    cp.floor(z, -Infinity);
    return interval;
  }

  /**
   * The failing cuts P-interval `fresh` of `p` starts, the merge order's
   * first; null when none fails. `fresh` needs no search when the handoff
   * chain extends to it (the last P-interval judged ended before it began,
   * and every one judged before that ended before that one began, so none
   * coexists with `fresh`: {@link ExclusionLanes.#handedOn}). Otherwise the
   * cuts are searched as for full lanes, on lanes whose stretches outside
   * P are intervals of their own (`#withStretches`), unless the chain
   * starts again at `fresh`: when every other lane's P-interval before it
   * ends before it begins (tested first, on lanes seeded as the search
   * would: none then coexists with `fresh`, so no cut of it fails). A late
   * interval breaks the chain.
   */
  search(p: Partition, cp: CausalPartition, fresh: Interval): Found[] | null {
    if (!p.served.hasGlobalInvariants) return null;
    if (fresh.behind) cp.chain = false;
    else if (cp.chain && cp.chainLast !== null && this.#handedOn(cp.chainLast, fresh)) {
      cp.chainLast = fresh;
      return null;
    } else {
      // The chain starts again here when no other lane's P-interval before `fresh` coexists with it
      // (then no cut of `fresh` fails: the search would find none): a partition's first judged one, or
      // one after a handoff that proved nothing.
      this.#seedAll(p, cp);
      cp.chainLast = fresh;
      cp.chain = this.#othersEndBefore(cp, fresh);
      if (cp.chain) {
        // No search until the chain breaks again: the views need not be kept till then.
        this.#views.release(cp);
        return null;
      }
    }
    return this.#search.searchOn(p, fresh, this.#withStretches(p, cp));
  }

  /**
   * Judges P-interval `fresh` of `cp` now, before the horizon passes it,
   * when the handoff chain extends to it (`fresh` not late, and the chain's
   * last interval proved to end before it begins: {@link ExclusionLanes.#handedOn}):
   * then no cut of it fails, as {@link ExclusionLanes.search} would find
   * later, and it becomes the chain's last. Returns false, changing
   * nothing, otherwise. The caller makes sure every interval before `fresh`
   * in canonical order has been judged, and takes judgements made this way
   * back when an interval before them turns up later
   * (`ArrivalJudgement.takeBack`).
   */
  extends(cp: CausalPartition, fresh: Interval): boolean {
    const last = cp.chainLast;
    if (!cp.chain || last === null || fresh.behind || !this.#handedOn(last, fresh)) return false;
    cp.chainLast = fresh;
    return true;
  }

  /**
   * True when P-interval `last` (the chain's) ends before `fresh` begins,
   * proved without a vector clock where it can be: the same node (program
   * order), physical time, or `fresh`'s start carrying a dependency on
   * `last`'s end event or a later event of its node (the handoff's stamp);
   * else by `fresh`'s vector clock.
   */
  #handedOn(last: Interval, fresh: Interval): boolean {
    if (last.endWall === Infinity) return false;
    if (last.nid === fresh.nid) {
      return atOrBefore(last.endWall, last.endLogical, fresh.wall, fresh.logical);
    }
    if (
      !(last.endWall < fresh.wall ||
        (last.endWall === fresh.wall && last.endLogical < fresh.logical))
    ) {
      return false;
    }
    if (last.endWall + this.#skew2 < fresh.wall) return true;
    // `fresh`'s start carries a stamp of `last`'s node at or after its end, which the table recorded
    // (sender checked then, `DependencyRecording.senders`), holds (no retirement since: the number names
    // the same node, and the entry was not dropped) and has not pruned (carried at or after the latest
    // pruning's wall): what `dependsOn` would find there, without its lookup (a cold line or two).
    const deps = this.#deps;
    if (
      fresh.depFrom === last.nid && fresh.depRetired === deps.retirements &&
      fresh.wall >= deps.prunedTo &&
      atOrBefore(last.endWall, last.endLogical, fresh.wall - fresh.depBefore, fresh.depLogical)
    ) {
      return true;
    }
    return deps.dependsOn(fresh, last) ||
      this.#deps.knows(this.#search.vc(fresh), last.nid, last.endWall, last.endLogical);
  }

  /** Seeds `cp`'s empty lanes (`CutSearch.seed`), as a search does, before the chain is tested on them. */
  #seedAll(p: Partition, cp: CausalPartition): void {
    const lanes = cp.lanes;
    for (let z = 0; z < lanes.length; z++) {
      if (lanes[z]!.length === 0) this.#search.seed(p, z, lanes[z]!);
    }
  }

  /** True when every other lane's newest P-interval starting before `fresh` ends before it begins (so do the older ones). */
  #othersEndBefore(cp: CausalPartition, fresh: Interval): boolean {
    const lanes = cp.lanes;
    for (let z = 0; z < lanes.length; z++) {
      if (z === fresh.lane) continue;
      const lane = lanes[z]!;
      const k = lastBefore(lane, fresh);
      if (k >= 0 && !this.#search.endsBefore(lane[k]!, fresh)) return false;
    }
    return true;
  }

  /**
   * `cp`'s lanes of P-intervals with each stretch outside P between an
   * interval's end and the next one's start (or open) as an interval of
   * its own, so the search of full lanes runs on them: kept across
   * searches, each lane built again only when it changed
   * (`stretch_views.ts`). A lane with no interval gets its participant's
   * current state when it is in P (a seed).
   */
  #withStretches(
    p: Partition,
    cp: CausalPartition,
  ): { readonly lanes: readonly Interval[][]; readonly shown: ReadonlyMap<Interval, number> } {
    for (let z = 0; z < cp.lanes.length; z++) {
      const lane = cp.lanes[z]!;
      if (lane.length === 0) this.#search.seed(p, z, lane);
    }
    return this.#views.of(cp);
  }
}
