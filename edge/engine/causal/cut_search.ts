/**
 * The causal judge's cut search (`causal_judge.ts`, `docs/causality.md`):
 * when interval I is judged, the cuts judged are I with every other
 * node's newest interval (starting before I) that coexists with it (the
 * merge order's cut), and, for each other node X and each older interval
 * J of X that coexists with I, I and J with each remaining node's newest
 * interval coexisting with both. An interval judged in order finds the
 * merge order's cut with no test and tests only the lanes whose newest
 * interval changed since the last one judged (`clearance.ts`); a late
 * one, or lanes restored with gaps, test every lane. A cut's verdict is
 * the compiled global check on its states, remembered by their
 * projections (`cut_verdicts.ts`). Lanes of P-intervals only (exclusion
 * specs) keep their own bookkeeping and handoff chain
 * (`exclusion_lanes.ts`) and search here on lanes they give
 * ({@link CutSearch.searchOn}).
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import type { DependencyTable } from "./happened_before.ts";
import type { CutVerdicts } from "./cut_verdicts.ts";
import { BY_CAUSE, BY_TIME, NOT_BEFORE } from "./clearance.ts";
import {
  type CausalPartition,
  type Found,
  HINT,
  Interval,
  lastBefore,
  lastBeforeFrom,
  NID,
  ROW,
} from "./lanes.ts";
import { KEPT_CUTS } from "./episodes.ts";
import { FoundCuts } from "./found_cuts.ts";

/**
 * A failing cut that is not the merge order's, found while the partition's
 * episode (with the cuts found before it in the same search) already
 * holds {@link KEPT_CUTS}: `Episodes.join` would not keep it, so it is not
 * built (its smallest failing subset, its states' copies); this stands
 * for it.
 */
const UNKEPT: Found = Object.freeze({
  cut: Object.freeze([]),
  failing: Object.freeze([]),
  code: 0,
  base: false,
  states: Object.freeze([]),
}) as Found;

/**
 * Options of {@link CutSearch}.
 *
 * @example Half a second of skew
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CutSearchOptions } from "./cut_search.ts";
 * const options: Pick<CutSearchOptions, "maxSkewMs"> = { maxSkewMs: 500 };
 * assert.equal(2 * options.maxSkewMs, 1_000); // walls this far apart are ordered by physical time
 * ```
 */
export interface CutSearchOptions {
  /** The skew bound S, ms. */
  readonly maxSkewMs: number;
  /** The causal side of a partition (the judge's). */
  readonly partOf: (p: Partition) => CausalPartition;
  /** A seed was placed in an empty lane (the judge counts the intervals its lanes hold). */
  readonly seeded?: () => void;
}

/**
 * The cuts a judged interval meets, and their verdicts.
 *
 * @example How the judge composes it
 * ```ts ignore
 * const search = new CutSearch(deps, { maxSkewMs: 500, partOf: (p) => sides[p.index]! });
 * const found = search.search(p, fresh); // null: every cut passes
 * ```
 */
export class CutSearch {
  readonly #deps: DependencyTable;
  readonly #skew2: number;
  readonly #partOf: (p: Partition) => CausalPartition;
  readonly #seeded: () => void;
  /** Dependency prunings so far (knowledge may shrink then: clearances by cause lapse). */
  #pruned = 0;
  /** Per judged interval, per lane: the newest interval before it, the merge order's cut, a trial cut (reused). */
  readonly #tops: number[] = [];
  readonly #base: (Interval | null)[] = [];
  readonly #trial: (Interval | null)[] = [];
  /** The lanes an interval judged in order searches for older coexisting intervals (reused). */
  #pending = new Int32Array(16);
  /** How many of `#pending` the last search in order filled. */
  #pendingCount = 0;
  /** The state ids of the cut (or pair, or subset) a global check is asked about (reused). */
  #ids = new Int32Array(16);
  /** Blockless intervals a found cut shows, with the block of their state ({@link CutSearch.searchOn}'s). */
  #shown: ReadonlyMap<Interval, number> = NONE_SHOWN;
  /** Builds the failing cuts found. */
  readonly #cuts: FoundCuts;

