/**
 * The wire decoders, and the one fallback between them.
 *
 * - {@link decodeToColumns} is what a collector calls: bytes in, columns out
 *   (`WireColumns`, no object per event), or a {@link WireFormatError}
 *   saying what is wrong and where.
 * - {@link decodeBatch} gives the same batch as objects, for tests, tools
 *   and users who want to look at a batch.
 * - {@link decodeReference} is the reference decoder: msgpackr, then every
 *   field validated in order. Its answer defines what a valid batch is.
 *
 * **The fallback.** The fast path (`decodeColumns`, `batch_grammar.ts`)
 * reads a batch in the form the writer (`encode.ts`) produces straight into
 * columns, and declines anything else: another msgpack type for a field, the
 * keys in another order, an unknown key, a string that is not valid UTF-8,
 * anything the reference decoder would refuse, truncated input. A declined
 * batch goes to the reference decoder, which either throws the exact
 * `WireFormatError` or accepts it; an accepted batch is then written again
 * in the writer's canonical form and read by the fast path, so every caller
 * gets columns whichever way the batch was encoded. A batch from the SDK
 * takes the fast path only; a batch from another msgpack library (other
 * integer families, a float 32, keys in another order) costs one reference
 * decode and one re-encode.
 *
 * This is the only module of the project that imports msgpackr, and the SDK
 * never loads it (it only encodes). It imports msgpackr's plain JavaScript
 * build (`msgpackr/unpack`), never the entry that loads the native string
 * extractor (msgpackr-extract): under `deno test --parallel` that extractor
 * once gave a garbled key for a valid batch (CI, seed 724200927 of the
 * differential test, not reproducible on demand), and a reference decoder
 * must not depend on native code that Workers and Bun do not load anyway.
 * {@link referenceDecoderIsNative} says which build is live.
 *
 * @module
 */
import * as msgpackr from "msgpackr/unpack";
import {
  type DecodedBatch,
  type DecodedEvent,
  type EventDependency,
  MAX_DROP_RANGES,
  WIRE_VERSION,
  WIRE_VERSION_DEPS,
} from "./event.ts";
import type { SeqRange } from "./seq_ranges.ts";
import { MsgpackWriter } from "./msgpack_writer.ts";
import { writeEvent, writeHeader } from "./encode.ts";
import { decodeColumns } from "./batch_grammar.ts";
import { WireColumns } from "./columns.ts";

/**
 * A batch that cannot be decoded: wrong version, malformed msgpack, or a field of the wrong type.
 *
 * @example Bytes that are not a batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBatch, WireFormatError } from "./decode.ts";
 * assert.throws(() => decodeBatch(new Uint8Array([0xc1])), WireFormatError);
 * ```
 */
export class WireFormatError extends Error {
  /** Where in the batch, e.g. `ev[3][5]` or `v` (`$` for the whole value). */
  readonly where: string;
  /** Creates the error; `where` is the path of the offending field. */
  constructor(message: string, where: string, options?: ErrorOptions) {
    super(`${message} at '${where}'`, options);
    this.name = "WireFormatError";
    this.where = where;
  }
}

const packr = new msgpackr.Unpackr({ useRecords: false, moreTypes: false, int64AsType: "number" });
const canonicalWriter = new MsgpackWriter();
const columns = new WireColumns();

