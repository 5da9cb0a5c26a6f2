/**
 * The lanes a search of P-intervals only runs on (`exclusion_lanes.ts`,
 * `docs/causality.md`, "Lanes of P-intervals only"): each lane's
 * P-intervals with every stretch outside P between an interval's end and
 * the next one's start (or still open) as an interval of its own, kept
 * across searches.
 *
 * A partition's views are built once and kept: before each search every
 * lane's view is compared with its lane (the same intervals in the same
 * order, each stretch's start and end equal to the ends and starts it
 * lies between), and only a lane that differs is built again, reusing the
 * stretches that still fit. So a search allocates nothing for lanes that
 * did not change, and a kept stretch keeps the vector clock at its start
 * (`Interval.vc`, valid until its node's dependency generation moves:
 * `CutSearch.vc`). The comparison is exact by construction: whatever
 * changed a lane (a new interval, an end, an older event, a pruning, a
 * restore), the view equals the one built anew.
 *
 * @module
 */
import { type CausalPartition, Interval } from "./lanes.ts";

/** One partition's views: per lane, the view and a spare array the next build writes into. */
interface PartitionViews {
  readonly lanes: Interval[][];
  readonly spare: Interval[][];
}

/**
 * Counts of {@link StretchViews.of}: lanes whose kept view held, lanes
 * built again, and the stretches those builds made anew or reused.
 *
 * @example After one search of two lanes, one built, one held
 * ```ts
 * import assert from "node:assert/strict";
 * import type { StretchViewCounts } from "./stretch_views.ts";
 * const counts: StretchViewCounts = { held: 1, built: 1, made: 2, reused: 3 };
 * assert.equal(counts.held + counts.built, 2);
 * ```
 */
export interface StretchViewCounts {
  /** Lanes whose kept view equalled their lane. */
  readonly held: number;
  /** Lanes whose view was built again. */
  readonly built: number;
  /** Stretch intervals made anew by those builds. */
  readonly made: number;
  /** Stretch intervals those builds took from the view before. */
  readonly reused: number;
}

/**
 * The views of lanes of P-intervals only that {@link CutSearch.searchOn}
 * searches (`ExclusionLanes.search`), kept per partition across searches
 * (see the module doc), and the blocks of the stretches a found cut shows.
 *
 * @example A lane with a closed P-interval gets the stretch after it
 * ```ts
 * import assert from "node:assert/strict";
 * import { CausalPartition, Interval } from "./lanes.ts";
 * import { StateArena } from "./state_arena.ts";
 * import { CutVerdicts } from "./cut_verdicts.ts";
 * import { StretchViews } from "./stretch_views.ts";
 * const cp = new CausalPartition(new StateArena(4), new CutVerdicts({ stride: 4, slots: [{ offset: 0, width: 4 }] }));
 * const i = new Interval({ node: "A", index: 0, boot: "b" }, { nid: 0, seq: 1, action: 0, wall: 1_000, logical: 0, block: 0 });
 * i.endWall = 1_100;
 * i.endSeq = 2;
 * cp.lanes.push([i]);
 * cp.setGapBlock(0, -1);
 * const views = new StretchViews();
 * const first = views.of(cp).lanes[0]!;
 * assert.equal(first.length, 2); // the interval, then the open stretch outside P from 1 100
 * assert.equal(first[1]!.wall, 1_100);
 * assert.equal(views.of(cp).lanes[0]![1], first[1]); // kept: the lane did not change
 * ```
 */
export class StretchViews {
  readonly #parts = new WeakMap<CausalPartition, PartitionViews>();
  /** The stretches outside P of the last views given whose state is known (the lanes' current ones): their blocks. */
  readonly #shown = new Map<Interval, number>();
  #held = 0;
  #built = 0;
  #made = 0;
  #reused = 0;

