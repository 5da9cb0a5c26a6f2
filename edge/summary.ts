/**
 * The dashboard's periodic summary: nodes (with event rates), partitions
 * (the most interesting first, capped) and headline counters, as one
 * JSON-serializable value pushed over SSE and served at `/api/summary`.
 *
 * @module
 */
import type { ServiceMetrics } from "./service_metrics.ts";
import type { Collector, NodeInfo, PartitionInfo } from "./types.ts";

/** A node row of the dashboard. */
export interface NodeRow extends NodeInfo {
  /** Events per second over the last sample. */
  readonly rate: number;
}

/** What the dashboard shows, refreshed about once a second. */
export interface Summary {
  readonly nodes: readonly NodeRow[];
  /** Partitions, violated and unknown first, at most `limit`. */
  readonly partitions: readonly PartitionInfo[];
  /** Number of partitions in all. */
  readonly partitionCount: number;
  readonly counters: Readonly<Record<string, number>>;
}

const RANK = { violated: 0, unknown: 1, ok: 2 } as const;

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
  const nodes = collector.nodes().map((n) => ({ ...n, rate: rates.get(n.node) ?? 0 }));
  const all = collector.partitions();
  const partitions = all.length <= limit ? [...all] : [...all]
    .sort((a, b) => RANK[a.status] - RANK[b.status])
    .slice(0, limit);
  const m = collector.metrics();
  return {
    nodes,
    partitions,
    partitionCount: all.length,
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
    },
  };
}
