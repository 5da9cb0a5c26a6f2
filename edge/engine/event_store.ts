/**
 * Received events waiting in reorder buffers: one block of bytes per event
 * (a slot), so an event costs no object while it waits. A slot is freed
 * when its event is applied and reused by a later event; its generation
 * number changes then, so a `(slot, generation)` pair held elsewhere
 * (arrival queue, stream tracking) tells whether that event is still
 * waiting.
 *
 * Footprint: an event waits a reorder window (at 1M events per second and
 * 250 ms, a quarter of a million slots), so its slot is out of the CPU's
 * caches when it is applied, and the slots are reused in the order events
 * are applied, so the slots of a batch are scattered: each cache line an
 * event's fields span is a miss when it is applied. So all of an event's
 * fields are in its slot's block, one after another, a few lines per
 * event (a block per field kind, as columns once were, cost a line per
 * field): a header of {@link HEADER_BYTES} (HLC, sequence number, action
 * and verdict codes, stream, partition, participant, generation, the late
 * mark, the argument count and the event's first dependency as the causal
 * judge numbered it at ingest: {@link EventStore.setFirstDep}), the
 * post-state (a multiple of 8 bytes), then the first two arguments. The
 * third and fourth arguments are in a column of their own (read only for
 * such events); action and verdict are 32-bit codes (the unknown action
 * and divergence codes are `0xffff_ffff` and `0xffff_fffe`), the argument
 * count a byte ({@link LONG_ARGC} for a list kept aside). The fields are
 * read and written through the methods (`wallOf`, `setHlc`, ...), which
 * the JIT inlines into their callers.
 *
 * @module
 */

import type { EventSnapshot } from "./types.ts";
import type { WireColumns } from "../../lib/wire/columns.ts";

/** Arguments stored in the slot itself; more go to a side table. */
const INLINE_ARGS = 4;

/** Arguments in a slot's block, after its state; the next ones up to {@link INLINE_ARGS} are in `args2`. */
const FIRST_ARGS = 2;

/**
 * Bytes of a slot's header, before its state: doubles wall, logical and
 * sequence number (doubles 0-2); 32-bit words action, verdict, stream,
 * partition, participant and generation (words 6-11); bytes late and
 * argument count (bytes 48 and 49); the first dependency's sender (a
 * 16-bit number at bytes 50-51), the table's retirements then (word 13),
 * the event's wall less the stamp's and the stamp's logical (words 14 and
 * 15). 8 bytes more than without the dependency (a 56-byte header):
 * causal off, `bench/variant_ab.ts` (order alternating) measured 1.01x
 * and 0.97x of it, within its noise.
 */
export const HEADER_BYTES = 64;
const F_WALL = 0;
const F_LOGICAL = 1;
const F_SEQ = 2;
const W_ACTION = 6;
const W_VERDICT = 7;
const W_STREAM = 8;
const W_PART = 9;
const W_MEMBER = 10;
const W_GEN = 11;
const B_LATE = 48;
const B_ARGC = 49;
const H_DEP_FROM = 25;
const W_DEP_RETIRED = 13;
const W_DEP_BEFORE = 14;
const W_DEP_LOGICAL = 15;
/** {@link EventStore.depFromOf} of none (in its 16 bits). */
const NO_DEP = 0xffff;

/**
 * {@link EventStore.argcOf} of a slot whose arguments (more than
 * {@link INLINE_ARGS}) are kept aside: {@link EventStore.argsOf} gives
 * them.
 */
export const LONG_ARGC = 255;

/** Shared empty arguments (never mutated). */
export const NO_ARGS: readonly number[] = Object.freeze([]);