  constructor(deps: DependencyTable, options: CutSearchOptions) {
    this.#deps = deps;
    this.#skew2 = 2 * options.maxSkewMs;
    this.#partOf = options.partOf;
    this.#cuts = new FoundCuts({
      partOf: options.partOf,
      checkIds: (p, memo, ids, n) => this.#checkIds(p, memo, ids, n),
    });
    this.#seeded = options.seeded ?? (() => {});
  }

  /** The dependency table pruned entries: what lanes learnt by happened-before lapses. */
  pruned(): void {
    this.#pruned++;
  }

  /** The vector clock at `i`'s start (kept on the interval until the dependencies change). */
  vc(i: Interval): number {
    const gen = this.#deps.nodeGeneration(i.nid);
    if (i.vcGen !== gen) {
      i.vc = this.#deps.vectorHandle(i.nid, i.wall, i.logical);
      i.vcGen = gen;
    }
    return i.vc;
  }

  /** True when `a` (closed) ends before `b` begins: causally, or provably by physical time. */
  endsBefore(a: Interval, b: Interval): boolean {
    return this.#endsBeforeBy(a, b) !== NOT_BEFORE;
  }

  /** {@link CutSearch.#endsBefore}, saying how: {@link NOT_BEFORE}, {@link BY_TIME} (physical time) or {@link BY_CAUSE} (happened-before). */
  #endsBeforeBy(a: Interval, b: Interval): number {
    // An end at or after b's start in HLC order cannot happen before it (a stamp's receiver moves past it).
    if (a.endWall > b.wall || (a.endWall === b.wall && a.endLogical >= b.logical)) {
      return NOT_BEFORE;
    }
    if (a.endWall + this.#skew2 < b.wall) return BY_TIME;
    return this.#deps.knows(this.vc(b), a.nid, a.endWall, a.endLogical) ? BY_CAUSE : NOT_BEFORE;
  }

  coexist(a: Interval, b: Interval): boolean {
    return !this.endsBefore(a, b) && !this.endsBefore(b, a);
  }

  /**
   * The failing cuts interval `fresh` of `p` starts, the merge order's
   * first; null when none fails (see the module doc).
   */
  search(p: Partition, fresh: Interval): Found[] | null {
    const cp = this.#partOf(p);
    if (!p.served.hasGlobalInvariants) return null;
    const n = cp.lanes.length;
    if (n < 2) return null;
    this.#cuts.begin();
    const base = this.#base;
    // Setting an array's length is a runtime call in V8 even when it does not change: only when it does.
    if (base.length !== n) this.#tops.length = base.length = this.#trial.length = n;
    cp.fit(n);
    // In order (not behind), with contiguous lanes: see `#baseInOrder`.
    const inOrder = !fresh.behind && !cp.gappy;
    if (inOrder) this.#baseInOrder(p, cp, fresh);
    else {
      this.#baseAny(p, cp, fresh);
      cp.untrack();
    }
    let found: Found[] | null = null;
    const baseCode = inOrder ? this.#checkBase(p, cp, fresh) : this.check(p, base);
    if (inOrder && (baseCode !== 0 || this.#pendingCount > 0)) this.#fillBase(cp, fresh);
    if (baseCode !== 0) (found ??= []).push(this.#found(p, base, baseCode, true));
    if (inOrder) {
      for (let j = 0; j < this.#pendingCount; j++) {
        found = this.#trials(p, cp, fresh, this.#pending[j]!, found);
      }
    } else {
      for (let x = 0; x < n; x++) {
        if (x !== fresh.lane) found = this.#trials(p, cp, fresh, x, found);
      }
      cp.clearance.reset();
    }
    return found;
  }

  /**
   * For an exclusion spec (`CutVerdicts.exclusion`): true when the state
   * block at byte `block` of `cp`'s arena satisfies the invariants'
   * predicate P, i.e. the cut of two copies of it on two nodes fails
   * (remembered per projection). A lane of P-intervals only
   * ({@link CausalPartition.sparse}) holds an interval for such states
   * alone.
   */
  relevant(p: Partition, cp: CausalPartition, block: number): boolean {
    const memo = cp.memo;
    const bytes = cp.arena.bytes;
    let pid = memo.idOf(bytes, block);
    let known = memo.pairVerdict(pid);
    if (known === 0) {
      const ids = this.#ids;
      ids[0] = ids[1] = pid;
      const code = this.#checkIds(p, memo, ids, 2);
      // The ids may have started again while interning: the block's id is taken anew.
      pid = memo.idOf(cp.arena.bytes, block);
      memo.rememberPair(pid, code);
      known = memo.pairVerdict(pid);
    }
    return known === 1;
  }

  /**
   * The failing cuts interval `fresh` of `p` starts on lanes `on.lanes`
   * (any interval, late ones too: the search of late intervals, every lane
   * tested), the merge order's first; null when none fails. Intervals with
   * no state block are left out of every check; a found cut shows those of
   * them `on.shown` holds, with that block's state. Lanes of P-intervals
   * only search this way, on their lanes with the stretches outside P
   * (`exclusion_lanes.ts`).
   */
  searchOn(
    p: Partition,
    fresh: Interval,
    on: { readonly lanes: readonly Interval[][]; readonly shown: ReadonlyMap<Interval, number> },
  ): Found[] | null {
    const cp = this.#partOf(p);
    const lanes = on.lanes;
    const n = lanes.length;
    if (n < 2) return null;
    this.#shown = on.shown;
    this.#cuts.begin();
    const base = this.#base;
    if (base.length !== n) this.#tops.length = base.length = this.#trial.length = n;
    this.#baseOf(fresh, lanes);
    let found: Found[] | null = null;
    const baseCode = this.check(p, base);
    if (baseCode !== 0) found = [this.#found(p, base, baseCode, true)];
    for (let x = 0; x < n; x++) {
      if (x !== fresh.lane) found = this.#trials(p, cp, fresh, x, found, lanes);
    }
    this.#shown = NONE_SHOWN;
    return found;
  }

  /** The merge order's cut of `fresh` on `lanes` (`#base`, its index per lane in `#tops`): each other lane at its newest interval coexisting with `fresh`. */
  #baseOf(fresh: Interval, lanes: readonly Interval[][]): void {
    const n = lanes.length;
    const tops = this.#tops;
    const base = this.#base;
    for (let z = 0; z < n; z++) {
      const lane = lanes[z]!;
      base[z] = null;
      if (z === fresh.lane) {
        base[z] = fresh;
        tops[z] = -1;
        continue;
      }
      // A late interval meets the later ones judged before it came.
      const k = this.#newestCoexisting(
        lane,
        fresh.behind ? lane.length - 1 : lastBefore(lane, fresh),
        fresh,
      );
      if (k >= 0) base[z] = lane[k]!;
      tops[z] = k;
    }
  }

  /**
   * The merge order's cut for `fresh` judged in order (the partition's
   * `tops`, `fresh` in its own lane), and the lanes whose older intervals
   * may coexist with it (`#pending`, in lane order). Each lane's newest
   * interval before `fresh` ends at its successor's start, at or after
   * `fresh`'s, and starts at or before it, so it coexists with `fresh` with
   * no test; a lane whose older intervals were shown to end before the last
   * judged interval, which `fresh` inherits (`clearance.ts`), is not tested
   * again; the others are tested once, and the ones whose newest older
   * interval coexists with `fresh` are searched.
   *
   * Only the lanes with something to do are visited
   * (`CausalPartition.watch`): the lane judged last (it moved), lanes with
   * no interval before the judged one, lanes not cleared. Every lane is
   * visited when the lanes are not tracked, when `fresh` does not inherit
   * (a new chain: what was cleared by cause lapses), or when two lanes
   * share a node.
   */
  #baseInOrder(p: Partition, cp: CausalPartition, fresh: Interval): void {
    const n = cp.lanes.length;
    if (this.#pending.length < n) this.#pending = new Int32Array(2 * n);
    this.#pendingCount = 0;
    const clear = cp.clearance;
    const last = clear.last(this.#pruned);
    const inherit = last !== null &&
      (last.nid === fresh.nid
        ? last.wall < fresh.wall || (last.wall === fresh.wall && last.logical < fresh.logical)
        : this.#deps.knows(this.vc(fresh), last.nid, last.wall, last.logical));
    clear.begin(inherit);
    // Lanes not moved since the last search in order keep its answer (see `CausalPartition.tops`).
    const tracked = cp.tracks(n);
    if (cp.nidOf(fresh.lane) < 0) cp.nodeOf(fresh.lane, fresh.nid);
    const watch = cp.watch;
    const watched = cp.watched;
    if (tracked && inherit && !cp.sharedNodes) {
      // Only the watched lanes: every other one is cleared, or has no older interval, and did not move.
      let kept = 0;
      const count = cp.watchCount;
      for (let w = 0; w < count; w++) {
        const z = watch[w]!;
        watched[z] = 0;
        if (z !== fresh.lane) this.#visit(p, cp, fresh, z, true, inherit);
        if (z === fresh.lane || this.#rewatch(cp, z)) {
          watch[kept++] = z;
          watched[z] = 1;
        }
      }
      cp.watchCount = kept;
      // Lane order, as visiting every lane gives (the trials' order is the order cuts are found in).
      const pending = this.#pending;
      for (let a = 1; a < this.#pendingCount; a++) {
        const z = pending[a]!;
        let b = a;
        for (; b > 0 && pending[b - 1]! > z; b--) pending[b] = pending[b - 1]!;
        pending[b] = z;
      }
    } else {
      let kept = 0;
      for (let z = 0; z < n; z++) {
        if (z !== fresh.lane) this.#visit(p, cp, fresh, z, tracked, inherit);
        if (z === fresh.lane || this.#rewatch(cp, z)) {
          watch[kept++] = z;
          watched[z] = 1;
        } else watched[z] = 0;
      }
      cp.watchCount = kept;
    }
    cp.tracked = n;
    // `fresh` is its lane's newest interval before the next one judged in order.
    cp.moved[fresh.lane] = 1;
    cp.judged[fresh.lane] = fresh;
    clear.judged(fresh, this.#pruned);
    if (watched[fresh.lane] === 0) {
      watch[cp.watchCount++] = fresh.lane;
      watched[fresh.lane] = 1;
    }
  }

  /**
   * One lane `z` of {@link CutSearch.#baseInOrder}: finds its newest
   * interval before `fresh` again when it may have changed (the
   * partition's `tops`, at index `hints`), and tests whether its older
   * intervals may coexist with `fresh` unless that is known.
   */
  #visit(
    p: Partition,
    cp: CausalPartition,
    fresh: Interval,
    z: number,
    tracked: boolean,
    inherit: boolean,
  ): void {
    const kept = cp.tops;
    const moved = cp.moved;
    const clear = cp.clearance;
    // Lane z's numbers (`CausalPartition.row`: read from the partition each time, as a seed may grow it).
    const r = z * ROW;
    let k = cp.row[r + HINT]!;
    if (!(tracked && moved[z] === 0 && k >= 0)) {
      // Found again (a lane with no interval before `fresh` always is: it may need a seed).
      const lane = cp.lanes[z]!;
      if (lane.length === 0) this.seed(p, z, lane);
      // Tracked, the lane moved because intervals of it were judged, in order: the last one is its
      // newest before `fresh` (a later one would have been judged first), found a few places on.
      let at = -1;
      const last = tracked && k >= 0 ? cp.judged[z] : null;
      for (let m = k + 1; last != null && m <= k + 4 && m < lane.length; m++) {
        if (lane[m] === last) {
          at = m;
          break;
        }
      }
      cp.row[r + HINT] = k = at >= 0 ? at : lastBeforeFrom(lane, fresh, k);
      moved[z] = 0;
      const found = k < 0 ? null : lane[k]!;
      if (kept[z] !== found) {
        kept[z] = found;
        this.#lanePid(cp, z, found);
        // What was learnt of the lane was learnt with another interval.
        clear.changed(z);
      }
      if (found === null) return;
      if (cp.row[r + NID]! < 0) cp.nodeOf(z, found.nid); // a lane's node never changes
    }
    // No older interval, or older ones shown to end before the last judged one began.
    const other = cp.row[r + NID] !== fresh.nid;
    if (k === 0 || (other && clear.holds(z, inherit))) return;
    const before = this.#endsBeforeBy(cp.lanes[z]![k - 1]!, fresh);
    if (other) clear.set(z, before);
    if (before === NOT_BEFORE) this.#pending[this.#pendingCount++] = z;
  }

  /**
   * True when lane `z` must be visited by the next search in order that
   * inherits: it has no interval before the judged one (it may get a seed,
   * or an interval), or older intervals not cleared.
   */
  #rewatch(cp: CausalPartition, z: number): boolean {
    const k = cp.hintOf(z);
    return k < 0 || (k > 0 && !cp.clearance.holds(z, true));
  }

  /** The merge order's cut found in order for `fresh` in `#base` and `#tops` (for the trials and the cuts found). */
  #fillBase(cp: CausalPartition, fresh: Interval): void {
    const n = cp.lanes.length;
    const tops = this.#tops;
    const base = this.#base;
    for (let z = 0; z < n; z++) {
      const i = z === fresh.lane ? fresh : cp.tops[z] ?? null;
      base[z] = i;
      tops[z] = z === fresh.lane || i === null ? -1 : cp.hintOf(z);
    }
  }

  /** The projection id of interval `i` (interned when its id is of another epoch). */
  #pidOf(cp: CausalPartition, i: Interval): number {
    const memo = cp.memo;
    if (i.pidEpoch !== memo.epoch) {
      i.pid = memo.idOf(cp.arena.bytes, i.block);
      i.pidEpoch = memo.epoch;
    }
    return i.pid;
  }

  /** Lane `z`'s newest interval before the judged one is `i` now: its term in the merge order cut's key follows. */
  #lanePid(cp: CausalPartition, z: number, i: Interval | null): void {
    const memo = cp.memo;
    const epoch = memo.epoch;
    if (cp.cutEpoch !== epoch || z >= cp.cutLanes) return; // built whole again by the next check
    const pid = i === null ? -1 : this.#pidOf(cp, i);
    if (memo.epoch !== epoch) {
      cp.cutEpoch = -1; // the ids started again while interning
      return;
    }
    cp.cutHash = (cp.cutHash - laneTerm(z, cp.cutIds[z]!) + laneTerm(z, pid)) | 0;
    cp.cutIds[z] = pid;
  }

  /**
   * {@link CutSearch.check} of the merge order's cut found in order for
   * `fresh`: its key, the projection ids per lane, is kept by the
   * partition and changed per lane (`CausalPartition.cutIds`, `cutHash`),
   * so only `fresh`'s own lane is read, and a cut seen before is one
   * lookup.
   */
  #checkBase(p: Partition, cp: CausalPartition, fresh: Interval): number {
    const memo = cp.memo;
    const n = cp.lanes.length;
    const ids = cp.cutIds;
    const lane = fresh.lane;
    let pid = -1;
    for (let pass = 0; pass < 2; pass++) {
      const epoch = memo.epoch;
      if (cp.cutEpoch !== epoch || cp.cutLanes !== n) {
        let hash = 0;
        for (let z = 0; z < n; z++) {
          const i = cp.tops[z] ?? null;
          const id = z === lane || i === null ? -1 : this.#pidOf(cp, i);
          ids[z] = id;
          hash = (hash + laneTerm(z, id)) | 0;
        }
        cp.cutHash = hash;
        cp.cutEpoch = epoch;
        cp.cutLanes = n;
      }
      pid = this.#pidOf(cp, fresh);
      // The ids started again while interning: intern the cut's states anew.
      if (memo.epoch === epoch) break;
      cp.cutEpoch = -1;
    }
    const held = ids[lane]!;
    const hash = (cp.cutHash - laneTerm(lane, held) + laneTerm(lane, pid)) | 0;
    ids[lane] = pid;
    let code = memo.lookupLanes(ids, n, hash);
    if (code < 0) {
      if (this.#ids.length < n) this.#ids = new Int32Array(2 * n);
      const compact = this.#ids;
      let count = 0;
      for (let z = 0; z < n; z++) if (ids[z]! >= 0) compact[count++] = ids[z]!;
      code = this.#checkIds(p, memo, compact, count);
      memo.rememberLanes(ids, n, hash, code);
    }
    ids[lane] = held;
    return code;
  }

  /** The merge order's cut for any `fresh` (late ones too): every other node at its newest interval coexisting with `fresh` (`#base`, its index in `#tops`). */
  #baseAny(p: Partition, cp: CausalPartition, fresh: Interval): void {
    const lanes = cp.lanes;
    const n = lanes.length;
    const tops = this.#tops;
    const base = this.#base;
    for (let z = 0; z < n; z++) {
      const lane = lanes[z]!;
      if (lane.length === 0 && z !== fresh.lane) this.seed(p, z, lane);
      // Its own lane is not searched; a late interval meets the later ones judged before it came.
      if (z === fresh.lane) tops[z] = -1;
      else if (fresh.behind) tops[z] = lane.length - 1;
      else {
        const k = lastBeforeFrom(lane, fresh, cp.hintOf(z));
        cp.setHint(z, k);
        tops[z] = k;
      }
    }
    for (let z = 0; z < n; z++) {
      base[z] = null;
      if (z === fresh.lane) {
        base[z] = fresh;
        continue;
      }
      const k = this.#newestCoexisting(lanes[z]!, tops[z]!, fresh);
      if (k >= 0) base[z] = lanes[z]![k]!;
      tops[z] = k;
    }
  }

  /**
   * The index of `lane`'s newest interval at or below `k` that coexists
   * with `fresh`, -1 when none does: from `k` down, past the ones that
   * begin after `fresh` ends, to the first that does not end before it
   * (once one ends before `fresh`, every older one does too).
   */
  #newestCoexisting(lane: readonly Interval[], k: number, fresh: Interval): number {
    for (; k >= 0; k--) {
      const c = lane[k]!;
      if (this.endsBefore(c, fresh)) return -1; // older intervals end earlier still
      if (!this.endsBefore(fresh, c)) return k;
    }
    return -1;
  }

  /**
   * The cuts of `fresh` with each older interval of lane `x` that
   * coexists with it, the other lanes at their newest intervals coexisting
   * with both; appends the failing ones to `found` (created when needed).
   */
  #trials(
    p: Partition,
    cp: CausalPartition,
    fresh: Interval,
    x: number,
    found: Found[] | null,
    lanes: readonly Interval[][] = cp.lanes,
  ): Found[] | null {
    const n = lanes.length;
    const tops = this.#tops;
    const base = this.#base;
    const trial = this.#trial;
    const lane = lanes[x]!;
    // Newer ones than the base's do not coexist with `fresh` (or there is no base: none does).
    for (let k = tops[x]! - 1; k >= 0 && base[x] !== null; k--) {
      const j = lane[k]!;
      // Older intervals of the lane end earlier still: none of them coexists either.
      if (this.endsBefore(j, fresh)) break;
      if (this.endsBefore(fresh, j)) continue;
      for (let z = 0; z < n; z++) trial[z] = base[z]!;
      trial[x] = j;
      for (let z = 0; z < n; z++) {
        if (z === x || z === fresh.lane) continue;
        const b = trial[z];
        if (b !== null && b !== undefined && this.coexist(b, j)) continue;
        trial[z] = null;
        const lz = lanes[z]!;
        for (let m = tops[z]!; m >= 0; m--) {
          const c = lz[m]!;
          if (this.coexist(c, j) && this.coexist(c, fresh)) {
            trial[z] = c;
            break;
          }
        }
      }
      const code = this.check(p, trial);
      if (code === 0) continue;
      const kept = (cp.episode === null ? 0 : cp.episode.found.length) + (found?.length ?? 0);
      (found ??= []).push(kept < KEPT_CUTS ? this.#found(p, trial, code, false) : UNKEPT);
    }
    return found;
  }

  /**
   * A participant with no interval yet (restored from a snapshot, or whose
   * events were all judged before it had a lane): its current state, from
   * an unknown start, still open.
   */
  seed(p: Partition, z: number, lane: Interval[]): void {
    const q = p.participants[z];
    if (q === undefined || q.seq < 0) return;
    const cp = this.#partOf(p);
    const block = cp.copyIn(p, p.instanceOf(q));
    if (cp.sparse && !this.relevant(p, cp, block)) {
      cp.arena.free(block); // a lane of P-intervals only: a state outside P has none
      return;
    }
    lane.push(
      new Interval({ node: q.node, index: z, boot: q.boot }, {
        nid: this.#deps.nodeId(q.node),
        seq: -1,
        action: -1,
        wall: -Infinity,
        logical: 0,
        block,
      }),
    );
    this.#seeded();
  }

  /** The global check on cut `cut` (a null entry leaves that node out). */
  check(p: Partition, cut: readonly (Interval | null)[]): number {
    const cp = this.#partOf(p);
    const memo = cp.memo;
    let count = 0;
    for (let pass = 0; pass < 2; pass++) {
      const epoch = memo.epoch;
      if (this.#ids.length < cut.length) this.#ids = new Int32Array(2 * cut.length);
      const ids = this.#ids;
      count = 0;
      for (const i of cut) {
        // A stretch outside P of a sparse lane (no block) is in no failing pair.
        if (i === null || i.block < 0) continue;
        if (i.pidEpoch !== memo.epoch) {
          i.pid = memo.idOf(cp.arena.bytes, i.block);
          i.pidEpoch = memo.epoch;
        }
        ids[count++] = i.pid;
      }
      // The ids started again while interning: intern the cut's states anew.
      if (memo.epoch === epoch) break;
    }
    return count === 0 ? 0 : this.#checkIds(p, memo, this.#ids, count);
  }

  /**
   * The global check on the states of projection ids `ids[0 .. n)` (any
   * state of a projection stands for all: the check reads no other byte).
   */
  #checkIds(p: Partition, memo: CutVerdicts, ids: Int32Array, n: number): number {
    const known = memo.lookup(ids, n);
    if (known >= 0) return known;
    const c = p.served.compiled;
    const scratch = p.served.scratch(n);
    for (let j = 0; j < n; j++) c.setStateBytes(scratch + j, memo.stateOf(ids[j]!));
    const code = c.globalCheck(scratch, n);
    memo.remember(ids, n, code);
    return code;
  }

  /** A found cut of `p` (its intervals interned by {@link CutSearch.check}), with what it shows (`found_cuts.ts`). */
  #found(p: Partition, cut: readonly (Interval | null)[], code: number, base: boolean): Found {
    return this.#cuts.of(p, cut, { code, base, shown: this.#shown });
  }
}

/** No blockless interval shown (see {@link CutSearch.searchOn}). */
const NONE_SHOWN: ReadonlyMap<Interval, number> = new Map();

/** Lane `z` holding projection id `pid` (-1: none) as a term of the merge order cut's key (a sum of terms, so one lane's change is one update). */
function laneTerm(z: number, pid: number): number {
  let h = Math.imul(pid + 2, 0x9e3779b1) ^ Math.imul(z + 1, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}
