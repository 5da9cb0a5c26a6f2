/**
 * One node stream's events of a collector tick, written straight into the
 * columns the collector core ingests (`WireColumns`, as a batch off the
 * wire is decoded into): state blocks (and keys) in one byte buffer, the
 * numbers in typed arrays, the state copied from the instance's memory
 * once. No event object is made and laid out again per event.
 *
 * Keys are kept as strings while the tick fills; their UTF-8 bytes, which
 * only the collector's ingest routine reads, are written by
 * {@link TickColumns.ingestable}: a tick the ordered feed applies directly
 * (most of them) never encodes its keys.
 *
 * @module
 */
import { WireColumns } from "../../lib/wire/columns.ts";
import type { EventDependency } from "../../lib/wire/event.ts";

const UTF8 = new TextEncoder();

/** Where a step's state block is copied from (a compiled spec's instances). */
export interface StateSource {
  copyState(inst: number, target: Uint8Array, offset: number): void;
  /** The same, word by word (no view made per call: cheaper for a small state); optional. */
  copyStateInto?(inst: number, target: DataView, offset: number): void;
}

/** One step as the collector sees it (the caller may reuse one object for every step). */
export interface TickEvent {
  /** The collector's sequence number of the step (contiguous per stream). */
  readonly seq: number;
  readonly key: string;
  readonly wall: number;
  readonly logical: number;
  readonly action: number;
  readonly args: readonly number[];
  readonly verdict: number;
  readonly deps: readonly EventDependency[] | undefined;
  /** The instance whose state (`stateSize` bytes) goes with the step. */
  readonly source: StateSource;
  readonly inst: number;
  readonly stateSize: number;
}

/**
 * A stream's columns for the current tick.
 *
 * @example Two events of a stream, then ingested and cleared
 * ```ts
 * import assert from "node:assert/strict";
 * import { TickColumns } from "./tick_columns.ts";
 * const tick = new TickColumns({ spec: "ab", specName: "Lease", node: "api-1" });
 * const source = { copyState: (inst: number, bytes: Uint8Array, at: number) => void bytes.fill(inst, at, at + 4) };
 * const event = { key: "lock:1", wall: 5, logical: 0, action: 0, args: [2], verdict: 0, deps: undefined, source, stateSize: 4 };
 * tick.push({ ...event, seq: 7, inst: 1 });
 * tick.push({ ...event, seq: 8, key: "lock:ü", inst: 2 });
 * const c = tick.ingestable();
 * assert.deepEqual([c.count, c.firstSeq, c.key(1), c.argsOf(0), [...c.stateOf(1)]], [2, 7, "lock:ü", [2], [2, 2, 2, 2]]);
 * assert.equal(new TextDecoder().decode(c.bytes.subarray(c.keyOff[1], c.keyOff[1]! + c.keyLen[1]!)), "lock:ü");
 * tick.clear();
 * assert.equal(tick.columns.count, 0);
 * ```
 */
export class TickColumns {
  /**
   * The columns of the tick so far (valid until {@link clear}); the keys'
   * bytes (`keyOff`, `keyLen`) only once {@link ingestable} wrote them.
   */
  readonly columns: WireColumns = new WireColumns();
  #bytes = new Uint8Array(4096);
  #at = 0;
  #argc = 0;
  /** Events and arguments the columns hold room for (`WireColumns.reserve` made them). */
  #room = 0;
  #argRoom = 0;
  /** Events whose key bytes are written. */
  #keysWritten = 0;

  /** Columns for one stream (spec hash, spec name, node). */
  constructor(header: { readonly spec: string; readonly specName: string; readonly node: string }) {
    const c = this.columns;
    c.version = 1;
    c.spec = header.spec;
    c.specName = header.specName;
    c.node = header.node;
    c.boot = "replay";
    c.firstSeq = 0;
    c.dropped = [];
    c.count = 0;
    c.depCount = 0;
    c.longestKey = 0;
    c.longestDepNode = 0;
    this.#setBytes(this.#bytes);
  }

  #setBytes(bytes: Uint8Array<ArrayBuffer>): void {
    this.#bytes = bytes;
    this.columns.bytes = bytes;
    this.columns.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * Appends a step, its state copied from its instance.
   *
   * @throws {RangeError} When its number does not follow the tick's last one.
   */
  push(e: TickEvent): void {
    const stateSize = e.stateSize;
    const c = this.columns;
    const i = c.count;
    if (i === 0) c.firstSeq = e.seq;
    else if (e.seq !== c.firstSeq + i) {
      throw new RangeError(`Step number '${e.seq}' does not follow '${c.firstSeq + i - 1}'`);
    }
    const args = e.args;
    if (i >= this.#room || this.#argc + args.length > this.#argRoom) this.#reserve(i, args.length);
    this.#ensureBytes(stateSize);
    c.keyStr[i] = e.key;
    const at = this.#at;
    const source = e.source;
    if (source.copyStateInto !== undefined) source.copyStateInto(e.inst, c.view, at);
    else source.copyState(e.inst, this.#bytes, at);
    c.stateOff[i] = at;
    c.stateLen[i] = stateSize;
    this.#at = at + stateSize;
    c.wall[i] = e.wall;
    c.logical[i] = e.logical;
    c.action[i] = e.action;
    c.verdict[i] = e.verdict;
    let a = this.#argc;
    c.argOff[i] = a;
    for (let j = 0; j < args.length; j++) c.args[a++] = args[j]!;
    c.argOff[i + 1] = a;
    this.#argc = a;
    const deps = e.deps;
    if (deps !== undefined && deps.length > 0) c.addDeps(i, deps);
    c.count = i + 1;
  }

  /** Makes room for `n` more bytes. */
  #ensureBytes(n: number): void {
    const need = this.#at + n;
    if (need > this.#bytes.length) {
      const bigger = new Uint8Array(Math.max(need, 2 * this.#bytes.length));
      bigger.set(this.#bytes.subarray(0, this.#at));
      this.#setBytes(bigger);
    }
  }

  /**
   * The columns with every key's UTF-8 bytes written (after the state
   * blocks), as the collector's `ingestColumns` reads them.
   */
  ingestable(): WireColumns {
    const c = this.columns;
    for (let i = this.#keysWritten; i < c.count; i++) {
      const key = c.keyStr[i]!;
      this.#ensureBytes(3 * key.length);
      const buf = this.#bytes;
      const at = this.#at;
      let len = 0;
      for (; len < key.length; len++) {
        const code = key.charCodeAt(len);
        if (code > 0x7f) break;
        buf[at + len] = code;
      }
      if (len < key.length) len = UTF8.encodeInto(key, buf.subarray(at)).written;
      c.keyOff[i] = at;
      c.keyLen[i] = len;
      if (len > c.longestKey) c.longestKey = len;
      this.#at = at + len;
    }
    this.#keysWritten = c.count;
    return c;
  }

  /** Grows the columns (twice what event `i` with `argc` arguments needs), checked once per growth rather than per step. */
  #reserve(i: number, argc: number): void {
    this.#room = 2 * (i + 1);
    this.#argRoom = 2 * (this.#argc + argc);
    this.columns.reserve(this.#room, this.#argRoom);
  }

  /** Empties the columns for the next tick (buffers kept). */
  clear(): void {
    const c = this.columns;
    c.count = 0;
    c.depCount = 0;
    c.longestKey = 0;
    c.longestDepNode = 0;
    c.keyStr.length = 0;
    c.depNode.length = 0;
    this.#at = 0;
    this.#argc = 0;
    this.#keysWritten = 0;
  }
}
