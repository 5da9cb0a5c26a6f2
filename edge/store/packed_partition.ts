/**
 * A partition's snapshot as compact bytes: what a persist builds for each
 * changed partition and what the stores write, instead of a tree of
 * objects serialized as JSON. One record is a sequence of msgpack values
 * (`lib/wire/msgpack_writer.ts`): the spec hash and key, a table of the
 * node, boot and spec-hash strings the record names, the participants
 * (packed state as bin), the history, the merge position and the
 * partition's marks. Events name their node and boot by table index and
 * carry their wall time as the difference from the event before, so a
 * 32-event history of one node takes a few bytes per event.
 *
 * {@link packedSnapshot} gives a {@link PartitionSnapshot} over such a
 * record: its fields are decoded on first read, so a persist that only
 * writes the bytes never builds the objects.
 *
 * @module
 */
import { MsgpackWriter } from "../../lib/wire/msgpack_writer.ts";
import { DECLINE, Reader } from "../../lib/wire/msgpack_reader.ts";
import type {
  EventSnapshot,
  MixedEntry,
  ParticipantSnapshot,
  PartitionSnapshot,
} from "../engine/types.ts";
import type { Hlc } from "../engine/alerts.ts";
import type { CausalPartitionPart } from "../engine/causal/causal_snapshot.ts";
import { EventCursor, EventRing } from "../engine/event_ring.ts";

/** Format number of a record (its first value). */
const FORMAT = 1;

/** Event flags: applied late; names an older spec version; wall written whole (not as a difference). */
const LATE = 1;
const HAS_SPEC = 2;
const WALL_WHOLE = 4;

/**
 * The strings a record names (nodes, boots, spec hashes), numbered in order
 * of first use while it is written.
 */
class StringTable {
  readonly list: string[] = [];
  #index: Map<string, number> | null = null;

  reset(): void {
    this.list.length = 0;
    this.#index = null;
  }

  of(s: string): number {
    const list = this.list;
    if (this.#index === null) {
      for (let i = 0; i < list.length; i++) if (list[i] === s) return i;
      list.push(s);
      if (list.length > 16) this.#index = new Map(list.map((x, i) => [x, i]));
      return list.length - 1;
    }
    let i = this.#index.get(s);
    if (i === undefined) {
      i = list.length;
      list.push(s);
      this.#index.set(s, i);
    }
    return i;
  }
}

/**
 * What a record is written from: a live partition (the persist's fast
 * path, in `snapshot.ts`) or a snapshot object; the fields in record order.
 *
 * @example The fields of a one-participant partition
 * ```ts
 * import assert from "node:assert/strict";
 * import { packPartition, type PartitionSource, unpackPartition } from "./packed_partition.ts";
 * const source: PartitionSource = {
 *   spec: "h1", key: "lock:a",
 *   participants: [{ node: "n1", boot: "b1", seq: 0, wall: 5, logical: 0, state: new Uint8Array([1]), lastEvents: [] }],
 *   history: [], lastPos: null, applied: 1, episode: 0, deadlines: [], incomplete: false, violations: 0,
 * };
 * assert.equal(unpackPartition(packPartition(source)).participants[0]?.state, "AQ==");
 * ```
 */
export interface PartitionSource {
  readonly spec: string;
  readonly key: string;
  readonly participants: readonly {
    readonly node: string;
    readonly boot: string;
    readonly seq: number;
    readonly wall: number;
    readonly logical: number;
    /**
     * The packed state (bytes, not base64), or (a live partition) its
     * instance in {@link PartitionSource.states}, copied into the record
     * without a copy of its own.
     */
    readonly state: Uint8Array | number;
    /** Its last events: objects, or a live ring read without them. */
    readonly lastEvents: readonly EventSnapshot[] | EventRing;
    readonly spec?: string | undefined;
    readonly localDeadlines?: readonly number[] | undefined;
  }[];
  /** The partition's history: objects, or a live ring read without them. */
  readonly history: readonly EventSnapshot[] | EventRing;
  readonly lastPos: PartitionSnapshot["lastPos"];
  readonly applied: number;
  readonly episode: number;
  readonly deadlines: readonly number[];
  readonly incomplete: boolean;
  readonly violations: number;
  readonly mixed?: readonly MixedEntry[] | undefined;
  /** The causal judge's side of the partition (`engine/causal/causal_snapshot.ts`), written as JSON after the rest. */
  readonly causal?: CausalPartitionPart | undefined;
  /** Where the states given as instances are (a live partition's compiled spec). */
  readonly states?: {
    readonly meta: { readonly stride: number };
    copyState(inst: number, target: Uint8Array, offset: number): void;
  };
}

