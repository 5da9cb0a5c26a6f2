/**
 * The collector's counters and gauges, and what one ingested batch did.
 * Re-exported by `types.ts`.
 *
 * @module
 */
import type { LimitName } from "./limits.ts";

/**
 * Counters (monotone) and gauges, for `/metrics`.
 *
 * @example Counters after two batches
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "./collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import type { CollectorMetrics } from "./types.ts";
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * const m: CollectorMetrics = collector.metrics();
 * assert.deepEqual([m.batches, m.events, m.applied, m.violations], [2, 2, 2, 1]);
 * ```
 */
export interface CollectorMetrics {
  /** Batches ingested (accepted or refused). */
  readonly batches: number;
  /** Batches refused by `ingest` (unknown spec, invalid for the spec, a growth limit). */
  readonly batchesRejected: number;
  /** Unique events accepted. */
  readonly events: number;
  /** Events applied (released from the reorder window). */
  readonly applied: number;
  /** Events received again and dropped as duplicates. */
  readonly duplicates: number;
  /** Events applied late (after something later in their partition). */
  readonly late: number;
  /** Holes opened (undeclared gaps detected). */
  readonly gaps: number;
  /** Numbers declared dropped by senders, counted when declared (never also lost). */
  readonly dropped: number;
  /** Numbers never received nor declared dropped, counted when their hole times out or is closed at the per-stream hole limit. */
  readonly lost: number;
  /** Global invariant violations raised. */
  readonly violations: number;
  /** Global liveness deadlines that passed. */
  readonly livenessTimeouts: number;
  /** Events with a non-ok local verdict. */
  readonly localVerdicts: number;
  /** Exceptions thrown by listeners (caught and ignored). Added after the first commit. */
  readonly listenerErrors: number;
  /** Events of an older spec version whose state was converted to the newest version's layout. */
  readonly converted: number;
  /** Events of an older spec version whose state did not convert (their partitions marked `mixed`). */
  readonly unconvertible: number;
  /** Batches refused because they name a version of a served spec that the collector was not started with. */
  readonly unknownVersion: number;
  /** Streams of a version no longer served, left out when a snapshot was restored. */
  readonly retiredStreams: number;
  /**
   * Causal verdicts: intervals a lane dropped at its cap (256 per node and
   * partition) while later judgements could still meet them; cuts through
   * them are not judged (`docs/causality.md`).
   */
  readonly causalLaneDrops: number;
  /**
   * Causal verdicts, lanes of P-intervals only (exclusion specs): P-intervals
   * an older event started in a stretch outside P whose changes the lane
   * no longer all kept, so their end may be later than the real one (a
   * pair may be `possibly` where full lanes say nothing; `docs/causality.md`).
   */
  readonly causalApproximatedEnds: number;
  /**
   * Causal verdicts: dependencies refused because their stamp (the sender's
   * HLC) is not before the event that names it. A receiver's clock always
   * moves past a stamp it observes, so only a writer outside the SDK (or a
   * corrupted log) sends one; it would order events against time. Not
   * recorded: the events are still applied, judged without that ordering.
   */
  readonly causalStampsRefused: number;
  /**
   * Causal verdicts: dependencies naming a node the engine retired
   * (`retireIdleMs`), not recorded: every event of that node is taken as
   * ordered before the event naming it (`CausalJudge.stampsOfRetired`).
   * Kept by the judge, not in snapshots: it counts from 0 at each start.
   */
  readonly causalStampsOfRetired: number;
  /**
   * Causal verdicts: nodes found with walls ahead of every other node's by
   * more than 2S and the reorder window (a clock off by more than the skew
   * bound), each counted once (`CausalJudge.clockAhead`). Kept by the
   * judge, not in snapshots: it counts from 0 at each start.
   */
  readonly causalClockAhead: number;
  /**
   * Participants of departed nodes retired: silent for `retireIdleMs`,
   * nothing buffered, no deadline, at the spec's initial state
   * (`docs/operations.md`, "Nodes that leave").
   */
  readonly retiredParticipants: number;
  /** Departed nodes retired once no participant of theirs was left (their streams leave tombstones). */
  readonly retiredNodes: number;
  /** Batches refused at a growth limit, by limit option name (also counted in `batchesRejected`). */
  readonly refusedByLimit: Readonly<Record<LimitName, number>>;
  /** Gauges. */
  readonly buffered: number;
  /** Partitions known (gauge). */
  readonly partitions: number;
  /** Nodes known (gauge). */
  readonly nodes: number;
  /** Streams known (gauge). */
  readonly streams: number;
  /** Collector clock minus the arrival of the oldest buffered event (0 when empty). */
  readonly lagMs: number;
  /** Partitions `mixed` now (gauge). */
  readonly mixedPartitions: number;
  /** Tombstones of retired streams kept (gauge): a late duplicate is dropped, a returning node resumes. */
  readonly nodeTombstones: number;
  /** Participants silent past `retireIdleMs` but not at rest, kept as possible zombie holders (gauge). */
  readonly idleHoldingParticipants: number;
}

/**
 * What `ingest` did with one batch.
 *
 * @example A batch sent twice is a duplicate the second time
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "./collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import type { IngestResult } from "./types.ts";
 * const collector = createCollector({ specs: [lease] });
 * const batch = acquire("api-1", 1);
 * const first: IngestResult = collector.ingestBytes(batch);
 * const again: IngestResult = collector.ingestBytes(batch);
 * assert.deepEqual([first.accepted, again.accepted, again.duplicates], [1, 0, 1]);
 * ```
 */
export interface IngestResult {
  /** New events buffered or applied. */
  readonly accepted: number;
  /** Events of the batch already received (dropped as duplicates). */
  readonly duplicates: number;
  /** Events applied at once because something later in their partition was already applied. */
  readonly late: number;
  /** Numbers newly declared dropped. */
  readonly dropped: number;
}
