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
 * - **Horizon.** Judgement is a function of the per-node streams, not of
 *   how they were batched, interleaved or redelivered: an interval is
 *   judged only once the horizon passes its start, where the horizon is
 *   the partition's merged time (its latest applied HLC wall) less 2S and
 *   the reorder window, or the collector clock less as much (quiet
 *   partitions); every event before the horizon has then been applied,
 *   provided each event reaches the collector within the window of being
 *   sent and every clock (the collector's too) is within S of true time.
 *   Intervals are judged in canonical order (HLC, then node), each against
 *   the intervals that start before it in that order: the lanes an
 *   in-order delivery would have had, with their ends known up to it.
 * - **Lanes of P-intervals only** (`exclusion_lanes.ts`): an exclusion
 *   spec's lanes keep only the intervals in its predicate P, with explicit
 *   ends, and a handoff chain that needs no search. A handoff the chain
 *   extends to is judged on arrival rather than at the horizon (the same
 *   judgement, made while its events are in the cache:
 *   `arrival_judgement.ts`); an interval turning up before such
 *   judgements takes them back.
 * - **Search** (`cut_search.ts`). When interval I is judged, the cuts judged are: I with
 *   every other node's newest interval (starting before I) that coexists
 *   with it (the merge order's cut), and, for each other node X and each
 *   older interval J of X that coexists with I, I and J with each
 *   remaining node's newest interval coexisting with both. This finds
 *   every violation two nodes witness (mutual exclusion, pairwise
 *   invariants); a violation needing three nodes' older intervals at once
 *   may be missed. A cut's verdict is the compiled global check on its
 *   states, remembered by the states' projections onto what the global
 *   invariants read (`cut_verdicts.ts`). An interval judged in order
 *   inherits what the last one learnt of each lane whose newest interval
 *   did not change (`clearance.ts`), so only those lanes are tested.
 * - **Verdicts.** A failing cut is `possibly` violated. It is `definitely`
 *   violated when its smallest failing subset is two intervals A and B
 *   each of whose starts is provably before the other's end (Garg and
 *   Waldecker's condition for two intervals): every ordering then passes
 *   through a cut where both hold. Ends later than the episode's raise
 *   point (below) count as unknown, so the verdict does not depend on
 *   whether they had arrived, except that they lie after it (once
 *   judgement passed it): a start more than 2S before it is before them.
 * - **Episodes** (`episodes.ts`). The first failing cut opens an episode; cuts found while
 *   it is open join it. Its one alert is raised once judgement passes the
 *   first detection by 4S plus twice the window (the raise point: ends up
 *   to there are known, so `definitely` can be proved for holds
 *   overlapping by more than 2S), or on flush. The alert's cut is the best
 *   one found: a `definitely` cut first, then a cut of the merge order,
 *   then the first found; its nodes are that cut's failing nodes, then
 *   those of the episode's other cuts with the same verdict. A raised
 *   episode closes once judgement passes its last failing cut by 2S plus
 *   the window and the cut of every lane at that point passes.
 * - **Late events** (arriving after the horizon passed them: shipped later
 *   than the window, or clocks beyond S) are still placed in their lane
 *   and judged against every interval known, later ones too (those were
 *   judged before it came), and an unraised episode drops the cuts they
 *   dissolve; the verdicts may then depend on delivery (an episode closed
 *   meanwhile gives a second alert).
 * - **Snapshots** (`judge_snapshots.ts`, the format `causal_snapshot.ts`).
 *   {@link CausalJudge.savePart} gives a partition's lanes, queue, horizon
 *   and open episode for its partition snapshot, written again only when
 *   {@link CausalJudge.changes} moved; {@link CausalJudge.save} the
 *   dependency entries and the partitions watched; {@link CausalJudge.load}
 *   and {@link CausalJudge.loadPart} take them back (older snapshots with
 *   every partition in the shared part too): a restored judge judges on as
 *   if uninterrupted.
 * - **Memory.** A closed interval is dropped once the horizon passes its
 *   end by 2S (it can coexist with nothing judged later), but not while
 *   the partition's episode waits to be raised (its picture draws the
 *   senders of handoffs from the lanes), and a lane
 *   keeps at most {@link MAX_LANE} intervals (the ones dropped at that
 *   cap while still needed are counted: `CausalHost.laneDropped`; so are
 *   the approximated ends of older events: `CausalHost.endApproximated`);
 *   states live in a byte arena per spec (`state_arena.ts`); dependency
 *   entries, recorded per batch admitted (`dependency_recording.ts`), are
 *   dropped once physical time orders what they order.
 * - **Warm-up.** Before the engine applies its next due events, it names
 *   their lanes ({@link CausalJudge.warm}) and the judge reads the lines
 *   applying them will read, all at once (`lane_warming.ts`), so that their
 *   cache misses overlap.
 * - **Nodes that leave.** {@link CausalJudge.retire} frees a retired
 *   participant's lane (`lane_retirement.ts`: its queue entries, the open
 *   episode's cuts naming it); {@link CausalJudge.retireNode} its node's
 *   dependency entries.
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import type { WireColumns } from "../../../lib/wire/columns.ts";
import { DependencyTable } from "./happened_before.ts";
import { CutVerdicts } from "./cut_verdicts.ts";
import { StateArena } from "./state_arena.ts";
import { Episodes } from "./episodes.ts";
import { CutSearch } from "./cut_search.ts";
import { ENTERED, type ExclusionEvent, ExclusionLanes, UNCHANGED } from "./exclusion_lanes.ts";
import type { CausalPartitionPart, CausalSnapshot } from "./causal_snapshot.ts";
import { JudgeSnapshots } from "./judge_snapshots.ts";
import { DependencyRecording, DEPS_MAX_LAG_MS } from "./dependency_recording.ts";
import { CausalPartition, Interval, MAX_LANE, openEnd, SWEEP_EVERY } from "./lanes.ts";
import { LanePruning } from "./lane_pruning.ts";
import { LaneWarming } from "./lane_warming.ts";
import { LaneRetirement } from "./lane_retirement.ts";
import { ArrivalJudgement, earlyPending } from "./arrival_judgement.ts";

export { DEPS_MAX_LAG_MS, MAX_LANE };
export type {
  AppliedEvent,
  CausalFacts,
  CausalHost,
  CausalJudgeOptions,
  CutState,
} from "./causal_host.ts";
import type { AppliedEvent, CausalHost, CausalJudgeOptions } from "./causal_host.ts";
export type { CausalPartitionPart, CausalSnapshot };

/**
 * The causal judge of one engine: dependencies, lanes and episodes.
 *
 * @example Wire it into an engine
 * ```ts ignore
 * const judge = new CausalJudge(host, { maxSkewMs: 500, windowMs: 250 });
 * judge.admitted(columns, Date.now()); // at ingest: clocks watched, dependencies recorded
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
  /** The cuts a judged interval meets, and their verdicts. */
  readonly #search: CutSearch;
  /** The partitions' episodes: opened, joined, raised, closed. */
  readonly #episodes: Episodes;
  /** Frees the lanes of retired participants ({@link CausalJudge.retire}). */
  readonly #retirement: LaneRetirement;
  /** The lanes of P-intervals only of exclusion specs: ends, stretches outside P, older events, the handoff chain. */
  readonly #exclusion: ExclusionLanes;
  /** Judges handoffs the chain extends to on arrival, and takes such judgements back (`arrival_judgement.ts`). */
  readonly #arrival: ArrivalJudgement;
  readonly #parts: (CausalPartition | undefined)[] = [];
  /** Partitions with an episode not raised yet, or late intervals to judge. */
  readonly #open = new Set<Partition>();
  /**
   * Partitions whose episode may not be raised yet (a superset, of `#open`:
   * an episode opens in `#judge` or comes with a restored partition; the
   * ones raised or gone are dropped as {@link DependencyRecording.record} meets them).
   */
  readonly #unraised = new Set<Partition>();
  #applied = 0;
  /**
   * The state intervals all lanes hold ({@link CausalJudge.intervals}),
   * kept by every change of a lane: an interval placed (in order, older,
   * a seed), a partition's side loaded; less what the pruning dropped
   * ({@link LanePruning.dropped}, folded in every 4,096 events).
   */
  #held = 0;
  readonly #start = {
    nid: 0,
    seq: 0,
    action: 0,
    wall: 0,
    logical: 0,
    block: -1,
    depFrom: -1,
    depBefore: 0,
    depLogical: 0,
    depRetired: 0,
  };
  /** True while the engine flushes (partition after partition): dependencies are not pruned then. */
  #flushing = false;
  #maxWall = -Infinity;
  /** Records the dependencies batches carry (and watches their clocks); prunes them. */
  readonly #recording: DependencyRecording;
  /** Saves and loads the judge's state (collector and partition snapshots). */
  readonly #snapshots: JudgeSnapshots;
  /**
   * The horizon {@link CausalJudge.#process} judges up to (the pruning's
   * is {@link LanePruning.due}): a field, not a parameter, as a double
   * passed to a call V8 does not inline is boxed (an HLC wall is no small
   * integer): 12 bytes per event applied each.
   */
  #due = -Infinity;
  /** Reads the lanes of events due soon before they are applied ({@link CausalJudge.warm}). */
  readonly #warming = new LaneWarming();
  /** The lanes' pruning by the horizon (after each event applied, and a sweep of quiet lanes). */
  readonly #pruning: LanePruning;
  /** The intervals the pruning dropped and gave back for reuse by {@link CausalJudge.#intervalOf} ({@link LanePruning.pool}). */
  readonly #pool: Interval[];
  /** Per spec served: the state blocks of its intervals, its projections and cut verdicts. */
  readonly #specs = new Map<Partition["served"], { arena: StateArena; memo: CutVerdicts }>();

  constructor(host: CausalHost, options: CausalJudgeOptions) {
    this.#host = host;
    this.#maxSkewMs = options.maxSkewMs;
    this.#skew2 = 2 * options.maxSkewMs;
    this.#windowMs = options.windowMs;
    this.#pruning = new LanePruning({
      maxSkewMs: options.maxSkewMs,
      takeBack: (cp) => this.#arrival.takeBack(cp),
    });
    this.#pool = this.#pruning.pool;
    const search = new CutSearch(this.deps, {
      maxSkewMs: options.maxSkewMs,
      partOf: (p) => this.#partOf(p),
      seeded: () => {
        this.#held++;
      },
    });
    this.#search = search;
    this.#exclusion = new ExclusionLanes({
      maxSkewMs: options.maxSkewMs,
      deps: this.deps,
      search,
      intervalOf: (cp, participant, e) => this.#intervalOf(cp, participant, e),
      approximated: (p) => host.endApproximated(p),
      changed: (p, cp) => {
        cp.changes++;
        host.changed(p);
      },
    });
    this.#arrival = new ArrivalJudgement({
      exclusion: this.#exclusion,
      enabled: options.onArrival ?? true,
    });
    this.#episodes = new Episodes(host, {
      maxSkewMs: options.maxSkewMs,
      windowMs: options.windowMs,
      oracle: {
        deps: this.deps,
        check: (p, cut) => search.check(p, cut),
        coexist: (a, b) => search.coexist(a, b),
        vc: (i) => search.vc(i),
      },
    });
    this.#retirement = new LaneRetirement({
      host,
      episodes: this.#episodes,
      unwatch: (p, cp) => this.#unwatch(p, cp),
    });
    this.#recording = new DependencyRecording({
      host,
      deps: this.deps,
      maxSkewMs: options.maxSkewMs,
      windowMs: options.windowMs,
      episodes: this.#episodes,
      search,
      parts: this.#parts,
      open: this.#open,
      unraised: this.#unraised,
    });
    this.#snapshots = new JudgeSnapshots({
      deps: this.deps,
      maxSkewMs: options.maxSkewMs,
      windowMs: options.windowMs,
      parts: this.#parts,
      open: this.#open,
      unraised: this.#unraised,
      search,
      partOf: (p) => this.#partOf(p),
      watch: (p, cp) => this.#watch(p, cp),
      held: (delta) => {
        this.#held += delta;
      },
    });
  }

  /** The skew bound S (ms). */
  get maxSkewMs(): number {
    return this.#maxSkewMs;
  }

  /** A batch was admitted at collector clock `now` (at ingest): {@link DependencyRecording.admitted}. */
  admitted(c: WireColumns, now: number): void {
    this.#recording.admitted(c, now);
  }

  /** Of the batch admitted last, each dependency's sender as recorded: {@link DependencyRecording.senders}. */
  get senders(): Int32Array {
    return this.#recording.senders;
  }

  /** Nodes found with clocks ahead, a counter: {@link DependencyRecording.clockAhead}. */
  get clockAhead(): number {
    return this.#recording.clockAhead;
  }

  /** The nodes {@link CausalJudge.clockAhead} counted (and not retired since), in the order found. */
  get nodesAhead(): readonly string[] {
    return this.#recording.nodesAhead;
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
    const cp = this.#partOf(p);
    const lanes = cp.lanes;
    if (lanes.length <= participant.index) {
      while (lanes.length <= participant.index) lanes.push([]);
      cp.fit(lanes.length);
    }
    const lane = lanes[participant.index]!;
    // An unraised episode: the lane's open interval, which this event may end (rechecked below).
    const ep = cp.episode;
    const open = ep === null || ep.raised ? null : openEnd(lane);
    const block = cp.copyIn(p, p.instanceOf(participant as never));
    if (cp.sparse) {
      // Lanes of P-intervals only: the open one (if any) ends here; a new one starts in P.
      const step = this.#exclusion.applied(p, cp, participant.index, block, e);
      if (step === UNCHANGED) return;
      if (e.wall > this.#maxWall) this.#maxWall = e.wall;
      if (step === ENTERED) {
        const interval = this.#intervalOf(cp, participant, e);
        interval.block = block;
        // Appended: the lane's oldest interval is the same one (see `CausalPartition.row`), unless
        // the lane was empty.
        if (lane.length === 0) cp.floor(participant.index, -Infinity);
        lane.push(interval);
        this.#held++;
        if (p.served.hasGlobalInvariants) {
          // Judged on arrival when the handoff chain extends to it (`ArrivalJudgement.judge`); watched all the same,
          // so the horizon moves on as it would while it waited in the queue.
          if (
            cp.episode === null && interval.wall >= cp.horizon && this.#arrival.judge(cp, interval)
          ) {
            this.#watch(p, cp);
          } else this.#enqueue(p, cp, interval);
        }
      }
    } else {
      const current = lane.length === 0 ? null : lane[lane.length - 1]!;
      if (current !== null && cp.arena.equal(current.block, block)) {
        cp.arena.free(block);
        return;
      }
      if (e.wall > this.#maxWall) this.#maxWall = e.wall;
      const interval = this.#intervalOf(cp, participant, e);
      interval.block = block;
      cp.insertAfter(interval, lane.length - 1);
      this.#held++;
      if (p.served.hasGlobalInvariants) this.#enqueue(p, cp, interval);
    }
    // A cut of the unraised episode that this end orders away is dropped now, not only if some later
    // batch rechecks.
    if (open !== null && open.endWall !== Infinity) this.#episodes.ended(p, cp, open);
    const merged = Math.max(e.wall, p.last === null ? e.wall : p.last.wall);
    const horizon = merged - this.#skew2 - this.#windowMs;
    this.#due = horizon;
    this.#process(p, cp);
    const pruning = this.#pruning;
    pruning.due = horizon; // (as #process found it, whatever its callbacks did)
    const capped = pruning.prune(cp, participant.index);
    if (capped > 0) this.#host.laneDropped(p, capped);
    // Every SWEEP_EVERY-th event of the partition, one more of its lanes in turn (a quiet node's too).
    if ((++cp.sweep & (SWEEP_EVERY - 1)) === 0) {
      const swept = pruning.sweep(cp);
      if (swept > 0) this.#host.laneDropped(p, swept);
    }
    if ((++this.#applied & 4095) === 0) {
      // The pruning's count folded in (kept small).
      this.#held -= pruning.dropped;
      pruning.dropped = 0;
      if (!this.#flushing) this.#recording.prune(this.#maxWall);
    }
  }

  /**
   * Queues lane `z` of `p` (that of the participant an event due soon
   * belongs to) for {@link CausalJudge.warmQueued}; a partition not judged
   * yet is not queued. Writes nothing the judge reads.
   */
  warm(p: Partition, z: number): void {
    const cp = this.#parts[p.index];
    if (cp !== undefined) this.#warming.queue(cp, z);
  }

  /**
   * Reads, for the lanes queued by {@link CausalJudge.warm}, what
   * {@link CausalJudge.applied} of their next events will read, stage by
   * stage so that the misses overlap (`lane_warming.ts`). Writes nothing
   * the judge reads; what it returns means nothing (returned so the reads are kept).
   */
  warmQueued(): number {
    return this.#warming.warm();
  }

  /**
   * Participant `part` of `p` is retired (the engine removes it from `p`
   * right after, and the participants after it move down one index, as
   * lanes do here): frees its lane and returns how many intervals it
   * held; afterwards nothing of this side refers to them
   * (`lane_retirement.ts`).
   */
  retire(p: Partition, part: { readonly node: string; readonly index: number }): number {
    const cp = this.#parts[p.index];
    if (cp === undefined) return 0;
    const freed = this.#retirement.retire(p, cp, part.index);
    this.#held -= freed;
    return freed;
  }

  /**
   * Node `node` has no participant left in any partition (the engine
   * retired them all, {@link CausalJudge.retire}): its dependency entries,
   * and the entries of other nodes that name it, are freed, and its number
   * is reused by the next node met. Returns how many entries were freed.
   * A stamp naming it that comes later is not recorded (counted:
   * {@link CausalJudge.stampsOfRetired}): every event of it is taken as
   * already ordered before whatever carries the stamp, and no lane of it
   * is left for that to matter to. When the node sends again, it is a new
   * node to the table: its events are ordered from then on.
   */
  retireNode(node: string): number {
    const freed = this.deps.retire(node);
    this.#recording.forget(node);
    // Vector clocks were computed again (`DependencyTable.retire`): what searches learnt by cause lapses.
    if (freed >= 0) this.#search.pruned();
    return freed < 0 ? 0 : freed;
  }

  /** Stamps naming a retired node, not recorded (see {@link CausalJudge.retireNode}). */
  get stampsOfRetired(): number {
    return this.#recording.stampsOfRetired;
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
    if (cp.sparse) {
      const interval = this.#exclusion.older(p, cp, { participant, e, state });
      if (interval === undefined) return;
      if (interval !== null) this.#held++;
      if (interval !== null && p.served.hasGlobalInvariants) this.#enqueue(p, cp, interval);
      this.#episodes.recheck(p, cp);
      return;
    }
    let k = lane.length - 1;
    while (k >= 0 && lane[k]!.seq > e.seq) k--;
    if (k < 0 || k === lane.length - 1 || lane[k]!.seq === e.seq) return;
    const before = lane[k]!;
    if (cp.arena.same(before.block, state)) return;
    cp.changes++;
    this.#host.changed(p);
    const block = cp.arena.alloc();
    const bytes = cp.arena.bytes;
    for (let b = 0; b < cp.arena.stride; b++) bytes[block + b] = state[b]!;
    // The lane changed other than at its end: what judged intervals learnt of it no longer holds.
    cp.clearance.reset();
    cp.untrack();
    const interval = this.#intervalOf(cp, participant, e);
    interval.block = block;
    cp.insertAfter(interval, k);
    this.#held++;
    if (p.served.hasGlobalInvariants) this.#enqueue(p, cp, interval);
    this.#episodes.recheck(p, cp);
  }

  /**
   * Intervals of lanes of P-intervals only that an older event started in
   * a stretch outside P, ended at the first later event known rather than
   * at their real end (`ExclusionLanes.older`).
   */
  get approximatedEnds(): number {
    return this.#exclusion.approximatedEnds;
  }

  /** A new interval of `participant` starting at event `e` (its state block is set by the caller). */
  #intervalOf(
    cp: CausalPartition,
    participant: { readonly node: string; readonly index: number; readonly boot: string },
    e: ExclusionEvent,
  ): Interval {
    // One start object reused (the interval copies it), and a pooled interval when there is one.
    const start = this.#start;
    const z = participant.index;
    // The lane's node number, once known (`NID` of `cp.row`: set with a lane's first interval, here or
    // by a restore; not read from the lane's newest interval, out of the cache by now), else a lookup
    // by name.
    let nid = cp.nidOf(z);
    if (nid < 0) {
      nid = this.deps.nodeId(participant.node);
      cp.fit(z + 1);
      cp.nodeOf(z, nid);
    }
    start.nid = nid;
    start.seq = e.seq;
    start.action = e.action;
    start.wall = e.wall;
    start.logical = e.logical;
    // The start event's first dependency, carried from ingest (`ExclusionLanes.#handedOn` tests it first).
    start.depFrom = e.depFrom ?? -1;
    start.depBefore = e.depBefore ?? 0;
    start.depLogical = e.depLogical ?? 0;
    start.depRetired = e.depRetired ?? 0;
    const pooled = this.#pool.pop();
    if (pooled === undefined) return new Interval(participant, start);
    pooled.reset(participant, start);
    return pooled;
  }

  /** Queues `i` to be judged once the horizon passes it (canonical order). */
  #enqueue(p: Partition, cp: CausalPartition, i: Interval): void {
    if (i.wall < cp.horizon) i.behind = true;
    // Before the chain's last while that was judged on arrival: the judgements after `i` are taken back.
    this.#arrival.queueing(cp, i);
    i.queued = true;
    cp.queue.insert(i);
    this.#watch(p, cp);
  }

  /** Watches `p` (in `#open`, by its flag: no set lookup for a partition watched already). */
  #watch(p: Partition, cp: CausalPartition): void {
    if (cp.watching) return;
    cp.watching = true;
    this.#open.add(p);
  }

  /** Stops watching `p`. */
  #unwatch(p: Partition, cp: CausalPartition): void {
    cp.watching = false;
    this.#open.delete(p);
  }

  /**
   * Judges the queued intervals that start before `horizon` (every event
   * of the partition before it has been applied: see the module doc), in
   * canonical order, raising and closing the episode as they pass its
   * points; then lets the horizon itself pass them. The horizon is
   * {@link CausalJudge.#due}, set by the caller.
   */
  #process(p: Partition, cp: CausalPartition): void {
    const horizon = this.#due;
    // The queue, the horizon or the episode may move: a snapshot writes this side again.
    cp.changes++;
    this.#host.changed(p);
    const q = cp.queue;
    while (q.firstWall < horizon) {
      // Judged: the queue lets go of it (the lane keeps it as long as it is needed).
      const i = q.shift();
      // Episodes are rare: no call (and no argument object) without one.
      if (cp.episode !== null) this.#episodes.pass(p, { cp, wall: i.wall, logical: i.logical });
      this.#judge(p, cp, i);
      i.queued = false;
      if (i.dropped) cp.arena.free(i.block);
    }
    if (horizon > cp.horizon) cp.horizon = horizon;
    if (horizon !== Infinity && cp.episode !== null) {
      this.#episodes.pass(p, { cp, wall: horizon, logical: 0 });
    }
  }

  /** Raises what is due by the collector clock `now` (quiet partitions). */
  advance(now: number): void {
    const horizon = now - this.#skew2 - this.#windowMs;
    for (const p of this.#open) {
      const cp = this.#parts[p.index]!;
      this.#due = horizon;
      this.#process(p, cp);
      if (cp.queue.length === 0 && cp.episode === null && !earlyPending(cp)) this.#unwatch(p, cp);
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

  /** Judges every queued interval and raises every pending episode (the engine flushed). */
  flush(): void {
    this.#flushing = false;
    for (const p of this.#open) {
      const cp = this.#parts[p.index]!;
      this.#due = Infinity;
      this.#process(p, cp);
      if (cp.episode !== null && !cp.episode.raised) this.#episodes.raise(p, cp);
      if (cp.episode === null) this.#unwatch(p, cp);
    }
  }

  /** The judge's state for a collector snapshot besides the partitions' own sides: {@link JudgeSnapshots.save}. */
  save(): CausalSnapshot {
    return this.#snapshots.save({
      maxWall: this.#maxWall,
      applied: this.#applied,
      // What the next pruning would drop is not saved (never while a flush keeps every entry).
      pruneBefore: this.#flushing ? -Infinity : this.#recording.pruneBefore(this.#maxWall),
    });
  }

  /** Changes whenever the causal side of `p` may have: {@link JudgeSnapshots.changes}. */
  changes(p: Partition): number {
    return this.#snapshots.changes(p);
  }

  /** The causal side of `p` for its partition snapshot: {@link JudgeSnapshots.savePart}. */
  savePart(p: Partition): CausalPartitionPart | null {
    return this.#snapshots.savePart(p);
  }

  /**
   * Loads state `s` saved by {@link CausalJudge.save} into this fresh
   * judge ({@link JudgeSnapshots.load}: throws a `TypeError` saying what
   * does not fit, a `RangeError` when it was judged with another skew
   * bound).
   */
  load(s: CausalSnapshot, find: (spec: string, key: string) => Partition | null | undefined): void {
    const counters = this.#snapshots.load(s, find);
    this.#maxWall = counters.maxWall;
    this.#applied = counters.applied;
  }

  /** Loads partition `p`'s causal side `part`: {@link JudgeSnapshots.loadPart}. */
  loadPart(p: Partition, part: CausalPartitionPart): void {
    this.#snapshots.loadPart(p, part);
  }

  /**
   * The state intervals the partitions' lanes hold now (the
   * `causalIntervals` gauge): a count kept as lanes change, so reading it
   * costs nothing; `recount` counts them instead, by a pass over every
   * partition's lanes (what the count must equal: for tests), which also
   * checks that each lane's newest interval bounds the oldest one's end
   * (`FLOOR` of `CausalPartition.row`; an `Error` naming the lane when not: a bug, as
   * pruning would then keep what is due). Pruning bounds the count: a lane
   * keeps its last interval and the ones that end less than 4S plus the
   * window before its node's latest event, all of them while the
   * partition's episode waits to be raised (at most 4S and two windows),
   * and at most {@link MAX_LANE}.
   */
  intervals(recount = false): number {
    if (!recount) return this.#held - this.#pruning.dropped;
    let n = 0;
    this.#parts.forEach((cp, index) => {
      if (cp === undefined) return;
      n += cp.held();
      cp.checkPruneFloors(index);
    });
    return n;
  }

  /** The intervals the lane of `p`'s participant number `index` holds (0: none). */
  laneHeld(p: Partition, index: number): number {
    return this.#parts[p.index]?.lanes[index]?.length ?? 0;
  }

  /** True when `p` has an open episode (its status is `violated`). */
  violated(p: Partition): boolean {
    return this.#parts[p.index]?.episode != null;
  }

  /** The causal side of `p` (created on first use). */
  #partOf(p: Partition): CausalPartition {
    let cp = this.#parts[p.index];
    if (cp === undefined) {
      const served = p.served;
      let side = this.#specs.get(served);
      if (side === undefined) {
        side = {
          arena: new StateArena(served.stride),
          memo: new CutVerdicts(served.compiled.meta),
        };
        this.#specs.set(served, side);
      }
      this.#parts[p.index] = cp = new CausalPartition(side.arena, side.memo);
      // An exclusion spec's lanes hold the intervals in P only.
      cp.sparse = side.memo.exclusion;
    }
    return cp;
  }

  /** Judges the cuts interval `fresh` starts (see the module doc), its failing ones opening or joining an episode. */
  #judge(p: Partition, cp: CausalPartition, fresh: Interval): void {
    const found = cp.sparse ? this.#exclusion.search(p, cp, fresh) : this.#search.search(p, fresh);
    if (found !== null && this.#episodes.join(p, { cp, fresh, found })) {
      this.#watch(p, cp);
      this.#unraised.add(p);
    }
  }
}
