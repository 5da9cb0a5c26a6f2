/**
 * The wire codec: one batch is one msgpack map (plain msgpack, no msgpackr
 * extensions, so any msgpack implementation decodes it). Field by field in
 * `docs/wire-format.md`:
 *
 * ```text
 * { v: 1, spec: str, name: str, node: str, boot: str, seq: uint,
 *   drop: [[first, last], ...], t0: int,
 *   ev: [[key: str, dt: int, logical: uint, action: uint, args: [number...],
 *         state: bin, verdict: uint], ...] }
 * ```
 * Event `i` has sequence number `seq + i` and wall time `t0 + dt`.
 *
 * Integers are msgpack ints of the smallest family that holds them (64-bit
 * when needed); other numbers (non-integral arguments, `-0`) are float 64.
 *
 * This is the only module that imports msgpackr.
 *
 * @module
 */
import { Packr } from "msgpackr";
import {
  type BatchHeader,
  type DecodedBatch,
  type DecodedEvent,
  type EventBody,
  MAX_DROP_RANGES,
  type SeqRange,
  WIRE_VERSION,
} from "./event.ts";
import { MsgpackWriter } from "./msgpack_writer.ts";
import { decodeColumns, WireColumns } from "./columns.ts";

/** A batch that cannot be decoded: wrong version, malformed msgpack, or a field of the wrong type. */
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

const packr = new Packr({ useRecords: false, moreTypes: false, int64AsType: "number" });
const writer = new MsgpackWriter();

/**
 * Writes a batch's header (the map up to and including the `ev` array
 * header for `count` events); the events follow, each written by
 * {@link writeEvent} or {@link writeStepEvent} with the same `t0`.
 *
 * @example Write an event-less batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBatch, writeHeader } from "./codec.ts";
 * import { MsgpackWriter } from "./msgpack_writer.ts";
 * const w = new MsgpackWriter();
 * const header = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 3, dropped: [] };
 * writeHeader(w, header, 0, 0);
 * const batch = decodeBatch(w.finish()); // a complete batch declaring no events
 * assert.ok(batch.firstSeq === 3 && batch.events.length === 0);
 * ```
 */
export function writeHeader(
  w: MsgpackWriter,
  header: BatchHeader,
  t0: number,
  count: number,
): void {
  w.map(9);
  w.string("v");
  w.number(WIRE_VERSION);
  w.string("spec");
  w.string(header.spec);
  w.string("name");
  w.string(header.specName);
  w.string("node");
  w.string(header.node);
  w.string("boot");
  w.string(header.boot);
  w.string("seq");
  w.number(header.firstSeq);
  w.string("drop");
  w.array(header.dropped.length);
  for (const [first, last] of header.dropped) {
    w.array(2);
    w.number(first);
    w.number(last);
  }
  w.string("t0");
  w.number(t0);
  w.string("ev");
  w.array(count);
}

/**
 * Writes one event (`[key, dt, logical, action, args, state, verdict]`)
 * relative to the batch's `t0`.
 *
 * @example Write an event after a header
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBatch, writeEvent, writeHeader } from "./codec.ts";
 * import { MsgpackWriter } from "./msgpack_writer.ts";
 * const w = new MsgpackWriter();
 * const header = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, dropped: [] };
 * writeHeader(w, header, 5, 1);
 * const event = { key: "k", wall: 7, logical: 0, action: 0, args: [2], state: new Uint8Array(8), verdict: 0 };
 * writeEvent(w, 5, event);
 * const [e] = decodeBatch(w.finish()).events;
 * assert.ok(e!.key === "k" && e!.wall === 7 && e!.args[0] === 2);
 * ```
 */
export function writeEvent(w: MsgpackWriter, t0: number, e: EventBody): void {
  w.array(7);
  w.string(e.key);
  w.number(e.wall - t0);
  w.number(e.logical);
  w.number(e.action);
  const args = e.args;
  w.array(args.length);
  for (let j = 0; j < args.length; j++) w.number(args[j]!);
  w.bin(e.state);
  w.number(e.verdict);
}

/** Writes an instance's state block as msgpack bin (see {@link writeStepEvent}). */
export interface StateSource {
  /** Bytes of a state block. */
  readonly stride: number;
  /** Writes instance `inst`'s block as one msgpack bin of `stride` bytes. */
  writeState(inst: number, w: MsgpackWriter): void;
}

/**
 * {@link writeEvent} from scalars, the state written straight from its
 * instance block: the batcher's hot path (no event object, no state copy).
 * The first `n` (at most 4) of `x0 .. x3` are the arguments.
 *
 * @example Write a step of one argument
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBatch, writeHeader, writeStepEvent } from "./codec.ts";
 * import { MsgpackWriter } from "./msgpack_writer.ts";
 * const w = new MsgpackWriter();
 * const source = { stride: 8, writeState: (_: number, w: MsgpackWriter) => w.bin(new Uint8Array(8)) };
 * const header = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, dropped: [] };
 * writeHeader(w, header, 5, 1);
 * writeStepEvent(w, 5, "lock:a", 5, 0, 0, 1, 2, 0, 0, 0, source, 0, 0);
 * const [e] = decodeBatch(w.finish()).events;
 * assert.ok(e!.key === "lock:a" && e!.args.length === 1 && e!.args[0] === 2);
 * ```
 */
