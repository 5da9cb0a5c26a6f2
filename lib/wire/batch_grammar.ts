/**
 * The batch grammar of the fast wire decoder: reads the header map and the
 * event array of a batch in the writer's form into `WireColumns`
 * (`columns.ts`), declining whatever the reference decoder (`decode.ts`)
 * would not accept with identical values.
 *
 * @module
 */
import { MAX_DROP_RANGES, WIRE_VERSION, WIRE_VERSION_DEPS } from "./event.ts";
import { checkDropRanges, type SeqRange } from "./seq_ranges.ts";
import type { WireColumns } from "./columns.ts";
import { DECLINE, type Interner, Reader, utf8Strict } from "./msgpack_reader.ts";

/** Header keys in the writer's order; bit `i` of the seen mask is key `i`. */
const KEYS = ["v", "spec", "name", "node", "boot", "seq", "drop", "t0", "ev"] as const;
const ALL_KEYS = (1 << KEYS.length) - 1;
/** The map keys as bytes (matched without decoding a string per key). */
const KEY_BYTES = KEYS.map((k) => new TextEncoder().encode(k));

/**
 * The fewest bytes an event can take: a fixarray header, an empty fixstr
 * key, three positive fixints (dt, logical, action), an empty fixarray of
 * arguments, a bin 8 of no bytes (type and length: 2) and a fixint
 * verdict. A claimed event count is checked against the bytes left with
 * it before any room is reserved.
 *
 * @example The writer's smallest event
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeBatch } from "./encode.ts";
 * import { MIN_EVENT_BYTES } from "./batch_grammar.ts";
 * const header = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, dropped: [] };
 * const tiny = { key: "", wall: 0, logical: 0, action: 0, args: [], state: new Uint8Array(0), verdict: 0 };
 * assert.equal(encodeBatch(header, [tiny]).length - encodeBatch(header, []).length, MIN_EVENT_BYTES);
 * ```
 */
export const MIN_EVENT_BYTES = 9;
/**
 * The fewest bytes a dropped range can take: a fixarray header and two
 * positive fixints.
 *
 * @example A claimed range count the bytes cannot hold is declined
 * ```ts
 * import assert from "node:assert/strict";
 * import { MsgpackWriter } from "./msgpack_writer.ts";
 * import { writeHeader } from "./encode.ts";
 * import { WireColumns } from "./columns.ts";
 * import { decodeColumns } from "./batch_grammar.ts";
 * import { MIN_DROP_BYTES } from "./batch_grammar.ts";
 * const w = new MsgpackWriter();
 * writeHeader(w, { spec: "ab", specName: "L", node: "n", boot: "b", firstSeq: 9, dropped: [[1, 2]] }, 0, 0);
 * const bytes = w.finish();
 * const at = bytes.indexOf(0x91); // the drop array: one range
 * const left = bytes.length - at - 1;
 * bytes[at] = 0x90 + Math.floor(left / MIN_DROP_BYTES) + 1; // claims one range more than fits
 * assert.equal(decodeColumns(bytes, new WireColumns()), false);
 * ```
 */
export const MIN_DROP_BYTES = 3;

const reader = new Reader();

/**
 * Decodes `bytes` into `out` when the batch is in the writer's form;
 * returns false (with `out` in an unspecified state) when it declines.
 * Callers use `decodeToColumns` (`decode.ts`), which falls back to the
 * reference decoder then.
 *
 * @example Decode a batch into columns
 * ```ts
 * import assert from "node:assert/strict";
 * import { WireColumns } from "./columns.ts";
 * import { decodeColumns } from "./batch_grammar.ts";
 * import { encodeBatch } from "./encode.ts";
 * const bytes = encodeBatch(
 *   { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 7, dropped: [] },
 *   [{ key: "k", wall: 10, logical: 0, action: 0, args: [2], state: new Uint8Array(4), verdict: 0 }],
 * );
 * const cols = new WireColumns();
 * assert.equal(decodeColumns(bytes, cols), true);
 * assert.equal(cols.wall[0], 10);
 * assert.equal(decodeColumns(new Uint8Array([0xc1]), cols), false); // not a batch
 * ```
 */
