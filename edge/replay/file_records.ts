/**
 * The records one log file's reading thread of `vigil replay --workers n`
 * sends the merging thread (`file_reading.ts` writes them,
 * {@link FileRecordStream} reads them): the file's events in the order its
 * reorder window released them, and its unmapped lines where the
 * single-threaded reader would have met them, so the merging thread
 * (`record_merge.ts`) sees the same sequence of events and holes per file
 * as `replay` does. Packed as `shard_records.ts` packs its records (one
 * byte of kind, then the fields, little-endian; texts as counted UTF-16
 * code units), in buffers of many records.
 *
 * | kind         | fields                                                                                                                                      |
 * | ------------ | ------------------------------------------------------------------------------------------------------------------------------------------- |
 * | `F_NAME`     | u32 name id, text (a node or a key, defined once per file)                                                                                  |
 * | `F_EVENT`    | u32 line, f64 wall, f64 logical, u8 spec, u32 node, u32 key, u16 action, u8 late, f64 how far behind (late only), u8 argument count, f64 each, f64 log sequence number, text observed state (JSON, empty: none) |
 * | `F_UNMAPPED` | u32 line, text reason, u8 spec + 1 (0: none), u32 node + 1 (0: none), u32 key + 1 (0: none)                                                 |
 * | `F_END`      | f64 lines, f64 bytes, f64 blank, f64 filtered, f64 mapped, f64 out-of-window: the file's counts, the last record                          |
 *
 * @module
 */
import type { ReplayEvent, Unmapped } from "./extract.ts";
import type { ReplaySpec } from "./replay_spec.ts";
import { RecordReader, RecordWriter } from "./shard_records.ts";

/** Defines a name (node or key) by id. */
export const F_NAME = 1;
/** An event released by the file's reorder window. */
export const F_EVENT = 2;
/** A line that could not be mapped. */
export const F_UNMAPPED = 3;
/** The file's counts: its last record. */
export const F_END = 4;

/** Bytes of records gathered before a buffer is sent. */
export const FILE_CHUNK_BYTES = 1 << 17;

/** A file's reading counts, sent at its end. */
export interface FileCounts {
  readonly lines: number;
  readonly bytes: number;
  readonly blank: number;
  readonly filtered: number;
  readonly mapped: number;
  readonly outOfWindow: number;
}

/**
 * Writes one file's records and hands out full buffers.
 *
 * @example An event and the end
 * ```ts ignore
 * const w = new FileRecordWriter((records) => port.postMessage(records, [records]));
 * w.event(ev, 0);
 * w.end(counts);
 * ```
 */
export class FileRecordWriter {
  readonly #w = new RecordWriter(FILE_CHUNK_BYTES + 4096);
  readonly #names = new Map<string, number>();
  readonly #send: (records: ArrayBuffer) => void;

  /** A writer handing each full buffer to `send` (transfer it: it is not used again here). */
  constructor(send: (records: ArrayBuffer) => void) {
    this.#send = send;
  }

  /** Bytes gathered and not sent yet. */
  get size(): number {
    return this.#w.size;
  }

  #name(s: string): number {
    let id = this.#names.get(s);
    if (id === undefined) {
      id = this.#names.size;
      this.#names.set(s, id);
      this.#w.u8(F_NAME);
      this.#w.u32(id);
      this.#w.text(s);
    }
    return id;
  }

  /** An event as released; `behindMs`: how far behind the window it was (late events). */
  event(ev: ReplayEvent, behindMs: number): void {
    const node = this.#name(ev.node);
    const key = this.#name(ev.key);
    const w = this.#w;
    w.u8(F_EVENT);
    w.u32(ev.line);
    w.f64(ev.wall);
    w.f64(ev.logical);
    w.u8(ev.spec.index);
    w.u32(node);
    w.u32(key);
    w.u16(ev.action);
    w.u8(ev.late ? 1 : 0);
    if (ev.late) w.f64(behindMs);
    const args = ev.args;
    w.u8(args.length);
    for (let i = 0; i < args.length; i++) w.f64(args[i]!);
    w.f64(ev.logSeq);
    w.text(ev.observed === null ? "" : JSON.stringify(ev.observed));
    if (w.size >= FILE_CHUNK_BYTES) this.#send(w.take());
  }

  /** A line that could not be mapped, and why. */
  unmapped(line: number, u: Unmapped): void {
    const node = u.node === undefined ? 0 : this.#name(u.node) + 1;
    const key = u.key === undefined ? 0 : this.#name(u.key) + 1;
    const w = this.#w;
    w.u8(F_UNMAPPED);
    w.u32(line);
    w.text(u.reason);
    w.u8(u.spec === undefined ? 0 : u.spec.index + 1);
    w.u32(node);
    w.u32(key);
    if (w.size >= FILE_CHUNK_BYTES) this.#send(w.take());
  }

  /** The file's counts, and what is left sent. */
  end(c: FileCounts): void {
    const w = this.#w;
    w.u8(F_END);
    for (const v of [c.lines, c.bytes, c.blank, c.filtered, c.mapped, c.outOfWindow]) w.f64(v);
    this.#send(w.take());
  }
}

