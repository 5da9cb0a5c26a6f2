/**
 * The wire encoder: one batch is one msgpack map (plain msgpack, no
 * extensions, so any msgpack implementation decodes it). Field by field in
 * `docs/wire-format.md`:
 *
 * ```text
 * { v: 1 | 2, spec: str, name: str, node: str, boot: str, seq: uint,
 *   drop: [[first, last], ...], t0: int,
 *   ev: [[key: str, dt: int, logical: uint, action: uint, args: [number...],
 *         state: bin, verdict: uint (, deps: [node: str, dt: int, logical: uint, ...])?], ...] }
 * ```
 * Event `i` has sequence number `seq + i` and wall time `t0 + dt`. An event
 * that carries dependencies has an eighth item, three values per
 * dependency (its wall time relative to `t0` too); a batch holding such an
 * event is version 2 (`WIRE_VERSION_DEPS`), any other version 1.
 *
 * Integers are msgpack ints of the smallest family that holds them (64-bit
 * when needed); other numbers (non-integral arguments, `-0`) are float 64.
 *
 * Written in one pass by a small msgpack writer (`msgpack_writer.ts`), with
 * no third-party code: the SDK loads this module and never a decoder. The
 * decoders are in `decode.ts`.
 *
 * @module
 */
import {
  type BatchHeader,
  type EventBody,
  type EventDependency,
  WIRE_VERSION,
  WIRE_VERSION_DEPS,
} from "./event.ts";
import { MsgpackWriter } from "./msgpack_writer.ts";

const writer = new MsgpackWriter();

/**
 * Writes a batch's header (the map up to and including the `ev` array
 * header for `count` events); the events follow, each written by
 * {@link writeEvent} or {@link writeStepEvent} with the same `t0`.
 *
 * @example Write an event-less batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBatch } from "./decode.ts";
 * import { writeHeader } from "./encode.ts";
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
  w.number(header.version ?? WIRE_VERSION);
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
 * import { decodeBatch } from "./decode.ts";
 * import { writeEvent, writeHeader } from "./encode.ts";
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
  const deps = e.deps;
  const withDeps = deps !== undefined && deps.length > 0;
  w.array(withDeps ? 8 : 7);
  w.string(e.key);
  w.number(e.wall - t0);
  w.number(e.logical);
  w.number(e.action);
  const args = e.args;
  w.array(args.length);
  for (let j = 0; j < args.length; j++) w.number(args[j]!);
  w.bin(e.state);
  w.number(e.verdict);
  if (withDeps) writeDependencies(w, t0, deps);
}

/**
 * Writes an event's eighth item: its dependencies, three values each
 * (`node`, wall relative to `t0`, `logical`). The event's array header
 * must have said 8 items and the batch must be version 2.
 *
 * @example An event with one dependency
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBatch } from "./decode.ts";
 * import { writeDependencies, writeHeader, writeStepEvent } from "./encode.ts";
 * import { MsgpackWriter } from "./msgpack_writer.ts";
 * const w = new MsgpackWriter();
 * const source = { stride: 8, writeState: (_: number, w: MsgpackWriter) => w.bin(new Uint8Array(8)) };
 * writeHeader(w, { spec: "ab", specName: "L", node: "n2", boot: "b", firstSeq: 0, dropped: [], version: 2 }, 5, 1);
 * writeStepEvent(w, 5, "k", 9, 0, 0, 0, 0, 0, 0, 0, source, 0, 0, 8);
 * writeDependencies(w, 5, [{ node: "n1", wall: 7, logical: 2 }]);
 * assert.deepEqual(decodeBatch(w.finish()).events[0]!.deps, [{ node: "n1", wall: 7, logical: 2 }]);
 * ```
 */
export function writeDependencies(
  w: MsgpackWriter,
  t0: number,
  deps: readonly EventDependency[],
): void {
  w.array(3 * deps.length);
  for (let i = 0; i < deps.length; i++) {
    const d = deps[i]!;
    w.string(d.node);
    w.int(d.wall - t0);
    w.int(d.logical);
  }
}

/** Writes an instance's state block as msgpack bin (see {@link writeStepEvent}). */
export interface StateSource {
  /** Bytes of a state block. */
  readonly stride: number;
  /** Writes instance `inst`'s block as one msgpack bin of `stride` bytes. */
  writeState(inst: number, w: MsgpackWriter): void;
}