export function decodeColumns(input: Uint8Array, out: WireColumns): boolean {
  const bytes = plainBytes(input);
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
    r.clear();
  }
  out.bytes = bytes;
  out.view = view;
  return true;
}

/**
 * `bytes` as a plain `Uint8Array` (the same memory): a carrier may hand over
 * a subclass (the NATS client gives a Node `Buffer` for a message read whole
 * from one socket chunk and a `Uint8Array` for one it joined from several),
 * and code that sees both kinds of array at one site runs polymorphic and is
 * compiled again ("wrong map") in the decoder and in every engine routine
 * reading `WireColumns.bytes`.
 */
function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readBatch(r: Reader, out: WireColumns): void {
  if (r.map() !== KEYS.length) throw DECLINE;
  out.depCount = 0;
  let seen = 0;
  let t0 = 0;
  let evAt = -1;
  const strings = out.strings;
  for (let k = 0; k < KEYS.length; k++) {
    // The writer's order is tried first.
    const i = r.nameIndex(KEY_BYTES, k);
    if (i < 0 || (seen & (1 << i)) !== 0) throw DECLINE;
    seen |= 1 << i;
    switch (i) {
      case 0: {
        const v = r.number();
        if (v !== WIRE_VERSION && v !== WIRE_VERSION_DEPS) throw DECLINE;
        out.version = v;
        break;
      }
      case 1:
        out.spec = r.strIn(strings);
        break;
      case 2:
        out.specName = r.strIn(strings);
        break;
      case 3:
        out.node = r.strIn(strings);
        break;
      case 4:
        out.boot = r.strIn(strings);
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

  // The reference decoder refuses what this rule refuses (with its own message).
  if (checkDropRanges(out.dropped, out.firstSeq) !== null) throw DECLINE;
  if (evAt >= 0) {
    const end = r.pos;
    r.pos = evAt;
    readEvents(r, out, t0);
    r.pos = end;
  }
  // Dependencies (an eighth event item) only in a version-2 batch.
  if (out.depCount > 0 && out.version !== WIRE_VERSION_DEPS) throw DECLINE;
  // The last event's number must be a safe integer (the reference decoder's rule).
  if (out.count > Number.MAX_SAFE_INTEGER - out.firstSeq + 1) throw DECLINE;
}

function readDrops(r: Reader): SeqRange[] {
  const n = r.arrayOf(MIN_DROP_BYTES);
  if (n > MAX_DROP_RANGES) throw DECLINE;
  const out: SeqRange[] = [];
  for (let i = 0; i < n; i++) {
    if (r.array() !== 2) throw DECLINE;
    const first = r.uint();
    out.push([first, r.uint()]);
  }
  return out;
}

/** Skips the event array (read once `t0` is known, wherever `t0` is in the map). */
function skipEvents(r: Reader): void {
  const n = r.arrayOf(MIN_EVENT_BYTES);
  for (let i = 0; i < n; i++) {
    const items = r.array();
    if (items !== 7 && items !== 8) throw DECLINE;
    r.need(r.strLen());
    r.int();
    r.uint();
    r.uint();
    const a = r.array();
    for (let j = 0; j < a; j++) r.number();
    r.need(r.binLen());
    r.uint();
    if (items === 8) skipDeps(r);
  }
}

/** Skips an event's dependencies (node, wall delta, logical; at least one). */
function skipDeps(r: Reader): void {
  const d = r.arrayOf(1);
  if (d === 0 || d % 3 !== 0) throw DECLINE;
  for (let k = 0; k < d; k += 3) {
    r.str();
    r.int();
    r.uint();
  }
}

/**
 * The node id a batch's last dependency named, by its bytes: consecutive
 * dependencies mostly name one sender (the previous holder of a lease), so
 * comparing a few bytes finds the same string without hashing them.
 */
class LastName {
  /** Offset of the name's bytes in this batch; -1 before the batch's first dependency. */
  off = -1;
  len = 0;
  name = "";
}

/**
 * Reads event `i`'s dependencies into `out`'s dependency columns. A
 * dependency's node is a node id seen batch after batch: the one named
 * last ({@link LastName}), else through the header strings' table
 * (`WireColumns.strings`), so a known id costs no new string (a fresh one
 * cost ~140 bytes per dependency).
 */
function readDeps(r: Reader, out: WireColumns, t0: number, i: number, last: LastName): void {
  // The writer's common case in one go: one dependency naming the node named last (a fixstr),
  // its wall delta and logical small integers (`smallInt`, `smallUint`). Anything else is read
  // by the general path below, from the array's first byte.
  const b = r.b;
  const p = r.pos;
  const len = b[p + 1]! & 0x1f;
  if (
    b[p] === 0x93 && (b[p + 1]! & 0xe0) === 0xa0 && len === last.len && last.off >= 0 &&
    p + 2 + len + 6 <= r.end
  ) {
    let same = true;
    for (let j = 0; j < len && same; j++) same = b[p + 2 + j] === b[last.off + j];
    const dtAt = same ? smallInt(b, p + 2 + len) : -1;
    const logicalAt = dtAt < 0 ? -1 : smallUint(b, p + 2 + len + (dtAt & 3));
    if (logicalAt >= 0) {
      const at = out.depCount;
      out.reserveDeps(at + 1);
      out.depEvent[at] = i;
      out.depNode[at] = last.name;
      out.depWall[at] = t0 + ((dtAt >>> 2) - SMALL_INT_BIAS);
      out.depLogical[at] = logicalAt >>> 2;
      out.depCount = at + 1;
      r.pos = p + 2 + len + (dtAt & 3) + (logicalAt & 3);
      return;
    }
  }
  const d = r.arrayOf(1);
  if (d === 0 || d % 3 !== 0) throw DECLINE;
  let at = out.depCount;
  out.reserveDeps(at + d / 3);
  for (let k = 0; k < d; k += 3) {
    const len = r.strLen();
    const p = r.need(len);
    let same = len === last.len && last.off >= 0;
    for (let j = 0; j < len && same; j++) same = b[p + j] === b[last.off + j];
    if (!same) {
      if (len > out.longestDepNode) out.longestDepNode = len;
      last.name = nodeName(b, p, len, out.strings);
      last.off = p;
      last.len = len;
    }
    out.depEvent[at] = i;
    out.depNode[at] = last.name;
    out.depWall[at] = t0 + r.int();
    out.depLogical[at] = r.uint();
    out.depCount = ++at;
  }
}

/** The string of `b[p .. p + n)`: ASCII through `strings`, else strict UTF-8 (declines when invalid). */
function nodeName(b: Uint8Array, p: number, n: number, strings: Interner): string {
  for (let i = p; i < p + n; i++) if (b[i]! >= 0x80) return utf8Strict(b, p, n);
  return strings.ascii(b, p, n);
}

function readEvents(r: Reader, out: WireColumns, t0: number): void {
  const n = r.arrayOf(MIN_EVENT_BYTES);
  out.reserve(n, 0);
  out.count = n;
  out.keyStr.length = 0;
  let argc = 0;
  let longest = 0;
  out.depCount = 0;
  out.longestDepNode = 0;
  // One per batch (offsets are this batch's), not per module: decoders may interleave.
  const lastDep = new LastName();
  const b = r.b;
  const end = r.end;
  for (let i = 0; i < n; i++) {
    // The writer's common event in one go: 7 items (8 with dependencies,
    // read after the verdict as the general path reads them), a short ASCII key,
    // small unsigned integers (delta, logical, action: fixint, uint 8 or
    // uint 16; a busy node stamps more than 127 events in one ms, so its
    // logical counters pass 127), positive fixint arguments and verdict, a
    // bin 8 state. Anything else is read by the general path below, from
    // the event's first byte.
    const p = r.pos;
    const head0 = b[p]!;
    if ((head0 === 0x97 || head0 === 0x98) && p + 2 < end && (b[p + 1]! & 0xe0) === 0xa0) {
      const len = b[p + 1]! & 0x1f;
      let q = p + 2;
      const keyEnd = q + len;
      while (q < keyEnd && q < end && b[q]! < 0x80) q++;
      const dtAt = q === keyEnd && q + 10 <= end ? smallUint(b, q) : -1;
      const logicalAt = dtAt < 0 ? -1 : smallUint(b, q += dtAt & 3);
      const actionAt = logicalAt < 0 ? -1 : smallUint(b, q += logicalAt & 3);
      if (actionAt >= 0) {
        q += actionAt & 3;
        const dt = dtAt >>> 2, logical = logicalAt >>> 2, action = actionAt >>> 2;
        const head = b[q]!;
        const a = head & 0x0f;
        q += 1;
        if ((head & 0xf0) === 0x90 && q + a + 2 <= end) {
          let small = 0;
          for (let j = 0; j < a; j++) small |= b[q + j]!;
          const sl = b[q + a + 1]!;
          const verdictAt = q + a + 2 + sl;
          if (small < 0x80 && b[q + a] === 0xc4 && verdictAt < end && b[verdictAt]! < 0x80) {
            out.keyOff[i] = p + 2;
            out.keyLen[i] = len;
            out.wall[i] = t0 + dt;
            out.logical[i] = logical;
            out.action[i] = action;
            out.argOff[i] = argc;
            if (argc + a > out.args.length) out.reserve(n, argc + a);
            for (let j = 0; j < a; j++) out.args[argc++] = b[q + j]!;
            out.stateOff[i] = q + a + 2;
            out.stateLen[i] = sl;
            out.verdict[i] = b[verdictAt]!;
            r.pos = verdictAt + 1;
            if (head0 === 0x98) readDeps(r, out, t0, i, lastDep);
            continue;
          }
        }
      }
    }
    const items = r.array();
    if (items !== 7 && items !== 8) throw DECLINE;
    const len = r.strLen();
    out.keyOff[i] = r.pos;
    out.keyLen[i] = len;
    // Measured here only: the fast path's keys are fixstr, `SHORT_KEY_BYTES` at most (nothing per event there).
    if (len > longest) longest = len;
    const s = keyString(r, len);
    if (s !== undefined) out.keyStr[i] = s;
    out.wall[i] = t0 + r.int();
    out.logical[i] = r.uint();
    out.action[i] = r.uint();
    const a = r.array();
    out.argOff[i] = argc;
    if (argc + a > out.args.length) out.reserve(n, argc + a);
    for (let j = 0; j < a; j++) out.args[argc++] = r.number();
    const sl = r.binLen();
    out.stateOff[i] = r.need(sl);
    out.stateLen[i] = sl;
    out.verdict[i] = r.uint();
    if (items === 8) readDeps(r, out, t0, i, lastDep);
  }
  out.argOff[n] = argc;
  out.longestKey = longest;
}

/**
 * The fixint, uint 8 or uint 16 at `q` as `value * 4 + its bytes`; -1 for
 * any other type. The caller makes sure three bytes are there.
 */
function smallUint(b: Uint8Array, q: number): number {
  const t = b[q]!;
  if (t < 0x80) return t * 4 + 1;
  if (t === 0xcc) return b[q + 1]! * 4 + 2;
  if (t === 0xcd) return ((b[q + 1]! << 8) | b[q + 2]!) * 4 + 3;
  return -1;
}

/** What {@link smallInt} adds to a value so that it packs as a non-negative number. */
const SMALL_INT_BIAS = 0x8000;

/**
 * The fixint (positive or negative), int 8, int 16, uint 8 or uint 16 at
 * `q` as `(value + SMALL_INT_BIAS) * 4 + its bytes`; -1 for any other
 * type. The caller makes sure three bytes are there.
 */
function smallInt(b: Uint8Array, q: number): number {
  const t = b[q]!;
  let v: number;
  let n: number;
  if (t < 0x80) v = t, n = 1;
  else if (t >= 0xe0) v = t - 0x100, n = 1;
  else if (t === 0xcc) v = b[q + 1]!, n = 2;
  else if (t === 0xcd) v = (b[q + 1]! << 8) | b[q + 2]!, n = 3;
  else if (t === 0xd0) v = (b[q + 1]! << 24) >> 24, n = 2;
  else if (t === 0xd1) v = (((b[q + 1]! << 8) | b[q + 2]!) << 16) >> 16, n = 3;
  else return -1;
  return (v + SMALL_INT_BIAS) * 4 + n;
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
