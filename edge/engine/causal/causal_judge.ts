/**
 * Causal verdicts on global invariants (`docs/causality.md`): instead of
 * judging the one total order the HLC gives, the collector judges the
 * consistent cuts of the partial order it knows.
 *
 * - **Intervals.** Per partition and node, a lane of state intervals: the
 *   node's state from one of its events (the interval's start) to its next
 *   event there (its end; open while there is none). An event that leaves
 *   the state byte for byte unchanged extends the interval.
 * - **Before.** Interval A ends before B begins when A's end happened
 *   before B's start (program order and the dependencies events carry,
 *   closed transitively: `happened_before.ts`) or when physical time
 *   proves it: with every clock within S (`maxSkewMs`) of true time, an
 *   HLC wall is within [real - S, real + S], so `wall(a) + 2S < wall(b)`
 *   proves a before b.
 * - **Coexist.** Two intervals of different nodes coexist when neither
 *   ends before the other begins; a cut (one interval per node) is
 *   consistent when its intervals coexist pairwise.
 * - **Search.** When an event starts interval I, the cuts judged are: I
 *   with every other node's newest interval that coexists with it (for an
 *   event applied in merge order, the HLC cut the engine always judged),
 *   and, for each other node X and each older interval J of X that
 *   coexists with I, I and J with each remaining node's newest interval
 *   coexisting with both. This finds every violation two nodes witness
 *   (mutual exclusion, pairwise invariants); a violation needing three
 *   nodes' older intervals at once may be missed. Each cut runs the
 *   compiled global check on the cut's states.
 * - **Verdicts.** A failing cut is `possibly` violated. It is `definitely`
 *   violated when its smallest failing subset is two intervals A and B
 *   each of whose starts is provably before the other's end (Garg and
 *   Waldecker's condition for two intervals): every ordering then passes
 *   through a cut where both hold.
 * - **Episodes.** The first failing cut opens an episode; cuts found while
 *   it is open join it. Its one alert is raised once merged time (the
 *   partition's applied HLC wall) passes the first detection by 2S (every
 *   interval that may coexist with it has been judged by then), or the
 *   collector clock passes it by 2S plus the reorder window, or on flush.
 *   The alert's cut is the best one found: a `definitely` cut first, then
 *   a cut of the merge order, then the first found; its nodes are that
 *   cut's failing nodes, then those of the episode's other cuts with the
 *   same verdict. The episode closes once merged time passes its last
 *   failing cut by 2S plus the window and the partition's current cut
 *   passes.
 * - **Late events** (arriving after later events of their partition were
 *   applied) are judged when their interval closes (their node's next
 *   event there), or on flush: a late event's own end is often still in
 *   flight.
 * - **Memory.** A closed interval is dropped once merged time passes its
 *   end by 2S plus the reorder window (it can coexist with nothing newer),
 *   and a lane keeps at most {@link MAX_LANE} intervals; dependency
 *   entries are dropped once physical time orders what they order.
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import type { Hlc, PropertyRef } from "../types.ts";
import type { WireColumns } from "../../../lib/wire/columns.ts";
import { atOrBefore, DependencyTable, type HlcPoint, type Vector } from "./happened_before.ts";
import type { CausalEvidence, EvidenceEvent, EvidenceMessage } from "./evidence.ts";

const EMPTY_VC: Vector = new Map();

/** Intervals kept per lane at most (the oldest closed ones go first). */
export const MAX_LANE = 256;

/** One node's state over a stretch of its events in one partition. */
interface Interval {
  readonly node: string;
  readonly lane: number;
  readonly boot: string;
  /** Start event: sequence number (-1 for none), action index, HLC. */
  readonly seq: number;
  readonly action: number;
  readonly wall: number;
  readonly logical: number;
  /** End event (the lane's next interval's start): Infinity while open. */
  endWall: number;
  endLogical: number;
  readonly state: Uint8Array;
  /** The vector clock at the start, as of dependency table generation `vcGen` (-1: not computed). */
  vc: Vector;
  vcGen: number;
  /** Late: to judge once closed (or on flush). */
  pending: boolean;
}