/** Header flags of a record: it holds `mixed`; it holds `causal`. */
const HAS_MIXED = 1;
const HAS_CAUSAL = 2;

const writer = new MsgpackWriter(16 * 1024);
const strings = new StringTable();

/**
 * Packs a partition into one record.
 *
 * @example Pack and unpack
 * ```ts
 * import assert from "node:assert/strict";
 * import { packPartition, unpackPartition } from "./packed_partition.ts";
 * const ev = { node: "n1", boot: "b1", seq: 0, wall: 1_700_000_000_000, logical: 0, action: 0, args: [1], verdict: 0, late: false };
 * const bytes = packPartition({
 *   spec: "h1", key: "lock:a",
 *   participants: [{ node: "n1", boot: "b1", seq: 0, wall: ev.wall, logical: 0, state: new Uint8Array(4), lastEvents: [ev] }],
 *   history: [ev], lastPos: { wall: ev.wall, logical: 0, node: "n1", boot: "b1", seq: 0 },
 *   applied: 1, episode: 0, deadlines: [-1], incomplete: false, violations: 0,
 * });
 * const back = unpackPartition(bytes);
 * assert.deepEqual(back.history, [ev]);
 * assert.deepEqual(back.lastApplied, { wall: ev.wall, logical: 0 });
 * ```
 */
export function packPartition(p: PartitionSource): Uint8Array {
  const w = writer;
  const t = strings;
  w.reset();
  t.reset();
  // Strings first go to the table while the body is written into the writer; the table is
  // written after the body and moved in front of it below.
  w.int(FORMAT);
  w.string(p.spec);
  w.string(p.key);
  w.int((p.mixed === undefined ? 0 : HAS_MIXED) | (p.causal === undefined ? 0 : HAS_CAUSAL));
  const bodyAt = w.length;
  w.array(p.participants.length);
  for (const q of p.participants) {
    w.int(t.of(q.node));
    w.int(t.of(q.boot));
    w.number(q.seq);
    w.number(q.wall);
    w.number(q.logical);
    const state = q.state;
    if (typeof state !== "number") w.bin(state);
    else {
      const states = p.states;
      if (states === undefined) throw new TypeError("A state given as an instance needs 'states'");
      const at = w.binSlot(states.meta.stride);
      states.copyState(state, w.reserve(0), at);
    }
    w.int(q.spec === undefined ? 0 : t.of(q.spec) + 1);
    if (q.localDeadlines === undefined) w.int(0);
    else {
      w.int(1);
      numbers(w, q.localDeadlines);
    }
    events(w, t, q.lastEvents);
  }
  events(w, t, p.history);
  const pos = p.lastPos;
  if (pos === null || pos === undefined) w.int(0);
  else {
    w.int(1);
    w.number(pos.wall);
    w.number(pos.logical);
    w.int(t.of(pos.node));
    w.int(t.of(pos.boot));
    w.number(pos.seq);
  }
  w.number(p.applied);
  w.number(p.episode);
  numbers(w, p.deadlines);
  w.int(p.incomplete ? 1 : 0);
  w.number(p.violations);
  if (p.mixed !== undefined) {
    w.array(p.mixed.length);
    for (const m of p.mixed) {
      w.string(m.node);
      w.string(m.spec);
      w.string(m.reason);
    }
  }
  if (p.causal !== undefined) w.string(JSON.stringify(p.causal));
  const bodyEnd = w.length;
  w.array(t.list.length);
  for (const s of t.list) w.string(s);
  const tableEnd = w.length;
  // Record: header, table, body.
  const out = new Uint8Array(tableEnd);
  out.set(w.view(0, bodyAt), 0);
  out.set(w.view(bodyEnd, tableEnd), bodyAt);
  out.set(w.view(bodyAt, bodyEnd), bodyAt + (tableEnd - bodyEnd));
  return out;
}

function numbers(w: MsgpackWriter, xs: readonly number[]): void {
  w.array(xs.length);
  for (let i = 0; i < xs.length; i++) w.number(xs[i]!);
}

const cursor = new EventCursor();