/** An unmapped line read back. */
export interface UnmappedRecord {
  readonly line: number;
  readonly unmapped: Unmapped;
}

/**
 * Where one file's record buffers come from: {@link take} the next one
 * that came, or wait for one ({@link arrival}).
 *
 * @example Fed by hand
 * ```ts
 * import assert from "node:assert/strict";
 * import { RecordQueue } from "./file_records.ts";
 * const q = new RecordQueue();
 * q.push(new ArrayBuffer(1));
 * assert.equal(q.take()?.byteLength, 1);
 * assert.equal(q.take(), undefined);
 * ```
 */
export class RecordQueue {
  readonly #buffers: ArrayBuffer[] = [];
  #head = 0;
  #waiting: (() => void) | null = null;
  #failure: Error | null = null;
  /** Called with each buffer taken (to acknowledge it to its sender). */
  onTaken: (() => void) | null = null;

  /** Buffers that came and were not taken yet. */
  get pending(): number {
    return this.#buffers.length - this.#head;
  }

  /** A buffer came. */
  push(records: ArrayBuffer): void {
    this.#buffers.push(records);
    this.#wake();
  }

  /** The sender failed: the next {@link arrival} throws `e`. */
  fail(e: Error): void {
    this.#failure ??= e;
    this.#wake();
  }