/** A failing cut found in an episode. */
interface Found {
  readonly cut: readonly Interval[];
  /** Its smallest failing subset. */
  readonly failing: readonly Interval[];
  readonly code: number;
  /** True for the cut of the merge order (every other node at its newest interval). */
  readonly base: boolean;
}

/** An open episode of a partition. */
interface Episode {
  readonly code: number;
  readonly at: Hlc;
  readonly detectWall: number;
  readonly detectedAt: number;
  readonly found: Found[];
  lastWall: number;
  raised: boolean;
}

/** What a causal partition keeps. */
class CausalPartition {
  readonly lanes: Interval[][] = [];
  episode: Episode | null = null;
  pending = 0;
  /**
   * True when the last check of the partition's current cut passed and
   * every state change since went through one: the next may then re-check
   * only what involves the participant that changed (`globalCheckNode`).
   */
  passed = false;
}

/** An applied event as the judge reads it. */
export interface AppliedEvent {
  readonly seq: number;
  readonly action: number;
  readonly wall: number;
  readonly logical: number;
  readonly late: boolean;
}

/** What the judge asks of the engine when it raises or clears. */
export interface CausalHost {
  /** The collector clock. */
  now(): number;
  /** Raises the episode's one alert. */
  raise(p: Partition, facts: CausalFacts): void;
  /**
   * The partition's episode opened (`code` > 0) or closed (0, with the
   * time that closed it; `before` is the closed episode's code, negative
   * when the episode closed before its alert was raised: nothing to clear).
   */
  episode(p: Partition, code: number, before: number, at: Hlc): void;
}

/** What an alert of the judge says. */
export interface CausalFacts {
  readonly property: PropertyRef;
  readonly at: Hlc;
  readonly detectedAt: number;
  readonly nodes: readonly string[];
  readonly causal: CausalEvidence;
}

/**
 * Options of {@link CausalJudge}.
 *
 * @example Half a second of skew, the default window
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CausalJudgeOptions } from "./causal_judge.ts";
 * const options: CausalJudgeOptions = { maxSkewMs: 500, windowMs: 250 };
 * assert.equal(2 * options.maxSkewMs + options.windowMs, 1_250);
 * ```
 */
export interface CausalJudgeOptions {
  /** The clock skew bound S, ms: every node's clock within S of true time. */
  readonly maxSkewMs: number;
  /** The reorder window, ms. */
  readonly windowMs: number;
}

/**
 * The causal judge of one engine: dependencies, lanes and episodes.
 *
 * @example Wire it into an engine
 * ```ts ignore
 * const judge = new CausalJudge(host, { maxSkewMs: 500, windowMs: 250 });
 * judge.record(columns); // at ingest
 * judge.applied(p, p.participants[0]!, { seq: 0, action: 0, wall: 1_000, logical: 0, late: false });
 * ```
 */
export class CausalJudge {
  /** Dependencies of every node. */
  readonly deps: DependencyTable = new DependencyTable();
  readonly #host: CausalHost;
  readonly #skew2: number;
  readonly #maxSkewMs: number;
  readonly #windowMs: number;
  readonly #parts: (CausalPartition | undefined)[] = [];
  /** Partitions with an episode not raised yet, or late intervals to judge. */
  readonly #open = new Set<Partition>();
  #applied = 0;
  /** True while the engine flushes (partition after partition): dependencies are not pruned then. */
  #flushing = false;
  #maxWall = -Infinity;
  #scratchState = new Uint8Array(0);

  constructor(host: CausalHost, options: CausalJudgeOptions) {
    this.#host = host;
    this.#maxSkewMs = options.maxSkewMs;
    this.#skew2 = 2 * options.maxSkewMs;
    this.#windowMs = options.windowMs;
  }

  /** The skew bound S (ms). */
  get maxSkewMs(): number {
    return this.#maxSkewMs;
  }