function events(
  w: MsgpackWriter,
  t: StringTable,
  list: readonly EventSnapshot[] | EventRing,
): void {
  if (list instanceof EventRing) {
    ringEvents(w, t, list);
    return;
  }
  w.array(list.length);
  let prev = 0;
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    const wall = e.wall;
    const whole = !Number.isSafeInteger(wall) || !Number.isSafeInteger(wall - prev) ||
      (wall === 0 && 1 / wall < 0);
    w.int((e.late ? LATE : 0) | (e.spec === undefined ? 0 : HAS_SPEC) | (whole ? WALL_WHOLE : 0));
    w.int(t.of(e.node));
    w.int(t.of(e.boot));
    w.number(e.seq);
    w.number(whole ? e.wall : e.wall - prev);
    w.number(e.logical);
    w.number(e.action);
    numbers(w, e.args);
    w.number(e.verdict);
    if (e.spec !== undefined) w.int(t.of(e.spec));
    if (!whole) prev = e.wall;
  }
}

/** {@link events} read from a ring through one cursor: the same bytes, no object per event. */
function ringEvents(w: MsgpackWriter, t: StringTable, ring: EventRing): void {
  const n = ring.size;
  w.array(n);
  let prev = 0;
  const e = cursor;
  for (let i = 0; i < n; i++) {
    ring.read(i, e);
    const wall = e.wall;
    const whole = !Number.isSafeInteger(wall) || !Number.isSafeInteger(wall - prev) ||
      (wall === 0 && 1 / wall < 0);
    w.int((e.late ? LATE : 0) | (e.spec === "" ? 0 : HAS_SPEC) | (whole ? WALL_WHOLE : 0));
    w.int(t.of(e.node));
    w.int(t.of(e.boot));
    w.number(e.seq);
    w.number(whole ? wall : wall - prev);
    w.number(e.logical);
    w.number(e.action);
    const argc = e.argc;
    const args = e.args;
    w.array(argc);
    for (let j = 0; j < argc; j++) w.number(args[j]!);
    w.number(e.verdict);
    if (e.spec !== "") w.int(t.of(e.spec));
    if (!whole) prev = wall;
  }
}

/**
 * A record that does not unpack (damaged or not a partition record).
 *
 * @example Refused bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { PackedPartitionError, unpackPartition } from "./packed_partition.ts";
 * assert.throws(() => unpackPartition(new Uint8Array([7])), PackedPartitionError);
 * ```
 */
export class PackedPartitionError extends Error {
  /** Byte offset in the record where reading stopped. */
  readonly offset: number;

  /** Creates the error for a record that stopped reading at `offset`. */
  constructor(message: string, offset: number) {
    super(message);
    this.name = "PackedPartitionError";
    this.offset = offset;
  }
}

const reader = new Reader();

/**
 * The snapshot object a record stands for (fresh plain objects, state as
 * base64): equal to what `JSON.parse(JSON.stringify(...))` of the
 * partition's snapshot gives.
 *
 * @throws {PackedPartitionError} When the bytes are not a whole record of this format.
 *
 * @example Unpack what was packed
 * ```ts
 * import assert from "node:assert/strict";
 * import { packPartition, unpackPartition } from "./packed_partition.ts";
 * const back = unpackPartition(packPartition({
 *   spec: "h1", key: "lock:a", participants: [], history: [], lastPos: null,
 *   applied: 0, episode: 0, deadlines: [], incomplete: true, violations: 2,
 * }));
 * assert.deepEqual([back.key, back.incomplete, back.violations], ["lock:a", true, 2]);
 * ```
 */
export function unpackPartition(bytes: Uint8Array): PartitionSnapshot {
  return reading(bytes, (r) => {
    const out = readRecord(r);
    if (r.pos !== r.end) {
      throw new PackedPartitionError(
        `Partition record has ${r.end - r.pos} bytes after its end`,
        r.pos,
      );
    }
    return out;
  });
}

const EMPTY = new Uint8Array(0);

/** Runs `read` over `bytes`, turning a read past the end or a bad value into a {@link PackedPartitionError}. */
function reading<T>(bytes: Uint8Array, read: (r: Reader) => T): T {
  const r = reader;
  r.reset(bytes);
  try {
    return read(r);
  } catch (e) {
    if (e === DECLINE) {
      throw new PackedPartitionError(
        `Partition record is damaged at byte ${r.pos} of ${r.end}`,
        r.pos,
      );
    }
    throw e;
  } finally {
    r.reset(EMPTY);
  }
}

