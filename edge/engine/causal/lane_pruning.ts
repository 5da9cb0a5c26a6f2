/**
 * The causal judge's lane pruning (`CausalJudge` composes one): after each
 * event applied, the acting lane drops its closed intervals that ended 2S
 * before the partition's horizon, and the oldest beyond {@link MAX_LANE};
 * every `SWEEP_EVERY`th event of a partition one more of its lanes is
 * pruned in turn (a quiet node's too). Lanes of P-intervals only give the
 * intervals they drop, once nothing refers to them, to a pool the judge
 * takes new intervals from.
 *
 * Once per event: the hottest path of the collector. The horizon is a
 * field the judge sets ({@link LanePruning.due}), not a parameter, and the
 * count of intervals dropped a counter it reads ({@link LanePruning.dropped}),
 * not a callback.
 *
 * @module
 */
import { type CausalPartition, contiguous, HINT, type Interval, MAX_LANE, ROW } from "./lanes.ts";
import { earlyPending } from "./arrival_judgement.ts";

/** Intervals kept for reuse at most ({@link LanePruning.pool}). */
const POOL = 4_096;

/**
 * Prunes a partition's lanes by its horizon.
 *
 * @example A lane of three closed intervals and an open one, pruned by a horizon 2S past the first two ends
 * ```ts
 * import assert from "node:assert/strict";
 * import { LanePruning } from "./lane_pruning.ts";
 * import { CausalPartition, Interval } from "./lanes.ts";
 * import { StateArena } from "./state_arena.ts";
 * import { CutVerdicts } from "./cut_verdicts.ts";
 * const cp = new CausalPartition(new StateArena(4), new CutVerdicts({ stride: 4, slots: [{ offset: 0, width: 4 }] }));
 * const at = (wall: number, end: number) => {
 *   const i = new Interval({ node: "A", index: 0, boot: "b" }, { nid: 0, seq: 0, action: 0, wall, logical: 0, block: cp.arena.alloc() });
 *   i.endWall = end;
 *   return i;
 * };
 * cp.lanes.push([at(0, 10), at(10, 20), at(20, 30), at(30, Infinity)]);
 * cp.fit(1);
 * const pruning = new LanePruning({ maxSkewMs: 5, takeBack: () => {} });
 * pruning.due = 35; // ends before 35 - 2S = 25 are due
 * assert.equal(pruning.prune(cp, 0), 0); // none dropped by the cap
 * assert.equal(cp.lanes[0]!.length, 2);
 * assert.equal(pruning.dropped, 2);
 * ```
 */
export class LanePruning {
  /**
   * The partition's horizon the next pruning goes by (set by the judge
   * before each): intervals ending 2S before it are due. A field, not a
   * parameter, as a double passed to a call V8 does not inline is boxed
   * (an HLC wall is no small integer): 12 bytes per event applied each.
   */
  due = -Infinity;
  /** Intervals the lanes dropped, since this was made (the judge's count of intervals held subtracts it). */
  dropped = 0;
  /**
   * Intervals lanes of P-intervals only dropped that nothing refers to any
   * more, for the judge to reuse (at most {@link POOL}): a lane's interval
   * lives seconds, so every one allocated was copied by the young
   * generation's collector and promoted; reused, a busy partition
   * allocates none.
   */
  readonly pool: Interval[] = [];
  readonly #skew2: number;
  /** Queues again the intervals of `cp` judged on arrival that the horizon has not passed (`ArrivalJudgement.takeBack`). */
  readonly #takeBack: (cp: CausalPartition) => void;

  constructor(
    options: { readonly maxSkewMs: number; readonly takeBack: (cp: CausalPartition) => void },
  ) {
    this.#skew2 = 2 * options.maxSkewMs;
    this.#takeBack = options.takeBack;
  }

