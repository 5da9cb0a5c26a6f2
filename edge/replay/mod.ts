/**
 * Log replay: checks structured logs (NDJSON) of services that do not embed
 * the SDK against compiled specs, with the collector's merge and global
 * checks, and reports violations with the log lines that led to them.
 *
 * @example Replay one file
 * ```ts ignore
 * import { formatReport, parseMapping, replay } from "./mod.ts";
 * import { loadCompiled } from "../../lib/abi/mod.ts";
 * const specs = [await loadCompiled("dist/lease.js")];
 * const mapping = parseMapping(JSON.parse(await Deno.readTextFile("mapping.json")));
 * const file = await Deno.open("logs/api-1.ndjson");
 * const report = await replay([{ name: "logs/api-1.ndjson", stream: file.readable }], { specs, mapping });
 * console.log(formatReport(report));
 * ```
 *
 * @module
 */
export { replay, replayDispatched, replayShard } from "./replay.ts";
export { ShardChecker } from "./shard_checker.ts";
export { mergeShardReports } from "./merge_reports.ts";
export { shardOf } from "./shard.ts";
export { getPath, MappingError, parseMapping, showPath } from "./mapping.ts";
export { LineReader, RawLine, readLines } from "./reader.ts";
export { scanFields } from "./scan.ts";
export { formatReport } from "./report.ts";
export { replayReportHtml } from "./report_html.ts";
export { renderSpaceTime } from "../diagram/space_time_svg.ts";

export type { DispatchOptions, ReplayOptions, ReplaySource, ShardReport } from "./replay.ts";
export type { CheckerOptions } from "./shard_checker.ts";
export type { MergeOptions } from "./merge_reports.ts";
export type { ReplayShard } from "./shard.ts";
export type { ViolationOrder } from "./canonical_order.ts";
export type {
  FieldPath,
  LineMapping,
  Mapping,
  RecordSource,
  TimeSource,
  ValueSource,
} from "./mapping.ts";
export type { LineHandler, LineReaderOptions, RawLineHandler } from "./reader.ts";
export type { FormatOptions } from "./report.ts";
export type { HtmlReportOptions } from "./report_html.ts";
export type { SpaceTimeOptions } from "../diagram/space_time_svg.ts";
export type {
  CausalEvidence,
  EvidenceEvent,
  EvidenceMessage,
  EvidenceTime,
} from "../engine/causal/evidence.ts";
export type {
  LineRef,
  OutOfWindowLine,
  ReplayCutEntry,
  ReplayDivergence,
  ReplayLine,
  ReplayPartition,
  ReplayReport,
  ReplaySummary,
  ReplayViolation,
  UnmappedLine,
  ViolatedItem,
} from "./report_types.ts";
