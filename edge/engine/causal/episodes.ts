/**
 * The causal judge's episodes (`causal_judge.ts`, `docs/causality.md`):
 * the first failing cut of a partition opens one, cuts found while it is
 * open join it; it raises one alert once judgement passes the first
 * detection by 4S plus twice the window (or on flush), choosing its cut
 * and verdict (`definitely` when the failing pair's starts are each
 * provably before the other's end, Garg and Waldecker's condition); a
 * raised one closes once judgement passes its last failing cut by 2S plus
 * the window with the cut at that point passing; an unraised one drops
 * the cuts later orderings dissolve.
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import { atOrBefore, type DependencyTable } from "./happened_before.ts";
import { buildEvidence } from "./evidence_builder.ts";
import type { CausalHost } from "./causal_judge.ts";
import type { CausalPartition, Episode, Found, FoundAt, Interval } from "./lanes.ts";

/**
 * The cuts an episode keeps at most (the first ones, and the merge
 * order's): the others found while it is open only move its last failing
 * wall (`Episode.skippedWall`).
 *
 * @example A search builds no cut an episode would not keep
 * ```ts
 * import assert from "node:assert/strict";
 * import { KEPT_CUTS } from "./episodes.ts";
 * const kept = 60, foundNow = 4;
 * assert.equal(kept + foundNow < KEPT_CUTS, false); // a fifth non-base cut would not be kept
 * ```
 */
export const KEPT_CUTS = 64;

/** What episodes ask of the judge's cut search. */
export interface CutOracle {
  /** The judge's dependencies. */
  readonly deps: DependencyTable;
  /** The global check on cut `cut` of `p` (a null entry leaves that node out): 0 passes. */
  check(p: Partition, cut: readonly (Interval | null)[]): number;
  /** True when neither interval ends before the other begins. */
  coexist(a: Interval, b: Interval): boolean;
  /** The handle of the vector clock at `i`'s start. */
  vc(i: Interval): number;
}

/**
 * What a batch's dependencies changed when they bumped no epoch
 * (`DependencyTable.epoch`): entries of one node appended after every
 * stamp of it another node named, so no other node's vector clock moved,
 * and this node's moved only at or after the earliest new entry.
 *
 * @example C's batch carried dependencies on its events from 1 125 on
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Appended } from "./episodes.ts";
 * const appended: Appended = { since: 41, nid: 2, before: 7, wall: 1_125, logical: 0 };
 * assert.equal(appended.wall, 1_125); // C's intervals starting before it kept their vectors
 * ```
 */
export interface Appended {
  /** The table's generation before them (`DependencyTable.generation`). */
  readonly since: number;
  /** The node whose entries were appended. */
  readonly nid: number;
  /** Its dependency generation before them (`DependencyTable.nodeGeneration`). */
  readonly before: number;
  /** The HLC of the earliest event that carried one of them (wall, ms). */
  readonly wall: number;
  /** Its logical part. */
  readonly logical: number;
}

/**
 * What an unraised episode's first `count` cuts were last found to hold
 * with (`Episodes.recheck`): the table's generation then, per node the
 * latest start of their failing intervals, and those of them whose end
 * was open. While the table moved only by a batch appending entries of
 * one node after the latest start of that node, and no open end closed
 * (a closed end changes only by an older event, whose recheck is a full
 * one), they all still hold: none of them needs a look.
 */
class Confirmed {
  count = 0;
  generation = -1;
  /** Per node number, the latest start (wall, logical) of a failing interval (-Infinity: none). */
  readonly latestWall: number[] = [];
  readonly latestLogical: number[] = [];
  readonly open: Interval[] = [];

  /** Covers nothing. */
  reset(): void {
    this.count = 0;
    this.generation = -1;
    this.latestWall.length = 0;
    this.latestLogical.length = 0;
    this.open.length = 0;
  }

  /** Covers cut `f` too. */
  add(f: Found): void {
    const lw = this.latestWall;
    const ll = this.latestLogical;
    for (const x of f.failing) {
      while (lw.length <= x.nid) {
        lw.push(-Infinity);
        ll.push(0);
      }
      if (x.wall > lw[x.nid]! || (x.wall === lw[x.nid]! && x.logical > ll[x.nid]!)) {
        lw[x.nid] = x.wall;
        ll[x.nid] = x.logical;
      }
      if (x.endWall === Infinity) this.open.push(x);
    }
  }

