/**
 * The causal evidence of a cross-node violation: what the collector knows
 * of happened-before around the violating cut, in the form the pictures
 * draw (the dashboard's space-time diagram and `vigil replay --html`).
 *
 * This file is the contract between the causal engine (which fills it, in
 * `Violation.causal`) and the renderers (which draw it, without knowing how
 * it was found). Fields may be added; none is removed or renamed without a
 * snapshot version change.
 *
 * @module
 */

/**
 * A point in hybrid logical time (as `Hlc` in `../types.ts`).
 *
 * @example Two events in one wall millisecond, ordered by their logical parts
 * ```ts
 * import assert from "node:assert/strict";
 * import type { EvidenceTime } from "./evidence.ts";
 * const first: EvidenceTime = { wall: 1_120, logical: 0 };
 * const second: EvidenceTime = { wall: 1_120, logical: 1 };
 * assert.ok(first.wall === second.wall && first.logical < second.logical);
 * ```
 */
export interface EvidenceTime {
  /** Wall part, ms since the epoch on the node that stamped the event. */
  readonly wall: number;
  /** Logical part. */
  readonly logical: number;
}

/**
 * One event on a lane of the picture.
 *
 * @example An event of node B that was concurrent with the violating cut
 * ```ts
 * import assert from "node:assert/strict";
 * import type { EvidenceEvent } from "./evidence.ts";
 * const e: EvidenceEvent = {
 *   index: 0, node: "B", boot: "b1", seq: 4, at: { wall: 1_100, logical: 0 },
 *   action: "acquire", concurrent: true, inCut: true,
 * };
 * assert.equal(e.concurrent && e.inCut, true);
 * ```
 */
export interface EvidenceEvent {
  /** Position in `CausalEvidence.events` (what messages and the cut refer to). */
  readonly index: number;
  /** Node id (its lane). */
  readonly node: string;
  /** Boot id of the node's stream. */
  readonly boot: string;
  /** Sequence number in its stream. */
  readonly seq: number;
  /** Its HLC stamp: the position on the merged time axis. */
  readonly at: EvidenceTime;
  /** Action name. */
  readonly action: string;
  /** True when no message orders it against an event of the violating cut on another lane. */
  readonly concurrent: boolean;
  /** True when it is the last event of its lane inside the violating cut. */
  readonly inCut: boolean;
}

/**
 * A message that ordered two events: from the sender's event (its last
 * event before the stamp was taken) to the receiver's event that recorded
 * the stamp.
 *
 * @example B's acquire received A's stamp
 * ```ts
 * import assert from "node:assert/strict";
 * import type { EvidenceMessage } from "./evidence.ts";
 * const m: EvidenceMessage = { from: 0, to: 1 };
 * assert.ok(m.from < m.to);
 * ```
 */
export interface EvidenceMessage {
  /** Index of the sending event in `events`. */
  readonly from: number;
  /** Index of the receiving event in `events`. */
  readonly to: number;
}

/**
 * Happened-before around a violation: lanes, events, messages and the
 * violating cut, with the verdict the partial order supports.
 *
 * @example Two nodes that both hold, with no message between them
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CausalEvidence } from "./evidence.ts";
 * const evidence: CausalEvidence = {
 *   verdict: "possibly",
 *   maxSkewMs: 250,
 *   lanes: ["B", "C"],
 *   events: [
 *     { index: 0, node: "B", boot: "b1", seq: 1, at: { wall: 1_000, logical: 0 }, action: "acquire", concurrent: true, inCut: true },
 *     { index: 1, node: "C", boot: "b1", seq: 1, at: { wall: 1_120, logical: 0 }, action: "acquire", concurrent: true, inCut: true },
 *   ],
 *   messages: [],
 *   cut: [0, 1],
 * };
 * assert.deepEqual(evidence.cut.map((i) => evidence.events[i]!.node), evidence.lanes);
 * ```
 */
export interface CausalEvidence {
  /**
   * `definitely`: every ordering consistent with causality (and the skew
   * bound) passes through a violating cut; `possibly`: some consistent cut
   * violates, but an ordering exists that avoids every violating cut.
   */
  readonly verdict: "possibly" | "definitely";
  /** The clock skew bound the verdict assumed (ms). */
  readonly maxSkewMs: number;
  /** Node ids, one lane each, in drawing order (the cut's nodes first). */
  readonly lanes: readonly string[];
  /** The events drawn, ordered by HLC (the merged time axis). */
  readonly events: readonly EvidenceEvent[];
  /** Messages between drawn events. */
  readonly messages: readonly EvidenceMessage[];
  /** The violating cut: for each lane of the cut, the index of its last event in the cut, in lane order; -1 for a lane whose cut is before its first drawn event. */
  readonly cut: readonly number[];
}
