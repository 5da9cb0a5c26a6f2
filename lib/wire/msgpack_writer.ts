/**
 * A minimal msgpack writer for the batch encoder's hot path: the fixed shape
 * of a batch written in one pass into a reused, growable buffer, with no
 * intermediate objects. Produces standard msgpack (any decoder reads it);
 * integers use the smallest int/uint family that holds them (up to 64 bits),
 * other numbers float 64.
 *
 * @module
 */

const utf8 = new TextEncoder();

/** Writes msgpack values into a growable buffer. */
export class MsgpackWriter {
  #buf: Uint8Array;
  #view: DataView;
  #pos = 0;

  /** Creates a writer with an initial capacity in bytes. */
  constructor(capacity = 64 * 1024) {
    this.#buf = new Uint8Array(capacity);
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Starts a new value, reusing the buffer. */
  reset(): void {
    this.#pos = 0;
  }

  /** A copy of what was written since `reset`. */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#pos);
  }

  /** Bytes the buffer holds before it grows. */
  get capacity(): number {
    return this.#buf.length;
  }

  /** Bytes written since `reset`. */
  get length(): number {
    return this.#pos;
  }

  /** The bytes written from `start` to `end` (a view, valid until the next write or `reset`). */
  view(start: number, end: number): Uint8Array {
    return this.#buf.subarray(start, end);
  }

  /**
   * Writes a bin header for `n` bytes and reserves them; returns their
   * offset in {@link data} (fill them before the next write).
   */
  binSlot(n: number): number {
    this.#room(5 + n);
    if (n < 0x100) (this.#buf[this.#pos++] = 0xc4), (this.#buf[this.#pos++] = n);
    else if (n < 0x10000) this.#head16(0xc5, n);
    else this.#head32(0xc6, n);
    const at = this.#pos;
    this.#pos += n;
    return at;
  }

  /**
   * Makes room for `n` more bytes and returns the buffer, for a caller that
   * writes them itself from {@link length} on and then calls
   * {@link advanceTo} (the buffer is replaced when it grows: take it again
   * after any other write).
   *
   * @example Write two fixints directly
   * ```ts
   * import assert from "node:assert/strict";
   * import { MsgpackWriter } from "./msgpack_writer.ts";
   * const w = new MsgpackWriter(1);
   * const b = w.reserve(2);
   * let at = w.length;
   * b[at++] = 1;
   * b[at++] = 2;
   * w.advanceTo(at);
   * assert.deepEqual([...w.finish()], [1, 2]);
   * ```
   */
  reserve(n: number): Uint8Array {
    this.#room(n);
    return this.#buf;
  }

  /** Sets {@link length} to `end`, after bytes written into the buffer {@link reserve} returned. */
  advanceTo(end: number): void {
    this.#pos = end;
  }

  /** The buffer as a DataView (replaced when the buffer grows; read it after reserving). */
  get data(): DataView {
    return this.#view;
  }

  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#pos + n));
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /** Array header for `n` items. */
  array(n: number): void {
    this.#room(5);
    if (n < 16) this.#buf[this.#pos++] = 0x90 | n;
    else if (n < 0x10000) this.#head16(0xdc, n);
    else this.#head32(0xdd, n);
  }

  /** Map header for `n` pairs. */
  map(n: number): void {
    this.#room(5);
    if (n < 16) this.#buf[this.#pos++] = 0x80 | n;
    else if (n < 0x10000) this.#head16(0xde, n);
    else this.#head32(0xdf, n);
  }

  /** An integer known not to be -0 (a count, a code, a difference of integers): fixint fast path. */
  int(x: number): void {
    if ((x & 127) === x && this.#pos < this.#buf.length) this.#buf[this.#pos++] = x;
    else this.number(x);
  }

  /** A number: integer families when it is a safe integer (not -0), else float 64. */
  number(x: number): void {
    // Fixint fast path: 0..127, but not -0 (`-0 & 127` is 0).
    if ((x & 127) === x && (x !== 0 || 1 / x > 0) && this.#pos < this.#buf.length) {
      this.#buf[this.#pos++] = x;
      return;
    }
    this.#room(9);
    if (Number.isSafeInteger(x) && !Object.is(x, -0)) this.#int(x);
    else {
      this.#buf[this.#pos] = 0xcb;
      this.#view.setFloat64(this.#pos + 1, x);
      this.#pos += 9;
    }
  }

  #int(x: number): void {
    const b = this.#buf;
    if (x >= 0) {
      if (x < 128) b[this.#pos++] = x;
      else if (x < 0x100) (b[this.#pos++] = 0xcc), (b[this.#pos++] = x);
      else if (x < 0x10000) this.#head16(0xcd, x);
      else if (x <= 0xffff_ffff) this.#head32(0xce, x);
      else this.#wide(0xcf, x);
    } else if (x >= -32) b[this.#pos++] = x & 0xff;
    else if (x >= -128) (b[this.#pos++] = 0xd0), (b[this.#pos++] = x & 0xff);
    else if (x >= -32768) this.#head16(0xd1, x & 0xffff);
    else if (x >= -0x8000_0000) this.#head32(0xd2, x >>> 0);
    else this.#wide(0xd3, x);
  }

  #wide(tag: number, x: number): void {
    this.#buf[this.#pos] = tag;
    this.#view.setBigInt64(this.#pos + 1, BigInt(x));
    this.#pos += 9;
  }

  #head16(tag: number, n: number): void {
    this.#buf[this.#pos] = tag;
    this.#view.setUint16(this.#pos + 1, n);
    this.#pos += 3;
  }

  #head32(tag: number, n: number): void {
    this.#buf[this.#pos] = tag;
    this.#view.setUint32(this.#pos + 1, n);
    this.#pos += 5;
  }

  /** A UTF-8 string (ASCII written directly, the rest through `TextEncoder`). */
  string(s: string): void {
    const len = s.length;
    this.#room(5 + 3 * len);
    const b = this.#buf;
    const start = this.#pos + (len < 32 ? 1 : len < 0x100 ? 2 : len < 0x5556 ? 3 : 5);
    let n = 0;
    for (; n < len; n++) {
      const c = s.charCodeAt(n);
      if (c >= 0x80) break;
      b[start + n] = c;
    }
    if (n < len) n += utf8.encodeInto(s.slice(n), b.subarray(start + n)).written;
    this.#strHead(start, n);
  }

  #strHead(start: number, n: number): void {
    const head = start - this.#pos;
    const need = n < 32 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
    if (need !== head) this.#buf.copyWithin(this.#pos + need, start, start + n);
    const b = this.#buf;
    if (need === 1) b[this.#pos] = 0xa0 | n;
    else if (need === 2) (b[this.#pos] = 0xd9), (b[this.#pos + 1] = n);
    else if (need === 3) (b[this.#pos] = 0xda), this.#view.setUint16(this.#pos + 1, n);
    else (b[this.#pos] = 0xdb), this.#view.setUint32(this.#pos + 1, n);
    this.#pos += need + n;
  }

  /** Binary bytes. */
  bin(bytes: Uint8Array): void {
    const n = bytes.length;
    this.#room(5 + n);
    if (n < 0x100) (this.#buf[this.#pos++] = 0xc4), (this.#buf[this.#pos++] = n);
    else if (n < 0x10000) this.#head16(0xc5, n);
    else this.#head32(0xc6, n);
    this.#buf.set(bytes, this.#pos);
    this.#pos += n;
  }
}