  /** True when the cuts covered held as of the table's generation `appended.since` and none of their open ends closed since. */
  current(appended: Appended): boolean {
    if (this.generation !== appended.since) return false;
    for (const x of this.open) if (x.endWall !== Infinity) return false;
    return true;
  }

  /** True when no failing interval of a covered cut of `appended`'s node starts at or after its earliest new entry. */
  before(appended: Appended): boolean {
    const w = this.latestWall[appended.nid];
    if (w === undefined) return true;
    return w < appended.wall ||
      (w === appended.wall && this.latestLogical[appended.nid]! < appended.logical);
  }
}

/**
 * Options of {@link Episodes}.
 *
 * @example Half a second of skew, the default window
 * ```ts
 * import assert from "node:assert/strict";
 * import type { EpisodesOptions } from "./episodes.ts";
 * const options: Omit<EpisodesOptions, "oracle"> = { maxSkewMs: 500, windowMs: 250 };
 * assert.equal(4 * options.maxSkewMs + 2 * options.windowMs, 2_500); // the raise point
 * ```
 */
export interface EpisodesOptions {
  /** The skew bound S, ms. */
  readonly maxSkewMs: number;
  /** The reorder window, ms. */
  readonly windowMs: number;
  /** The judge's cut search. */
  readonly oracle: CutOracle;
}

/**
 * The episodes of a causal judge's partitions.
 *
 * @example How the judge drives them
 * ```ts ignore
 * const episodes = new Episodes(host, { maxSkewMs: 500, windowMs: 250, oracle });
 * if (episodes.join(p, { cp, fresh, found })) watched.add(p); // cuts found judging `fresh`
 * episodes.pass(p, { cp, wall, logical }); // judgement reached (wall, logical)
 * ```
 */
export class Episodes {
  readonly #host: CausalHost;
  readonly #oracle: CutOracle;
  readonly #maxSkewMs: number;
  readonly #skew2: number;
  readonly #windowMs: number;
  /** How far judgement passes an episode's detection before its alert (4S + 2 windows): ends up to there count. */
  readonly #raiseAfter: number;
  /** Per unraised episode rechecked, what its cuts were last found to hold with. */
  readonly #confirmed = new WeakMap<Episode, Confirmed>();

  constructor(host: CausalHost, options: EpisodesOptions) {
    this.#host = host;
    this.#oracle = options.oracle;
    this.#maxSkewMs = options.maxSkewMs;
    this.#skew2 = 2 * options.maxSkewMs;
    this.#windowMs = options.windowMs;
    this.#raiseAfter = 4 * options.maxSkewMs + 2 * options.windowMs;
  }

