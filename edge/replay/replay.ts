/**
 * `replay`: checks structured logs of services that do not embed the SDK
 * (other languages, historical logs) against compiled specs, as AWS
 * PObserve does, but with the collector's causal merge and global checks.
 *
 * Pipeline: each source (one log file) is read chunk by chunk
 * ({@link LineReader}); every line is mapped ({@link LineExtractor}: plain
 * lines of a plain mapping read in place by `fast_extract.ts`, others by a
 * field scanner with `JSON.parse` as the fallback) and put in the file's
 * {@link ReorderWindow}; the sources are merged by time (a k-way merge that
 * reads from whichever source has nothing ready, so memory stays bounded by
 * the window and one chunk per file); each merged event goes to a sink
 * (`dispatch.ts`): the {@link ReplayJudge} checks it here (local step,
 * observed state, collector core), or, for `vigil replay --workers n`
 * ({@link replayDispatched}), the `ShardDispatcher` numbers it and sends it
 * to the worker of its key (`shard_checker.ts`).
 *
 * Lists are in a canonical order (`canonical_order.ts`), so the reports of
 * the reader and of the workers, or of shards ({@link replayShard}: every
 * shard reads every line and checks its keys), merge into the report one
 * worker gives (`merge_reports.ts`).
 *
 * Nothing is dropped silently: blank lines, filtered lines, unmapped lines
 * (with file, line and reason), out-of-window lines are all counted, and an
 * unmapped line is a hole that makes its partitions' verdict `unknown`
 * rather than `ok`.
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import { ReplayJudge } from "./judge.ts";
import { FILTERED, LineExtractor, type ReplayEvent, type Unmapped } from "./extract.ts";
import { replaySpecs } from "./replay_spec.ts";
import type { Mapping } from "./mapping.ts";
import { LineReader, type RawLine, type RawLineHandler } from "./reader.ts";
import { partitionCounts, partitionsOf } from "./partition_verdicts.ts";
import { type EventSink, ShardDispatcher, type SinkStream } from "./dispatch.ts";
import type { NodeStream } from "./log_streams.ts";
import type { OutOfWindowLine, ReplayReport, UnmappedLine } from "./report_types.ts";
import { mergeByHeads, ReorderWindow } from "./window.ts";
import { BoundedList, lineOrder, type ViolationOrder } from "./canonical_order.ts";
import { checkShard, type ReplayShard } from "./shard.ts";

/**
 * One log to replay.
 *
 * @example A log read from a file
 * ```ts ignore
 * import type { ReplaySource } from "./replay.ts";
 * const name = "logs/api-1.ndjson";
 * const source: ReplaySource = { name, stream: (await Deno.open(name)).readable };
 * ```
 */
export interface ReplaySource {
  /** Shown in reports (a file path). */
  readonly name: string;
  /** The log's bytes. */
  readonly stream: ReadableStream<Uint8Array>;
}

/**
 * Options of {@link replay}.
 *
 * @example Local checks only
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replay, type ReplayOptions } from "./replay.ts";
 * const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const options: ReplayOptions = { specs: [spec], mapping, globalChecks: false, windowMs: 100 };
 * const line = JSON.stringify({ host: "api-1", lock: "l1", ts: 1, event: "release", args: { c: 1 } });
 * const report = await replay([{ name: "a.log", stream: new Blob([line]).stream() }], options);
 * assert.deepEqual(report.violations.map((v) => v.scope), ["local"]);
 * ```
 */
export interface ReplayOptions {
  /** The compiled specs the logs are judged against. */
  readonly specs: readonly CompiledSpec[];
  /** How log lines map to steps. */
  readonly mapping: Mapping;
  /** How far (ms) lines of one file may be out of time order and still be sorted. Default 500. */
  readonly windowMs?: number;
  /** Violations, unmapped and out-of-window lines kept in detail (all are counted). Default 1000. */
  readonly maxListed?: number;
  /** Merged events kept per partition for global counterexamples. Default 32. */
  readonly historySize?: number;
  /**
   * Check global invariants and global liveness through the collector core.
   * Default true; false checks each instance's steps only (faster).
   */
  readonly globalChecks?: boolean;
  /** Clock for the timing figures. Default `performance.now`. */
  readonly clock?: () => number;
  /**
   * Causal verdicts on global invariants, as the collector's option of the
   * same name (`docs/causality.md`): the bound (ms) on every node's clock
   * error. Global invariants are then judged over the consistent cuts of
   * happened-before (the logs' program order and the dependencies their
   * `stamp` / `receives` fields give), and each alert says `possibly` or
   * `definitely` and carries its causal evidence. Absent: the merge
   * order's verdicts. `vigil replay` sets 500 when the mapping reads
   * `stamp`, `sends` or `receives` (or `--max-skew` says otherwise).
   */
  readonly maxSkewMs?: number;
  /**
   * Check only the keys of this shard (one worker of several): every line
   * is still read, mapped and ordered, so the shards' reports merge into
   * the report of one (`mergeShardReports`). Not with `maxSkewMs` or a
   * mapping that reads `stamp`, `sends` or `receives` (dependencies cross
   * keys). Default: every key.
   */
  readonly shard?: ReplayShard;
  /**
   * Apply collector ticks whose events are in merge order per partition
   * at once (`ordered_feed.ts`), not through the collector's reorder
   * buffers. Default true; the verdicts are the same either way (false is
   * the reference the tests compare against).
   */
  readonly ordered?: boolean;
}

