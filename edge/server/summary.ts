/**
 * The dashboard's periodic summary: nodes (with event rates, capped),
 * partitions (the most interesting first, capped) and headline counters, as
 * one JSON-serializable value pushed over SSE and served at `/api/summary`.
 * Built from the collector's paged listings, so it costs about what it
 * holds however many partitions and nodes there are.
 *
 * @module
 */
import type { ServiceMetrics } from "./service_metrics.ts";
import type { Collector, NodeInfo, PartitionInfo, PartitionStatus } from "../engine/types.ts";

/**
 * A node row of the dashboard.
 *
 * @example A node and its event rate
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "../engine/collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import { createCollectorService } from "./service.ts";
 * import { type NodeRow, summary } from "./summary.ts";
 * const service = createCollectorService(createCollector({ specs: [lease] }));
 * service.ingestBytes(acquire("api-1", 1), "http");
 * const [row]: readonly NodeRow[] = summary(service.collector, service.metrics).nodes;
 * assert.deepEqual([row?.node, row?.events, row?.rate], ["api-1", 1, 0]);
 * await service.stop();
 * ```
 */
export interface NodeRow extends NodeInfo {
  /** Events per second over the last sample. */
  readonly rate: number;
}

/**
 * What the dashboard shows, refreshed about once a second.
 *
 * @example The dashboard's summary of a violated lock
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "../engine/collector.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (node: string, c: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, c);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const state = lease.stateBytes(inst);
 *   return encodeBatch(header, [{ key: "lock:a", wall: 1_000, logical: 0, action, args: [c], state, verdict }]);
 * };
 * import { createCollectorService } from "./service.ts";
 * import { type Summary, summary } from "./summary.ts";
 * const service = createCollectorService(createCollector({ specs: [lease], windowMs: 0 }));
 * service.ingestBytes(acquire("api-1", 1), "http");
 * service.ingestBytes(acquire("api-2", 2), "http");
 * service.collector.flush();
 * const s: Summary = summary(service.collector, service.metrics, 10);
 * assert.deepEqual([s.nodeCount, s.partitionCount, s.partitions[0]?.status], [2, 1, "violated"]);
 * await service.stop();
 * ```
 */
export interface Summary {
  /** Nodes, first seen first, at most `limit`. */
  readonly nodes: readonly NodeRow[];
  /** Number of nodes in all. */
  readonly nodeCount: number;
  /** Partitions, violated, mixed and unknown first, at most `limit`. */
  readonly partitions: readonly PartitionInfo[];
  /** Number of partitions in all. */
  readonly partitionCount: number;
  /** The core's counters, by name. */
  readonly counters: Readonly<Record<string, number>>;
}

/** Statuses, the most interesting first. */
const WORST_FIRST: readonly PartitionStatus[] = ["violated", "mixed", "unknown", "ok"];

/**
 * Builds the summary.
 *
 * @example Summarize for the dashboard
 * ```ts ignore
 * const s = summary(collector, metrics, 100);
 * s.partitions.length <= 100;
 * ```
 */
export function summary(collector: Collector, metrics: ServiceMetrics, limit = 200): Summary {
  const rates = metrics.nodeRates();
  const nodePage = collector.nodesPage({ limit });
  const nodes = nodePage.items.map((n) => ({ ...n, rate: rates.get(n.node) ?? 0 }));
  const partitions: PartitionInfo[] = [];
  // The worst first; statuses past a full summary need no scan.
  for (const status of WORST_FIRST) {
    const room = limit - partitions.length;
    if (room <= 0) break;
    partitions.push(...collector.partitionsPage({ status, limit: room }).items);
  }
  const partitionCount = collector.partitionsPage({ limit: 1 }).total;
  const m = collector.metrics();
  return {
    nodes,
    nodeCount: nodePage.total,
    partitions,
    partitionCount,
    counters: {
      events: m.events,
      applied: m.applied,
      duplicates: m.duplicates,
      late: m.late,
      gaps: m.gaps,
      violations: m.violations,
      livenessTimeouts: m.livenessTimeouts,
      buffered: m.buffered,
      lagMs: m.lagMs,
      mixedPartitions: m.mixedPartitions,
      unknownVersion: m.unknownVersion,
    },
  };
}
