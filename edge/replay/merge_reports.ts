/**
 * Merging the reports of the shards of a replay (`vigil replay --workers
 * n`, each worker {@link replayShard} with its `shard`) into the report one
 * worker gives: counts summed (reading figures taken once: every shard
 * reads every line), lists concatenated and put in the canonical order
 * (`canonical_order.ts`), each cut to `maxListed`, partitions sorted by
 * spec and key. Only the timing (`seconds`, `linesPerSecond`) is the
 * caller's.
 *
 * @module
 */
import { compareViolationOrder, lineOrder, type ViolationOrder } from "./canonical_order.ts";
import { type ShardReport, sortedCounts } from "./replay.ts";
import type { LineRef, ReplayReport, ReplaySummary, ReplayViolation } from "./report_types.ts";

/**
 * Options of {@link mergeShardReports}.
 *
 * @example One second over two files
 * ```ts
 * import assert from "node:assert/strict";
 * import type { MergeOptions } from "./merge_reports.ts";
 * const options: MergeOptions = { files: ["a.ndjson", "b.ndjson"], maxListed: 1000, seconds: 1 };
 * assert.equal(options.files.length, 2);
 * ```
 */
export interface MergeOptions {
  /** The sources' names in the order given to every shard (lines sort by it). */
  readonly files: readonly string[];
  /** Items kept per list (the shards' `maxListed`). */
  readonly maxListed: number;
  /** The whole replay's wall time, seconds. */
  readonly seconds: number;
}

/** Summary fields every shard reports alike (each reads every file). */
const READ_ONCE = new Set<keyof ReplaySummary>(["files", "bytes", "lines"]);

/**
 * Merges the shards' reports into one.
 *
 * @throws {RangeError} When there is no report, or a report lists a file not in `files`.
 *
 * @example One shard is its own report
 * ```ts ignore
 * const part = await replayShard(sources, { specs, mapping, shard: { index: 0, count: 1 } });
 * const report = mergeShardReports([part], { files, maxListed: 1000, seconds: part.report.summary.seconds });
 * ```
 */
export function mergeShardReports(
  parts: readonly ShardReport[],
  options: MergeOptions,
): ReplayReport {
  const head = parts[0];
  if (head === undefined) throw new RangeError("No shard report to merge");
  const fileIndex = new Map<string, number>();
  options.files.forEach((f, i) => fileIndex.has(f) || fileIndex.set(f, i));
  const orderOf = (l: LineRef) => {
    const i = fileIndex.get(l.file);
    if (i === undefined) throw new RangeError(`Shard report names file '${l.file}' not replayed`);
    return lineOrder(i, l.line);
  };
  const byLine = <T extends LineRef>(lists: readonly (readonly T[])[]): T[] =>
    lists.flat().map((x) => ({ x, o: orderOf(x) })).sort((a, b) => a.o - b.o)
      .slice(0, options.maxListed).map((e) => e.x);
  const summary: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(head.report.summary)) {
    const key = k as keyof ReplaySummary;
    if (typeof v !== "number" || READ_ONCE.has(key)) summary[key] = v;
    else summary[key] = parts.reduce((n, p) => n + (p.report.summary[key] as number), 0);
  }
  const byKind: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  for (const p of parts) {
    for (const [k, n] of Object.entries(p.report.summary.byKind)) byKind[k] = (byKind[k] ?? 0) + n;
    for (const [k, n] of Object.entries(p.report.unmappedReasons)) {
      reasons[k] = (reasons[k] ?? 0) + n;
    }
  }
  summary.byKind = sortedCounts(byKind);
  summary.seconds = options.seconds;
  summary.linesPerSecond = options.seconds > 0
    ? Math.round(head.report.summary.lines / options.seconds)
    : 0;
  const violations: { readonly v: ReplayViolation; readonly o: ViolationOrder }[] = [];
  for (const p of parts) {
    if (p.violationOrder.length !== p.report.violations.length) {
      throw new RangeError("Shard report lists violations without their order");
    }
    p.report.violations.forEach((v, i) => violations.push({ v, o: p.violationOrder[i]! }));
  }
  violations.sort((a, b) => compareViolationOrder(a.o, b.o));
  return {
    summary: summary as unknown as ReplaySummary,
    violations: violations.slice(0, options.maxListed).map((e) => e.v),
    unmapped: byLine(parts.map((p) => p.report.unmapped)),
    unmappedReasons: sortedCounts(reasons),
    outOfWindow: byLine(parts.map((p) => p.report.outOfWindow)),
    partitions: parts.flatMap((p) => p.report.partitions).sort((a, b) =>
      a.specName < b.specName ? -1 : a.specName > b.specName ? 1 : a.key < b.key ? -1 : 1
    ),
  };
}