/**
 * A shard's report, with where each listed violation sorts (to merge shards).
 *
 * @example Merge-ready output of one shard
 * ```ts ignore
 * const part: ShardReport = await replayShard(sources, { specs, mapping, shard: { index: 0, count: 2 } });
 * console.log(part.report.summary.events, part.violationOrder.length);
 * ```
 */
export interface ShardReport {
  /** The shard's report: its keys' events, violations and partitions (keyless lines in shard 0). */
  readonly report: ReplayReport;
  /** The canonical order of each of `report.violations`. */
  readonly violationOrder: readonly ViolationOrder[];
  /**
   * How the collector core was fed: ticks applied as fed (in merge order,
   * `ordered_feed.ts`) and ticks buffered through its reorder merge.
   */
  readonly ticks?: { readonly direct: number; readonly buffered: number };
}

/** One source being read. */
class Source<S extends SinkStream = SinkStream> {
  readonly index: number;
  readonly reader: LineReader;
  readonly window: ReorderWindow;
  /** Streams seen in this file (for holes without a node). */
  readonly streams = new Set<S>();
  lastStream: S | undefined;
  holes = 0;
  constructor(index: number, stream: ReadableStream<Uint8Array>, windowMs: number) {
    this.index = index;
    this.reader = new LineReader(stream);
    this.window = new ReorderWindow(windowMs);
  }
}

/** Mutable counters of a run (the reading part of its report). */
export class Tally {
  blank = 0;
  filtered = 0;
  mapped = 0;
  unmapped = 0;
  outOfWindow = 0;
  readonly unmappedLines: BoundedList<number, UnmappedLine>;
  readonly reasons: Record<string, number> = {};
  readonly late: BoundedList<number, OutOfWindowLine>;
  constructor(maxListed: number) {
    this.unmappedLines = new BoundedList(maxListed, (a, b) => a - b);
    this.late = new BoundedList(maxListed, (a, b) => a - b);
  }
}

