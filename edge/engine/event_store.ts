/**
 * Received events waiting in reorder buffers, as columns: one slot per
 * event in typed arrays (HLC, sequence number, action, verdict, arrival
 * deadline, stream, partition, arguments and the post-state bytes), so an
 * event costs no object while it waits. A slot is freed when its event is
 * applied and reused by a later event; its generation number changes then,
 * so a `(slot, generation)` pair held elsewhere (arrival queue, stream
 * tracking) tells whether that event is still waiting.
 *
 * @module
 */

import type { EventSnapshot } from "./types.ts";
import type { WireColumns } from "../../lib/wire/columns.ts";

/** Arguments stored in the slot's record; more go to a side table. */
const INLINE_ARGS = 4;

/**
 * A slot's record, numbers from {@link EventStore.recAt}: the fields the
 * applier reads together, side by side (then the inline arguments, then
 * the state's words), so that applying an event, long after it was
 * stored, misses the cache on one or two lines rather than on one per
 * column (a window of 250 ms holds tens of thousands of events; measured,
 * the loads of `seq`, `action`, `verdict`, `argc`, the arguments, the
 * state, the partition and the member were a sixth of the off path).
 */
export const R_SEQ = 0;
/** Action index (see {@link R_SEQ}). */
export const R_ACTION = 1;
/** Local verdict code. */
export const R_VERDICT = 2;
/** Number of arguments. */
export const R_ARGC = 3;
/** Collector-wide stream index. */
export const R_STREAM = 4;
/** Collector-wide partition index. */
export const R_PART = 5;
/**
 * The event's participant in its partition (its index there) when its
 * node had joined by admission, else -1: the applier then skips the
 * lookup by node (participants keep their index for good).
 */
export const R_MEMBER = 6;
/** 1 when applied late, else 0. */
export const R_LATE = 7;
/** The first of {@link INLINE_ARGS} inline arguments. */
export const R_ARGS = 8;
/** Numbers of a record before its state words. */
const R_HEAD = R_ARGS + INLINE_ARGS;

/** Shared empty arguments (never mutated). */
export const NO_ARGS: readonly number[] = Object.freeze([]);

function grown<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/**
 * The waiting events of a collector. The HLC, arrival deadline and
 * generation are columns (the merge and the scheduler read them while an
 * event waits); the rest of an event is one record per slot in
 * {@link EventStore.rec} (read when it is applied).
 */
export class EventStore {
  #cap = 0;
  #stride: number;
  /** Numbers per record: {@link R_HEAD}, then the state (`stride / 8`). */
  #recLen: number;
  wall: Float64Array = new Float64Array(0);
  logical: Float64Array = new Float64Array(0);
  readyAt: Float64Array = new Float64Array(0);
  /** Generation: changes when the slot is freed. */
  gen: Int32Array = new Int32Array(0);
  /** The records: slot `s`'s from `recAt(s)`, fields at `R_*` offsets, state words after. */
  rec: Float64Array = new Float64Array(0);
  /** Argument lists longer than {@link INLINE_ARGS}, by slot. */
  readonly #longArgs = new Map<number, number[]>();
  /** The records as bytes (a slot's state from `stateAt`). */
  #bytes: Uint8Array = new Uint8Array(0);
  /** The records as 32-bit words (states copied a word at a time). */
  #words: Int32Array = new Int32Array(0);
  #free: Int32Array = new Int32Array(0);
  #freeTop = 0;
  /** Slots in use. */
  size = 0;
  /** Node id of each stream, by collector-wide stream index. */
  readonly nodes: string[] = [];
  /** Boot id of each stream, by collector-wide stream index. */
  readonly boots: string[] = [];

  /**
   * Creates a store whose slots hold states of up to `stride` bytes.
   *
   * @example Hold one event
   * ```ts
   * import assert from "node:assert/strict";
   * import { EventStore } from "./event_store.ts";
   * const store = new EventStore(8);
   * const slot = store.alloc();
   * store.wall[slot] = 5;
   * const gen = store.gen[slot]!;
   * assert.ok(store.live(slot, gen));
   * store.retire(slot);
   * assert.ok(!store.live(slot, gen));
   * store.free(slot);
   * assert.equal(store.size, 0);
   * ```
   */
  constructor(stride: number) {
    this.#stride = Math.max(8, Math.ceil(stride / 8) * 8);
    this.#recLen = R_HEAD + this.#stride / 8;
    this.#grow(256);
  }

