/**
 * The msgpack primitives of the fast wire decoder (`batch_grammar.ts`): a
 * bounds-checked reader over a batch's bytes that declines (throws the
 * shared `DECLINE`) whatever the fast path does not handle, and the string
 * helpers it and the columns share.
 *
 * @module
 */

/** Thrown (one shared instance) when the fast path declines a batch. */
export const DECLINE: Error = new Error("declined");
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Bytes {@link ascii} decodes in one call of `String.fromCharCode`. */
const ASCII_CHUNK = 16_384;

/**
 * An ASCII string from bytes (the caller checked every byte is below 0x80).
 *
 * @example Decode ASCII bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { ascii } from "./msgpack_reader.ts";
 * assert.equal(ascii(new Uint8Array([0x68, 0x69]), 0, 2), "hi");
 * ```
 */
export function ascii(b: Uint8Array, off: number, len: number): string {
  if (len <= 16) {
    let s = "";
    for (let i = 0; i < len; i++) s += String.fromCharCode(b[off + i]!);
    return s;
  }
  if (len <= ASCII_CHUNK) {
    return String.fromCharCode.apply(null, b.subarray(off, off + len) as unknown as number[]);
  }
  // A call takes so many arguments at most (about 125,000 here: past it, a RangeError): a causal
  // part of a partition record can be longer.
  let s = "";
  for (let i = 0; i < len; i += ASCII_CHUNK) s += ascii(b, off + i, Math.min(ASCII_CHUNK, len - i));
  return s;
}

/**
 * The longest string an {@link Interner} keeps, in bytes: far above the ids
 * it is for (a spec hash of 64, node and boot ids of at most 256 by the
 * collector's default `maxIdBytes`), so 1,024 kept strings hold at most
 * 1 MiB whatever a sender puts in a header.
 *
 * @example A long string is not kept
 * ```ts
 * import assert from "node:assert/strict";
 * import { INTERN_MAX_BYTES, Interner } from "./msgpack_reader.ts";
 * const t = new Interner();
 * const b = new TextEncoder().encode("x".repeat(INTERN_MAX_BYTES + 1));
 * assert.equal(t.ascii(b, 0, b.length).length, b.length);
 * assert.equal(t.size, 0);
 * ```
 */
export const INTERN_MAX_BYTES = 1024;

/**
 * Short strings decoded again and again (a batch header's spec hash, spec
 * name, node and boot ids), kept by a hash of their bytes: a string seen
 * before is returned as the same string object (no new string, and maps
 * keyed by it find its hash already computed). At most `limit` strings are
 * kept (all are dropped when it is reached); every hit is checked byte for
 * byte, so a hash collision costs a decode, never a wrong string.
 *
 * @example The same bytes give the same string
 * ```ts
 * import assert from "node:assert/strict";
 * import { Interner } from "./msgpack_reader.ts";
 * const t = new Interner();
 * const b = new TextEncoder().encode("node-1 node-1");
 * assert.equal(t.ascii(b, 0, 6), "node-1");
 * assert.equal(t.ascii(b, 7, 6), "node-1");
 * assert.equal(t.size, 1);
 * ```
 */
export class Interner {
  readonly #strings = new Map<number, string>();
  readonly #limit: number;

  /** Creates an empty table keeping at most `limit` strings (default 1024). */
  constructor(limit = 1024) {
    this.#limit = limit;
  }

  /** Strings kept. */
  get size(): number {
    return this.#strings.size;
  }

  /**
   * The ASCII string of `b[p .. p + n)` (the caller checked every byte is
   * below 0x80). One longer than {@link INTERN_MAX_BYTES} is decoded and not
   * kept: header strings are read before the collector's limits refuse an
   * overlong id, so the table holds at most `limit` times that many bytes.
   */
  ascii(b: Uint8Array, p: number, n: number): string {
    if (n > INTERN_MAX_BYTES) return ascii(b, p, n);
    let h = n;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ b[p + i]!, 16777619);
    const known = this.#strings.get(h);
    if (known !== undefined && known.length === n) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = known.charCodeAt(i) === b[p + i];
      if (same) return known;
    }
    const s = ascii(b, p, n);
    if (this.#strings.size >= this.#limit) this.#strings.clear();
    this.#strings.set(h, s);
    return s;
  }
}

/** True when `b[p .. p + n)` holds exactly the bytes of `name`. */
function sameBytes(b: Uint8Array, p: number, n: number, name: Uint8Array): boolean {
  if (name.length !== n) return false;
  for (let i = 0; i < n; i++) if (b[p + i] !== name[i]) return false;
  return true;
}

/** An empty reader's bytes and view (shared: resetting to empty allocates nothing). */
const NO_BYTES = new Uint8Array(0);
const NO_VIEW = new DataView(NO_BYTES.buffer);

/**
 * A bounds-checked msgpack reader that declines whatever the fast path does not handle.
 *
 * @example Read a fixint
 * ```ts
 * import assert from "node:assert/strict";
 * import { Reader } from "./msgpack_reader.ts";
 * const r = new Reader();
 * r.reset(new Uint8Array([0x07, 0xcd, 0x01, 0x00]));
 * assert.equal(r.number(), 7); // positive fixint
 * assert.equal(r.number(), 256); // uint 16
 * ```
 */
export class Reader {
  b: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  pos = 0;
  end = 0;

  reset(b: Uint8Array): void {
    this.b = b;
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.pos = 0;
    this.end = b.length;
  }

  /** Lets go of the bytes read (nothing allocated). */
  clear(): void {
    this.b = NO_BYTES;
    this.view = NO_VIEW;
    this.pos = 0;
    this.end = 0;
  }

