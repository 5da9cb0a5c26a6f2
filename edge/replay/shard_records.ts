/**
 * The records the reader of `vigil replay --workers n` sends each checking
 * worker (`dispatch.ts` writes them, `shard_checker.ts` reads them): one
 * byte of kind, then its fields, little-endian, packed one after the other
 * in buffers of many records (sent as transferable `ArrayBuffer`s, never
 * one message per step).
 *
 * | kind       | fields                                                                                                 |
 * | ---------- | ------------------------------------------------------------------------------------------------------ |
 * | `STREAM`   | u32 stream id, u8 spec index, text node                                                                |
 * | `KEY`      | u32 key id, text key                                                                                   |
 * | `EVENT`    | u32 stream, u32 key, f64 ordinal, u32 step number, u32 file, u32 line, f64 wall, f64 logical, u16 action, u8 late, u8 argument count, f64 each, text observed state (JSON, empty: none) |
 * | `KEY_HOLE` | u32 stream, u32 key                                                                                    |
 * | `HOLES`    | u32 stream, u32 count (holes of the whole node)                                                        |
 * | `TICK`     | f64 the tick's clock                                                                                   |
 * | `FINISH`   | f64 the last tick's clock, f64 the logs' last time                                                     |
 * | `DONE`     | nothing: the last record                                                                               |
 *
 * A text is a u32 count of UTF-16 code units, then the units (u16 each),
 * so every string comes back exactly as it was.
 *
 * @module
 */

/** Defines a node stream (spec, node) by id. */
export const STREAM = 1;
/** Defines a key by id. */
export const KEY = 2;
/** A step to check. */
export const EVENT = 3;
/** An unmapped line of one key of a node. */
export const KEY_HOLE = 4;
/** Holes of a whole node (unmapped lines without a key, log sequence gaps). */
export const HOLES = 5;
/** The end of a collector tick. */
export const TICK = 6;
/** Every step was sent: finish the checks. */
export const FINISH = 7;
/** The last record: report. */
export const DONE = 8;

/**
 * A growable buffer of records.
 *
 * @example Write a tick and take the bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { RecordReader, RecordWriter, TICK } from "./shard_records.ts";
 * const w = new RecordWriter();
 * w.u8(TICK);
 * w.f64(1_700_000_000_000);
 * const r = new RecordReader(w.take());
 * assert.deepEqual([r.u8(), r.f64(), r.more()], [TICK, 1_700_000_000_000, false]);
 * ```
 */
export class RecordWriter {
  #buffer: ArrayBuffer;
  #view: DataView;
  #at = 0;
  /** The buffer's length, kept here (reading `byteLength` is a builtin call per field written). */
  #capacity: number;

  /** A writer whose buffer starts at `capacity` bytes (it grows as needed). */
  constructor(capacity = 1 << 16) {
    this.#buffer = new ArrayBuffer(capacity);
    this.#view = new DataView(this.#buffer);
    this.#capacity = capacity;
  }

  /** Bytes written since the last {@link take}. */
  get size(): number {
    return this.#at;
  }

  #room(n: number): void {
    if (this.#at + n <= this.#capacity) return;
    const next = new ArrayBuffer(Math.max(this.#at + n, 2 * this.#capacity));
    new Uint8Array(next).set(new Uint8Array(this.#buffer, 0, this.#at));
    this.#buffer = next;
    this.#view = new DataView(next);
    this.#capacity = next.byteLength;
  }

  /** Writes a byte. */
  u8(v: number): void {
    this.#room(1);
    this.#view.setUint8(this.#at, v);
    this.#at += 1;
  }

  /** Writes an unsigned 16-bit integer. */
  u16(v: number): void {
    this.#room(2);
    this.#view.setUint16(this.#at, v, true);
    this.#at += 2;
  }

  /** Writes an unsigned 32-bit integer. */
  u32(v: number): void {
    this.#room(4);
    this.#view.setUint32(this.#at, v, true);
    this.#at += 4;
  }

  /** Writes a double. */
  f64(v: number): void {
    this.#room(8);
    this.#view.setFloat64(this.#at, v, true);
    this.#at += 8;
  }

  /** Writes a text: its UTF-16 code units, counted. */
  text(s: string): void {
    const n = s.length;
    this.#room(4 + 2 * n);
    const view = this.#view;
    let at = this.#at;
    view.setUint32(at, n, true);
    at += 4;
    for (let i = 0; i < n; i++, at += 2) view.setUint16(at, s.charCodeAt(i), true);
    this.#at = at;
  }

  /** The bytes written, as a buffer of their own (to transfer); the writer starts over. */
  take(): ArrayBuffer {
    const out = this.#buffer.slice(0, this.#at);
    this.#at = 0;
    return out;
  }
}

/**
 * Reads the records of one buffer in order.
 *
 * @example Read a text back
 * ```ts
 * import assert from "node:assert/strict";
 * import { RecordReader, RecordWriter } from "./shard_records.ts";
 * const w = new RecordWriter(4);
 * w.text("lock:\u00fc\ud800");
 * assert.equal(new RecordReader(w.take()).text(), "lock:\u00fc\ud800");
 * ```
 */
export class RecordReader {
  readonly #view: DataView;
  readonly #end: number;
  #at = 0;

  /** A reader at the start of `buffer`. */
  constructor(buffer: ArrayBuffer) {
    this.#view = new DataView(buffer);
    this.#end = buffer.byteLength;
  }

  /** True while bytes are left. */
  more(): boolean {
    return this.#at < this.#end;
  }

  /** Reads a byte. */
  u8(): number {
    return this.#view.getUint8(this.#at++);
  }

  /** Reads an unsigned 16-bit integer. */
  u16(): number {
    const v = this.#view.getUint16(this.#at, true);
    this.#at += 2;
    return v;
  }

  /** Reads an unsigned 32-bit integer. */
  u32(): number {
    const v = this.#view.getUint32(this.#at, true);
    this.#at += 4;
    return v;
  }

  /** Reads a double. */
  f64(): number {
    const v = this.#view.getFloat64(this.#at, true);
    this.#at += 8;
    return v;
  }

  /** Reads a text. */
  text(): string {
    const n = this.u32();
    const view = this.#view;
    let at = this.#at;
    let s = "";
    for (let i = 0; i < n; i++, at += 2) s += String.fromCharCode(view.getUint16(at, true));
    this.#at = at;
    return s;
  }
}