/** Reads a record's format number, refusing any but {@link FORMAT}. */
function readFormat(r: Reader): void {
  const format = r.uint();
  if (format !== FORMAT) {
    throw new PackedPartitionError(
      `Partition record has format '${format}', expected '${FORMAT}'`,
      0,
    );
  }
}

function readRecord(r: Reader): PartitionSnapshot {
  readFormat(r);
  const spec = r.str();
  const key = r.str();
  const flags = r.uint();
  const hasMixed = (flags & HAS_MIXED) !== 0;
  const n = r.array();
  const table: string[] = [];
  for (let i = 0; i < n; i++) table.push(r.str());
  const name = (i: number): string => {
    const s = table[i];
    if (s === undefined) throw DECLINE;
    return s;
  };
  const participants: ParticipantSnapshot[] = [];
  const np = r.array();
  for (let i = 0; i < np; i++) {
    const node = name(r.uint());
    const boot = name(r.uint());
    const seq = r.number();
    const wall = r.number();
    const logical = r.number();
    const sl = r.binLen();
    const at = r.need(sl);
    const state = toBase64(r.b, at, sl);
    const specRef = r.uint();
    const local = r.uint() === 1 ? readNumbers(r) : undefined;
    const lastEvents = readEvents(r, name);
    const saved: ParticipantSnapshot = { node, boot, seq, wall, logical, state, lastEvents };
    const withLocal = local === undefined ? saved : { ...saved, localDeadlines: local };
    participants.push(specRef === 0 ? withLocal : { ...withLocal, spec: name(specRef - 1) });
  }
  const history = readEvents(r, name);
  let lastPos: PartitionSnapshot["lastPos"] = null;
  let lastApplied: Hlc | null = null;
  if (r.uint() === 1) {
    const wall = r.number();
    const logical = r.number();
    const node = name(r.uint());
    const boot = name(r.uint());
    const seq = r.number();
    lastPos = { wall, logical, node, boot, seq };
    lastApplied = { wall, logical };
  }
  const applied = r.number();
  const episode = r.number();
  const deadlines = readNumbers(r);
  const incomplete = r.uint() === 1;
  const violations = r.number();
  let mixed: MixedEntry[] | undefined;
  if (hasMixed) {
    mixed = [];
    const nm = r.array();
    for (let i = 0; i < nm; i++) mixed.push({ node: r.str(), spec: r.str(), reason: r.str() });
  }
  let causal: CausalPartitionPart | undefined;
  if ((flags & HAS_CAUSAL) !== 0) {
    const at = r.pos;
    try {
      causal = JSON.parse(r.str());
    } catch (e) {
      if (e === DECLINE) throw e;
      throw new PackedPartitionError(`Partition record's causal part is not JSON`, at);
    }
  }
  const out: PartitionSnapshot = {
    spec,
    key,
    participants,
    history,
    lastApplied,
    lastPos,
    applied,
    episode,
    deadlines,
    incomplete,
    violations,
  };
  const whole = mixed === undefined ? out : { ...out, mixed };
  return causal === undefined ? whole : { ...whole, causal };
}

function readNumbers(r: Reader): number[] {
  const n = r.array();
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(r.number());
  return out;
}

function readEvents(r: Reader, name: (i: number) => string): EventSnapshot[] {
  const n = r.array();
  const out: EventSnapshot[] = [];
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const flags = r.uint();
    const node = name(r.uint());
    const boot = name(r.uint());
    const seq = r.number();
    const dw = r.number();
    const wall = (flags & WALL_WHOLE) !== 0 ? dw : prev + dw;
    if ((flags & WALL_WHOLE) === 0) prev = wall;
    const logical = r.number();
    const action = r.number();
    const args = readNumbers(r);
    const verdict = r.number();
    const e: EventSnapshot = {
      node,
      boot,
      seq,
      wall,
      logical,
      action,
      args,
      verdict,
      late: (flags & LATE) !== 0,
    };
    out.push((flags & HAS_SPEC) !== 0 ? { ...e, spec: name(r.uint()) } : e);
  }
  return out;
}

/** Base64 of `n` bytes at `at` (the snapshot's form of a packed state). */
function toBase64(b: Uint8Array, at: number, n: number): string {
  let s = "";
  for (let i = at; i < at + n; i++) s += String.fromCharCode(b[i]!);
  return btoa(s);
}

