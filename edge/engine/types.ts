/**
 * The public interface of the collector core: the pure, runtime-neutral
 * logic that merges the event streams of many nodes in causal order, checks
 * the compiled global invariants and global liveness over each partition,
 * and reports violations with a readable counterexample. The collector app
 * (HTTP/JetStream ingest, persistence, SSE, dashboard) drives it through
 * {@link Collector}; `createCollector` and `restoreCollector` in
 * `collector.ts` build one.
 *
 * Everything here is plain data (JSON-serializable where it says so). Time
 * is the collector's injected clock (`now()`, ms), never `Date.now` inside.
 * The exact semantics (ordering, reorder window, late events, gaps, episodes,
 * liveness, restart safety) are documented in `collector.ts`.
 *
 * This file declares {@link Collector} and re-exports the data types it
 * speaks in, each declared with its concept: `options.ts` (the options of
 * `createCollector`), `alerts.ts` (violations, their cuts and histories),
 * `listings.ts` (nodes, partitions and pages of them), `metrics.ts`
 * (counters and ingest results), `notifications.ts` (what listeners hear)
 * and `snapshot.ts` (the persisted form). Import them from here.
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import type { DecodedBatch, StreamId } from "../../lib/wire/event.ts";
import type { WireColumns } from "../../lib/wire/columns.ts";
import type { Violation } from "./alerts.ts";
import type { NodeInfo, Page, PageOptions, PartitionInfo, PartitionStatus } from "./listings.ts";
import type { CollectorMetrics, IngestResult } from "./metrics.ts";
import type { CollectorListener } from "./notifications.ts";
import type { CollectorSnapshot } from "./snapshot.ts";

export type { CollectorOptions } from "./options.ts";
export type { CutEntry, EventInfo, Hlc, PropertyRef, Violation } from "./alerts.ts";
export type {
  MixedEntry,
  NodeInfo,
  NodeVersion,
  Page,
  PageOptions,
  PartitionInfo,
  PartitionKey,
  PartitionStatus,
} from "./listings.ts";
export type { CollectorMetrics, IngestResult } from "./metrics.ts";
export type { CollectorEvent, CollectorListener } from "./notifications.ts";
export type {
  CollectorSnapshot,
  EventSnapshot,
  ParticipantSnapshot,
  PartitionSnapshot,
  StreamSnapshot,
  TombstoneSnapshot,
} from "./snapshot.ts";

/**
 * The collector core. Single-threaded; not re-entrant from listeners.
 *
 * @example Ingest, apply, and read the violation
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
 * import type { Collector } from "./types.ts";
 * const collector: Collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("api-1", 1));
 * collector.ingestBytes(acquire("api-2", 2));
 * collector.flush();
 * assert.equal(collector.violations().length, 1);
 * assert.equal(collector.metrics().partitions, 1);
 * ```
 */
export interface Collector {
  /** The specs served, by hash. */
  readonly specs: ReadonlyMap<string, CompiledSpec>;
  /**
   * Accepts one decoded batch: dedups, tracks sequence numbers and holes,
   * buffers new events in their partitions' reorder windows (late ones are
   * applied at once), then applies whatever is due at `now()` (hole and
   * liveness timeouts are left to `advance`, which the app calls on a
   * timer, e.g. every 50 ms). Throws
   * `UnknownSpecError` (unknown spec hash; for a version of a served spec
   * the collector was not started with, the message says so and
   * `unknownVersion` counts it), `InvalidBatchError` (a state
   * block of the wrong size, an action index out of range, an event not
   * numbered `firstSeq` plus its index, bad drop ranges) or `LimitError`
   * (admitting the batch would pass a growth limit such as
   * `maxPartitions`) before changing anything. The batch is laid out as
   * columns and goes through {@link ingestColumns}, the one ingest routine.
   */
  ingest(batch: DecodedBatch): IngestResult;
  /**
   * Decodes (`decodeToColumns`, may throw `WireFormatError`) and ingests
   * through {@link ingestColumns}.
   */
  ingestBytes(bytes: Uint8Array): IngestResult;
  /**
   * Ingests a batch that `decodeToColumns` (`lib/wire/decode.ts`) decoded,
   * without an object per event: the one ingest routine every other
   * ingest goes through. The columns are not retained.
   */
  ingestColumns(columns: WireColumns): IngestResult;
  /** Applies every event due at `now` (default `now()`), times out holes and liveness deadlines. */
  advance(now?: number): void;
  /** Applies every buffered event now, in order, whatever its window (shutdown, tests, benchmarks). */
  flush(): void;
  /**
   * The highest sequence number `s` of a stream such that every event
   * numbered `<= s` that the collector received is applied (not buffered);
   * `-1` when none. Batches ending at or below it are safe to acknowledge
   * once a snapshot taken after this call is persisted.
   */
  appliedThrough(stream: StreamId): number;
  /** True when every event of `[first, first + count)` received from the stream is applied. */
  isApplied(stream: StreamId, first: number, count: number): boolean;
  /** Subscribes; returns the unsubscribe function. */
  on(listener: CollectorListener): () => void;
  /** Violations kept (oldest first). */
  violations(): readonly Violation[];
  /** Every node seen (first seen first). */
  nodes(): readonly NodeInfo[];
  /** Every partition (insertion order). */
  partitions(): readonly PartitionInfo[];
  /**
   * One page of `partitions()` (insertion order), optionally only those of
   * one status; costs about the page (a status filter checks statuses, a
   * cheap test per partition). Throws `RangeError` for a cursor it never gave.
   */
  partitionsPage(options: PageOptions & { readonly status?: PartitionStatus }): Page<PartitionInfo>;
  /** One page of `nodes()` (first seen first). Throws `RangeError` for a cursor it never gave. */
  nodesPage(options: PageOptions): Page<NodeInfo>;
  /**
   * One page of `violations()` (oldest first), optionally only those of one
   * partition key. A cursor whose violation was dropped since (only
   * `maxViolations` are kept) continues with the oldest kept.
   */
  violationsPage(options: PageOptions & { readonly partition?: string }): Page<Violation>;
  /** One partition by spec hash (or spec name) and instance key, or undefined. */
  partition(spec: string, key: string): PartitionInfo | undefined;
  /** Counters and gauges at this moment. */
  metrics(): CollectorMetrics;
  /**
   * Causal verdicts: the state intervals the judge's lanes hold now (0 with
   * causal verdicts off). Pruning bounds it by the intervals that end within
   * 4S plus the window of their node's latest event, one more per lane.
   * A count the judge keeps as its lanes change (`/metrics` reads it once
   * per scrape: `vigil_causal_intervals`); with `recount`, counted by a
   * pass over every lane instead (tens of milliseconds at 100,000
   * partitions: what the kept count must equal, for tests).
   */
  causalIntervals(recount?: boolean): number;
  /** The persisted form of everything applied (see {@link CollectorSnapshot}). */
  snapshot(): CollectorSnapshot;
}