  /** Records the dependencies a batch carries (at ingest, before the reorder window). */
  record(c: WireColumns): void {
    const generation = this.deps.generation;
    for (let d = 0; d < c.depCount; d++) {
      const i = c.depEvent[d]!;
      this.deps.record(c.node, { wall: c.wall[i]!, logical: c.logical[i]! }, {
        node: c.depNode[d]!,
        wall: c.depWall[d]!,
        logical: c.depLogical[d]!,
      });
    }
    if (generation !== this.deps.generation) {
      // New orderings may dissolve cuts found before they arrived.
      for (const p of this.#open) this.#recheck(p, this.#parts[p.index]!);
    }
  }

  /** Drops the cuts of `p`'s unraised episode that no longer hold; cancels it when none is left. */
  #recheck(p: Partition, cp: CausalPartition): void {
    const ep = cp.episode;
    if (ep === null || ep.raised) return;
    const kept = ep.found.filter((f) => this.#holds(f));
    if (kept.length === ep.found.length) return;
    ep.found.length = 0;
    ep.found.push(...kept);
    if (kept.length === 0) {
      cp.episode = null;
      this.#host.episode(p, 0, -ep.code, ep.at);
    }
  }

  /**
   * After event (`seq`, `action`, HLC) of participant `participant` was
   * applied to `p` and changed its state (written to its instance): starts
   * the participant's new interval and judges it.
   */
  applied(
    p: Partition,
    participant: { readonly node: string; readonly index: number; readonly boot: string },
    e: AppliedEvent,
  ): void {
    const compiled = p.served.compiled;
    const stride = p.served.stride;
    let cp = this.#parts[p.index];
    if (cp === undefined) this.#parts[p.index] = cp = new CausalPartition();
    const lanes = cp.lanes;
    while (lanes.length <= participant.index) lanes.push([]);
    const lane = lanes[participant.index]!;
    if (this.#scratchState.length < stride) this.#scratchState = new Uint8Array(stride);
    const now = this.#scratchState;
    compiled.copyState(p.instanceOf(participant as never), now, 0);
    const current = lane.length === 0 ? null : lane[lane.length - 1]!;
    if (current !== null && sameBytes(current.state, now, stride)) return;
    if (e.wall > this.#maxWall) this.#maxWall = e.wall;
    if (current !== null) {
      current.endWall = e.wall;
      current.endLogical = e.logical;
    }
    const interval = intervalOf(participant, e, now.slice(0, stride));
    lane.push(interval);
    const merged = p.last === null ? e.wall : p.last.wall;
    this.#prune(lane, merged);
    if (current !== null && current.pending) {
      current.pending = false;
      cp.pending--;
      this.#judge(p, cp, current);
    }
    if (e.late) {
      cp.passed = false;
      interval.pending = true;
      cp.pending++;
      this.#open.add(p);
    } else if (p.served.hasGlobalInvariants) this.#judge(p, cp, interval);
    this.#settle(p, cp, merged, false);
    if ((++this.#applied & 4095) === 0 && !this.#flushing) {
      this.deps.prune(this.#maxWall - 2 * this.#skew2 - 2 * this.#windowMs - 1_000);
    }
  }

  /**
   * An event of `participant` older than its latest applied one (it
   * arrived late, after a later event of its node in this partition):
   * splits the lane's interval that covers it, so the node's history has
   * the state it really went through, drops the open episode's cuts that
   * no longer hold, and judges the new interval.
   */
  older(
    p: Partition,
    participant: { readonly node: string; readonly index: number; readonly boot: string },
    e: AppliedEvent,
    state: Uint8Array,
  ): void {
    const cp = this.#parts[p.index];
    const lane = cp?.lanes[participant.index];
    if (cp === undefined || lane === undefined) return;
    let k = lane.length - 1;
    while (k >= 0 && lane[k]!.seq > e.seq) k--;
    if (k < 0 || k === lane.length - 1 || lane[k]!.seq === e.seq) return;
    const before = lane[k]!;
    if (sameBytes(before.state, state, state.length)) return;
    const interval = intervalOf(participant, e, state.slice());
    interval.endWall = before.endWall;
    interval.endLogical = before.endLogical;
    before.endWall = e.wall;
    before.endLogical = e.logical;
    lane.splice(k + 1, 0, interval);
    cp.passed = false;
    this.#recheck(p, cp);
    this.#judge(p, cp, interval);
  }

  /** True when the failing intervals of `f` still coexist pairwise (after a lane changed). */
  #holds(f: Found): boolean {
    const a = f.failing;
    for (let i = 0; i < a.length; i++) {
      for (let j = i + 1; j < a.length; j++) if (!this.#coexist(a[i]!, a[j]!)) return false;
    }
    return true;
  }

  /** Raises what is due by the collector clock `now` (quiet partitions). */
  advance(now: number): void {
    for (const p of this.#open) {
      const cp = this.#parts[p.index]!;
      const ep = cp.episode;
      if (ep !== null && !ep.raised && now >= ep.detectedAt + 2 * (this.#skew2 + this.#windowMs)) {
        this.#raise(p, ep);
      }
      if (cp.pending === 0 && (ep === null || ep.raised)) this.#open.delete(p);
    }
  }

  /**
   * The engine starts a flush: it applies each partition's buffered events
   * in turn, so a partition's merged time can be far behind another's and
   * dependencies stay until {@link CausalJudge.flush}.
   */
  beginFlush(): void {
    this.#flushing = true;
  }

  /** Judges the late intervals still open and raises every pending episode (the engine flushed). */
  flush(): void {
    this.#flushing = false;
    for (const p of this.#open) {
      const cp = this.#parts[p.index]!;
      for (const lane of cp.lanes) {
        for (const i of lane) {
          if (!i.pending) continue;
          i.pending = false;
          this.#judge(p, cp, i);
        }
      }
      cp.pending = 0;
      if (cp.episode !== null && !cp.episode.raised) this.#raise(p, cp.episode);
      this.#open.delete(p);
    }
  }

  /** True when `p` has an open episode (its status is `violated`). */
  violated(p: Partition): boolean {
    return this.#parts[p.index]?.episode != null;
  }

  #prune(lane: Interval[], merged: number): void {
    const horizon = merged - this.#skew2 - this.#windowMs;
    let k = 0;
    while (
      k < lane.length - 1 &&
      (lane.length - k > MAX_LANE || (lane[k]!.endWall < horizon && !lane[k]!.pending))
    ) k++;
    if (k > 0) lane.splice(0, k);
  }

  /** The vector clock at `i`'s start (kept on the interval until the dependencies change). */
  #vc(i: Interval): Vector {
    const gen = this.deps.generation;
    if (i.vcGen !== gen) {
      i.vc = this.deps.vectorAt(i.node, i);
      i.vcGen = gen;
    }
    return i.vc;
  }

  /** True when `a` (closed) ends before `b` begins: causally, or provably by physical time. */
  #endsBefore(a: Interval, b: Interval): boolean {
    if (a.endWall === Infinity) return false;
    if (a.endWall + this.#skew2 < b.wall) return true;
    const k = this.#vc(b).get(a.node);
    return k !== undefined && atOrBefore(a.endWall, a.endLogical, k.wall, k.logical);
  }

  #coexist(a: Interval, b: Interval): boolean {
    return !this.#endsBefore(a, b) && !this.#endsBefore(b, a);
  }

  /** Judges the cuts interval `fresh` starts (see the module doc). */
  #judge(p: Partition, cp: CausalPartition, fresh: Interval): void {
    if (!p.served.hasGlobalInvariants) return;
    const lanes = cp.lanes;
    const n = lanes.length;
    if (n < 2) {
      cp.passed = false;
      return;
    }
    // Every other node at its newest interval coexisting with `fresh`.
    const base: (Interval | null)[] = new Array(n).fill(null);
    let current = true;
    for (let z = 0; z < n; z++) {
      if (z === fresh.lane) {
        base[z] = fresh;
        if (lanes[z]![lanes[z]!.length - 1] !== fresh) current = false;
        continue;
      }
      const lane = lanes[z]!;
      if (lane.length === 0) this.#seed(p, z, lane);
      for (let k = lane.length - 1; k >= 0; k--) {
        if (this.#coexist(lane[k]!, fresh)) {
          base[z] = lane[k]!;
          if (k !== lane.length - 1) current = false;
          break;
        }
      }
      if (base[z] === null) current = false;
    }
    const found: Found[] = [];
    const whole = current && lanes.every((l, z) => p.participants[z] !== undefined && l.length > 0);
    const baseCode = whole ? this.#checkCurrent(p, cp, fresh.lane) : this.#check(p, base);
    if (!whole) cp.passed = false;
    if (baseCode !== 0) found.push(this.#found(p, base, baseCode, true));
    for (let x = 0; x < n; x++) {
      if (x === fresh.lane) continue;
      const lane = lanes[x]!;
      for (let k = lane.length - 1; k >= 0; k--) {
        const j = lane[k]!;
        // Older intervals of the lane end earlier still: none of them coexists either.
        if (this.#endsBefore(j, fresh)) break;
        if (j === base[x] || this.#endsBefore(fresh, j)) continue;
        const trial = base.slice();
        trial[x] = j;
        for (let z = 0; z < n; z++) {
          if (z === x || z === fresh.lane) continue;
          const b = trial[z];
          if (b !== null && b !== undefined && this.#coexist(b, j)) continue;
          trial[z] = null;
          const lz = lanes[z]!;
          for (let m = lz.length - 1; m >= 0; m--) {
            const c = lz[m]!;
            if (this.#coexist(c, j) && this.#coexist(c, fresh)) {
              trial[z] = c;
              break;
            }
          }
        }
        const code = this.#check(p, trial);
        if (code !== 0) found.push(this.#found(p, trial, code, false));
      }
    }
    if (found.length === 0) return;
    let ep = cp.episode;
    if (ep === null) {
      const code = found[0]!.code;
      cp.episode = ep = {
        code,
        at: { wall: fresh.wall, logical: fresh.logical },
        detectWall: fresh.wall,
        detectedAt: this.#host.now(),
        found: [],
        lastWall: fresh.wall,
        raised: false,
      };
      this.#open.add(p);
      this.#host.episode(p, code, 0, ep.at);
    }
    if (fresh.wall > ep.lastWall) ep.lastWall = fresh.wall;
    // Bounded: an episode keeps at most 64 cuts (the first ones, and the merge order's).
    for (const f of found) if (ep.found.length < 64 || f.base) ep.found.push(f);
  }

  /**
   * A participant with no interval yet (restored from a snapshot, or whose
   * events were all judged before it had a lane): its current state, from
   * an unknown start, still open.
   */
  #seed(p: Partition, z: number, lane: Interval[]): void {
    const q = p.participants[z];
    if (q === undefined || q.seq < 0) return;
    const state = new Uint8Array(p.served.stride);
    p.served.compiled.copyState(p.instanceOf(q), state, 0);
    lane.push({
      node: q.node,
      lane: z,
      boot: q.boot,
      seq: -1,
      action: -1,
      wall: -Infinity,
      logical: 0,
      endWall: Infinity,
      endLogical: 0,
      state,
      vc: EMPTY_VC,
      vcGen: -1,
      pending: false,
    });
  }

  /** The global check on `p`'s current cut after participant `lane` changed (incremental when it may be). */
  #checkCurrent(p: Partition, cp: CausalPartition, lane: number): number {
    const c = p.served.compiled;
    const code = cp.passed && c.globalCheckNode !== undefined
      ? c.globalCheckNode(p.first, p.count, lane)
      : c.globalCheck(p.first, p.count);
    cp.passed = code === 0;
    return code;
  }

  /** The global check on cut `cut` (a null entry leaves that node out). */
  #check(p: Partition, cut: readonly (Interval | null)[]): number {
    const states: Uint8Array[] = [];
    for (const i of cut) if (i !== null) states.push(i.state);
    return this.#checkStates(p, states);
  }

  #checkStates(p: Partition, states: readonly Uint8Array[]): number {
    if (states.length === 0) return 0;
    const c = p.served.compiled;
    const scratch = p.served.scratch(states.length);
    for (let j = 0; j < states.length; j++) c.setStateBytes(scratch + j, states[j]!);
    return c.globalCheck(scratch, states.length);
  }

  /** A found cut, with its smallest failing subset (greedy, as the engine's `involved`). */
  #found(p: Partition, cut: readonly (Interval | null)[], code: number, base: boolean): Found {
    const all = cut.filter((i): i is Interval => i !== null);
    let keep = all;
    if (all.length <= 64) {
      for (const i of all) {
        const trial = keep.filter((k) => k !== i);
        if (trial.length === 0) continue;
        if (this.#checkStates(p, trial.map((t) => t.state)) === code) keep = trial;
      }
    }
    return { cut: all, failing: keep, code, base };
  }

  /** `a`'s start is provably before `b`'s end (or `b`'s start). */
  #startBefore(a: Interval, b: Interval, end: boolean): boolean {
    const w = end ? b.endWall : b.wall;
    if (w === Infinity) return false;
    if (a.wall + this.#skew2 < w) return true;
    if (a.node === b.node) return atOrBefore(a.wall, a.logical, w, end ? b.endLogical : b.logical);
    const vc = end
      ? this.deps.vectorAt(b.node, { wall: b.endWall, logical: b.endLogical })
      : this.#vc(b);
    const k = vc.get(a.node);
    return k !== undefined && atOrBefore(a.wall, a.logical, k.wall, k.logical);
  }

  #definitely(f: Found): boolean {
    if (f.failing.length !== 2) return false;
    const [a, b] = f.failing as [Interval, Interval];
    const ab = this.#startBefore(a, b, false) || this.#startBefore(a, b, true);
    const ba = this.#startBefore(b, a, false) || this.#startBefore(b, a, true);
    return ab && ba;
  }

  #settle(p: Partition, cp: CausalPartition, merged: number, force: boolean): void {
    const ep = cp.episode;
    if (ep === null) return;
    if (
      !ep.raised &&
      (force || merged > ep.detectWall + 2 * this.#skew2 + this.#windowMs ||
        (merged > ep.detectWall + this.#skew2 && this.#settled(ep)))
    ) this.#raise(p, ep);
    if (
      ep.raised && cp.pending === 0 && merged > ep.lastWall + this.#skew2 + this.#windowMs &&
      p.check() === 0
    ) {
      cp.episode = null;
      this.#host.episode(p, 0, ep.code, p.lastHlc ?? ep.at);
    }
  }

  /** True when no later event can change the episode's verdict: every failing interval closed, or one cut definite. */
  #settled(ep: Episode): boolean {
    for (const f of ep.found) {
      if (f.failing.some((i) => i.endWall === Infinity)) return this.#definitely(f);
    }
    return true;
  }

  #raise(p: Partition, ep: Episode): void {
    ep.raised = true;
    const verdicts = ep.found.map((f) => this.#definitely(f));
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
      causal: this.#evidence(p, ep, chosen, nodes, verdict),
    });
  }