/** An object's entries sorted by key (reports do not depend on discovery order). */
export function sortedCounts(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/**
 * Replays log sources against compiled specs.
 *
 * @example Replay two nodes' logs
 * ```ts ignore
 * import { replay, parseMapping } from "./mod.ts";
 * const spec = await loadCompiled("dist/lease.js");
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const files = ["logs/a.ndjson", "logs/b.ndjson"];
 * const sources = await Promise.all(files.map(async (name) => ({ name, stream: (await Deno.open(name)).readable })));
 * const report = await replay(sources, { specs: [spec], mapping });
 * console.log(report.summary.violations);
 * ```
 */
export async function replay(
  sources: readonly ReplaySource[],
  options: ReplayOptions,
): Promise<ReplayReport> {
  return (await replayShard(sources, options)).report;
}

/**
 * {@link replay}, also returning where each listed violation sorts: what a
 * worker of `vigil replay --workers n` sends back (`options.shard` says
 * which keys are its own) for `mergeShardReports`.
 *
 * @example Two shards merge into one report
 * ```ts ignore
 * const parts = await Promise.all([0, 1].map((index) =>
 *   replayShard(openSources(), { specs, mapping, shard: { index, count: 2 } })
 * ));
 * const report = mergeShardReports(parts, { files, maxListed: 1000, seconds: 1 });
 * ```
 */
export async function replayShard(
  sources: readonly ReplaySource[],
  options: ReplayOptions,
): Promise<ShardReport> {
  const clock = options.clock ?? (() => performance.now());
  const t0 = clock();
  const windowMs = checkedWindow(options);
  const maxListed = options.maxListed ?? 1000;
  const shard = options.shard;
  if (shard !== undefined) {
    checkShard(shard);
    if (shard.count > 1) checkShardable(options);
  }
  /** Counts the lines that have no key (shard 0 does). */
  const first = shard === undefined || shard.index === 0;
  const files = sources.map((s) => s.name);
  const specs = replaySpecs(options.specs);
  const extractor = new LineExtractor(options.mapping, specs, files);
  const judge = new ReplayJudge({
    specs,
    files,
    maxListed,
    historySize: options.historySize ?? 32,
    globalChecks: options.globalChecks ?? true,
    ...(options.maxSkewMs === undefined ? {} : { maxSkewMs: options.maxSkewMs }),
    ...(shard === undefined ? {} : { shard }),
    ...(options.ordered === undefined ? {} : { ordered: options.ordered }),
    // A receive logged before its send (clocks up to 2S apart) waits for it that long, and a window.
    holdMs: windowMs + 2 * (options.maxSkewMs ?? 0),
  });
  const read = await readAndMerge<NodeStream>(sources, {
    extractor,
    sink: judge,
    windowMs,
    maxListed,
    first,
  });
  const parts = partitionsOf(judge);
  const seconds = (clock() - t0) / 1000;
  let sequenceGaps = 0;
  let instances = 0;
  for (const st of judge.streams()) {
    if (first) sequenceGaps += st.sequenceGaps; // every shard sees every line of the node
    instances += st.instances.size;
  }
  const report: ReplayReport = {
    summary: {
      ...readingSummary(read),
      events: judge.events,
      instances,
      ...partitionCounts(parts),
      sequenceGaps,
      dependencies: judge.dependencies,
      unmatchedReceives: judge.messages.unmatched,
      violations: judge.count,
      byKind: sortedCounts(judge.byKind),
      seconds,
      linesPerSecond: seconds > 0 ? Math.round(read.lines / seconds) : 0,
    },
    violations: judge.violations,
    unmapped: read.tally.unmappedLines.items(),
    unmappedReasons: sortedCounts(read.tally.reasons),
    outOfWindow: read.tally.late.items(),
    partitions: parts,
  };
  const feed = judge.orderedFeed;
  return {
    report,
    violationOrder: judge.violationOrder,
    ticks: { direct: feed?.directTicks ?? 0, buffered: feed?.bufferedTicks ?? 0 },
  };
}

/**
 * Options of {@link replayDispatched}: those of {@link replay} but the
 * shard, and where the checking workers' records go.
 *
 * @example Two workers fed through a callback
 * ```ts ignore
 * const sent: ArrayBuffer[][] = [[], []];
 * const options: DispatchOptions = {
 *   specs, mapping, workers: 2,
 *   send: (worker, records) => void sent[worker]!.push(records),
 * };
 * ```
 */
export interface DispatchOptions extends Omit<ReplayOptions, "shard" | "maxSkewMs" | "clock"> {
  /** How many checking workers (shards of the keys). */
  readonly workers: number;
  /** Hands a buffer of records to a worker (transfer it: it is not used again here). */
  readonly send: (worker: number, records: ArrayBuffer) => void;
  /**
   * Awaited between chunks of input: resolve when the workers have room
   * for more (bounds the records in flight). Default: never waits.
   */
  readonly drain?: () => Promise<void>;
}

/**
 * The reading half of `vigil replay --workers n`: reads, maps, orders and
 * merges every line once, numbers the steps (their place in the merged
 * order, each node's step numbers, the collector ticks and their clock,
 * exactly as one {@link replay} would) and sends each step, as compact
 * records, to the worker of its key's shard (`shard_checker.ts` checks
 * them there). Returns the reading part of the report (lines, filtered,
 * unmapped, out-of-window, sequence gaps; no events, no violations): put
 * it first among the workers' reports for `mergeShardReports`.
 *
 * Not with causal verdicts (dependencies cross keys).
 *
 * @example Read once, check in two workers
 * ```ts ignore
 * const head = await replayDispatched(sources, { specs, mapping, workers: 2, send });
 * const report = mergeShardReports([head, ...await workerReports()], { files, maxListed, seconds });
 * ```
 */
export async function replayDispatched(
  sources: readonly ReplaySource[],
  options: DispatchOptions,
): Promise<ShardReport> {
  const windowMs = checkedWindow(options);
  checkShardable(options);
  const maxListed = options.maxListed ?? 1000;
  const files = sources.map((s) => s.name);
  const specs = replaySpecs(options.specs);
  const extractor = new LineExtractor(options.mapping, specs, files);
  const dispatcher = new ShardDispatcher({
    specs,
    workers: options.workers,
    globalChecks: options.globalChecks ?? true,
    send: options.send,
  });
  const read = await readAndMerge(sources, {
    extractor,
    sink: dispatcher,
    windowMs,
    maxListed,
    first: true,
    ...(options.drain === undefined ? {} : { drain: options.drain }),
  });
  dispatcher.done();
  return readingReport(read, dispatcher.sequenceGaps);
}

/**
 * The reading part of a report (lines, filtered, unmapped, out-of-window,
 * sequence gaps; no events, no violations) that the reading thread of
 * `vigil replay --workers n` returns ({@link replayDispatched}, and
 * `replayRecords` when files are read in threads of their own): put it
 * first among the workers' reports for `mergeShardReports`.
 */
export function readingReport(read: Reading, sequenceGaps: number): ShardReport {
  const report: ReplayReport = {
    summary: {
      ...readingSummary(read),
      events: 0,
      instances: 0,
      partitions: 0,
      partitionsOk: 0,
      partitionsViolated: 0,
      partitionsUnknown: 0,
      sequenceGaps,
      dependencies: 0,
      unmatchedReceives: 0,
      violations: 0,
      byKind: {},
      seconds: 0,
      linesPerSecond: 0,
    },
    violations: [],
    unmapped: read.tally.unmappedLines.items(),
    unmappedReasons: sortedCounts(read.tally.reasons),
    outOfWindow: read.tally.late.items(),
    partitions: [],
  };
  return { report, violationOrder: [] };
}

/** The window option, checked (default 500 ms). */
export function checkedWindow(options: { readonly windowMs?: number }): number {
  const windowMs = options.windowMs ?? 500;
  if (!(windowMs >= 0) || !Number.isFinite(windowMs)) {
    throw new RangeError(`Option 'windowMs' must be a number >= 0, got '${windowMs}'`);
  }
  return windowMs;
}

/** Throws when the replay cannot be split by key (dependencies and causal verdicts cross keys). */
export function checkShardable(options: Pick<ReplayOptions, "mapping" | "maxSkewMs">): void {
  const causal = options.mapping.mappings.some((m) => m.stamp ?? m.sends ?? m.receives);
  if (causal || options.maxSkewMs !== undefined) {
    throw new RangeError(
      "Option 'shard' needs a mapping without 'stamp', 'sends' or 'receives' and no 'maxSkewMs': dependencies and causal verdicts cross keys",
    );
  }
}

/** What a read pass found, for the report. */
export interface Reading {
  readonly files: number;
  readonly bytes: number;
  readonly lines: number;
  readonly tally: Tally;
}

/** The reading figures of a report's summary. */
export function readingSummary(read: Reading) {
  const t = read.tally;
  return {
    files: read.files,
    bytes: read.bytes,
    lines: read.lines,
    blank: t.blank,
    filtered: t.filtered,
    mapped: t.mapped,
    unmapped: t.unmapped,
    outOfWindow: t.outOfWindow,
  };
}

/**
 * Reads, maps, orders and merges the sources, handing each merged event to
 * `sink` (the judge, or the dispatcher to the workers), then finishes it
 * and adds the holes of lines without a node to the streams of their file.
 */
async function readAndMerge<S extends SinkStream>(
  sources: readonly ReplaySource[],
  o: {
    readonly extractor: LineExtractor;
    readonly sink: EventSink<S>;
    readonly windowMs: number;
    readonly maxListed: number;
    /** Counts the lines that have no key (shard 0 does). */
    readonly first: boolean;
    readonly drain?: () => Promise<void>;
  },
): Promise<Reading> {
  const { extractor, sink, first } = o;
  const files = sources.map((s) => s.name);
  const srcs = sources.map((s, i) => new Source<S>(i, s.stream, o.windowMs));
  const tally = new Tally(o.maxListed);
  const holeOf = (src: Source<S>, line: number, u: Unmapped) =>
    countHole(tally, sink, { first, files }, src, line, u);
  const onLine = (src: Source<S>) => (raw: RawLine) => {
    const lineNo = raw.number;
    // A line opening an object is not blank: its bytes are mapped where they stand.
    if (raw.bytes === null || raw.bytes[raw.start] !== 123) {
      const line = raw.text();
      if (line.charCodeAt(0) !== 123 && line.trim().length === 0) {
        if (first) tally.blank++;
        return;
      }
    }
    const r = extractor.mapRaw(raw, src.index);
    if (r === FILTERED) {
      if (first) tally.filtered++;
      return;
    }
    if (!("wall" in r)) return holeOf(src, lineNo, r);
    const own = sink.owns(r.key);
    if (own) tally.mapped++;
    if (src.window.push(r) && own) tally.outOfWindow++;
  };
  const handlers = srcs.map(onLine);
  let lastWall = -Infinity;
  const emit = (src: Source<S>, ev: ReplayEvent) => {
    if (ev.late && sink.owns(ev.key)) {
      noteLate(tally, ev, Math.max(0, src.window.lastWall - ev.wall), files);
    }
    if (ev.wall > lastWall) lastWall = ev.wall;
    let st = src.lastStream;
    // A file is usually one node's: its stream without a lookup.
    if (st === undefined || st.node !== ev.node || st.spec !== ev.spec) {
      st = sink.stream(ev.spec, ev.node);
      if (src.lastStream !== st) src.streams.add(src.lastStream = st);
    }
    const bad = sink.process(ev, st);
    if (bad !== null) unusable(ev, bad);
  };
  const unusable = (ev: ReplayEvent, reason: string) => {
    tally.mapped--;
    holeOf(srcs[ev.file]!, ev.line, { reason, spec: ev.spec, node: ev.node, key: ev.key });
  };
  sink.onUnusable = unusable;
  await merge(srcs, handlers, emit, o.drain);
  sink.finish(lastWall);
  for (const src of srcs) {
    if (src.holes > 0) { for (const st of src.streams) st.addHoles(src.holes); }
  }
  return {
    files: files.length,
    bytes: srcs.reduce((n, s) => n + s.reader.bytes, 0),
    lines: srcs.reduce((n, s) => n + s.reader.lines, 0),
    tally,
  };
}

/** Lists an out-of-window line (`behindMs` behind its file's window when it was released). */
export function noteLate(
  tally: Tally,
  ev: ReplayEvent,
  behindMs: number,
  files: readonly string[],
): void {
  const order = lineOrder(ev.file, ev.line);
  if (!tally.late.admits(order)) return;
  tally.late.push(order, {
    file: files[ev.file]!,
    line: ev.line,
    node: ev.node,
    key: ev.key,
    behindMs,
  });
}

/**
 * Counts an unmapped line of file `src.index` as a hole: of its key's
 * stream (when the sink owns the key), of its node's stream (no key), or
 * of every stream of its file (no node: `src.holes`, added at the end);
 * and lists it with its reason (the first 200 distinct reasons met are
 * counted by name, the others together).
 */
export function countHole<S extends SinkStream>(
  tally: Tally,
  sink: EventSink<S>,
  o: { readonly first: boolean; readonly files: readonly string[] },
  src: { readonly index: number; holes: number },
  line: number,
  u: Unmapped,
): void {
  // A hole of a key is its shard's; one of a whole node or file matters to every shard.
  const own = u.key === undefined ? o.first : sink.owns(u.key);
  if (u.spec !== undefined && u.node !== undefined) {
    if (u.key === undefined || own) sink.stream(u.spec, u.node).hole(u.key);
  } else src.holes++;
  if (!own) return;
  tally.unmapped++;
  const count = tally.reasons[u.reason];
  if (count !== undefined || Object.keys(tally.reasons).length < 200) {
    tally.reasons[u.reason] = (count ?? 0) + 1;
  } else tally.reasons["(other reasons)"] = (tally.reasons["(other reasons)"] ?? 0) + 1;
  const order = lineOrder(src.index, line);
  if (!tally.unmappedLines.admits(order)) return;
  tally.unmappedLines.push(order, {
    file: o.files[src.index]!,
    line,
    reason: u.reason,
    ...(u.node === undefined ? {} : { node: u.node }),
    ...(u.key === undefined ? {} : { key: u.key }),
  });
}

/**
 * The k-way merge of the files' windows ({@link mergeByHeads}); a window
 * with nothing ready is read further first (one chunk at a time).
 */
function merge<S extends SinkStream>(
  srcs: readonly Source<S>[],
  handlers: readonly RawLineHandler[],
  emit: (src: Source<S>, ev: ReplayEvent) => void,
  drain: (() => Promise<void>) | undefined,
): Promise<void> {
  return mergeByHeads(srcs, {
    head: (s) => s.window.peek(),
    refill: async (s) => {
      if (s.reader.done) return false;
      if (drain !== undefined) await drain();
      if (!(await s.reader.pullRaw(handlers[s.index]!))) s.window.close();
      return true;
    },
    take: (s) => emit(s, s.window.pop()!),
  });
}
