/**
 * The collector's monotone counters (the gauges are computed on demand).
 *
 * @module
 */
import { LIMIT_NAMES, type LimitName } from "./limits.ts";

/** Prefix of the refusal counters in a persisted record (`refusedByLimit.maxNodes`). */
const REFUSED = "refusedByLimit.";

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
  "converted",
  "unconvertible",
  "unknownVersion",
  "retiredStreams",
  "causalLaneDrops",
  "causalApproximatedEnds",
  "causalStampsRefused",
  "retiredParticipants",
  "retiredNodes",
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
  /** Events of an older version whose state was converted to the newest layout. */
  converted = 0;
  /** Events of an older version whose state did not convert (partition marked mixed). */
  unconvertible = 0;
  /** Batches refused for naming a version of a served spec that is not served. */
  unknownVersion = 0;
  /** Streams of versions no longer served, left out at restore. */
  retiredStreams = 0;
  /** Causal verdicts: intervals a lane dropped at its cap while later judgements could still meet them. */
  causalLaneDrops = 0;
  /** Causal verdicts: P-intervals an older event started whose end may be later than the real one. */
  causalApproximatedEnds = 0;
  /** Causal verdicts: dependencies refused because their stamp is not before the event naming them. */
  causalStampsRefused = 0;
  /** Participants of departed nodes retired (`retirement.ts`). */
  retiredParticipants = 0;
  /** Departed nodes retired, their streams leaving tombstones (`retirement.ts`). */
  retiredNodes = 0;
  /** Batches refused at a limit, by limit (also counted in `batchesRejected`). */
  readonly refusedByLimit: Record<LimitName, number> = {
    maxIdBytes: 0,
    maxNodes: 0,
    maxBootsPerNode: 0,
    maxNewBootsPerMinute: 0,
    maxKeyBytes: 0,
    maxPartitions: 0,
    maxParticipants: 0,
  };

  /**
   * The counters as a plain record.
   *
   * @example Read
   * ```ts
   * import assert from "node:assert/strict";
   * import { Counters } from "./counters.ts";
   * const c = new Counters();
   * c.events += 3;
   * assert.equal(c.toRecord().events, 3);
   * ```
   */
  toRecord(): Record<CounterName, number> {
    const out = {} as Record<CounterName, number>;
    for (const k of COUNTER_NAMES) out[k] = this[k];
    return out;
  }

  /**
   * The counters as persisted in a snapshot: {@link toRecord} and the
   * refusals by limit as `refusedByLimit.<limit>`.
   *
   * @example Round trip
   * ```ts
   * import assert from "node:assert/strict";
   * import { Counters } from "./counters.ts";
   * const c = new Counters();
   * c.refusedByLimit.maxNodes = 2;
   * const back = new Counters();
   * back.load(c.persisted());
   * assert.equal(back.refusedByLimit.maxNodes, 2);
   * ```
   */
  persisted(): Record<string, number> {
    const out: Record<string, number> = this.toRecord();
    for (const k of LIMIT_NAMES) out[REFUSED + k] = this.refusedByLimit[k];
    return out;
  }

  /** Loads counters from a record (unknown names ignored, missing ones 0). */
  load(r: Readonly<Record<string, number>>): void {
    for (const k of COUNTER_NAMES) this[k] = typeof r[k] === "number" ? r[k] : 0;
    for (const k of LIMIT_NAMES) {
      const v = r[REFUSED + k];
      this.refusedByLimit[k] = typeof v === "number" ? v : 0;
    }
  }
}
