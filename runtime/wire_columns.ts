/**
 * The fast half of the wire decoder: reads a batch in the form the SDK's
 * writer produces straight from the bytes into reusable columns (typed
 * arrays of offsets and numbers, no object per event), for the collector's
 * hot path.
 *
 * It accepts only what `decodeBatch`'s reference decoder (msgpackr plus
 * validation, `codec.ts`) accepts, with identical values, and declines
 * everything else: any msgpack type the writer does not use where it does
 * not use it (64-bit integers of 2^53 or more, float 32, nil, booleans, extensions), a map
 * key missing, repeated or unknown, a string that is not valid UTF-8, a
 * value the reference decoder would refuse, truncated input or trailing
 * bytes. A declined batch goes to the reference decoder, which decodes it
 * or throws the exact `WireFormatError`.
 *
 * @module
 */
import { type SeqRange, WIRE_VERSION } from "./event.ts";

/** Thrown (one shared instance) when the fast path declines a batch. */
const DECLINE = new Error("declined");
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Header keys in the writer's order; bit `i` of the seen mask is key `i`. */
const KEYS = ["v", "spec", "name", "node", "boot", "seq", "drop", "t0", "ev"] as const;
const ALL_KEYS = (1 << KEYS.length) - 1;

function grow<T extends Float64Array | Int32Array>(a: T, n: number, make: (n: number) => T): T {
  if (a.length >= n) return a;
  const b = make(Math.max(n, 2 * a.length));
  b.set(a);
  return b;
}

/**
 * One decoded batch as columns, reused from batch to batch. Event `i` has
 * sequence number `firstSeq + i`; its key, arguments and state are ranges
 * of `bytes` (state and key as byte offsets, arguments in `args`).
 */
export class WireColumns {
  version = WIRE_VERSION;
  spec = "";
  specName = "";
  node = "";
  boot = "";
  firstSeq = 0;
  dropped: SeqRange[] = [];
  /** Number of events. */
  count = 0;
  /** The batch's bytes (state and key offsets point into them). */
  bytes: Uint8Array = new Uint8Array(0);
  /** A `DataView` of `bytes`. */
  view: DataView = new DataView(new ArrayBuffer(0));
  keyOff: Int32Array = new Int32Array(64);
  keyLen: Int32Array = new Int32Array(64);
  /** Key strings decoded so far (non-ASCII keys are decoded while reading). */
  keyStr: (string | undefined)[] = [];
  wall: Float64Array = new Float64Array(64);
  logical: Float64Array = new Float64Array(64);
  action: Float64Array = new Float64Array(64);
  verdict: Float64Array = new Float64Array(64);
  stateOff: Int32Array = new Int32Array(64);
  stateLen: Int32Array = new Int32Array(64);
  /** First argument of event `i` in `args`; event `i`'s arguments end at `argOff[i + 1]`. */
  argOff: Int32Array = new Int32Array(65);
  args: Float64Array = new Float64Array(64);

  /**
   * The key of event `i` as a string.
   *
   * @example Read the keys of a batch
   * ```ts
   * import { decodeColumns, WireColumns } from "./wire_columns.ts";
   * import { encodeBatch } from "./codec.ts";
   * const bytes = encodeBatch(
   *   { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, dropped: [] },
   *   [{ key: "k", wall: 1, logical: 0, action: 0, args: [], state: new Uint8Array(4), verdict: 0 }],
   * );
   * const cols = new WireColumns();
   * if (decodeColumns(bytes, cols)) cols.key(0); // "k"
   * ```
   */
  key(i: number): string {
    let s = this.keyStr[i];
    if (s === undefined) this.keyStr[i] = s = ascii(this.bytes, this.keyOff[i]!, this.keyLen[i]!);
    return s;
  }

  /** The arguments of event `i` as a fresh array. */
  argsOf(i: number): number[] {
    const a = this.argOff[i]!;
    const n = this.argOff[i + 1]! - a;
    const out = new Array<number>(n);
    for (let j = 0; j < n; j++) out[j] = this.args[a + j]!;
    return out;
  }

