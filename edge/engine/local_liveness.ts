/**
 * Local liveness at the collector: each participant's own instance checked
 * on its event stream. A local item `liveness N within D when P then
 * eventually Q` is about ONE monitor's instance, so it is checked per
 * partition key and node (per participant), on the latest state the
 * collector holds for that node:
 * - after every applied event that changed the participant's state, the
 *   compiled `liveness(inst)` gives P (bit 2i) and Q (bit 2i+1) over that
 *   participant's instance alone;
 * - Q holding discharges the obligation (an open deadline, or a timed-out
 *   one);
 * - P holding with Q false and no obligation open starts one, due at the
 *   applying event's HLC wall time + D;
 * - the deadline times out on the partition's merged time exactly like a
 *   global liveness deadline (`liveness.ts`): before an event of the
 *   partition is applied, by its wall time, and on `advance(now)`, by the
 *   collector clock minus the reorder window. A timeout raises one
 *   `liveness_timeout` violation naming the item (`item: "liveness"`) and
 *   the participant's node; the item stays timed out until Q holds (one
 *   violation per episode).
 *
 * Why here: a monitor guarding one request (`vigilGuard`) lives for that
 * request only, so no process ever holds its instance long enough to see
 * a deadline pass; the collector holds each instance's latest state for as
 * long as the partition lives. The SDK's monitors do not check local
 * liveness in process, so the collector is the one place it is checked and
 * nothing is reported twice.
 *
 * Cost: a spec without local liveness items pays one length test per
 * applied event; its participants share one empty deadline array.
 *
 * Open deadlines share the engine's deadline queue with the global ones: a
 * partition is queued at the earliest deadline it holds, local or global
 * (`DeadlineQueue.requeue`).
 *
 * @module
 */
import type { DeadlineQueue } from "./liveness.ts";
import { EXPIRED, NO_DEADLINE, type Participant, type Partition } from "./partition.ts";

/** A local liveness obligation that timed out. */
export interface LocalTimeout {
  /** The participant whose instance did not make it. */
  readonly participant: Participant;
  /** Index of the item in `ServedSpec.localLiveness`. */
  readonly item: number;
  /** The deadline (HLC wall ms) that passed. */
  readonly deadline: number;
}

/** The local liveness deadlines of the engine's partitions. */
export class LocalLiveness {
  readonly #queue: DeadlineQueue;
  readonly #enabled: boolean;

  /**
   * Creates the part, queueing the deadlines it opens in `queue`; with
   * `enabled: false` it opens none (the collector checks global liveness
   * only).
   *
   * @example Wire up
   * ```ts
   * import assert from "node:assert/strict";
   * import { DeadlineQueue } from "./liveness.ts";
   * import { LocalLiveness } from "./local_liveness.ts";
   * const queue = new DeadlineQueue();
   * const local = new LocalLiveness(queue, { enabled: true });
   * assert.ok(local instanceof LocalLiveness);
   * assert.equal(queue.size, 0);
   * ```
   */
  constructor(queue: DeadlineQueue, options: { readonly enabled: boolean }) {
    this.#queue = queue;
    this.#enabled = options.enabled;
  }

  /**
   * Updates participant `part`'s deadlines after an applied event of it
   * whose wall time is `walls[at]`; returns true when the partition's
   * timed-out count changed (its status may have). `known` is the
   * instance's liveness mask when the caller already has it, else -1 (it
   * is asked of the module).
   */
  track(p: Partition, part: Participant, walls: Float64Array, at: number, known = -1): boolean {
    if (!this.#enabled) return false;
    const items = p.served.localLiveness;
    const ds = part.localDeadlines;
    const mask = known >= 0 ? known : p.served.compiled.liveness(p.instanceOf(part));
    let opened = -1;
    let changed = false;
    for (let i = 0; i < items.length; i++) {
      const bit = items[i]!.bit;
      const d = ds[i]!;
      if ((mask >>> (2 * bit + 1)) & 1) {
        if (d === NO_DEADLINE) continue;
        ds[i] = NO_DEADLINE;
        if (d === EXPIRED) {
          p.localExpired--;
          changed = true;
        } else p.localOpen--;
      } else if ((mask >>> (2 * bit)) & 1 && d === NO_DEADLINE) {
        const due = walls[at]! + items[i]!.withinMs;
        ds[i] = due;
        p.localOpen++;
        if (due < p.localEarliest) p.localEarliest = due;
        if (opened < 0 || due < opened) opened = due;
      }
    }
    if (opened >= 0 && opened < p.queuedAt) this.#queue.push(opened, p);
    return changed;
  }

  /**
   * True when merged time `time` passes an open local deadline of `p`.
   * Constant time while `time` is before `p.localEarliest` (no open
   * deadline is earlier); past it, one walk over the participants finds
   * the earliest open deadline again.
   */
  due(p: Partition, time: number): boolean {
    if (p.localOpen === 0 || time <= p.localEarliest) return false;
    let earliest = Infinity;
    for (const part of p.participants) {
      const ds = part.localDeadlines;
      for (let i = 0; i < ds.length; i++) {
        const d = ds[i]!;
        if (d >= 0 && d < earliest) earliest = d;
      }
    }
    p.localEarliest = earliest;
    return time > earliest;
  }

  /**
   * The local obligations of `p` whose deadline merged time `time` passed,
   * marked {@link EXPIRED} (null when none).
   */
  expire(p: Partition, time: number): LocalTimeout[] | null {
    if (p.localOpen === 0) return null;
    let out: LocalTimeout[] | null = null;
    for (const part of p.participants) {
      const ds = part.localDeadlines;
      for (let i = 0; i < ds.length; i++) {
        const d = ds[i]!;
        if (d >= 0 && time > d) {
          ds[i] = EXPIRED;
          p.localOpen--;
          p.localExpired++;
          (out ??= []).push({ participant: part, item: i, deadline: d });
        }
      }
    }
    return out;
  }
}

/**
 * Sets a restored participant's local deadlines (`saved[i]` for item `i`,
 * missing entries none) and counts them in its partition.
 *
 * @example Restore
 * ```ts ignore
 * // In `restorePartition`, for participant `part` saved as `q`:
 * restoreLocal(p, part, q.localDeadlines ?? []);
 * ```
 */
export function restoreLocal(p: Partition, part: Participant, saved: readonly number[]): void {
  const ds = part.localDeadlines;
  for (let i = 0; i < ds.length; i++) {
    const d = saved[i] ?? NO_DEADLINE;
    const before = ds[i]!;
    if (before >= 0) p.localOpen--;
    else if (before === EXPIRED) p.localExpired--;
    ds[i] = d;
    if (d >= 0) {
      p.localOpen++;
      p.localEarliest = -Infinity;
    } else if (d === EXPIRED) p.localExpired++;
  }
}