export function writeStepEvent(
  w: MsgpackWriter,
  t0: number,
  key: string,
  wall: number,
  logical: number,
  action: number,
  n: number,
  x0: number,
  x1: number,
  x2: number,
  x3: number,
  source: StateSource,
  inst: number,
  verdict: number,
): void {
  w.array(7);
  w.string(key);
  w.int(wall - t0);
  w.int(logical);
  w.int(action);
  w.array(n);
  if (n > 0) w.number(x0);
  if (n > 1) w.number(x1);
  if (n > 2) w.number(x2);
  if (n > 3) w.number(x3);
  source.writeState(inst, w);
  w.int(verdict);
}

/**
 * Encodes a batch. Events get sequence numbers `header.firstSeq + i`.
 * Written in one pass by a small msgpack writer (no intermediate objects);
 * decoded by msgpackr.
 *
 * @example Encode and decode a batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBatch, encodeBatch } from "./codec.ts";
 * const bytes = encodeBatch(
 *   { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, dropped: [] },
 *   [{ key: "k", wall: 1, logical: 0, action: 0, args: [2], state: new Uint8Array(4), verdict: 0 }],
 * );
 * const batch = decodeBatch(bytes);
 * assert.ok(batch.node === "n1" && batch.events[0]?.seq === 0 && batch.events[0]?.key === "k");
 * ```
 */
export function encodeBatch(header: BatchHeader, events: ArrayLike<EventBody>): Uint8Array {
  const w = writer;
  const n = events.length;
  const t0 = n > 0 ? events[0]!.wall : 0;
  w.reset();
  writeHeader(w, header, t0, n);
  for (let i = 0; i < n; i++) writeEvent(w, t0, events[i]!);
  return w.finish();
}

/**
 * Decodes and validates a batch; throws {@link WireFormatError} for anything
 * that is not a version-1 batch.
 *
 * @example Reject garbage
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBatch, WireFormatError } from "./codec.ts";
 * assert.throws(() => decodeBatch(new Uint8Array([0xc1])), WireFormatError);
 * ```
 */
export function decodeBatch(bytes: Uint8Array): DecodedBatch {
  const c = columns;
  if (!decodeColumns(bytes, c)) return decodeReference(bytes);
  const events: DecodedEvent[] = new Array(c.count);
  for (let i = 0; i < c.count; i++) {
    events[i] = {
      seq: c.firstSeq + i,
      key: c.key(i),
      wall: c.wall[i]!,
      logical: c.logical[i]!,
      action: c.action[i]!,
      args: c.argsOf(i),
      state: c.stateOf(i),
      verdict: c.verdict[i]!,
    };
  }
  return {
    version: WIRE_VERSION,
    spec: c.spec,
    specName: c.specName,
    node: c.node,
    boot: c.boot,
    firstSeq: c.firstSeq,
    dropped: c.dropped,
    events,
  };
}

const columns = new WireColumns();

/**
 * The reference decoder: msgpackr, then every field validated in order.
 * `decodeBatch` uses it for anything the fast path (`wire_columns.ts`)
 * declines, so errors and odd encodings get exactly its answer.
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
 * import { decodeReference, encodeBatch } from "./codec.ts";
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
  let raw: unknown;
  try {
    raw = packr.unpack(bytes);
  } catch (cause) {
    throw new WireFormatError(`Malformed msgpack (${(cause as Error).message})`, "$", { cause });
  }
  const m = record(raw, "$");
  const version = m.get("v");
  if (version !== WIRE_VERSION) {
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
  for (let i = 0; i < evs.length; i++) events[i] = event(evs[i], `ev[${i}]`, firstSeq + i, t0);
  return {
    version,
    spec: str(m.get("spec"), "spec"),
    specName: str(m.get("name"), "name"),
    node: str(m.get("node"), "node"),
    boot: str(m.get("boot"), "boot"),
    firstSeq,
    dropped,
    events,
  };
}

function event(raw: unknown, at: string, seq: number, t0: number): DecodedEvent {
  const a = array(raw, at);
  if (a.length !== 7) throw new WireFormatError(`Expected 7 event fields, got ${a.length}`, at);
  const args = array(a[4], `${at}[4]`);
  for (let j = 0; j < args.length; j++) {
    if (typeof args[j] !== "number") {
      throw new WireFormatError("Expected a number", `${at}[4][${j}]`);
    }
  }
  const state = a[5];
  if (!(state instanceof Uint8Array)) throw new WireFormatError("Expected bin", `${at}[5]`);
  return {
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
