/**
 * A reading thread's work in `vigil replay --workers n`: one log file read,
 * split, mapped and put through its reorder window exactly as `replay`
 * does it for that file (same chunks, same window, the next chunk read
 * only once every released event was handed on), with the released events
 * and the unmapped lines written as records (`file_records.ts`) for the
 * merging thread. Since a file's released sequence depends only on its own
 * lines, and each chunk's unmapped lines are recorded where the
 * single-threaded reader meets them (after the events released before the
 * chunk, before those released after it), the merging thread sees per file
 * the same sequence of events and holes as `replay`.
 *
 * @module
 */
import { FILTERED, type LineExtractor } from "./extract.ts";
import { FileRecordWriter, RecordQueue } from "./file_records.ts";
import { LineReader, type RawLine } from "./reader.ts";
import type { ReplaySource } from "./replay.ts";
import { ReorderWindow } from "./window.ts";

/**
 * Options of {@link readFileRecords}.
 *
 * @example Records to a queue in the same thread
 * ```ts ignore
 * const options: FileReadingOptions = { extractor, windowMs: 500, send: (b) => queue.push(b) };
 * ```
 */
export interface FileReadingOptions {
  /** Maps the lines (its files are the replay's, in order). */
  readonly extractor: LineExtractor;
  /** The reorder window (ms). */
  readonly windowMs: number;
  /** Hands a buffer of records on (transfer it: it is not used again here). */
  readonly send: (records: ArrayBuffer) => void;
  /** Awaited before each chunk is read: resolve when the merging thread has room for more. */
  readonly drain?: () => Promise<void>;
}

/**
 * Reads source `index` of the replay to its end, writing its records; the
 * last one (`F_END`) holds the file's counts.
 *
 * @example Read one file into a queue
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { LineExtractor } from "./extract.ts";
 * import { readFileRecords } from "./file_reading.ts";
 * import { FileRecordStream, RecordQueue } from "./file_records.ts";
 * import { parseMapping } from "./mapping.ts";
 * import { replaySpecs } from "./replay_spec.ts";
 * const specs = replaySpecs([await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url))]);
 * const mapping = parseMapping({ node: "host", key: "lock", time: "ts", action: "event", args: "args" });
 * const extractor = new LineExtractor(mapping, specs, ["a.log"]);
 * const text = '{"host":"a","lock":"l","ts":1,"event":"acquire","args":{"c":1}}\nnot json\n';
 * const queue = new RecordQueue();
 * await readFileRecords({ name: "a.log", stream: new Blob([text]).stream() }, 0, {
 *   extractor,
 *   windowMs: 100,
 *   send: (b) => queue.push(b),
 * });
 * const s = new FileRecordStream(0, specs, queue);
 * const holes: number[] = [];
 * await s.fill((h) => holes.push(h.line));
 * assert.equal(s.pop()?.key, "l");
 * await s.fill((h) => holes.push(h.line));
 * assert.deepEqual([holes, s.counts?.lines, s.counts?.mapped, s.ended], [[2], 2, 1, true]);
 * ```
 */
export async function readFileRecords(
  source: ReplaySource,
  index: number,
  o: FileReadingOptions,
): Promise<void> {
  const { extractor } = o;
  const reader = new LineReader(source.stream);
  const window = new ReorderWindow(o.windowMs);
  const out = new FileRecordWriter(o.send);
  let blank = 0;
  let filtered = 0;
  let mapped = 0;
  let outOfWindow = 0;
  const onLine = (raw: RawLine) => {
    // As `replay`'s reader: a line opening an object is not blank.
    if (raw.bytes === null || raw.bytes[raw.start] !== 123) {
      const line = raw.text();
      if (line.charCodeAt(0) !== 123 && line.trim().length === 0) {
        blank++;
        return;
      }
    }
    const r = extractor.mapRaw(raw, index);
    if (r === FILTERED) {
      filtered++;
      return;
    }
    if (!("wall" in r)) return out.unmapped(raw.number, r);
    mapped++;
    if (window.push(r)) outOfWindow++;
  };
  for (;;) {
    while (window.peek() === undefined && !reader.done) {
      if (o.drain !== undefined) await o.drain();
      if (!(await reader.pullRaw(onLine))) window.close();
    }
    if (window.peek() === undefined) break;
    for (let e = window.pop(); e !== undefined; e = window.pop()) {
      out.event(e, e.late ? Math.max(0, window.lastWall - e.wall) : 0);
    }
  }
  out.end({ lines: reader.lines, bytes: reader.bytes, blank, filtered, mapped, outOfWindow });
}

/** Buffers a file read in this thread may have waiting before its reading pauses. */
const QUEUED = 8;

/**
 * Reads source `index` in this thread, into a queue of its own: the
 * reading runs as the queue is consumed (it pauses while {@link QUEUED}
 * buffers wait), and a failure reaches whoever waits on the queue.
 *
 * @example A file read beside the merge
 * ```ts ignore
 * const stream = new FileRecordStream(0, specs, readInThread(source, 0, { extractor, windowMs: 500 }));
 * ```
 */
export function readInThread(
  source: ReplaySource,
  index: number,
  o: Omit<FileReadingOptions, "send" | "drain">,
): RecordQueue {
  const queue = new RecordQueue();
  let wake: (() => void) | null = null;
  queue.onTaken = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  readFileRecords(source, index, {
    ...o,
    send: (b) => queue.push(b),
    drain: async () => {
      while (queue.pending > QUEUED) await new Promise<void>((resolve) => wake = resolve);
    },
  }).catch((e) => queue.fail(e instanceof Error ? e : new Error(String(e))));
  return queue;
}