  /** The picture of an episode: lanes, events, messages, the chosen cut. */
  #evidence(
    p: Partition,
    ep: Episode,
    chosen: Found,
    nodes: readonly string[],
    verdict: "possibly" | "definitely",
  ): CausalEvidence {
    const lanes = [...nodes];
    for (const i of chosen.cut) {
      if (lanes.length < 16 && !lanes.includes(i.node)) lanes.push(i.node);
    }
    type Point = {
      node: string;
      boot: string;
      seq: number;
      action: number;
      wall: number;
      logical: number;
    };
    const points = new Map<string, Point>();
    const add = (pt: Point) => {
      if (pt.seq < 0 || !lanes.includes(pt.node)) return;
      const key = `${pt.node}\u0000${pt.wall}\u0000${pt.logical}`;
      if (!points.has(key)) points.set(key, pt);
    };
    const cp = this.#parts[p.index]!;
    const intervals = new Set<Interval>();
    for (const f of ep.found) for (const i of f.cut) intervals.add(i);
    for (const i of intervals) {
      add(i);
      const lane = cp.lanes[i.lane]!;
      const next = lane[lane.indexOf(i) + 1];
      if (next !== undefined) add(next);
    }
    // The senders of the dependencies drawn events carry: their last drawn (or kept) event before the stamp.
    const arrows: { from: Point; to: Point }[] = [];
    for (const pt of [...points.values()]) {
      for (const d of this.deps.entriesAt(pt.node, pt)) {
        const laneIndex = p.participants.findIndex((q) => q.node === d.node);
        const lane = laneIndex < 0 ? undefined : cp.lanes[laneIndex];
        let sender: Interval | undefined;
        for (const i of lane ?? []) {
          if (atOrBefore(i.wall, i.logical, d.wall, d.logical)) sender = i;
        }
        if (sender === undefined || sender.seq < 0 || !lanes.includes(sender.node)) continue;
        add(sender);
        arrows.push({ from: sender, to: pt });
      }
    }
    const sorted = [...points.values()].sort((a, b) =>
      a.wall - b.wall || a.logical - b.logical || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)
    );
    const indexOf = new Map<string, number>();
    sorted.forEach((pt, k) => indexOf.set(`${pt.node}\u0000${pt.wall}\u0000${pt.logical}`, k));
    const key = (pt: HlcPoint & { node: string }) =>
      `${pt.node}\u0000${pt.wall}\u0000${pt.logical}`;
    const cutStarts = chosen.cut.filter((i) => i.seq >= 0);
    const actions = p.served.compiled.meta.actions;
    const events: EvidenceEvent[] = sorted.map((pt, index) => {
      const inCut = cutStarts.some((i) => key(i) === key(pt));
      const concurrent = cutStarts.every((c) =>
        c.node === pt.node ||
        (!this.deps.precedes(pt.node, pt, c.node, c) && !this.deps.precedes(c.node, c, pt.node, pt))
      );
      return {
        index,
        node: pt.node,
        boot: pt.boot,
        seq: pt.seq,
        at: { wall: pt.wall, logical: pt.logical },
        action: actions[pt.action]?.name ?? `#${pt.action}`,
        concurrent,
        inCut,
      };
    });
    const messages: EvidenceMessage[] = [];
    for (const a of arrows) {
      const from = indexOf.get(key(a.from));
      const to = indexOf.get(key(a.to));
      if (from !== undefined && to !== undefined && from !== to) messages.push({ from, to });
    }
    const cut = lanes.map((node) => {
      const i = chosen.cut.find((c) => c.node === node);
      return i === undefined || i.seq < 0 ? -1 : indexOf.get(key(i)) ?? -1;
    });
    return { verdict, maxSkewMs: this.#maxSkewMs, lanes, events, messages, cut };
  }
}

/** The open interval event `e` of `participant` starts, in state `state`. */
function intervalOf(
  participant: { readonly node: string; readonly index: number; readonly boot: string },
  e: AppliedEvent,
  state: Uint8Array,
): Interval {
  return {
    node: participant.node,
    lane: participant.index,
    boot: participant.boot,
    seq: e.seq,
    action: e.action,
    wall: e.wall,
    logical: e.logical,
    endWall: Infinity,
    endLogical: 0,
    state,
    vc: EMPTY_VC,
    vcGen: -1,
    pending: false,
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array, n: number): boolean {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