  /**
   * Cuts `at.found` failed judging interval `at.fresh` of `p`: they open
   * an episode or join the open one. True when one opened.
   */
  join(
    p: Partition,
    at: {
      readonly cp: CausalPartition;
      readonly fresh: Interval;
      readonly found: readonly Found[];
    },
  ): boolean {
    const { cp, fresh, found } = at;
    let ep = cp.episode;
    let opened = false;
    if (ep === null) {
      const code = found[0]!.code;
      cp.episode = ep = {
        code,
        at: { wall: fresh.wall, logical: fresh.logical },
        detectWall: fresh.wall,
        detectedAt: this.#host.now(),
        found: [],
        lastWall: fresh.wall,
        skippedWall: -Infinity,
        raised: false,
      };
      opened = true;
      this.#host.episode(p, code, 0, ep.at);
    }
    if (fresh.wall > ep.lastWall) ep.lastWall = fresh.wall;
    const detected = { wall: fresh.wall, logical: fresh.logical, now: this.#host.now() };
    // Bounded: an episode keeps at most KEPT_CUTS cuts (the first ones, and the merge order's); the search
    // builds none it would not keep (`UNKEPT` stands for them).
    for (const f of found) {
      // (`UNKEPT` has no cut: skipped by name too, so a drift between the search's count and this one
      // cannot keep it, a frozen object `detected` could not be set on.)
      if ((ep.found.length >= KEPT_CUTS && !f.base) || f.cut.length === 0) {
        if (fresh.wall > ep.skippedWall) ep.skippedWall = fresh.wall;
        continue;
      }
      f.detected ??= detected;
      ep.found.push(f);
    }
    return opened;
  }

  /**
   * The cuts of `ep` changed other than by a recheck (a lane retired:
   * `LaneRetirement.retire` drops or shortens them): what was confirmed of its
   * first cuts no longer says which, so the next recheck tests them all.
   */
  forget(ep: Episode): void {
    this.#confirmed.get(ep)?.reset();
  }

  /**
   * Interval `x` of `p`, open until now, got its end: rechecks `p`'s
   * unraised episode, unless every cut of it held at the table's current
   * generation and none holds `x` as a failing interval (an end changes
   * only cuts holding that interval: then nothing did).
   */
  ended(p: Partition, cp: CausalPartition, x: Interval): void {
    const ep = cp.episode;
    if (ep === null) return;
    if (ep.raised) return;
    const confirmed = this.#confirmed.get(ep);
    if (
      confirmed !== undefined && confirmed.count === ep.found.length &&
      confirmed.generation === this.#oracle.deps.generation && !confirmed.open.includes(x)
    ) {
      return;
    }
    if (this.recheck(p, cp)) {
      cp.changes++;
      this.#host.changed(p);
    }
  }

  /**
   * Drops the cuts of `p`'s unraised episode that no longer hold; cancels
   * it when none is left. `appended`: all that changed in the dependencies
   * since the table's generation `appended.since`, when that is known (a
   * batch that bumped no epoch): a cut that held then and whose intervals
   * of that node start before its earliest new entry still holds. True
   * when the episode changed (a cut dropped, and with it maybe its start
   * and last failing wall; or the episode cancelled): what a snapshot of
   * `p` holds changed only then (the caller marks it), not when every cut
   * held (what was confirmed of them is not in snapshots).
   */
  recheck(p: Partition, cp: CausalPartition, appended?: Appended): boolean {
    const ep = cp.episode;
    if (ep === null || ep.raised) return false;
    const found = ep.found;
    let confirmed = this.#confirmed.get(ep);
    if (confirmed === undefined) this.#confirmed.set(ep, confirmed = new Confirmed());
    // Most batches find every cut held before and none of the batch node's failing intervals starting at or
    // after its earliest new entry: nothing to test (in `mix`, 99% of the visits).
    if (
      appended !== undefined && confirmed.count === found.length && confirmed.current(appended) &&
      confirmed.before(appended)
    ) {
      confirmed.generation = this.#oracle.deps.generation;
      return false;
    }
    // The cuts that held before the batch: only its node's intervals from its earliest new entry on
    // can have moved, and none did when every such interval starts before it.
    let from = 0;
    let dropped = false;
    if (appended !== undefined && confirmed.count <= found.length && confirmed.current(appended)) {
      from = confirmed.count;
      if (!confirmed.before(appended)) {
        let kept = 0;
        for (let k = 0; k < from; k++) {
          const f = found[k]!;
          if (this.#keepsVectors(f, appended) || this.#holds(f)) found[kept++] = f;
        }
        if (kept < from) {
          found.copyWithin(kept, from);
          found.length -= from - kept;
          confirmed.reset();
          from = kept;
          dropped = true;
        }
      }
    } else {
      confirmed.reset();
    }
    // In place, and no test for a cut whose failing intervals' generations and ends did not change.
    let kept = from;
    for (let k = from; k < found.length; k++) {
      const f = found[k]!;
      if (this.#unchanged(f, appended) || this.#holds(f)) found[kept++] = f;
    }
    const held = !dropped && kept === found.length;
    found.length = kept;
    // Every cut kept holds now.
    if (!held) confirmed.reset();
    for (let k = confirmed.count; k < kept; k++) confirmed.add(found[k]!);
    confirmed.count = kept;
    confirmed.generation = this.#oracle.deps.generation;
    if (held) return false;
    if (kept === 0) {
      cp.episode = null;
      this.#host.episode(p, 0, -ep.code, ep.at);
      return true;
    }
    // The episode starts where its earliest kept cut was found, and its last failing cut is the latest
    // kept (or one past the 64 kept, never rechecked), as if the dropped ones never were.
    let first: FoundAt | undefined;
    let last = ep.skippedWall;
    for (const f of found) {
      const d = f.detected;
      if (d !== undefined && d.wall > last) last = d.wall;
      if (
        d !== undefined &&
        (first === undefined || !atOrBefore(first.wall, first.logical, d.wall, d.logical))
      ) {
        first = d;
      }
    }
    if (first !== undefined && !atOrBefore(first.wall, first.logical, ep.at.wall, ep.at.logical)) {
      ep.at = { wall: first.wall, logical: first.logical };
      ep.detectWall = first.wall;
      ep.detectedAt = first.now;
    }
    if (last < ep.lastWall) ep.lastWall = last;
    return true;
  }

  /**
   * Judgement of `p` has reached HLC (`at.wall`, `at.logical`): raises the
   * open episode once it passes the detection by 4S plus twice the window,
   * and closes a raised one once it passes its last failing cut by 2S plus
   * the window with the cut at that point passing.
   */
  pass(
    p: Partition,
    at: { readonly cp: CausalPartition; readonly wall: number; readonly logical: number },
  ): void {
    const { cp, wall, logical } = at;
    const ep = cp.episode;
    if (ep === null) return;
    if (!ep.raised && wall > ep.detectWall + this.#raiseAfter) this.raise(p, cp, true);
    if (!ep.raised || wall <= ep.lastWall + this.#skew2 + this.#windowMs) return;
    const cut: Interval[] = [];
    for (const lane of cp.lanes) {
      let k = lane.length - 1;
      while (k >= 0 && !atOrBefore(lane[k]!.wall, lane[k]!.logical, wall, logical)) k--;
      // A lane of P-intervals only (`CausalPartition.sparse`) is outside P once its interval ended.
      if (
        k < 0 || (cp.sparse && atOrBefore(lane[k]!.endWall, lane[k]!.endLogical, wall, logical))
      ) {
        continue;
      }
      cut.push(lane[k]!);
    }
    if (this.#oracle.check(p, cut) !== 0) return;
    cp.episode = null;
    this.#host.episode(p, 0, ep.code, { wall, logical });
  }

  /**
   * Raises `p`'s open episode (not raised yet): its best cut, its verdict,
   * the nodes it names, its picture. `passed`: judgement passed the raise
   * point (else the engine flushed before it), so every end up to it is
   * known and an end not known yet lies after it.
   */
  raise(p: Partition, cp: CausalPartition, passed = false): void {
    const ep = cp.episode as Episode;
    ep.raised = true;
    const limit = ep.detectWall + this.#raiseAfter;
    // Cuts of an episode mostly share their failing pair: its verdict is found once per run of them.
    let pair: readonly Interval[] | null = null;
    let known = false;
    const verdicts = ep.found.map((f) => {
      const a = f.failing;
      if (pair === null || a.length !== 2 || pair[0] !== a[0] || pair[1] !== a[1]) {
        known = this.#definitely(f, limit, passed);
        pair = a.length === 2 ? a : null;
      }
      return known;
    });
    let best = verdicts.indexOf(true);
    if (best < 0) best = ep.found.findIndex((f) => f.base);
    if (best < 0) best = 0;
    const chosen = ep.found[best]!;
    const verdict = verdicts[best] ? "definitely" : "possibly";
    const nodes: string[] = chosen.failing.map((i) => i.node);
    ep.found.forEach((f, k) => {
      if (verdicts[k] !== verdicts[best]) return;
      for (const i of f.failing) if (!nodes.includes(i.node)) nodes.push(i.node);
    });
    this.#host.raise(p, {
      property: p.served.invariantRef(chosen.code),
      at: ep.at,
      detectedAt: this.#host.now(),
      nodes,
      causal: buildEvidence(p, {
        deps: this.#oracle.deps,
        lanes: cp.lanes,
        found: ep.found,
        chosen,
        nodes,
        verdict,
        maxSkewMs: this.#maxSkewMs,
      }),
      cutStates: chosen.cut.map((i, k) => ({
        node: i.node,
        boot: i.boot,
        seq: i.seq,
        wall: i.wall,
        logical: i.logical,
        state: chosen.states[k]!,
      })),
    });
  }

  /**
   * True when `f` was found to hold with its failing intervals' node
   * generations and ends as they are now (`Found.checked`): whether two
   * intervals coexist is a function of their starts, their ends and their
   * nodes' dependencies (the vector clock at a start is valid until its
   * node's generation changes: `DependencyTable.nodeGeneration`). A node
   * whose generation moved only by `appended` keeps the vectors at the
   * starts before its earliest new entry: then the record takes its new
   * generation.
   */
  #unchanged(f: Found, appended: Appended | undefined): boolean {
    const c = f.checked;
    if (c === undefined) return false;
    const a = f.failing;
    const deps = this.#oracle.deps;
    for (let i = 0, k = 0; i < a.length; i++, k += 3) {
      const x = a[i]!;
      if (c[k + 1] !== x.endWall || c[k + 2] !== x.endLogical) return false;
      const generation = deps.nodeGeneration(x.nid);
      if (c[k] === generation) continue;
      if (appended === undefined || c[k] !== appended.before || !this.#keepsVector(x, appended)) {
        return false;
      }
      c[k] = generation;
    }
    return true;
  }

  /** True when the vector clock at `x`'s start did not move by `appended` (another node's, or it starts before the earliest new entry). */
  #keepsVector(x: Interval, appended: Appended): boolean {
    return x.nid !== appended.nid || x.wall < appended.wall ||
      (x.wall === appended.wall && x.logical < appended.logical);
  }

  /** True when the vector clocks at the starts of `f`'s failing intervals did not move by `appended`. */
  #keepsVectors(f: Found, appended: Appended): boolean {
    for (const x of f.failing) if (!this.#keepsVector(x, appended)) return false;
    return true;
  }

  /** True when the failing intervals of `f` still coexist pairwise (after a lane changed); records what held. */
  #holds(f: Found): boolean {
    const a = f.failing;
    for (let i = 0; i < a.length; i++) {
      for (let j = i + 1; j < a.length; j++) {
        if (!this.#oracle.coexist(a[i]!, a[j]!)) return false;
      }
    }
    const deps = this.#oracle.deps;
    const c = f.checked ??= new Array<number>(3 * a.length);
    for (let i = 0, k = 0; i < a.length; i++, k += 3) {
      const x = a[i]!;
      c[k] = deps.nodeGeneration(x.nid);
      c[k + 1] = x.endWall;
      c[k + 2] = x.endLogical;
    }
    return true;
  }

  /**
   * `a`'s start is provably before `b`'s end (or `b`'s start). An end
   * after `limit` (the raise point) counts as unknown, whether it had
   * arrived or not, but it lies after `limit`: so physical time still
   * proves a start more than 2S before `limit` to be before it. That holds
   * for an end known to be after `limit`, and for one not known yet once
   * judgement `passed` the limit (every event before the horizon has been
   * applied: see the module doc of `causal_judge.ts`); not for an open
   * interval at a flush before it (its end may lie anywhere after its
   * start).
   */
  #startBefore(a: Interval, b: Interval, end: boolean, limit = Infinity, passed = false): boolean {
    if (end && b.endWall > limit) {
      return (b.endWall !== Infinity || passed) && a.wall + this.#skew2 < limit;
    }
    const w = end ? b.endWall : b.wall;
    if (w === Infinity) return false;
    if (a.wall + this.#skew2 < w) return true;
    if (a.node === b.node) return atOrBefore(a.wall, a.logical, w, end ? b.endLogical : b.logical);
    const deps = this.#oracle.deps;
    const vc = end ? deps.vectorHandle(b.nid, b.endWall, b.endLogical) : this.#oracle.vc(b);
    return deps.knows(vc, a.nid, a.wall, a.logical);
  }

  /** Garg and Waldecker's condition on `f`'s failing pair, with ends after `limit` known only to lie after it. */
  #definitely(f: Found, limit: number, passed: boolean): boolean {
    if (f.failing.length !== 2) return false;
    const [a, b] = f.failing as [Interval, Interval];
    const ab = this.#startBefore(a, b, false) || this.#startBefore(a, b, true, limit, passed);
    const ba = this.#startBefore(b, a, false) || this.#startBefore(b, a, true, limit, passed);
    return ab && ba;
  }
}