/**
 * Decodes a batch into `out` (reused from batch to batch: its previous
 * contents are replaced); throws {@link WireFormatError} for anything that
 * is not a valid version-1 or version-2 batch. The fast path reads the bytes directly;
 * a batch it declines is decoded by {@link decodeReference} and, when
 * valid, re-encoded in the writer's canonical form and read from there
 * (the module doc tells the fallback). Either way `out` holds the values
 * the reference decoder gives, and `out.bytes` the bytes the columns point
 * into (the input, or its canonical copy).
 *
 * @example Decode a batch from the SDK and one written by another msgpack library
 * ```ts
 * import assert from "node:assert/strict";
 * import { Packr } from "msgpackr/pack";
 * import { decodeToColumns, WireFormatError } from "./decode.ts";
 * import { encodeBatch } from "./encode.ts";
 * import { WireColumns } from "./columns.ts";
 * const header = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 7, dropped: [] };
 * const event = { key: "k", wall: 10, logical: 0, action: 0, args: [2], state: new Uint8Array(4), verdict: 0 };
 * const cols = new WireColumns();
 * decodeToColumns(encodeBatch(header, [event]), cols); // the writer's form: the fast path
 * assert.ok(cols.count === 1 && cols.key(0) === "k" && cols.wall[0] === 10);
 * // Keys in another order and a float 32 argument: the fallback, with the same values.
 * const foreign = new Packr({ useRecords: false, useFloat32: 1 }).pack({
 *   ev: [["k", 0, 0, 0, [0.5], new Uint8Array(4), 0]], t0: 10, drop: [], seq: 7,
 *   boot: "b1", node: "n1", name: "Lease", spec: "ab", v: 1,
 * });
 * decodeToColumns(foreign, cols);
 * assert.ok(cols.count === 1 && cols.firstSeq === 7 && cols.args[0] === 0.5 && cols.wall[0] === 10);
 * assert.throws(() => decodeToColumns(new Uint8Array([0xc1]), cols), WireFormatError);
 * ```
 */
export function decodeToColumns(bytes: Uint8Array, out: WireColumns): void {
  if (decodeColumns(bytes, out)) return;
  if (decodeColumns(canonicalForm(bytes), out)) return;
  // Unreachable while the fast path reads everything the writer writes (the
  // wire tests check it does); refused rather than passed on half-read.
  throw new WireFormatError("Valid batch the column reader cannot read", "$");
}

/**
 * Decodes and validates a batch into objects (a fresh object per event);
 * throws {@link WireFormatError} for anything that is not a version-1
 * batch. Built on {@link decodeToColumns}, so it accepts and refuses
 * exactly what a collector does.
 *
 * @example Decode a batch, reject garbage
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBatch, WireFormatError } from "./decode.ts";
 * import { encodeBatch } from "./encode.ts";
 * const header = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 3, dropped: [] };
 * const event = { key: "k", wall: 10, logical: 0, action: 0, args: [2], state: new Uint8Array(4), verdict: 0 };
 * const batch = decodeBatch(encodeBatch(header, [event]));
 * assert.ok(batch.events.length === 1 && batch.events[0]!.seq === 3 && batch.events[0]!.args[0] === 2);
 * assert.throws(() => decodeBatch(new Uint8Array([0xc1])), WireFormatError);
 * ```
 */
export function decodeBatch(bytes: Uint8Array): DecodedBatch {
  decodeToColumns(bytes, columns);
  return columns.toBatch();
}

/**
 * A batch the reference decoder accepts, written again by the writer: the
 * same header, `t0` and per-event deltas (so every wall time sums exactly
 * as in the original), every number in its smallest family.
 */
function canonicalForm(bytes: Uint8Array): Uint8Array {
  const { batch, t0 } = validate(bytes, true);
  const w = canonicalWriter;
  w.reset();
  writeHeader(w, batch, t0, batch.events.length);
  // Walls were kept relative (the deltas as sent): written against a base of 0.
  for (const e of batch.events) writeEvent(w, 0, e);
  return w.finish();
}

