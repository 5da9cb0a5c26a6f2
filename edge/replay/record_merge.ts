/**
 * The merging thread of `vigil replay --workers n` with parallel reading:
 * each log file is read, mapped and windowed by a reading thread
 * (`file_reading.ts`), which sends its released events and unmapped lines
 * as records (`file_records.ts`); here the files' record streams are
 * k-way merged exactly as `replay` merges its files' windows (the same
 * choice of source, the same ties, each file's unmapped lines counted
 * where the single-threaded reader counts them), and every merged event is
 * numbered and sent to the checking worker of its key by the same
 * `ShardDispatcher` as `replayDispatched` uses. So the merged order, the
 * step numbers, the ticks and the report are those of one worker.
 *
 * @module
 */
import type { ReplayEvent } from "./extract.ts";
import type { FileRecordStream } from "./file_records.ts";
import { type DispatchStream, ShardDispatcher } from "./dispatch.ts";
import {
  checkShardable,
  countHole,
  noteLate,
  readingReport,
  type ReplayOptions,
  type ShardReport,
  Tally,
} from "./replay.ts";
import type { ReplaySpec } from "./replay_spec.ts";
import { mergeByHeads } from "./window.ts";

/**
 * Options of {@link replayRecords}.
 *
 * @example Two checking workers
 * ```ts ignore
 * const options: RecordMergeOptions = { specs, files, mapping, workers: 2, send };
 * ```
 */
export interface RecordMergeOptions
  extends Pick<ReplayOptions, "mapping" | "maxListed" | "globalChecks"> {
  /** The specs, in the reading threads' order (`replaySpecs`). */
  readonly specs: readonly ReplaySpec[];
  /** The sources' names, in order. */
  readonly files: readonly string[];
  /** How many checking workers (shards of the keys). */
  readonly workers: number;
  /** Hands a buffer of records to a checking worker (transfer it). */
  readonly send: (worker: number, records: ArrayBuffer) => void;
  /** Awaited before waiting for a file's records: resolve when the checking workers have room. */
  readonly drain?: () => Promise<void>;
}

/** A file being merged: its record stream and the node streams its events used. */
class Merging {
  readonly index: number;
  readonly records: FileRecordStream;
  /** Streams seen in this file (for holes without a node). */
  readonly streams = new Set<DispatchStream>();
  lastStream: DispatchStream | undefined;
  holes = 0;
  constructor(records: FileRecordStream) {
    this.index = records.index;
    this.records = records;
  }
}

/**
 * Merges the files' record streams (one per source, in the sources'
 * order), numbers the merged events and sends them to the checking
 * workers; returns the reading part of the report, as `replayDispatched`
 * does (put it first among the workers' reports for `mergeShardReports`).
 *
 * @example Merge files read in this thread
 * ```ts ignore
 * const queues = sources.map(() => new RecordQueue());
 * sources.forEach((s, i) => readFileRecords(s, i, { extractor, windowMs, send: (b) => queues[i]!.push(b) }));
 * const head = await replayRecords(queues.map((q, i) => new FileRecordStream(i, specs, q)), options);
 * ```
 *
 * @throws {RangeError} For a causal mapping (dependencies cross keys), or a malformed record.
 */
export async function replayRecords(
  streams: readonly FileRecordStream[],
  o: RecordMergeOptions,
): Promise<ShardReport> {
  checkShardable(o);
  const maxListed = o.maxListed ?? 1000;
  const files = o.files;
  const sink = new ShardDispatcher({
    specs: o.specs,
    workers: o.workers,
    globalChecks: o.globalChecks ?? true,
    send: o.send,
  });
  const tally = new Tally(maxListed);
  const srcs = streams.map((s) => new Merging(s));
  const where = { first: true, files };
  const holeOf =
    (src: Merging) => (h: { line: number; unmapped: Parameters<typeof countHole>[5] }) =>
      countHole(tally, sink, where, src, h.line, h.unmapped);
  const onHole = srcs.map(holeOf);
  let lastWall = -Infinity;
  const emit = (src: Merging, behindMs: number, ev: ReplayEvent) => {
    if (ev.late) noteLate(tally, ev, behindMs, files);
    if (ev.wall > lastWall) lastWall = ev.wall;
    let st = src.lastStream;
    if (st === undefined || st.node !== ev.node || st.spec !== ev.spec) {
      st = sink.stream(ev.spec, ev.node);
      if (src.lastStream !== st) src.streams.add(src.lastStream = st);
    }
    const bad = sink.process(ev, st);
    if (bad !== null) {
      tally.mapped--;
      countHole(tally, sink, where, srcs[ev.file]!, ev.line, {
        reason: bad,
        spec: ev.spec,
        node: ev.node,
        key: ev.key,
      });
    }
  };
  // As `replay`'s merge, with a file's records in place of its window.
  await mergeByHeads(srcs, {
    head: (s) => s.records.peek(),
    refill: async (s) => {
      if (s.records.ended) return false;
      if (o.drain !== undefined) await o.drain();
      await s.records.fill(onHole[s.index]!);
      return true;
    },
    take: (s) => {
      const behind = s.records.headBehindMs;
      emit(s, behind, s.records.pop()!);
    },
  });
  sink.finish(lastWall);
  for (const src of srcs) {
    if (src.holes > 0) { for (const st of src.streams) st.addHoles(src.holes); }
  }
  sink.done();
  let lines = 0;
  let bytes = 0;
  for (const s of streams) {
    const c = s.counts!;
    lines += c.lines;
    bytes += c.bytes;
    tally.blank += c.blank;
    tally.filtered += c.filtered;
    tally.mapped += c.mapped;
    tally.outOfWindow += c.outOfWindow;
  }
  return readingReport({ files: files.length, bytes, lines, tally }, sink.sequenceGaps);
}