  #grow(cap: number): void {
    const old = this.#cap;
    this.wall = grown(this.wall, cap);
    this.logical = grown(this.logical, cap);
    this.readyAt = grown(this.readyAt, cap);
    this.gen = grown(this.gen, cap);
    this.#setRecords(grown(this.rec, cap * this.#recLen));
    const free = new Int32Array(cap);
    free.set(this.#free.subarray(0, this.#freeTop));
    for (let s = cap - 1; s >= old; s--) free[this.#freeTop++] = s;
    this.#free = free;
    this.#cap = cap;
  }

  #setRecords(rec: Float64Array): void {
    this.rec = rec;
    this.#bytes = new Uint8Array(rec.buffer);
    this.#words = new Int32Array(rec.buffer);
  }

  /** Takes a free slot (fields hold stale values: set them all). */
  alloc(): number {
    if (this.#freeTop === 0) this.#grow(2 * this.#cap);
    this.size++;
    return this.#free[--this.#freeTop]!;
  }

  /** Index in {@link EventStore.rec} of slot `slot`'s record (its fields at the `R_*` offsets). */
  recAt(slot: number): number {
    return slot * this.#recLen;
  }

  /** The event's sequence number in its stream. */
  seqOf(slot: number): number {
    return this.rec[slot * this.#recLen + R_SEQ]!;
  }

  /** The event's collector-wide stream index. */
  streamOf(slot: number): number {
    return this.rec[slot * this.#recLen + R_STREAM]!;
  }

  /** The event's collector-wide partition index. */
  partOf(slot: number): number {
    return this.rec[slot * this.#recLen + R_PART]!;
  }

  /** True when the event is applied late. */
  isLate(slot: number): boolean {
    return this.rec[slot * this.#recLen + R_LATE] === 1;
  }

  /**
   * Sets what admission decides of a slot: its stream, its partition and
   * whether it is late.
   */
  place(slot: number, stream: number, part: number, late: boolean): void {
    const r = this.rec;
    const at = slot * this.#recLen;
    r[at + R_STREAM] = stream;
    r[at + R_PART] = part;
    r[at + R_LATE] = late ? 1 : 0;
  }

  /**
   * Sets a slot's event fields (for callers that do not decode: tests, tools).
   *
   * @example Fill a slot by hand
   * ```ts
   * import assert from "node:assert/strict";
   * import { EventStore } from "./event_store.ts";
   * const s = new EventStore(8);
   * const slot = s.alloc();
   * s.setEvent(slot, { seq: 3, action: 1, verdict: 0, args: [7] });
   * assert.deepEqual(s.snapshotOf(slot, "n", "b", false).args, [7]);
   * assert.equal(s.seqOf(slot), 3);
   * ```
   */
  setEvent(
    slot: number,
    e: {
      readonly seq: number;
      readonly action?: number;
      readonly verdict?: number;
      readonly args?: ArrayLike<number>;
    },
  ): void {
    const r = this.rec;
    const at = slot * this.#recLen;
    r[at + R_SEQ] = e.seq;
    r[at + R_ACTION] = e.action ?? 0;
    r[at + R_VERDICT] = e.verdict ?? 0;
    r[at + R_MEMBER] = -1;
    this.setArgs(slot, e.args ?? NO_ARGS);
  }

  /**
   * Takes a free slot holding event `i` of `c` (its number, clock, action,
   * verdict, arguments and state) of the partition's participant `member`;
   * the caller sets `readyAt[slot]` and the rest (`place`). The ready time is stored by
   * the caller rather than passed: a double such as an epoch time, passed to
   * a call that is not inlined, is boxed (a 16-byte heap number per event),
   * where a store into `readyAt` from the caller is not.
   */
  allocEvent(c: WireColumns, i: number, member: number): number {
    const slot = this.alloc();
    const r = this.rec;
    const at = slot * this.#recLen;
    this.wall[slot] = c.wall[i]!;
    this.logical[slot] = c.logical[i]!;
    r[at + R_SEQ] = c.firstSeq + i;
    r[at + R_ACTION] = c.action[i]!;
    r[at + R_VERDICT] = c.verdict[i]!;
    r[at + R_MEMBER] = member;
    this.setArgsFrom(slot, c.args, c.argOff[i]!, c.argOff[i + 1]! - c.argOff[i]!);
    this.setStateFrom(slot, c.view, c.stateOff[i]!, c.stateLen[i]!);
    return slot;
  }

  /** Marks a slot's event applied: its generation changes (its fields stay readable until `free`). */
  retire(slot: number): void {
    this.gen[slot] = (this.gen[slot]! + 1) | 0;
  }

  /** Returns a retired slot to the free list. */
  free(slot: number): void {
    if (this.rec[slot * this.#recLen + R_ARGC]! > INLINE_ARGS) this.#longArgs.delete(slot);
    this.#free[this.#freeTop++] = slot;
    this.size--;
  }

  /** True while the event `(slot, gen)` waits (not applied). */
  live(slot: number, gen: number): boolean {
    return this.gen[slot] === gen;
  }

  /** Sets a slot's arguments. */
  setArgs(slot: number, args: ArrayLike<number>): void {
    const n = args.length;
    const at = slot * this.#recLen;
    this.rec[at + R_ARGC] = n;
    if (n > INLINE_ARGS) {
      this.#longArgs.set(slot, Array.from(args));
      return;
    }
    for (let j = 0; j < n; j++) this.rec[at + R_ARGS + j] = args[j]!;
  }

  /** Sets a slot's arguments from `src[from .. from + n)`. */
  setArgsFrom(slot: number, src: Float64Array, from: number, n: number): void {
    const r = this.rec;
    const at = slot * this.#recLen;
    r[at + R_ARGC] = n;
    if (n > INLINE_ARGS) {
      this.#longArgs.set(slot, Array.from(src.subarray(from, from + n)));
      return;
    }
    for (let j = 0; j < n; j++) r[at + R_ARGS + j] = src[from + j]!;
  }

  /** A slot's event as a plain record (for notifications). */
  snapshotOf(slot: number, node: string, boot: string, late: boolean): EventSnapshot {
    return {
      node,
      boot,
      seq: this.rec[slot * this.#recLen + R_SEQ]!,
      wall: this.wall[slot]!,
      logical: this.logical[slot]!,
      action: this.rec[slot * this.#recLen + R_ACTION]!,
      args: this.argsOf(slot),
      verdict: this.rec[slot * this.#recLen + R_VERDICT]!,
      late,
    };
  }

  /** A slot's arguments as a fresh array ({@link NO_ARGS} when none). */
  argsOf(slot: number): readonly number[] {
    const at = slot * this.#recLen;
    const n = this.rec[at + R_ARGC]!;
    if (n === 0) return NO_ARGS;
    if (n > INLINE_ARGS) return this.#longArgs.get(slot)!;
    const out = new Array<number>(n);
    for (let j = 0; j < n; j++) out[j] = this.rec[at + R_ARGS + j]!;
    return out;
  }

  /** Copies `n` state bytes from `src[from ..]` into a slot. */
  setState(slot: number, src: Uint8Array, from: number, n: number): void {
    if (n > this.#stride) this.#widen(n);
    const dst = this.#bytes;
    const at = this.#stateAt(slot);
    if (n > 64) dst.set(src.subarray(from, from + n), at);
    else for (let j = 0; j < n; j++) dst[at + j] = src[from + j]!;
  }

  /** {@link setState} from a `DataView` of the source, a word at a time when `n` allows. */
  setStateFrom(slot: number, src: DataView, from: number, n: number): void {
    if (n > this.#stride) this.#widen(n);
    if ((n & 3) !== 0) {
      const bytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
      return this.setState(slot, bytes, from, n);
    }
    const words = this.#words;
    const at = this.#stateAt(slot) >> 2;
    for (let k = 0; k < n >> 2; k++) words[at + k] = src.getInt32(from + 4 * k, true);
  }

  /** Byte offset of a slot's state in the records. */
  #stateAt(slot: number): number {
    return (slot * this.#recLen + R_HEAD) * 8;
  }

  /** The records as 32-bit words (a slot's state starts at word {@link EventStore.wordAt}). */
  get words(): Int32Array {
    return this.#words;
  }

  /** Index in {@link EventStore.words} of a slot's first state word. */
  wordAt(slot: number): number {
    return (slot * this.#recLen + R_HEAD) * 2;
  }

  /** Copies a slot's first `dst.length` state bytes into `dst` (`dst32`: the same memory as words). */
  copyState(slot: number, dst: Uint8Array, dst32: Int32Array): void {
    const n = dst.length;
    const at = this.#stateAt(slot);
    if ((n & 3) !== 0) {
      for (let j = 0; j < n; j++) dst[j] = this.#bytes[at + j]!;
      return;
    }
    const words = this.#words;
    const w = at >> 2;
    for (let k = 0; k < n >> 2; k++) dst32[k] = words[w + k]!;
  }

  /** Makes room for states of `n` bytes (every slot moves). */
  #widen(n: number): void {
    const stride = Math.max(Math.ceil(n / 8) * 8, 2 * this.#stride);
    const len = R_HEAD + stride / 8;
    const old = this.rec;
    const oldLen = this.#recLen;
    const rec = new Float64Array(this.#cap * len);
    for (let s = 0; s < this.#cap; s++) {
      rec.set(old.subarray(s * oldLen, (s + 1) * oldLen), s * len);
    }
    this.#setRecords(rec);
    this.#stride = stride;
    this.#recLen = len;
  }
}
