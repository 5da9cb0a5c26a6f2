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

/** A node row of the dashboard. */
export interface NodeRow extends NodeInfo {
  /** Events per second over the last sample. */
  readonly rate: number;
}

/** What the dashboard shows, refreshed about once a second. */
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