  /** What the views did so far (see {@link StretchViewCounts}). */
  counts(): StretchViewCounts {
    return { held: this.#held, built: this.#built, made: this.#made, reused: this.#reused };
  }

  /**
   * `cp`'s lanes with their stretches outside P (the caller seeded empty
   * lanes first, as a search does), and the stretches a found cut shows
   * with their state: each lane's open one, when the lane is outside P
   * with its state kept (`CausalPartition.gapBlockOf`). Both are valid
   * until the next call (the arrays are kept and rewritten).
   */
  of(
    cp: CausalPartition,
  ): { readonly lanes: readonly Interval[][]; readonly shown: ReadonlyMap<Interval, number> } {
    let views = this.#parts.get(cp);
    if (views === undefined) {
      views = { lanes: [], spare: [] };
      this.#parts.set(cp, views);
    }
    const lanes = cp.lanes;
    const n = lanes.length;
    const out = views.lanes;
    if (out.length !== n) {
      for (let z = out.length; z < n; z++) {
        out.push([]);
        views.spare.push([]);
      }
      out.length = views.spare.length = n;
    }
    const shown = this.#shown;
    shown.clear();
    for (let z = 0; z < n; z++) {
      const lane = lanes[z]!;
      let view = out[z]!;
      if (holds(z, view, lane)) this.#held++;
      else {
        const next = views.spare[z]!;
        this.#build(z, lane, view, next);
        views.spare[z] = view;
        out[z] = view = next;
        this.#built++;
      }
      // A stretch last in a view is its lane's open one.
      const last = view.length === 0 ? null : view[view.length - 1]!;
      const gap = cp.gapBlockOf(z);
      if (last !== null && last.block < 0 && gap >= 0) shown.set(last, gap);
    }
    return { lanes: out, shown };
  }

  /** Forgets `cp`'s views (the next {@link StretchViews.of} builds them anew): no search will need them soon. */
  release(cp: CausalPartition): void {
    this.#parts.delete(cp);
  }

  /**
   * Lane `z`'s view built into `out` from `lane`, taking from `before`
   * (its view until now) each stretch that still fits where it stood.
   */
  #build(z: number, lane: readonly Interval[], before: readonly Interval[], out: Interval[]): void {
    let w = 0;
    let v = 0;
    const n = lane.length;
    for (let m = 0; m < n; m++) {
      const i = lane[m]!;
      out[w++] = i;
      // Where `i` stood before: past what started before it (the views are in start order).
      while (v < before.length && before[v] !== i && startsBefore(before[v]!, i)) v++;
      if (before[v] === i) v++;
      if (i.endWall === Infinity) continue;
      const next = m + 1 < n ? lane[m + 1]! : null;
      if (next !== null && next.wall === i.endWall && next.logical === i.endLogical) continue;
      // The stretch after `i` before, when it starts where it still does: its end set anew (only views
      // hold stretches: a found cut shows its own copy), its vector clock kept.
      const kept = before[v];
      if (kept !== undefined && startsAt(z, kept, i)) {
        kept.endWall = next === null ? Infinity : next.wall;
        kept.endLogical = next === null ? 0 : next.logical;
        out[w++] = kept;
        v++;
        this.#reused++;
        continue;
      }
      out[w++] = stretch(z, i, next);
      this.#made++;
    }
    if (out.length !== w) out.length = w;
  }
}

/** True when `view` is what `lane`'s view would be built as (see {@link StretchViews}). */
function holds(z: number, view: readonly Interval[], lane: readonly Interval[]): boolean {
  let v = 0;
  const n = lane.length;
  for (let m = 0; m < n; m++) {
    const i = lane[m]!;
    if (view[v++] !== i) return false;
    if (i.endWall === Infinity) continue;
    const next = m + 1 < n ? lane[m + 1]! : null;
    if (next !== null && next.wall === i.endWall && next.logical === i.endLogical) continue;
    const s = view[v++];
    if (s === undefined || !fits(z, s, i, next)) return false;
  }
  return v === view.length;
}

/** True when stretch `s` is lane `z`'s one between `i`'s end and `next`'s start (open when `next` is null): as {@link stretch} would make it. */
function fits(z: number, s: Interval, i: Interval, next: Interval | null): boolean {
  return startsAt(z, s, i) &&
    (next === null
      ? s.endWall === Infinity && s.endLogical === 0
      : s.endWall === next.wall && s.endLogical === next.logical);
}

/** True when `s` is a stretch of lane `z` starting at `i`'s end (as {@link stretch} makes it, but for its end). */
function startsAt(z: number, s: Interval, i: Interval): boolean {
  return s.block < 0 && s.wall === i.endWall && s.logical === i.endLogical &&
    s.seq === i.endSeq && s.action === i.endAction && s.nid === i.nid && s.lane === z &&
    s.node === i.node && s.boot === i.boot;
}

/** True when `a` starts before `b` in HLC order. */
function startsBefore(a: Interval, b: Interval): boolean {
  return a.wall < b.wall || (a.wall === b.wall && a.logical < b.logical);
}

/**
 * The stretch outside P of lane `z` from `i`'s end to `next`'s start (open
 * when null): no state block (left out of every check, as a state outside
 * P is in no failing pair) and in no lane (`dropped`).
 */
function stretch(z: number, i: Interval, next: Interval | null): Interval {
  const s = new Interval({ node: i.node, index: z, boot: i.boot }, {
    nid: i.nid,
    seq: i.endSeq,
    action: i.endAction,
    wall: i.endWall,
    logical: i.endLogical,
    block: -1,
  });
  s.dropped = true;
  if (next !== null) {
    s.endWall = next.wall;
    s.endLogical = next.logical;
  }
  return s;
}