/**
 * One step as scalars, in the order every scalar step path takes them (the
 * batcher's scalar push, {@link writeStepEvent}): the event of
 * `{ key, wall, logical, action, args: [x0 .. x<n-1>], state: <source's
 * block of inst>, verdict }` with `n` at most 4, so no event object,
 * argument array or state copy is made. Declared once here; the signatures
 * that take a step spread it (`...step: StepArgs`).
 */
export type StepArgs<Source extends StateSource = StateSource> = [
  key: string,
  wall: number,
  logical: number,
  action: number,
  n: number,
  x0: number,
  x1: number,
  x2: number,
  x3: number,
  source: Source,
  inst: number,
  verdict: number,
];

/**
 * The signature of {@link writeStepEvent}: a writer, the batch's `t0`, a
 * step, and optionally the event's item count (8 when
 * {@link writeDependencies} follows; default 7).
 */
export type WriteStepEvent = (
  w: MsgpackWriter,
  t0: number,
  ...step: [...StepArgs, items?: number]
) => void;

/**
 * {@link writeEvent} from a step's scalars ({@link StepArgs}), the state
 * written straight from its instance block: the batcher's hot path (no
 * event object, no state copy).
 *
 * @example Write a step of one argument
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBatch } from "./decode.ts";
 * import { writeHeader, writeStepEvent } from "./encode.ts";
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
export const writeStepEvent: WriteStepEvent = (
  w,
  t0,
  key,
  wall,
  logical,
  action,
  n,
  x0,
  x1,
  x2,
  x3,
  source,
  inst,
  verdict,
  items = 7,
) => {
  const len = key.length;
  const dt = wall - t0;
  // The common step's head (a short ASCII key, a time delta and logical
  // counter below 65,536, a fixint action, a fixint first argument) is
  // written straight into the buffer in one reservation: the bytes the
  // writer's own encoding of each value gives. (A busy node stamps more than
  // 127 events in one ms, so logical counters past 127 are common.)
  let direct = false;
  let from = 0; // arguments written so far
  if (
    len < 32 && (dt & 0xffff) === dt && (logical & 0xffff) === logical &&
    (action & 127) === action && n < 16 && items < 16
  ) {
    const b = w.reserve(len + 11);
    const start = w.length;
    let at = start + 2;
    let i = 0;
    for (; i < len && key.charCodeAt(i) < 0x80; i++) b[at++] = key.charCodeAt(i);
    if (i === len) {
      b[start] = 0x90 | items;
      b[start + 1] = 0xa0 | len;
      at = putUint16(b, at, dt);
      at = putUint16(b, at, logical);
      b[at++] = action;
      b[at++] = 0x90 | n;
      if (n > 0 && (x0 & 127) === x0 && (x0 !== 0 || 1 / x0 > 0)) (b[at++] = x0), (from = 1);
      w.advanceTo(at);
      direct = true;
    }
  }
  if (!direct) {
    w.array(items);
    w.string(key);
    w.int(dt);
    w.int(logical);
    w.int(action);
    w.array(n);
  }
  if (n > 0 && from === 0) w.number(x0);
  if (n > 1) w.number(x1);
  if (n > 2) w.number(x2);
  if (n > 3) w.number(x3);
  source.writeState(inst, w);
  w.int(verdict);
};

/**
 * Writes `x` (an integer from 0 to 65,535) at `at` as the writer's `int`
 * does (positive fixint, uint 8 or uint 16); returns the offset after it.
 */
function putUint16(b: Uint8Array, at: number, x: number): number {
  if (x < 0x80) {
    b[at] = x;
    return at + 1;
  }
  if (x < 0x100) {
    b[at] = 0xcc;
    b[at + 1] = x;
    return at + 2;
  }
  b[at] = 0xcd;
  b[at + 1] = x >>> 8;
  b[at + 2] = x & 0xff;
  return at + 3;
}

/**
 * Encodes a batch. Events get sequence numbers `header.firstSeq + i`.
 * Written in one pass by a small msgpack writer (no intermediate objects).
 *
 * @example Encode and decode a batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBatch } from "./decode.ts";
 * import { encodeBatch } from "./encode.ts";
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
  let version = WIRE_VERSION;
  for (let i = 0; i < n; i++) {
    const deps = events[i]!.deps;
    if (deps !== undefined && deps.length > 0) version = WIRE_VERSION_DEPS;
  }
  w.reset();
  writeHeader(
    w,
    version === (header.version ?? WIRE_VERSION) ? header : { ...header, version },
    t0,
    n,
  );
  for (let i = 0; i < n; i++) writeEvent(w, t0, events[i]!);
  return w.finish();
}
