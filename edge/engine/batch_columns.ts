/**
 * The object API's way into the engine's one ingest routine: a batch given
 * as objects (`Collector.ingest`, a `DecodedBatch`) is laid out as the
 * columns a decoded batch fills (`WireColumns`: keys and state blocks as
 * ranges of one byte buffer, numbers in typed arrays), then ingested as
 * columns like every batch off the wire.
 *
 * Nothing is checked here that the engine checks (spec, state size,
 * actions, drops), so a batch of objects gets exactly the answers it got
 * when objects had their own routine. One thing columns cannot say: event
 * `i` of a batch has sequence number `firstSeq + i`, so a batch whose
 * events are numbered otherwise is refused ({@link InvalidBatchError} at
 * `ev[i].seq`). The events' dependencies (`deps`) go to the dependency
 * columns, as a decoded version-2 batch's do.
 *
 * @module
 */
import { WireColumns } from "../../lib/wire/columns.ts";
import type { DecodedBatch } from "../../lib/wire/event.ts";
import { InvalidBatchError } from "./errors.ts";

const UTF8 = new TextEncoder();

/**
 * Writes an ASCII `key` into `buf` at `at` and returns its length, or -1
 * (having written part of it) when it is not ASCII. Short keys are the
 * common case, where this is cheaper than a call to `TextEncoder`.
 */
function asciiInto(key: string, buf: Uint8Array, at: number): number {
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code > 0x7f) return -1;
    buf[at + i] = code;
  }
  return key.length;
}

/** Lays batches of objects out as columns, reusing its buffers from batch to batch. */
export class BatchColumns {
  /** The columns of the last batch laid out. */
  readonly columns: WireColumns = new WireColumns();
  #buffer = new Uint8Array(4096);

  /**
   * Lays `batch` out as {@link columns} (valid until the next call).
   *
   * @example Lay out a batch of one event
   * ```ts
   * import assert from "node:assert/strict";
   * import { BatchColumns } from "./batch_columns.ts";
   * const layout = new BatchColumns();
   * const c = layout.fill({
   *   version: 1, spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 4, dropped: [],
   *   events: [{ seq: 4, key: "lock:ü", wall: 9, logical: 1, action: 0, args: [2], state: new Uint8Array(8), verdict: 0 }],
   * });
   * assert.ok(c.count === 1 && c.firstSeq === 4 && c.wall[0] === 9 && c.args[c.argOff[0]!] === 2);
   * assert.equal(c.keyLen[0], 7); // UTF-8 bytes of the key
   * assert.equal(c.key(0), "lock:ü");
   * const dep = { node: "n0", wall: 8, logical: 2 };
   * const d = layout.fill({
   *   version: 2, spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, dropped: [],
   *   events: [{ seq: 0, key: "k", wall: 9, logical: 0, action: 0, args: [], state: new Uint8Array(8), verdict: 0, deps: [dep] }],
   * });
   * assert.deepEqual([d.depCount, d.depsOf(0)], [1, [dep]]);
   * assert.throws(() => layout.fill({
   *   version: 1, spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, dropped: [],
   *   events: [{ seq: 1, key: "k", wall: 9, logical: 0, action: 0, args: [], state: new Uint8Array(8), verdict: 0 }],
   * }), /ev\[0\]\.seq/);
   * ```
   */
  fill(batch: DecodedBatch): WireColumns {
    const events = batch.events;
    const n = events.length;
    let size = 0;
    let argc = 0;
    for (let i = 0; i < n; i++) {
      const e = events[i]!;
      if (e.seq !== batch.firstSeq + i) {
        throw new InvalidBatchError(
          `ev[${i}].seq`,
          `expected '${batch.firstSeq + i}' (the batch's first number plus ${i}), got '${e.seq}'`,
        );
      }
      size += 3 * e.key.length + e.state.length;
      argc += e.args.length;
    }
    if (this.#buffer.length < size) {
      this.#buffer = new Uint8Array(Math.max(size, 2 * this.#buffer.length));
    }
    const buf = this.#buffer;
    const c = this.columns;
    c.reserve(n, argc);
    c.version = batch.version;
    c.spec = batch.spec;
    c.specName = batch.specName;
    c.node = batch.node;
    c.boot = batch.boot;
    c.firstSeq = batch.firstSeq;
    c.dropped = batch.dropped as typeof c.dropped;
    c.count = n;
    if (c.bytes !== buf) {
      c.bytes = buf;
      c.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const keyStr = c.keyStr;
    keyStr.length = n;
    const { keyOff, keyLen, stateOff, stateLen, wall, logical, action, verdict, argOff, args } = c;
    let at = 0;
    let a = 0;
    /** The previous event's key and its range (consecutive events often share a key). */
    let prevKey: string | null = null;
    let prevOff = 0;
    let prevLen = 0;
    let longest = 0;
    for (let i = 0; i < n; i++) {
      const e = events[i]!;
      const key = e.key;
      keyStr[i] = key;
      if (key === prevKey) {
        keyOff[i] = prevOff;
        keyLen[i] = prevLen;
      } else {
        let len = asciiInto(key, buf, at);
        if (len < 0) len = UTF8.encodeInto(key, buf.subarray(at)).written;
        keyOff[i] = prevOff = at;
        keyLen[i] = prevLen = len;
        if (len > longest) longest = len;
        prevKey = key;
        at += len;
      }
      const state = e.state;
      const size = state.length;
      if (size > 64) buf.set(state, at);
      else for (let j = 0; j < size; j++) buf[at + j] = state[j]!;
      stateOff[i] = at;
      stateLen[i] = size;
      at += size;
      wall[i] = e.wall;
      logical[i] = e.logical;
      action[i] = e.action;
      verdict[i] = e.verdict;
      argOff[i] = a;
      const values = e.args;
      for (let j = 0; j < values.length; j++) args[a++] = values[j]!;
    }
    argOff[n] = a;
    c.longestKey = longest;
    c.depsFrom(events); // the dependencies the events carry (none for most)
    return c;
  }
}