  /**
   * Prunes the partition's next lane in turn by its horizon (as
   * {@link LanePruning.due} holds it), whether or not its node acts: a
   * lane whose node went quiet keeps only what judgements can still meet
   * (its last interval, and those ending within 2S of the horizon). One
   * lane per `SWEEP_EVERY` events (`lanes.ts`): each of L lanes is pruned at
   * least once every `L * SWEEP_EVERY` events of the partition. Returns
   * how many intervals the cap dropped.
   */
  sweep(cp: CausalPartition): number {
    // An unraised episode's picture will draw the senders of its dependencies from the lanes: kept until it is raised.
    if (cp.episode !== null && !cp.episode.raised) return 0;
    const lanes = cp.lanes;
    let z = cp.sweepLane + 1;
    if (z >= lanes.length) z = 0;
    cp.sweepLane = z;
    // Nothing due by the lane's bound on its oldest end (`CausalPartition.row`), read before the lane
    // (out of the cache: its node may be quiet). Nor beyond the cap: a lane that grows past it is
    // pruned by its own event right after (an interval placed otherwise clears the bound).
    if (!(cp.floorOf(z) < this.due - this.#skew2)) return 0;
    if (lanes[z]!.length < 2) return 0;
    return this.prune(cp, z);
  }

  /**
   * Drops the lane's closed intervals that end 2S before the horizon
   * ({@link LanePruning.due}, not a parameter for the reason given there)
   * and the oldest beyond {@link MAX_LANE}; returns how many of these the
   * cap dropped.
   */
  prune(cp: CausalPartition, index: number): number {
    const horizon = this.due - this.#skew2;
    const lane = cp.lanes[index]!;
    const n = lane.length;
    // Nothing due, learnt from the lane's bound on the oldest's end (`CausalPartition.row`).
    const floor = cp.floorOf(index);
    if (n < 2 || (n <= MAX_LANE && !(floor < horizon))) return 0;
    // An unraised episode's picture draws the senders of its dependencies from the lanes: whole until
    // it is raised (bounded: the episode is raised 4S plus two windows after its detection; the cap holds).
    if (n <= MAX_LANE && cp.episode !== null && !cp.episode.raised) return 0;
    // The cap may drop intervals judged on arrival that the horizon has not passed: queued again first,
    // so their blocks are kept and they are judged again as they would have been. Only when it does:
    // the newest it drops (the lane is in start order) starts at or after the horizon. A lane that
    // outgrows the cap within the horizon (a hot key) drops its oldest, seconds behind it, at each of
    // its events: taking back every judgement on arrival each time cost a scan of the lanes and a
    // queue of thousands to judge again, per event (16 nodes handing 4 keys off, 262,144 events: 58 s).
    if (n > MAX_LANE && earlyPending(cp) && lane[n - MAX_LANE - 1]!.wall >= cp.horizon) {
      this.#takeBack(cp);
    }
    let k = 0;
    let capped = 0;
    while (
      k < lane.length - 1 &&
      (lane.length - k > MAX_LANE || lane[k]!.endWall < horizon)
    ) {
      const i = lane[k++]!;
      if (!(i.endWall < horizon)) capped++;
      // (Untracked already, e.g. lanes of P-intervals only, whose searches do not track: not read.)
      if (cp.tracked >= 0 && i === cp.tops[index]) cp.untrack();
      i.dropped = true;
      if (!i.queued) {
        cp.arena.free(i.block);
        // Reused once nothing refers to it: not queued, in no episode's cuts (none open), not the
        // handoff chain's last. Lanes of P-intervals only: full lanes' searches in order keep intervals
        // by identity (`tops`, `judged`, the clearance's last), which a reused one could be taken for.
        if (cp.sparse && this.pool.length < POOL && cp.episode === null && i !== cp.chainLast) {
          this.pool.push(i);
        }
      }
    }
    if (k > 0) {
      this.dropped += k;
      // Moved down in place: the lane keeps its room (a shift trims it at the front, so the next push
      // copies the lane into a larger one), and no array of the removed ones (a splice makes one). The
      // tail goes by pops: setting an array's length is a call into V8's runtime, a pop is not.
      for (let d = k; d < n; d++) lane[d - k] = lane[d]!;
      for (let d = 0; d < k; d++) lane.pop();
      if (index * ROW < cp.row.length) cp.row[index * ROW + HINT]! -= k;
      if (cp.gappy) cp.gappy = !contiguous(cp.lanes);
    }
    // The next pruning starts at the oldest interval, and stops there unless its end is due.
    cp.floor(index, lane.length < 2 ? -Infinity : lane[0]!.endWall);
    return capped;
  }
}