  /** The state block of event `i` as a view of `bytes`. */
  stateOf(i: number): Uint8Array {
    const b = this.bytes;
    return new Uint8Array(b.buffer, b.byteOffset + this.stateOff[i]!, this.stateLen[i]!);
  }

  /** Room for `n` events and `a` arguments. */
  reserve(n: number, a: number): void {
    if (this.keyOff.length < n) {
      const i32 = (k: number) => new Int32Array(k);
      const f64 = (k: number) => new Float64Array(k);
      this.keyOff = grow(this.keyOff, n, i32);
      this.keyLen = grow(this.keyLen, n, i32);
      this.wall = grow(this.wall, n, f64);
      this.logical = grow(this.logical, n, f64);
      this.action = grow(this.action, n, f64);
      this.verdict = grow(this.verdict, n, f64);
      this.stateOff = grow(this.stateOff, n, i32);
      this.stateLen = grow(this.stateLen, n, i32);
      this.argOff = grow(this.argOff, n + 1, i32);
    }
    if (this.args.length < a) this.args = grow(this.args, a, (k) => new Float64Array(k));
  }
}

/** An ASCII string from bytes (the caller checked every byte is below 0x80). */
function ascii(b: Uint8Array, off: number, len: number): string {
  if (len <= 16) {
    let s = "";
    for (let i = 0; i < len; i++) s += String.fromCharCode(b[off + i]!);
    return s;
  }
  return String.fromCharCode.apply(null, b.subarray(off, off + len) as unknown as number[]);
}

/** A bounds-checked msgpack reader that declines whatever the fast path does not handle. */
class Reader {
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

  array(): number {
    const t = this.byte();
    if (t >= 0x90 && t <= 0x9f) return t & 0x0f;
    if (t === 0xdc) return this.view.getUint16(this.need(2));
    if (t === 0xdd) return this.view.getUint32(this.need(4));
    throw DECLINE;
  }

  map(): number {
    const t = this.byte();
    if (t >= 0x80 && t <= 0x8f) return t & 0x0f;
    if (t === 0xde) return this.view.getUint16(this.need(2));
    if (t === 0xdf) return this.view.getUint32(this.need(4));
    throw DECLINE;
  }

  /** A string's byte length (its bytes follow at `pos`). */
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

  binLen(): number {
    const t = this.byte();
    if (t === 0xc4) return this.b[this.need(1)]!;
    if (t === 0xc5) return this.view.getUint16(this.need(2));
    if (t === 0xc6) return this.view.getUint32(this.need(4));
    throw DECLINE;
  }
}

const reader = new Reader();

/**
 * Decodes `bytes` into `out` when the batch is in the writer's form;
 * returns false (with `out` in an unspecified state) when it declines, and
 * the caller must use the reference decoder (`decodeBatch`).
 *
 * @example Decode a batch into columns
 * ```ts
 * import { decodeColumns, WireColumns } from "./wire_columns.ts";
 * import { encodeBatch } from "./codec.ts";
 * const bytes = encodeBatch(
 *   { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 7, dropped: [] },
 *   [{ key: "k", wall: 10, logical: 0, action: 0, args: [2], state: new Uint8Array(4), verdict: 0 }],
 * );
 * const cols = new WireColumns();
 * decodeColumns(bytes, cols) && cols.wall[0]; // 10
 * ```
 */
export function decodeColumns(bytes: Uint8Array, out: WireColumns): boolean {
  const r = reader;
  r.reset(bytes);
  const view = r.view;
  try {
    readBatch(r, out);
    if (r.pos !== r.end) return false;
  } catch (e) {
    if (e === DECLINE) return false;
    throw e;
  } finally {
    r.reset(EMPTY);
  }
  out.bytes = bytes;
  out.view = view;
  return true;
}

const EMPTY = new Uint8Array(0);