  byte(): number {
    if (this.pos >= this.end) throw DECLINE;
    return this.b[this.pos++]!;
  }

  need(n: number): number {
    const p = this.pos;
    if (p + n > this.end) throw DECLINE;
    this.pos = p + n;
    return p;
  }

  /** Any number: integers (64-bit ones below 2^53 in magnitude), float 64. */
  number(): number {
    const t = this.byte();
    if (t < 0x80) return t;
    if (t >= 0xe0) return t - 0x100;
    switch (t) {
      case 0xcc:
        return this.b[this.need(1)]!;
      case 0xcd:
        return this.view.getUint16(this.need(2));
      case 0xce:
        return this.view.getUint32(this.need(4));
      case 0xd0:
        return this.view.getInt8(this.need(1));
      case 0xd1:
        return this.view.getInt16(this.need(2));
      case 0xd2:
        return this.view.getInt32(this.need(4));
      case 0xcb:
        return this.view.getFloat64(this.need(8));
      case 0xcf:
      case 0xd3: {
        // 64-bit: only when exact (|x| < 2^53), so no rounding question arises.
        const p = this.need(8);
        const hi = t === 0xcf ? this.view.getUint32(p) : this.view.getInt32(p);
        if (hi >= 0x200000 || hi < -0x200000) throw DECLINE;
        return hi * 0x100000000 + this.view.getUint32(p + 4);
      }
    }
    throw DECLINE;
  }

  /** A safe integer (what `int()` of the reference decoder accepts). */
  int(): number {
    const v = this.number();
    if (!Number.isSafeInteger(v)) throw DECLINE;
    return v;
  }

  uint(): number {
    const v = this.int();
    if (v < 0) throw DECLINE;
    return v;
  }

  /**
   * An array header's item count. Every item takes at least one byte, so
   * a count larger than the bytes left declines before anyone reserves
   * room for it.
   */
  array(): number {
    return this.arrayOf(1);
  }

  /**
   * An array header whose items each take at least `minBytes` bytes:
   * declines when the claimed count cannot fit in the bytes left.
   */
  arrayOf(minBytes: number): number {
    const t = this.byte();
    let n: number;
    if (t >= 0x90 && t <= 0x9f) n = t & 0x0f;
    else if (t === 0xdc) n = this.view.getUint16(this.need(2));
    else if (t === 0xdd) n = this.view.getUint32(this.need(4));
    else throw DECLINE;
    if (n * minBytes > this.end - this.pos) throw DECLINE;
    return n;
  }

  /** A map header's entry count (an entry takes at least two bytes: checked against the bytes left). */
  map(): number {
    const t = this.byte();
    let n: number;
    if (t >= 0x80 && t <= 0x8f) n = t & 0x0f;
    else if (t === 0xde) n = this.view.getUint16(this.need(2));
    else if (t === 0xdf) n = this.view.getUint32(this.need(4));
    else throw DECLINE;
    if (n * 2 > this.end - this.pos) throw DECLINE;
    return n;
  }

  /** A string's byte length (its bytes follow at `pos`; `need` checks them against the bytes left). */
  strLen(): number {
    const t = this.byte();
    if (t >= 0xa0 && t <= 0xbf) return t & 0x1f;
    if (t === 0xd9) return this.b[this.need(1)]!;
    if (t === 0xda) return this.view.getUint16(this.need(2));
    if (t === 0xdb) return this.view.getUint32(this.need(4));
    throw DECLINE;
  }

  /** A string (valid UTF-8). */
  str(): string {
    const n = this.strLen();
    const p = this.need(n);
    const b = this.b;
    for (let i = p; i < p + n; i++) if (b[i]! >= 0x80) return utf8Strict(b, p, n);
    return ascii(b, p, n);
  }

  /** {@link Reader.str}, an ASCII string through `table` (the same string object for the same bytes). */
  strIn(table: Interner): string {
    const n = this.strLen();
    const p = this.need(n);
    const b = this.b;
    for (let i = p; i < p + n; i++) if (b[i]! >= 0x80) return utf8Strict(b, p, n);
    return table.ascii(b, p, n);
  }

  /**
   * Reads a string and returns its index in `names` (ASCII names, given as
   * their bytes), -1 when it is none of them; `expected` is tried first.
   * Allocates nothing.
   */
  nameIndex(names: readonly Uint8Array[], expected: number): number {
    const n = this.strLen();
    const p = this.need(n);
    if (expected >= 0 && expected < names.length && sameBytes(this.b, p, n, names[expected]!)) {
      return expected;
    }
    for (let k = 0; k < names.length; k++) if (sameBytes(this.b, p, n, names[k]!)) return k;
    return -1;
  }

  /** A bin's byte length (its bytes follow at `pos`; `need` checks them against the bytes left). */
  binLen(): number {
    const t = this.byte();
    if (t === 0xc4) return this.b[this.need(1)]!;
    if (t === 0xc5) return this.view.getUint16(this.need(2));
    if (t === 0xc6) return this.view.getUint32(this.need(4));
    throw DECLINE;
  }
}

/**
 * The `n` bytes at `p` as a string; declines when they are not valid UTF-8.
 *
 * @example Decode UTF-8 bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { utf8Strict } from "./msgpack_reader.ts";
 * assert.equal(utf8Strict(new Uint8Array([0xc3, 0xa9]), 0, 2), "é");
 * ```
 */
export function utf8Strict(b: Uint8Array, p: number, n: number): string {
  try {
    return utf8.decode(b.subarray(p, p + n));
  } catch {
    throw DECLINE;
  }
}
