/**
 * The collector's monotone counters (the gauges are computed on demand).
 *
 * @module
 */

/** Counter names, in `/metrics` order. */
export const COUNTER_NAMES = [
  "batches",
  "batchesRejected",
  "events",
  "applied",
  "duplicates",
  "late",
  "gaps",
  "dropped",
  "lost",
  "violations",
  "livenessTimeouts",
  "localVerdicts",
  "listenerErrors",
] as const;

/** One counter name. */
export type CounterName = typeof COUNTER_NAMES[number];

/** Mutable counters. */
export class Counters implements Record<CounterName, number> {
  batches = 0;
  batchesRejected = 0;
  events = 0;
  applied = 0;
  duplicates = 0;
  late = 0;
  gaps = 0;
  dropped = 0;
  lost = 0;
  violations = 0;
  livenessTimeouts = 0;
  localVerdicts = 0;
  listenerErrors = 0;

  /**
   * The counters as a plain record.
   *
   * @example Read
   * ```ts
   * import { Counters } from "./engine_counters.ts";
   * const c = new Counters();
   * c.events += 3;
   * c.toRecord().events; // 3
   * ```
   */
  toRecord(): Record<CounterName, number> {
    const out = {} as Record<CounterName, number>;
    for (const k of COUNTER_NAMES) out[k] = this[k];
    return out;
  }

  /** Loads counters from a record (unknown names ignored, missing ones 0). */
  load(r: Readonly<Record<string, number>>): void {
    for (const k of COUNTER_NAMES) this[k] = typeof r[k] === "number" ? r[k] : 0;
  }
}