/**
 * The reference decoder: msgpackr, then every field validated in order.
 * {@link decodeToColumns} uses it for anything the fast path
 * (`batch_grammar.ts`) declines, so errors and odd encodings get exactly
 * its answer.
 *
 * Its cost is bounded by what the body holds: msgpackr checks every
 * array, map, string and bin header against the bytes left before it
 * allocates (an array item takes at least one byte, a map entry two), so
 * a small body claiming 2^32 - 1 items is refused at once as malformed.
 * The validation then refuses more than `MAX_DROP_RANGES` dropped ranges
 * (at `drop`) and sequence numbers past 2^53 - 1 (at `seq`, or at the
 * range bound).
 *
 * @example Decode with the reference decoder
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeReference } from "./decode.ts";
 * import { encodeBatch } from "./encode.ts";
 * const bytes = encodeBatch(
 *   { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 3, dropped: [[0, 2]] },
 *   [],
 * );
 * const batch = decodeReference(bytes);
 * assert.ok(batch.node === "n1" && batch.events.length === 0);
 * assert.deepEqual(batch.dropped, [[0, 2]]);
 * ```
 */
export function decodeReference(bytes: Uint8Array): DecodedBatch {
  return validate(bytes, false).batch;
}

/**
 * The reference decoder's work: msgpackr, then every field validated.
 * With `relativeWalls` each event's `wall` is its delta as sent (for
 * {@link canonicalForm}), else `t0 + delta`.
 */
function validate(bytes: Uint8Array, relativeWalls: boolean): { batch: DecodedBatch; t0: number } {
  let raw: unknown;
  try {
    raw = packr.unpack(bytes);
  } catch (cause) {
    throw new WireFormatError(`Malformed msgpack (${(cause as Error).message})`, "$", { cause });
  }
  const m = record(raw, "$");
  const version = m.get("v");
  if (version !== WIRE_VERSION && version !== WIRE_VERSION_DEPS) {
    throw new WireFormatError(`Unsupported wire format version '${String(version)}'`, "v");
  }
  const firstSeq = seqNumber(m.get("seq"), "seq");
  const t0 = int(m.get("t0"), "t0");
  const dropped = ranges(m.get("drop"), firstSeq);
  const evs = array(m.get("ev"), "ev");
  if (evs.length > Number.MAX_SAFE_INTEGER - firstSeq + 1) {
    throw new WireFormatError(
      `Sequence number of the last event passes 2^53 - 1 (seq '${firstSeq}', '${evs.length}' events)`,
      "seq",
    );
  }
  const events: DecodedEvent[] = new Array(evs.length);
  const base = relativeWalls ? 0 : t0;
  for (let i = 0; i < evs.length; i++) {
    events[i] = event(evs[i], `ev[${i}]`, firstSeq + i, base, version);
  }
  const batch: DecodedBatch = {
    version,
    spec: str(m.get("spec"), "spec"),
    specName: str(m.get("name"), "name"),
    node: str(m.get("node"), "node"),
    boot: str(m.get("boot"), "boot"),
    firstSeq,
    dropped,
    events,
  };
  return { batch, t0 };
}

function event(
  raw: unknown,
  at: string,
  seq: number,
  t0: number,
  version: number,
): DecodedEvent {
  const a = array(raw, at);
  if (a.length !== 7 && (a.length !== 8 || version !== WIRE_VERSION_DEPS)) {
    const expected = version === WIRE_VERSION_DEPS ? "7 or 8" : "7";
    throw new WireFormatError(`Expected ${expected} event fields, got ${a.length}`, at);
  }
  const args = array(a[4], `${at}[4]`);
  for (let j = 0; j < args.length; j++) {
    if (typeof args[j] !== "number") {
      throw new WireFormatError("Expected a number", `${at}[4][${j}]`);
    }
  }
  const state = a[5];
  if (!(state instanceof Uint8Array)) throw new WireFormatError("Expected bin", `${at}[5]`);
  const deps = a.length === 8 ? dependencies(a[7], `${at}[7]`, t0) : null;
  return {
    ...(deps === null ? {} : { deps }),
    seq,
    key: str(a[0], `${at}[0]`),
    wall: t0 + int(a[1], `${at}[1]`),
    logical: uint(a[2], `${at}[2]`),
    action: uint(a[3], `${at}[3]`),
    args: args as number[],
    state: new Uint8Array(state.buffer, state.byteOffset, state.byteLength),
    verdict: uint(a[6], `${at}[6]`),
  };
}