/** The waiting events of a collector. */
export class EventStore {
  #cap = 0;
  /** Bytes per slot: the header, `#stateBytes`, then the two arguments. */
  #stride: number;
  /** `#stride` in doubles and in 32-bit words. */
  #s8: number;
  #s4: number;
  /** Room for the state in each slot's block (a multiple of 8). */
  #stateBytes: number;
  /** The slots' blocks, as bytes, 32-bit words, unsigned words and doubles (one memory). */
  #u8: Uint8Array = new Uint8Array(0);
  #u16: Uint16Array = new Uint16Array(0);
  #i32: Int32Array = new Int32Array(0);
  #u32: Uint32Array = new Uint32Array(0);
  #f64: Float64Array = new Float64Array(0);
  /** The third and fourth arguments of each slot (of an event with three or four). */
  #args2: Float64Array = new Float64Array(0);
  /** Argument lists longer than {@link INLINE_ARGS}, by slot. */
  readonly #longArgs = new Map<number, number[]>();
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
   * store.setHlc(slot, 5, 0, 1);
   * const gen = store.genOf(slot);
   * assert.ok(store.live(slot, gen));
   * store.retire(slot);
   * assert.ok(!store.live(slot, gen));
   * assert.equal(store.wallOf(slot), 5);
   * store.free(slot);
   * assert.equal(store.size, 0);
   * ```
   */
  constructor(stride: number) {
    this.#stateBytes = Math.max(8, Math.ceil(stride / 8) * 8);
    this.#stride = HEADER_BYTES + this.#stateBytes + 8 * FIRST_ARGS;
    this.#s8 = this.#stride >> 3;
    this.#s4 = this.#stride >> 2;
    this.#grow(256);
  }

  #grow(cap: number): void {
    const old = this.#cap;
    const blocks = new Uint8Array(cap * this.#stride);
    blocks.set(this.#u8);
    this.#views(blocks);
    const args2 = new Float64Array(cap * (INLINE_ARGS - FIRST_ARGS));
    args2.set(this.#args2);
    this.#args2 = args2;
    const free = new Int32Array(cap);
    free.set(this.#free.subarray(0, this.#freeTop));
    for (let s = cap - 1; s >= old; s--) free[this.#freeTop++] = s;
    this.#free = free;
    this.#cap = cap;
  }

  /** Slots the blocks have room for (in use or free). */
  get capacity(): number {
    return this.#cap;
  }

  /**
   * Makes room for at least `n` slots in one step (a caller that knows how
   * many it will need: the scheduler, while a reorder window fills), where
   * {@link EventStore.alloc} would double the room again and again, each
   * time allocating, zeroing and copying every block. At least doubles
   * the room when it grows; nothing when there is room already.
   */
  reserve(n: number): void {
    if (n > this.#cap) this.#grow(Math.max(2 * this.#cap, Math.ceil(n)));
  }

  /** Takes a free slot (fields hold stale values, but for its first dependency's sender, -1: set them all). */
  alloc(): number {
    if (this.#freeTop === 0) this.#grow(2 * this.#cap);
    this.size++;
    const slot = this.#free[--this.#freeTop]!;
    // A stale sender would hand the judge another event's dependency: none until one is set.
    this.#u16[slot * (this.#stride >> 1) + H_DEP_FROM] = NO_DEP;
    return slot;
  }

  /**
   * Takes a free slot holding event `i` of `c` (its number, clock, action,
   * verdict, arguments and state) of the partition's participant `member`;
   * the caller sets the rest ({@link EventStore.place}).
   */
  allocEvent(c: WireColumns, i: number, member: number): number {
    const slot = this.alloc();
    const f = slot * this.#s8;
    const f64 = this.#f64;
    f64[f + F_WALL] = c.wall[i]!;
    f64[f + F_LOGICAL] = c.logical[i]!;
    f64[f + F_SEQ] = c.firstSeq + i;
    const w = slot * this.#s4;
    const u32 = this.#u32;
    u32[w + W_ACTION] = c.action[i]!;
    u32[w + W_VERDICT] = c.verdict[i]!;
    this.#i32[w + W_MEMBER] = member;
    this.setArgsFrom(slot, c.args, c.argOff[i]!, c.argOff[i + 1]! - c.argOff[i]!);
    this.setStateFrom(slot, c.view, c.stateOff[i]!, c.stateLen[i]!);
    return slot;
  }

  /**
   * Sets a slot's first dependency, dependency `d` of `c`, as the causal
   * judge recorded it at ingest (after its HLC: {@link EventStore.allocEvent}):
   * the sender's number `from` in its dependency table, the stamp's wall
   * and logical (an integer of 32 bits, the caller's check), and the
   * table's retirements then (a node number is given again after a
   * retirement: `DependencyTable.retirements`). The judge's handoff test
   * reads them instead of a lookup in the table. Kept as none (8 bytes
   * suffice, in the header's line) when the sender's number is past 16
   * bits or the stamp is not a whole number of milliseconds (up to 2^31)
   * before the event: the judge then looks the stamp up. The columns and
   * an index, not the wall: a double passed to a call V8 does not inline
   * is boxed (measured 67.5 -> 74.1 bytes allocated per event, causal on).
   */
  setFirstDep(slot: number, from: number, c: WireColumns, d: number, retired: number): void {
    const wall = c.depWall[d]!;
    const before = this.wallOf(slot) - wall;
    if (from >= NO_DEP || (before | 0) !== before || this.wallOf(slot) - before !== wall) return;
    const w = slot * this.#s4;
    const i32 = this.#i32;
    i32[w + W_DEP_BEFORE] = before;
    i32[w + W_DEP_LOGICAL] = c.depLogical[d]!;
    i32[w + W_DEP_RETIRED] = retired;
    this.#u16[slot * (this.#stride >> 1) + H_DEP_FROM] = from;
  }

  /** The sender number of a slot's first dependency ({@link EventStore.setFirstDep}), -1 when none was set. */
  depFromOf(slot: number): number {
    const from = this.#u16[slot * (this.#stride >> 1) + H_DEP_FROM]!;
    return from === NO_DEP ? -1 : from;
  }

  /** How many ms the stamp of a slot's first dependency is before its event's wall (valid when {@link EventStore.depFromOf} is not -1). */
  depBeforeOf(slot: number): number {
    return this.#i32[slot * this.#s4 + W_DEP_BEFORE]!;
  }

  /** The wall of a slot's first dependency (valid when {@link EventStore.depFromOf} is not -1). */
  depWallOf(slot: number): number {
    return this.wallOf(slot) - this.depBeforeOf(slot);
  }

  /** The logical of a slot's first dependency (valid when {@link EventStore.depFromOf} is not -1). */
  depLogicalOf(slot: number): number {
    return this.#i32[slot * this.#s4 + W_DEP_LOGICAL]!;
  }

  /** The table's retirements when a slot's first dependency was set (valid when {@link EventStore.depFromOf} is not -1). */
  depRetiredOf(slot: number): number {
    return this.#i32[slot * this.#s4 + W_DEP_RETIRED]!;
  }

  /** Wall time of a slot's event. */
  wallOf(slot: number): number {
    return this.#f64[slot * this.#s8 + F_WALL]!;
  }

  /**
   * The blocks as doubles: a slot's wall time is at {@link EventStore.wallAt}
   * (for a callee that reads it: a double passed to a function that is not
   * inlined costs an allocation).
   */
  get doubles(): Float64Array {
    return this.#f64;
  }

  /** Index in {@link EventStore.doubles} of a slot's wall time. */
  wallAt(slot: number): number {
    return slot * this.#s8 + F_WALL;
  }

  /** Logical counter of a slot's event. */
  logicalOf(slot: number): number {
    return this.#f64[slot * this.#s8 + F_LOGICAL]!;
  }

  /** Sequence number of a slot's event. */
  seqOf(slot: number): number {
    return this.#f64[slot * this.#s8 + F_SEQ]!;
  }

  /** Action index of a slot's event (a 32-bit code: `UNKNOWN_ACTION_INDEX` is one). */
  actionOf(slot: number): number {
    return this.#u32[slot * this.#s4 + W_ACTION]!;
  }

  /** Verdict code of a slot's event (32-bit: `VERDICT_DIVERGENCE` is one). */
  verdictOf(slot: number): number {
    return this.#u32[slot * this.#s4 + W_VERDICT]!;
  }

  /** Collector-wide stream index of a slot's event. */
  streamOf(slot: number): number {
    return this.#i32[slot * this.#s4 + W_STREAM]!;
  }

  /** Collector-wide partition index of a slot's event. */
  partOf(slot: number): number {
    return this.#i32[slot * this.#s4 + W_PART]!;
  }

  /**
   * The event's participant in its partition (its index there) when its
   * node had joined by admission, else -1: the applier then skips the
   * lookup by node (participants keep their index for good).
   */
  memberOf(slot: number): number {
    return this.#i32[slot * this.#s4 + W_MEMBER]!;
  }

  /** Generation of a slot: changes when the slot is freed. */
  genOf(slot: number): number {
    return this.#i32[slot * this.#s4 + W_GEN]!;
  }

  /** True when a slot's event is applied late. */
  lateOf(slot: number): boolean {
    return this.#u8[slot * this.#stride + B_LATE] === 1;
  }

  /** Number of arguments, {@link LONG_ARGC} for more than four (kept aside: {@link EventStore.argsOf}). */
  argcOf(slot: number): number {
    return this.#u8[slot * this.#stride + B_ARGC]!;
  }

  /** Sets a slot's HLC and sequence number. */
  setHlc(slot: number, wall: number, logical: number, seq: number): void {
    const f = slot * this.#s8;
    this.#f64[f + F_WALL] = wall;
    this.#f64[f + F_LOGICAL] = logical;
    this.#f64[f + F_SEQ] = seq;
  }

  /** Sets a slot's action index and verdict code. */
  setCodes(slot: number, action: number, verdict: number): void {
    const w = slot * this.#s4;
    this.#u32[w + W_ACTION] = action;
    this.#u32[w + W_VERDICT] = verdict;
  }

  /** Sets a slot's participant index ({@link EventStore.memberOf}). */
  setMember(slot: number, member: number): void {
    this.#i32[slot * this.#s4 + W_MEMBER] = member;
  }

  /** Sets a slot's stream, partition and late mark (admission's). */
  place(slot: number, stream: number, part: number, late: boolean): void {
    const w = slot * this.#s4;
    this.#i32[w + W_STREAM] = stream;
    this.#i32[w + W_PART] = part;
    this.#u8[slot * this.#stride + B_LATE] = late ? 1 : 0;
  }

  /** Sets a slot's late mark. */
  setLate(slot: number, late: boolean): void {
    this.#u8[slot * this.#stride + B_LATE] = late ? 1 : 0;
  }

  /** Marks a slot's event applied: its generation changes (its fields stay readable until `free`). */
  retire(slot: number): void {
    const w = slot * this.#s4 + W_GEN;
    this.#i32[w] = (this.#i32[w]! + 1) | 0;
  }

  /** Returns a retired slot to the free list. */
  free(slot: number): void {
    if (this.argcOf(slot) === LONG_ARGC) this.#longArgs.delete(slot);
    this.#free[this.#freeTop++] = slot;
    this.size--;
  }

  /**
   * Reads a slot's first and last numbers and its generation, so that each
   * line its block spans (up to three) is in the caches: see
   * `Scheduler.release`. The sum means nothing (returned so the reads are
   * kept).
   */
  touch(slot: number): number {
    const f = slot * this.#s8;
    return this.#f64[f]! + this.#f64[f + this.#s8 - 1]! + this.genOf(slot);
  }

  /** True while the event `(slot, gen)` waits (not applied). */
  live(slot: number, gen: number): boolean {
    return this.genOf(slot) === gen;
  }

  /** Sets a slot's arguments. */
  setArgs(slot: number, args: ArrayLike<number>): void {
    const n = args.length;
    const b = slot * this.#stride + B_ARGC;
    if (n > INLINE_ARGS) {
      this.#u8[b] = LONG_ARGC;
      this.#longArgs.set(slot, Array.from(args));
      return;
    }
    this.#u8[b] = n;
    const at = this.argsAt(slot);
    const at2 = slot * (INLINE_ARGS - FIRST_ARGS);
    if (n > 0) this.#f64[at] = args[0]!;
    if (n > 1) this.#f64[at + 1] = args[1]!;
    if (n > 2) this.#args2[at2] = args[2]!;
    if (n > 3) this.#args2[at2 + 1] = args[3]!;
  }

  /** Sets a slot's arguments from `src[from .. from + n)`. */
  setArgsFrom(slot: number, src: Float64Array, from: number, n: number): void {
    const b = slot * this.#stride + B_ARGC;
    if (n > INLINE_ARGS) {
      this.#u8[b] = LONG_ARGC;
      this.#longArgs.set(slot, Array.from(src.subarray(from, from + n)));
      return;
    }
    this.#u8[b] = n;
    const at = this.argsAt(slot);
    const at2 = slot * (INLINE_ARGS - FIRST_ARGS);
    if (n > 0) this.#f64[at] = src[from]!;
    if (n > 1) this.#f64[at + 1] = src[from + 1]!;
    if (n > 2) this.#args2[at2] = src[from + 2]!;
    if (n > 3) this.#args2[at2 + 1] = src[from + 3]!;
  }

  /** Index in {@link EventStore.doubles} of a slot's first argument (the first two are there). */
  argsAt(slot: number): number {
    return (slot * this.#stride + HEADER_BYTES + this.#stateBytes) >> 3;
  }

  /** A slot's event as a plain record (for notifications). */
  snapshotOf(slot: number, node: string, boot: string, late: boolean): EventSnapshot {
    return {
      node,
      boot,
      seq: this.seqOf(slot),
      wall: this.wallOf(slot),
      logical: this.logicalOf(slot),
      action: this.actionOf(slot),
      args: this.argsOf(slot),
      verdict: this.verdictOf(slot),
      late,
    };
  }

  /** A slot's arguments as a fresh array ({@link NO_ARGS} when none). */
  argsOf(slot: number): readonly number[] {
    const n = this.argcOf(slot);
    if (n === 0) return NO_ARGS;
    if (n === LONG_ARGC) return this.#longArgs.get(slot)!;
    const at = this.argsAt(slot);
    const at2 = slot * (INLINE_ARGS - FIRST_ARGS);
    const out = new Array<number>(n);
    for (let j = 0; j < n; j++) {
      out[j] = j < FIRST_ARGS ? this.#f64[at + j]! : this.#args2[at2 + j - FIRST_ARGS]!;
    }
    return out;
  }

  /** Copies `n` state bytes from `src[from ..]` into a slot. */
  setState(slot: number, src: Uint8Array, from: number, n: number): void {
    if (n > this.#stateBytes) this.#widen(n);
    const dst = this.#u8;
    const at = slot * this.#stride + HEADER_BYTES;
    if (n > 64) dst.set(src.subarray(from, from + n), at);
    else for (let j = 0; j < n; j++) dst[at + j] = src[from + j]!;
  }

  /** {@link setState} from a `DataView` of the source, a word at a time when `n` allows. */
  setStateFrom(slot: number, src: DataView, from: number, n: number): void {
    if (n > this.#stateBytes) this.#widen(n);
    if ((n & 3) !== 0) {
      const bytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
      return this.setState(slot, bytes, from, n);
    }
    const words = this.#i32;
    const at = this.wordAt(slot);
    for (let k = 0; k < n >> 2; k++) words[at + k] = src.getInt32(from + 4 * k, true);
  }

  /** The blocks as 32-bit words (a slot's state starts at word {@link EventStore.wordAt}). */
  get words(): Int32Array {
    return this.#i32;
  }

  /** Index in {@link EventStore.words} of a slot's first state word. */
  wordAt(slot: number): number {
    return (slot * this.#stride + HEADER_BYTES) >> 2;
  }

  /** Copies a slot's first `dst.length` state bytes into `dst` (`dst32`: the same memory as words). */
  copyState(slot: number, dst: Uint8Array, dst32: Int32Array): void {
    const n = dst.length;
    const at = slot * this.#stride + HEADER_BYTES;
    if ((n & 3) !== 0) {
      for (let j = 0; j < n; j++) dst[j] = this.#u8[at + j]!;
      return;
    }
    const words = this.#i32;
    const w = at >> 2;
    for (let k = 0; k < n >> 2; k++) dst32[k] = words[w + k]!;
  }

  /** Makes room for states of `n` bytes (every slot moves: its header, its state, then its two arguments). */
  #widen(n: number): void {
    const room = Math.max(Math.ceil(n / 8) * 8, 2 * this.#stateBytes);
    const stride = HEADER_BYTES + room + 8 * FIRST_ARGS;
    const old = this.#u8;
    const was = this.#stride;
    const head = HEADER_BYTES + this.#stateBytes;
    const blocks = new Uint8Array(this.#cap * stride);
    for (let s = 0; s < this.#cap; s++) {
      const from = s * was;
      blocks.set(old.subarray(from, from + head), s * stride);
      blocks.set(old.subarray(from + head, from + was), s * stride + HEADER_BYTES + room);
    }
    this.#views(blocks);
    this.#stride = stride;
    this.#s8 = stride >> 3;
    this.#s4 = stride >> 2;
    this.#stateBytes = room;
  }

  /** Takes `blocks` as the slots' blocks, with its views. */
  #views(blocks: Uint8Array): void {
    this.#u8 = blocks;
    this.#u16 = new Uint16Array(blocks.buffer);
    this.#i32 = new Int32Array(blocks.buffer);
    this.#u32 = new Uint32Array(blocks.buffer);
    this.#f64 = new Float64Array(blocks.buffer);
  }
}