/** Bytes of a base64 state. */
function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Packs a snapshot object (one restored, or built by hand) into a record:
 * the same bytes a live partition with that content packs to.
 *
 * @example Round trip of a snapshot object
 * ```ts
 * import assert from "node:assert/strict";
 * import { packSnapshot, unpackPartition } from "./packed_partition.ts";
 * import type { PartitionSnapshot } from "../engine/types.ts";
 * const snap: PartitionSnapshot = {
 *   spec: "h1", key: "k", participants: [], history: [], lastApplied: null, lastPos: null,
 *   applied: 0, episode: 0, deadlines: [], incomplete: false, violations: 0,
 * };
 * assert.deepEqual(unpackPartition(packSnapshot(snap)), snap);
 * ```
 */
export function packSnapshot(s: PartitionSnapshot): Uint8Array {
  const own = packedBytes(s);
  if (own !== null) return own;
  return packPartition({
    spec: s.spec,
    key: s.key,
    participants: s.participants.map((q) => ({ ...q, state: fromBase64(q.state) })),
    history: s.history,
    lastPos: s.lastPos ?? null,
    applied: s.applied,
    episode: s.episode,
    deadlines: s.deadlines,
    incomplete: s.incomplete,
    violations: s.violations,
    mixed: s.mixed,
    causal: s.causal,
  });
}

/**
 * The fields of a partition snapshot besides its participants and history
 * (a few numbers each, read from the live partition without decoding).
 */
export type PackedHead = Omit<PartitionSnapshot, "participants" | "history">;

/** No `mixed` (or `causal`) field (most partitions). */
const NO_MIXED = Object.freeze({});

/** Records of the packed snapshots, for {@link packedBytes}. */
const recordOf = new WeakMap<PartitionSnapshot, Uint8Array>();

/**
 * A partition snapshot held as a packed record: a frozen plain object with
 * the fields of `head` as values and `participants` and `history` as
 * enumerable getters that decode the record on first read (once for
 * both). It spreads, compares (`assert.deepEqual`) and serializes
 * (`JSON.stringify`) as the plain snapshot does; {@link packedBytes} gives
 * a store the record to write as it is. Without `head`, the record is
 * decoded at once (a snapshot read back from bytes).
 *
 * @example Participants and history decode on demand
 * ```ts
 * import assert from "node:assert/strict";
 * import { packedBytes, packedSnapshot, packPartition, unpackPartition } from "./packed_partition.ts";
 * const bytes = packPartition({
 *   spec: "h1", key: "lock:a", participants: [], history: [], lastPos: null,
 *   applied: 3, episode: 0, deadlines: [], incomplete: false, violations: 0,
 * });
 * const snap = packedSnapshot(bytes);
 * assert.equal(snap.applied, 3);
 * assert.deepEqual({ ...snap }, unpackPartition(bytes));
 * assert.equal(packedBytes(snap), bytes);
 * ```
 */
export function packedSnapshot(bytes: Uint8Array, head?: PackedHead): PartitionSnapshot {
  let out: PartitionSnapshot;
  if (head === undefined) out = unpackPartition(bytes);
  else {
    let plain: PartitionSnapshot | null = null;
    const decoded = () => plain ??= unpackPartition(bytes);
    const { mixed, causal } = head;
    // One literal in the plain snapshot's key order (spreading the whole would call the getters).
    out = {
      spec: head.spec,
      key: head.key,
      get participants() {
        return decoded().participants;
      },
      get history() {
        return decoded().history;
      },
      lastApplied: head.lastApplied,
      lastPos: head.lastPos ?? null,
      applied: head.applied,
      episode: head.episode,
      deadlines: head.deadlines,
      incomplete: head.incomplete,
      violations: head.violations,
      ...(mixed === undefined ? NO_MIXED : { mixed }),
      ...(causal === undefined ? NO_MIXED : { causal }),
    };
  }
  recordOf.set(out, bytes);
  return Object.freeze(out);
}

/**
 * The record of `s` when it is a packed snapshot ({@link packedSnapshot}), else null.
 *
 * @example A plain snapshot has no record
 * ```ts
 * import assert from "node:assert/strict";
 * import { packedBytes } from "./packed_partition.ts";
 * import type { PartitionSnapshot } from "../engine/types.ts";
 * const plain = { spec: "h1", key: "k" } as unknown as PartitionSnapshot;
 * assert.equal(packedBytes(plain), null);
 * ```
 */
export function packedBytes(s: PartitionSnapshot): Uint8Array | null {
  return recordOf.get(s) ?? null;
}
