/**
 * Global liveness on a partition's merged time line. For each item
 * `global liveness N within D when P then eventually Q`:
 * - after every applied event that changed a participant's state, the
 *   compiled `globalLiveness(first, count)` gives P (bit 2i) and Q
 *   (bit 2i+1) over the participants' latest states;
 * - Q holding discharges the obligation (an open deadline, or a timed-out
 *   one: the partition stops counting as violated);
 * - P holding with Q false and no obligation open starts one, due at the
 *   applying event's HLC wall time + D;
 * - the partition's merged time is the maximum of its applied HLC walls and,
 *   on `advance(now)`, the collector clock minus the reorder window (events
 *   older than that are applied by then). When the merged time passes a
 *   deadline (strictly greater), the obligation times out: a
 *   `liveness_timeout` violation is raised once, and the item stays
 *   timed out until Q holds. Before an event is applied, its wall time is
 *   checked against open deadlines first, so an event later than the
 *   deadline cannot discharge it in time.
 *
 * @module
 */
import { EXPIRED, NO_DEADLINE, type Partition } from "./partition.ts";

/**
 * Updates the deadlines of a partition after an applied event whose wall
 * time is `walls[at]` (read here: a double passed between functions costs
 * an allocation), and queues the partition at the earliest deadline it
 * opened. Returns true when it discharged a timed-out obligation (the
 * partition's status may have changed then; nothing else here changes it).
 *
 * @example Track
 * ```ts ignore
 * // After applying an event to partition `p` at HLC wall time `wall`:
 * if (p.served.liveness.length > 0) trackLiveness(p, Float64Array.of(wall), 0, deadlines);
 * ```
 */
export function trackLiveness(
  p: Partition,
  walls: Float64Array,
  at: number,
  queue: DeadlineQueue,
): boolean {
  return trackLivenessMask(p, p.livenessMask(), walls, at, queue);
}

/** {@link trackLiveness} given the partition's global liveness mask (already asked of the module). */
export function trackLivenessMask(
  p: Partition,
  mask: number,
  walls: Float64Array,
  at: number,
  queue: DeadlineQueue,
): boolean {
  const items = p.served.liveness;
  const deadlines = p.deadlines;
  let opened = -1;
  let discharged = false;
  for (let i = 0; i < items.length; i++) {
    const bit = items[i]!.bit;
    const d = deadlines[i]!;
    if ((mask >>> (2 * bit + 1)) & 1) {
      if (d === EXPIRED) discharged = true;
      if (d !== NO_DEADLINE) deadlines[i] = NO_DEADLINE;
    } else if ((mask >>> (2 * bit)) & 1 && d === NO_DEADLINE) {
      const due = walls[at]! + items[i]!.withinMs;
      deadlines[i] = due;
      if (opened < 0 || due < opened) opened = due;
    }
  }
  if (opened >= 0 && opened < p.queuedAt) queue.push(opened, p);
  return discharged;
}

/**
 * Open deadlines of all partitions by time (global and local liveness), so the collector clock only
 * visits partitions whose deadline it passed. A min-heap holding at most
 * one live entry per partition (`Partition.queuedAt`), at or before the
 * partition's earliest open deadline: a deadline later than the queued one
 * is not pushed; a due partition is visited (its passed deadlines expire)
 * and requeued at its earliest deadline still open (`requeue`). Entries
 * superseded by an earlier one are dropped when they come up.
 *
 * The heap is two parallel arrays (times, partitions), not an object per
 * entry: entries live until due, so their allocation site flipped to old
 * space during a run, which deoptimized every function the push was
 * inlined into (`apply`, `trackLivenessMask`, measured with
 * `--trace-deopt` on a cold ingest).
 */
export class DeadlineQueue {
  /** Entry times, as a heap (index 0 the earliest), doubles from the start. */
  readonly #at: number[] = [0.5];
  /** Each entry's partition, at the same index as its time. */
  readonly #p: Partition[] = [];

  /**
   * An empty queue (its times array holds doubles from the start, so the
   * first deadline pushed changes no array's representation).
   *
   * @example Empty
   * ```ts
   * import assert from "node:assert/strict";
   * import { DeadlineQueue } from "./liveness.ts";
   * assert.equal(new DeadlineQueue().size, 0);
   * ```
   */
  constructor() {
    this.#at.pop();
  }

  /** Number of entries (including stale ones). */
  get size(): number {
    return this.#p.length;
  }

  /**
   * Adds a partition's deadline.
   *
   * @example Due partitions
   * ```ts
   * import assert from "node:assert/strict";
   * import { DeadlineQueue } from "./liveness.ts";
   * import type { Partition } from "./partition.ts";
   * const q = new DeadlineQueue();
   * q.push(10, { queuedAt: Infinity } as Partition);
   * assert.equal(q.popDue(10).length, 0); // not passed yet
   * assert.equal(q.popDue(11).length, 1);
   * ```
   */
  push(at: number, p: Partition): void {
    if (at >= p.queuedAt) return;
    p.queuedAt = at;
    const times = this.#at;
    const parts = this.#p;
    let i = parts.length;
    times.push(at);
    parts.push(p);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent]! <= at) break;
      times[i] = times[parent]!;
      parts[i] = parts[parent]!;
      i = parent;
    }
    times[i] = at;
    parts[i] = p;
  }

  /**
   * Removes and returns the partitions queued strictly before `time`
   * (distinct, by queued time); `requeue` each once visited.
   */
  popDue(time: number): Partition[] {
    const out: Partition[] = [];
    const times = this.#at;
    const parts = this.#p;
    while (parts.length > 0 && times[0]! < time) {
      const top = parts[0]!;
      if (top.queuedAt === times[0]) {
        top.queuedAt = Infinity;
        out.push(top);
      }
      const lastAt = times.pop()!;
      const last = parts.pop()!;
      const n = parts.length;
      if (n === 0) break;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && times[r]! < times[l]! ? r : l;
        if (times[c]! >= lastAt) break;
        times[i] = times[c]!;
        parts[i] = parts[c]!;
        i = c;
      }
      times[i] = lastAt;
      parts[i] = last;
    }
    return out;
  }

  /**
   * Queues a visited partition again at its earliest open deadline, global
   * or local (`local_liveness.ts`), if any.
   */
  requeue(p: Partition): void {
    let min = Infinity;
    for (const d of p.deadlines) if (d >= 0 && d < min) min = d;
    if (p.localOpen > 0) {
      for (const part of p.participants) {
        for (const d of part.localDeadlines) if (d >= 0 && d < min) min = d;
      }
    }
    if (min < Infinity) this.push(min, p);
  }
}

/**
 * Items whose open deadline the merged time `time` has passed; they are
 * marked {@link EXPIRED} and returned as `[index, deadline]` for the caller
 * to report (null when none).
 *
 * @example Expire
 * ```ts ignore
 * // When the merge order has reached `time`: the liveness items of `p` that expired.
 * const due: [number, number][] = expireDeadlines(p, time) ?? [];
 * ```
 */
export function expireDeadlines(p: Partition, time: number): [number, number][] | null {
  let out: [number, number][] | null = null;
  for (let i = 0; i < p.deadlines.length; i++) {
    const d = p.deadlines[i]!;
    if (d >= 0 && time > d) {
      p.deadlines[i] = EXPIRED;
      (out ??= []).push([i, d]);
    }
  }
  return out;
}