function readBatch(r: Reader, out: WireColumns): void {
  if (r.map() !== KEYS.length) throw DECLINE;
  let seen = 0;
  let t0 = 0;
  let evAt = -1;
  for (let k = 0; k < KEYS.length; k++) {
    const name = r.str();
    const i = KEYS.indexOf(name as typeof KEYS[number]);
    if (i < 0 || (seen & (1 << i)) !== 0) throw DECLINE;
    seen |= 1 << i;
    switch (i) {
      case 0:
        if (r.number() !== WIRE_VERSION) throw DECLINE;
        break;
      case 1:
        out.spec = r.str();
        break;
      case 2:
        out.specName = r.str();
        break;
      case 3:
        out.node = r.str();
        break;
      case 4:
        out.boot = r.str();
        break;
      case 5:
        out.firstSeq = r.uint();
        break;
      case 6:
        out.dropped = readDrops(r);
        break;
      case 7:
        t0 = r.int();
        break;
      case 8:
        if ((seen & (1 << 7)) !== 0) readEvents(r, out, t0);
        else evAt = r.pos, skipEvents(r);
    }
  }
  if (seen !== ALL_KEYS) throw DECLINE;
  checkDrops(out.dropped, out.firstSeq);
  if (evAt >= 0) {
    const end = r.pos;
    r.pos = evAt;
    readEvents(r, out, t0);
    r.pos = end;
  }
}

function readDrops(r: Reader): SeqRange[] {
  const n = r.array();
  const out: SeqRange[] = [];
  for (let i = 0; i < n; i++) {
    if (r.array() !== 2) throw DECLINE;
    const first = r.uint();
    out.push([first, r.uint()]);
  }
  return out;
}

/** The reference decoder's rule for dropped ranges (it throws where this declines). */
function checkDrops(dropped: readonly SeqRange[], firstSeq: number): void {
  let floor = 0;
  for (const [first, last] of dropped) {
    if (first < floor || last < first || last >= firstSeq) throw DECLINE;
    floor = last + 1;
  }
}

/** Skips the event array (read once `t0` is known, wherever `t0` is in the map). */
function skipEvents(r: Reader): void {
  const n = r.array();
  for (let i = 0; i < n; i++) {
    if (r.array() !== 7) throw DECLINE;
    r.need(r.strLen());
    r.int();
    r.uint();
    r.uint();
    const a = r.array();
    for (let j = 0; j < a; j++) r.number();
    r.need(r.binLen());
    r.uint();
  }
}

function readEvents(r: Reader, out: WireColumns, t0: number): void {
  const n = r.array();
  out.reserve(n, 0);
  out.count = n;
  out.keyStr.length = 0;
  let argc = 0;
  for (let i = 0; i < n; i++) {
    if (r.array() !== 7) throw DECLINE;
    const len = r.strLen();
    out.keyOff[i] = r.pos;
    out.keyLen[i] = len;
    const s = keyString(r, len);
    if (s !== undefined) out.keyStr[i] = s;
    out.wall[i] = t0 + r.int();
    out.logical[i] = r.uint();
    out.action[i] = r.uint();
    const a = r.array();
    out.argOff[i] = argc;
    out.reserve(n, argc + a);
    for (let j = 0; j < a; j++) out.args[argc++] = r.number();
    const sl = r.binLen();
    out.stateOff[i] = r.need(sl);
    out.stateLen[i] = sl;
    out.verdict[i] = r.uint();
  }
  out.argOff[n] = argc;
}

/** Reads the `len` key bytes at `pos`; a string only when not ASCII (ASCII is read lazily). */
function keyString(r: Reader, len: number): string | undefined {
  const p = r.need(len);
  const b = r.b;
  for (let i = p; i < p + len; i++) {
    if (b[i]! >= 0x80) return utf8Strict(b, p, len);
  }
  return undefined;
}

function utf8Strict(b: Uint8Array, p: number, n: number): string {
  try {
    return utf8.decode(b.subarray(p, p + n));
  } catch {
    throw DECLINE;
  }
}
