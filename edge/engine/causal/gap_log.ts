/**
 * The gap log of a sparse partition (`CausalPartition.gaps`, lanes of
 * P-intervals only): per lane, its newest state changes outside P, so an
 * older event arriving within a stretch outside P finds where its own
 * state ended (`ExclusionLanes.older`).
 *
 * @module
 */

/**
 * State changes outside P a lane of P-intervals only keeps (the newest),
 * so an older event arriving within that stretch finds where its own state
 * ended ({@link GapLog.log}).
 *
 * @example Eight per lane
 * ```ts
 * import assert from "node:assert/strict";
 * import { GAP_LOG } from "./gap_log.ts";
 * assert.equal(GAP_LOG, 8);
 * ```
 */
export const GAP_LOG = 8;

/** The entries of a log none of whose lanes logged a change yet (never written: see {@link GapLog.log}). */
const NO_GAPS = new Float64Array(0);

/** Where and when a lane changed state outside P: the event's sequence number, HLC and action index. */
export interface GapAt {
  readonly seq: number;
  readonly wall: number;
  readonly logical: number;
  readonly action: number;
}

/**
 * Per lane of a sparse partition: its newest {@link GAP_LOG} state
 * changes outside P (sequence number, HLC wall, logical, action), oldest
 * first, `count` of them; `lost` 1 once an older one was let go. The
 * entries are empty until a lane first logs a change (most partitions
 * never do: 4 KB each at 16 lanes); then room for every lane
 * ({@link GapLog.fit}'s). Read only where `count` says an entry is kept.
 *
 * @example Lane 1 logs two changes; the first after event 4 is the one at 7
 * ```ts
 * import assert from "node:assert/strict";
 * import { GapLog } from "./gap_log.ts";
 * const gaps = new GapLog(2);
 * gaps.log(1, { seq: 3, wall: 10, logical: 0, action: 1 });
 * gaps.log(1, { seq: 7, wall: 20, logical: 0, action: 1 });
 * const k = gaps.after(1, 4);
 * assert.equal(k, 1);
 * assert.equal(gaps.entries[gaps.offset(1, k) + 1], 20);
 * gaps.remove(0); // lane 1 is lane 0 now
 * assert.equal(gaps.count[0], 2);
 * ```
 */
export class GapLog {
  /** Per lane, {@link GAP_LOG} entries of four numbers: a ring (see {@link GapLog.offset}). */
  entries: Float64Array = NO_GAPS;
  count: Uint8Array;
  lost: Uint8Array;
  /** Per lane: where its oldest kept entry of `entries` is (the log is a ring). */
  head: Uint8Array;

  /** A log with room for `lanes` lanes' counts (no entries until one is logged). */
  constructor(lanes: number) {
    this.count = new Uint8Array(lanes);
    this.lost = new Uint8Array(lanes);
    this.head = new Uint8Array(lanes);
  }

  /** Makes room for `lanes` lanes (the partition's per-lane numbers grew to that), keeping what is logged. */
  fit(lanes: number): void {
    if (lanes <= this.count.length) return;
    const grow = (a: Uint8Array) => {
      const b = new Uint8Array(lanes);
      b.set(a);
      return b;
    };
    this.count = grow(this.count);
    this.lost = grow(this.lost);
    this.head = grow(this.head);
    if (this.entries.length > 0) this.#room(lanes);
  }

  /** Lane `z` is removed (its participant retired): the lanes after it move down one, with their entries. */
  remove(z: number): void {
    const n = this.count.length;
    if (z >= n) return;
    for (const a of [this.count, this.lost, this.head]) {
      a.copyWithin(z, z + 1);
      a[n - 1] = 0;
    }
    if (this.entries.length > 0) {
      const per = GAP_LOG * 4;
      this.entries.copyWithin(z * per, (z + 1) * per);
      this.entries.fill(0, (n - 1) * per);
    }
  }

  /** Makes {@link GapLog.entries} hold `lanes` lanes, keeping its entries. */
  #room(lanes: number): void {
    const log = new Float64Array(lanes * GAP_LOG * 4);
    log.set(this.entries);
    this.entries = log;
  }

  /** Lane `z` changed state outside P at event `at.seq` (action `at.action`), HLC (`at.wall`, `at.logical`): kept, in sequence order. */
  log(z: number, at: GapAt): void {
    if (this.entries.length === 0) this.#room(this.count.length);
    const log = this.entries;
    const base = z * GAP_LOG * 4;
    const seq = at.seq;
    const n = this.count[z]!;
    const h = this.head[z]!;
    if (n > 0 && !(seq > log[base + 4 * ((h + n - 1) % GAP_LOG)]!)) {
      this.#logOlder(z, at);
      return;
    }
    // In order (the usual case): appended, the oldest let go of when full.
    let k = n;
    if (n === GAP_LOG) {
      this.head[z] = (h + 1) % GAP_LOG;
      this.lost[z] = 1;
      k = GAP_LOG - 1;
    } else this.count[z] = n + 1;
    const o = base + 4 * ((this.head[z]! + k) % GAP_LOG);
    log[o] = seq;
    log[o + 1] = at.wall;
    log[o + 2] = at.logical;
    log[o + 3] = at.action;
  }

  /** {@link GapLog.log} of an event older than the lane's newest kept (rare): put in its place. */
  #logOlder(z: number, at: GapAt): void {
    const n = this.count[z]!;
    const entries: number[][] = [];
    for (let k = 0; k < n; k++) {
      const o = this.offset(z, k);
      entries.push([
        this.entries[o]!,
        this.entries[o + 1]!,
        this.entries[o + 2]!,
        this.entries[o + 3]!,
      ]);
    }
    if (entries.some((e) => e[0] === at.seq)) return;
    entries.push([at.seq, at.wall, at.logical, at.action]);
    entries.sort((a, b) => a[0]! - b[0]!);
    if (entries.length > GAP_LOG) {
      entries.shift();
      this.lost[z] = 1;
    }
    this.head[z] = 0;
    this.count[z] = entries.length;
    entries.forEach((e, k) => this.entries.set(e, z * GAP_LOG * 4 + 4 * k));
  }

  /** Where entry `k` (0: the oldest kept) of lane `z` is in {@link GapLog.entries}: its sequence number, then HLC wall, logical and action. */
  offset(z: number, k: number): number {
    return z * GAP_LOG * 4 + 4 * ((this.head[z]! + k) % GAP_LOG);
  }

  /**
   * The first state change outside P of lane `z` kept after event `seq`
   * (its entry number, see {@link GapLog.offset}), -1 when none is kept.
   */
  after(z: number, seq: number): number {
    const n = this.count[z]!;
    for (let k = 0; k < n; k++) if (this.entries[this.offset(z, k)]! > seq) return k;
    return -1;
  }
}
