/**
 * The causal judge's lane warm-up (`CausalJudge` composes one): before the
 * engine applies its next due events (`Scheduler.release`, with causal
 * verdicts on), it queues each event's lane here
 * ({@link LaneWarming.queue}), then {@link LaneWarming.warm} reads the
 * lines `CausalJudge.applied` will read of that lane, written at the lane's
 * previous event and out of the caches by then: the lane's array and its
 * elements, its entry of the partition's row, its newest interval (the one
 * the event ends), the two oldest (the pruning's floor test), the handoff
 * chain's last.
 *
 * Stage by stage, for every lane queued at once: first the lanes, then
 * their intervals, then the intervals' fields. Each of these is a pointer
 * read from the one before, a chain of misses: read lane by lane (the
 * chain of one lane, then of the next), they stalled one after another
 * and the warm-up cost what it saved; read stage by stage, one stage's
 * reads do not wait for each other and their misses overlap. Measured
 * (`bench/variant_ab.ts`, one process, 16 nodes, 256 keys, causal on, 21
 * rounds, median of per-round ratios): lane by lane 0.97-1.02x; stage by
 * stage 0.93-0.98x fresh, 0.91-0.93x steady. Reading the dependency
 * entries and the newest interval's state block too was worse (0.95-1.0x).
 *
 * @module
 */
import { type CausalPartition, GAP, type Interval, ROW } from "./lanes.ts";

/** Lanes queued at most between two warm-ups (the engine's warm-up queues 16; more are not warmed). */
const QUEUED = 64;

/**
 * Reads the lines of queued lanes stage by stage (see the module doc).
 * Writes nothing the judge reads: only its own scratch arrays.
 *
 * @example Two lanes queued, then read
 * ```ts
 * import assert from "node:assert/strict";
 * import { LaneWarming } from "./lane_warming.ts";
 * import { CausalPartition, Interval } from "./lanes.ts";
 * import { StateArena } from "./state_arena.ts";
 * import { CutVerdicts } from "./cut_verdicts.ts";
 * const cp = new CausalPartition(new StateArena(4), new CutVerdicts({ stride: 4, slots: [{ offset: 0, width: 4 }] }));
 * const i = new Interval({ node: "A", index: 0, boot: "b" }, { nid: 0, seq: 0, action: 0, wall: 5, logical: 0, block: cp.arena.alloc() });
 * cp.lanes.push([i], []);
 * cp.fit(2);
 * const warming = new LaneWarming();
 * warming.queue(cp, 0);
 * warming.queue(cp, 1);
 * assert.equal(warming.queued, 2);
 * assert.equal(typeof warming.warm(), "number"); // a sum that means nothing
 * assert.equal(warming.queued, 0);
 * assert.deepEqual(cp.lanes, [[i], []]);
 * ```
 */
export class LaneWarming {
  /** The queued lanes' partitions and lane numbers. */
  readonly #cps: (CausalPartition | null)[] = new Array(QUEUED).fill(null);
  readonly #zs = new Int32Array(QUEUED);
  /** What the first stage read: each queued lane (null: none yet). */
  readonly #lanes: (Interval[] | null)[] = new Array(QUEUED).fill(null);
  /** What the second stage read: each lane's newest interval, oldest and second oldest (null: none). */
  readonly #newest: (Interval | null)[] = new Array(QUEUED).fill(null);
  readonly #oldest: (Interval | null)[] = new Array(QUEUED).fill(null);
  readonly #second: (Interval | null)[] = new Array(QUEUED).fill(null);
  #n = 0;

  /** Lanes queued since the last {@link LaneWarming.warm}. */
  get queued(): number {
    return this.#n;
  }

  /** Queues lane `z` of `cp` for the next {@link LaneWarming.warm} (ignored beyond {@link QUEUED}). */
  queue(cp: CausalPartition, z: number): void {
    const k = this.#n;
    if (k >= QUEUED) return;
    this.#cps[k] = cp;
    this.#zs[k] = z;
    this.#n = k + 1;
  }

  /**
   * Reads the queued lanes' lines stage by stage and empties the queue
   * (dropping its references). Returns 1 when what it read sums above 0,
   * else 0: it means nothing (returned so that the reads are kept).
   */
  warm(): number {
    const n = this.#n;
    this.#n = 0;
    const cps = this.#cps;
    const zs = this.#zs;
    const lanes = this.#lanes;
    const newest = this.#newest;
    const oldest = this.#oldest;
    const second = this.#second;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const cp = cps[k]!;
      const z = zs[k]!;
      const all = cp.lanes;
      lanes[k] = z < all.length ? all[z]! : null;
      const row = cp.row;
      if (z * ROW < row.length) sum += row[z * ROW + GAP]!;
    }
    for (let k = 0; k < n; k++) {
      const lane = lanes[k] ?? null;
      const m = lane === null ? 0 : lane.length;
      newest[k] = m > 0 ? lane![m - 1]! : null;
      oldest[k] = m > 1 ? lane![0]! : null;
      second[k] = m > 1 ? lane![1]! : null;
    }
    for (let k = 0; k < n; k++) {
      const a = newest[k] ?? null;
      if (a !== null) sum += a.endWall + a.block;
      const b = oldest[k] ?? null;
      const c = second[k] ?? null;
      if (b !== null && c !== null) sum += b.endWall + b.block + c.endWall;
      const last = cps[k]!.chainLast;
      if (last !== null) sum += last.endWall + last.endLogical;
    }
    for (let k = 0; k < n; k++) {
      cps[k] = null;
      lanes[k] = null;
      newest[k] = null;
      oldest[k] = null;
      second[k] = null;
    }
    // A small integer that depends on every read (a double returned is a new heap number).
    return sum > 0 ? 1 : 0;
  }
}