/** An event's eighth item: `[node, wall delta, logical]` repeated, at least once. */
function dependencies(raw: unknown, at: string, t0: number): EventDependency[] {
  const a = array(raw, at);
  if (a.length === 0 || a.length % 3 !== 0) {
    throw new WireFormatError(
      `Expected dependencies as [node, wall, logical] triples, got ${a.length} items`,
      at,
    );
  }
  const out: EventDependency[] = [];
  for (let k = 0; k < a.length; k += 3) {
    out.push({
      node: str(a[k], `${at}[${k}]`),
      wall: t0 + int(a[k + 1], `${at}[${k + 1}]`),
      logical: uint(a[k + 2], `${at}[${k + 2}]`),
    });
  }
  return out;
}

function ranges(raw: unknown, firstSeq: number): SeqRange[] {
  const a = array(raw, "drop");
  if (a.length > MAX_DROP_RANGES) {
    throw new WireFormatError(
      `Too many dropped ranges: '${a.length}', at most '${MAX_DROP_RANGES}' per batch`,
      "drop",
    );
  }
  const out: SeqRange[] = [];
  let floor = 0;
  for (let i = 0; i < a.length; i++) {
    const at = `drop[${i}]`;
    const r = array(a[i], at);
    if (r.length !== 2) {
      throw new WireFormatError(`Expected [first, last], got ${r.length} items`, at);
    }
    const first = seqNumber(r[0], `${at}[0]`);
    const last = seqNumber(r[1], `${at}[1]`);
    if (first < floor || last < first || last >= firstSeq) {
      throw new WireFormatError(
        `Dropped range '${first}..${last}' not ascending or not below seq '${firstSeq}'`,
        at,
      );
    }
    floor = last + 1;
    out.push([first, last]);
  }
  return out;
}

function record(v: unknown, at: string): Map<string, unknown> {
  if (v instanceof Map) return v as Map<string, unknown>;
  if (v !== null && typeof v === "object") {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return new Map(Object.entries(v));
  }
  throw new WireFormatError("Expected a map", at);
}

function array(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new WireFormatError("Expected an array", at);
  return v;
}

function str(v: unknown, at: string): string {
  if (typeof v !== "string") throw new WireFormatError("Expected a string", at);
  // msgpackr decodes invalid UTF-8 to U+FFFD; a lone surrogate would not survive a re-encoding.
  if (!v.isWellFormed()) throw new WireFormatError("Expected a string of valid UTF-8", at);
  return v;
}

function int(v: unknown, at: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) {
    throw new WireFormatError("Expected an integer", at);
  }
  return v;
}

function uint(v: unknown, at: string): number {
  if (int(v, at) < 0) throw new WireFormatError("Expected a non-negative integer", at);
  return v as number;
}

/** A sequence number: a non-negative integer up to 2^53 - 1 (beyond it numbers collide). */
function seqNumber(v: unknown, at: string): number {
  if (typeof v === "number" && Number.isInteger(v) && v > Number.MAX_SAFE_INTEGER) {
    throw new WireFormatError(`Sequence number '${v}' passes 2^53 - 1`, at);
  }
  return uint(v, at);
}

/**
 * Whether the reference decoder runs msgpackr's native string extractor.
 * It never should: this module loads the plain JavaScript build (the
 * module doc says why), and nothing else in the project loads msgpackr's
 * native entry. A test holds it to `false`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referenceDecoderIsNative } from "./decode.ts";
 * assert.equal(referenceDecoderIsNative(), false);
 * ```
 */
export function referenceDecoderIsNative(): boolean {
  // Exported by every build of msgpackr, though its typings leave it out.
  return (msgpackr as { isNativeAccelerationEnabled?: boolean }).isNativeAccelerationEnabled ===
    true;
}