  #wake(): void {
    const w = this.#waiting;
    this.#waiting = null;
    w?.();
  }

  /** The next buffer that came, or undefined. */
  take(): ArrayBuffer | undefined {
    if (this.#head >= this.#buffers.length) return undefined;
    const b = this.#buffers[this.#head]!;
    this.#buffers[this.#head++] = undefined as unknown as ArrayBuffer;
    if (this.#head === this.#buffers.length) {
      this.#buffers.length = 0;
      this.#head = 0;
    }
    this.onTaken?.();
    return b;
  }

  /**
   * Resolves once a buffer is there to {@link take}.
   *
   * @throws {Error} The sender's failure.
   */
  async arrival(): Promise<void> {
    while (this.#head >= this.#buffers.length) {
      if (this.#failure !== null) throw this.#failure;
      await new Promise<void>((resolve) => this.#waiting = resolve);
    }
  }
}

/**
 * One file's records read back on the merging thread: {@link peek} and
 * {@link pop} its released events (as its reorder window's `peek` and
 * `pop`); where the single-threaded reader would have read the next
 * chunk, {@link peek} says nothing until {@link fill} hands out the
 * chunk's unmapped lines, in order.
 *
 * @example Drain a file
 * ```ts ignore
 * const s = new FileRecordStream(0, specs, queue);
 * for (;;) {
 *   await s.fill((hole) => console.log(hole.line));
 *   const ev = s.pop();
 *   if (ev === undefined) break;
 * }
 * console.log(s.counts);
 * ```
 */
export class FileRecordStream {
  /** The file's index among the sources. */
  readonly index: number;
  readonly #specs: readonly ReplaySpec[];
  readonly #queue: RecordQueue;
  readonly #names: string[] = [];
  #r: RecordReader | null = null;
  #head: ReplayEvent | undefined = undefined;
  #headBehind = 0;
  #hole: UnmappedRecord | null = null;
  /** The file's counts, once its last record was read. */
  counts: FileCounts | null = null;

  /** The records of file `index`, read from `queue`, naming `specs` by index. */
  constructor(index: number, specs: readonly ReplaySpec[], queue: RecordQueue) {
    this.index = index;
    this.#specs = specs;
    this.#queue = queue;
  }

  /** True once the last record was read and every event popped. */
  get ended(): boolean {
    return this.counts !== null && this.#head === undefined && this.#hole === null;
  }

  /** The next released event, without removing it (undefined: none ready, see {@link fill}). */
  peek(): ReplayEvent | undefined {
    return this.#head;
  }

  /** How far behind the window the event {@link peek} shows was (when late). */
  get headBehindMs(): number {
    return this.#headBehind;
  }

  /** Removes and returns the next released event. */
  pop(): ReplayEvent | undefined {
    const e = this.#head;
    this.#head = undefined;
    this.#advance();
    return e;
  }

  /**
   * Until an event is ready or the file ended: hands each unmapped line
   * met to `onHole`, in order, and waits for buffers.
   *
   * @throws {RangeError} On a malformed record.
   */
  async fill(onHole: (hole: UnmappedRecord) => void): Promise<void> {
    while (this.#head === undefined && this.counts === null) {
      const hole = this.#hole;
      if (hole !== null) {
        this.#hole = null;
        onHole(hole);
        this.#advance();
        continue;
      }
      if (this.#r === null || !this.#r.more()) await this.#queue.arrival();
      this.#advance();
    }
  }

  /** Reads records until an event or an unmapped line is next, or the buffers are used up. */
  #advance(): void {
    if (this.#hole !== null || this.counts !== null) return;
    for (;;) {
      let r = this.#r;
      if (r === null || !r.more()) {
        const b = this.#queue.take();
        if (b === undefined) {
          this.#r = null;
          return;
        }
        r = this.#r = new RecordReader(b);
        continue;
      }
      const kind = r.u8();
      if (kind === F_EVENT) {
        this.#event(r);
        return;
      } else if (kind === F_NAME) {
        const id = r.u32();
        this.#names[id] = r.text();
      } else if (kind === F_UNMAPPED) {
        this.#unmapped(r);
        return;
      } else if (kind === F_END) {
        const v = [r.f64(), r.f64(), r.f64(), r.f64(), r.f64(), r.f64()];
        this.counts = {
          lines: v[0]!,
          bytes: v[1]!,
          blank: v[2]!,
          filtered: v[3]!,
          mapped: v[4]!,
          outOfWindow: v[5]!,
        };
        return;
      } else throw new RangeError(`File ${this.index}: unknown record kind '${kind}'`);
    }
  }

  #name(id: number): string {
    const s = this.#names[id];
    if (s === undefined) {
      throw new RangeError(`File ${this.index}: record names '${id}', not defined`);
    }
    return s;
  }

  #spec(index: number): ReplaySpec {
    const spec = this.#specs[index];
    if (spec === undefined) {
      throw new RangeError(`File ${this.index}: record names spec '${index}', not loaded`);
    }
    return spec;
  }

  #event(r: RecordReader): void {
    const line = r.u32();
    const wall = r.f64();
    const logical = r.f64();
    const spec = this.#spec(r.u8());
    const node = this.#name(r.u32());
    const key = this.#name(r.u32());
    const action = r.u16();
    const late = r.u8() === 1;
    this.#headBehind = late ? r.f64() : 0;
    const argc = r.u8();
    const args = new Array<number>(argc);
    for (let i = 0; i < argc; i++) args[i] = r.f64();
    const logSeq = r.f64();
    const state = r.text();
    this.#head = {
      wall,
      logical,
      file: this.index,
      line,
      spec,
      node,
      key,
      action,
      args,
      observed: state === "" ? null : JSON.parse(state),
      logSeq,
      deps: null,
      sends: null,
      receives: null,
      late,
    };
  }

  #unmapped(r: RecordReader): void {
    const line = r.u32();
    const reason = r.text();
    const spec = r.u8();
    const node = r.u32();
    const key = r.u32();
    this.#hole = {
      line,
      unmapped: {
        reason,
        ...(spec === 0 ? {} : { spec: this.#spec(spec - 1) }),
        ...(node === 0 ? {} : { node: this.#name(node - 1) }),
        ...(key === 0 ? {} : { key: this.#name(key - 1) }),
      },
    };
  }
}
