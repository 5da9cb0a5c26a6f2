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
 * Updates the deadlines of a partition after an applied event at `wall`.
 *
 * @example Track
 * ```ts
 * import { trackLiveness } from "./liveness.ts";
 * import type { Partition } from "./partition.ts";
 * function afterApply(p: Partition, wall: number): void {
 *   if (p.rt.liveness.length > 0) trackLiveness(p, wall);
 * }
 * ```
 */
export function trackLiveness(p: Partition, wall: number): void {
  const mask = p.livenessMask();
  const items = p.rt.liveness;
  for (let i = 0; i < items.length; i++) {
    const bit = items[i]!.bit;
    const when = (mask >>> (2 * bit)) & 1;
    const eventually = (mask >>> (2 * bit + 1)) & 1;
    if (eventually) p.deadlines[i] = NO_DEADLINE;
    else if (when && p.deadlines[i] === NO_DEADLINE) p.deadlines[i] = wall + items[i]!.withinMs;
  }
}

/**
 * Items whose open deadline the merged time `time` has passed; they are
 * marked {@link EXPIRED} and returned as `[index, deadline]` for the caller
 * to report.
 *
 * @example Expire
 * ```ts
 * import { expireDeadlines } from "./liveness.ts";
 * import type { Partition } from "./partition.ts";
 * function due(p: Partition, time: number): [number, number][] {
 *   return expireDeadlines(p, time);
 * }
 * ```
 */
export function expireDeadlines(p: Partition, time: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < p.deadlines.length; i++) {
    const d = p.deadlines[i]!;
    if (d >= 0 && time > d) {
      p.deadlines[i] = EXPIRED;
      out.push([i, d]);
    }
  }
  return out;
}
