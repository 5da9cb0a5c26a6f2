/**
 * Received events waiting in reorder buffers, as columns: one slot per
 * event in typed arrays (HLC, sequence number, action, verdict, stream,
 * partition, arguments and the post-state bytes), so an event costs no
 * object while it waits. A slot is freed when its event is applied and
 * reused by a later event; its generation number changes then, so a
 * `(slot, generation)` pair held elsewhere (arrival queue, stream tracking)
 * tells whether that event is still waiting.
 *
 * Footprint: an event waits a reorder window (at 1M events per second and
 * 250 ms, a quarter of a million slots), so its columns are out of the
 * CPU's caches when it is applied, and each cache line of a column holds
 * the fields of several neighbouring slots: the bytes per slot are the
 * lines read per event. So the columns are as narrow as their values
 * allow: action and verdict are 32-bit codes (`Uint32Array`: the unknown
 * action and divergence codes are `0xffff_ffff` and `0xffff_fffe`), the
 * argument count a byte ({@link LONG_ARGC} for a list kept aside), the
 * third and fourth arguments in a column of their own (read only for such
 * events), and the time an event is due is not stored (the scheduler
 * queues it as the batch is ingested). The first two arguments are stored
 * in the slot's state block, after the state (16 bytes more per block;
 * `args` is a view of the same memory): applying an event reads its state
 * and its arguments, one line where there were two (a 44-byte state makes
 * 64-byte blocks, a cache line each).
 *
 * @module
 */

import type { EventSnapshot } from "./types.ts";
import type { WireColumns } from "../../lib/wire/columns.ts";

/** Arguments stored in the slot itself; more go to a side table. */
const INLINE_ARGS = 4;

/** Arguments in {@link EventStore.args} per slot; the next ones up to {@link INLINE_ARGS} are in `args2`. */
const FIRST_ARGS = 2;

/**
 * {@link EventStore.argc} of a slot whose arguments (more than
 * {@link INLINE_ARGS}) are kept aside: {@link EventStore.argsOf} gives
 * them.
 */
export const LONG_ARGC = 255;

/** Shared empty arguments (never mutated). */
export const NO_ARGS: readonly number[] = Object.freeze([]);

function grown<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** The waiting events of a collector. */
export class EventStore {
  #cap = 0;
  /** Bytes per slot in {@link EventStore.states}: `#stateBytes` plus the two arguments. */
  #stride: number;
  /** Room for the state at the start of each slot's block (a multiple of 8). */
  #stateBytes: number;
  wall: Float64Array = new Float64Array(0);
  logical: Float64Array = new Float64Array(0);
  seq: Float64Array = new Float64Array(0);
  /** Action index (a 32-bit code: `UNKNOWN_ACTION_INDEX` is one). */
  action: Uint32Array = new Uint32Array(0);
  /** Verdict code (32-bit: `VERDICT_DIVERGENCE` is one). */
  verdict: Uint32Array = new Uint32Array(0);
  /** Collector-wide stream index. */
  stream: Int32Array = new Int32Array(0);
  /** Collector-wide partition index. */
  part: Int32Array = new Int32Array(0);
  /** Generation: changes when the slot is freed. */
  gen: Int32Array = new Int32Array(0);
  /** 1 when applied late. */
  late: Uint8Array = new Uint8Array(0);
  /**
   * The event's participant in its partition (its index there) when its
   * node had joined by admission, else -1: the applier then skips the
   * lookup by node (participants keep their index for good).
   */
  member: Int32Array = new Int32Array(0);
  /** Number of arguments, {@link LONG_ARGC} for more than four (kept aside: {@link EventStore.argsOf}). */
  argc: Uint8Array = new Uint8Array(0);
  /**
   * The first two arguments of each slot, from {@link EventStore.argsAt}:
   * a view of {@link EventStore.states} (they follow the slot's state).
   */
  args: Float64Array = new Float64Array(0);
  /** The third and fourth arguments of each slot (of an event with three or four). */
  #args2: Float64Array = new Float64Array(0);
  /** Argument lists longer than {@link INLINE_ARGS}, by slot. */
  readonly #longArgs = new Map<number, number[]>();
  /**
   * Blocks of `stride` bytes per slot: the state (up to `#stateBytes`, a
   * multiple of 8), then the first two arguments (16 bytes).
   */
  states: Uint8Array = new Uint8Array(0);
  /** `states` as 32-bit words (copied a word at a time). */
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
    this.#stateBytes = Math.max(8, Math.ceil(stride / 8) * 8);
    this.#stride = this.#stateBytes + 8 * FIRST_ARGS;
    this.#grow(256);
  }

  #grow(cap: number): void {
    const old = this.#cap;
    this.wall = grown(this.wall, cap);
    this.logical = grown(this.logical, cap);
    this.seq = grown(this.seq, cap);
    this.action = grown(this.action, cap);
    this.verdict = grown(this.verdict, cap);
    this.stream = grown(this.stream, cap);
    this.part = grown(this.part, cap);
    this.gen = grown(this.gen, cap);
    this.late = grown(this.late, cap);
    this.member = grown(this.member, cap);
    this.argc = grown(this.argc, cap);
    this.#args2 = grown(this.#args2, cap * (INLINE_ARGS - FIRST_ARGS));
    this.#views(grown(this.states, cap * this.#stride));
    const free = new Int32Array(cap);
    free.set(this.#free.subarray(0, this.#freeTop));
    for (let s = cap - 1; s >= old; s--) free[this.#freeTop++] = s;
    this.#free = free;
    this.#cap = cap;
  }

  /** Slots the columns have room for (in use or free). */
  get capacity(): number {
    return this.#cap;
  }

  /**
   * Makes room for at least `n` slots in one step (a caller that knows how
   * many it will need: the scheduler, while a reorder window fills), where
   * {@link EventStore.alloc} would double the room again and again, each
   * time allocating, zeroing and copying every column. At least doubles
   * the room when it grows; nothing when there is room already.
   */
  reserve(n: number): void {
    if (n > this.#cap) this.#grow(Math.max(2 * this.#cap, Math.ceil(n)));
  }

  /** Takes a free slot (fields hold stale values: set them all). */
  alloc(): number {
    if (this.#freeTop === 0) this.#grow(2 * this.#cap);
    this.size++;
    return this.#free[--this.#freeTop]!;
  }

  /**
   * Takes a free slot holding event `i` of `c` (its number, clock, action,
   * verdict, arguments and state) of the partition's participant `member`;
   * the caller sets the rest.
   */
  allocEvent(c: WireColumns, i: number, member: number): number {
    const slot = this.alloc();
    this.seq[slot] = c.firstSeq + i;
    this.wall[slot] = c.wall[i]!;
    this.logical[slot] = c.logical[i]!;
    this.action[slot] = c.action[i]!;
    this.verdict[slot] = c.verdict[i]!;
    this.setArgsFrom(slot, c.args, c.argOff[i]!, c.argOff[i + 1]! - c.argOff[i]!);
    this.setStateFrom(slot, c.view, c.stateOff[i]!, c.stateLen[i]!);
    this.member[slot] = member;
    return slot;
  }

  /** Marks a slot's event applied: its generation changes (its fields stay readable until `free`). */
  retire(slot: number): void {
    this.gen[slot] = (this.gen[slot]! + 1) | 0;
  }

  /** Returns a retired slot to the free list. */
  free(slot: number): void {
    if (this.argc[slot] === LONG_ARGC) this.#longArgs.delete(slot);
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
    if (n > INLINE_ARGS) {
      this.argc[slot] = LONG_ARGC;
      this.#longArgs.set(slot, Array.from(args));
      return;
    }
    this.argc[slot] = n;
    const at = this.argsAt(slot);
    const at2 = slot * (INLINE_ARGS - FIRST_ARGS);
    if (n > 0) this.args[at] = args[0]!;
    if (n > 1) this.args[at + 1] = args[1]!;
    if (n > 2) this.#args2[at2] = args[2]!;
    if (n > 3) this.#args2[at2 + 1] = args[3]!;
  }

  /** Sets a slot's arguments from `src[from .. from + n)`. */
  setArgsFrom(slot: number, src: Float64Array, from: number, n: number): void {
    if (n > INLINE_ARGS) {
      this.argc[slot] = LONG_ARGC;
      this.#longArgs.set(slot, Array.from(src.subarray(from, from + n)));
      return;
    }
    this.argc[slot] = n;
    const at = this.argsAt(slot);
    const at2 = slot * (INLINE_ARGS - FIRST_ARGS);
    if (n > 0) this.args[at] = src[from]!;
    if (n > 1) this.args[at + 1] = src[from + 1]!;
    if (n > 2) this.#args2[at2] = src[from + 2]!;
    if (n > 3) this.#args2[at2 + 1] = src[from + 3]!;
  }

  /** Index in {@link EventStore.args} of a slot's first argument (the first two are there). */
  argsAt(slot: number): number {
    return (slot * this.#stride + this.#stateBytes) >> 3;
  }

  /** A slot's event as a plain record (for notifications). */
  snapshotOf(slot: number, node: string, boot: string, late: boolean): EventSnapshot {
    return {
      node,
      boot,
      seq: this.seq[slot]!,
      wall: this.wall[slot]!,
      logical: this.logical[slot]!,
      action: this.action[slot]!,
      args: this.argsOf(slot),
      verdict: this.verdict[slot]!,
      late,
    };
  }

  /** A slot's arguments as a fresh array ({@link NO_ARGS} when none). */
  argsOf(slot: number): readonly number[] {
    const n = this.argc[slot]!;
    if (n === 0) return NO_ARGS;
    if (n === LONG_ARGC) return this.#longArgs.get(slot)!;
    const at = this.argsAt(slot);
    const at2 = slot * (INLINE_ARGS - FIRST_ARGS);
    const out = new Array<number>(n);
    for (let j = 0; j < n; j++) {
      out[j] = j < FIRST_ARGS ? this.args[at + j]! : this.#args2[at2 + j - FIRST_ARGS]!;
    }
    return out;
  }

  /** Copies `n` state bytes from `src[from ..]` into a slot. */
  setState(slot: number, src: Uint8Array, from: number, n: number): void {
    if (n > this.#stateBytes) this.#widen(n);
    const dst = this.states;
    const at = slot * this.#stride;
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
    const words = this.#words;
    const at = (slot * this.#stride) >> 2;
    for (let k = 0; k < n >> 2; k++) words[at + k] = src.getInt32(from + 4 * k, true);
  }

  /** The state bytes as 32-bit words (a slot's state starts at word {@link EventStore.wordAt}). */
  get words(): Int32Array {
    return this.#words;
  }

  /** Index in {@link EventStore.words} of a slot's first state word. */
  wordAt(slot: number): number {
    return (slot * this.#stride) >> 2;
  }

  /** Copies a slot's first `dst.length` state bytes into `dst` (`dst32`: the same memory as words). */
  copyState(slot: number, dst: Uint8Array, dst32: Int32Array): void {
    const n = dst.length;
    const at = slot * this.#stride;
    if ((n & 3) !== 0) {
      for (let j = 0; j < n; j++) dst[j] = this.states[at + j]!;
      return;
    }
    const words = this.#words;
    const w = at >> 2;
    for (let k = 0; k < n >> 2; k++) dst32[k] = words[w + k]!;
  }

  /** Makes room for states of `n` bytes (every slot moves: its state, then its two arguments). */
  #widen(n: number): void {
    const room = Math.max(Math.ceil(n / 8) * 8, 2 * this.#stateBytes);
    const stride = room + 8 * FIRST_ARGS;
    const old = this.states;
    const states = new Uint8Array(this.#cap * stride);
    for (let s = 0; s < this.#cap; s++) {
      const from = s * this.#stride;
      states.set(old.subarray(from, from + this.#stateBytes), s * stride);
      states.set(old.subarray(from + this.#stateBytes, from + this.#stride), s * stride + room);
    }
    this.#views(states);
    this.#stride = stride;
    this.#stateBytes = room;
  }

  /** Takes `states` as the slots' blocks, with its word and argument views. */
  #views(states: Uint8Array): void {
    this.states = states;
    this.#words = new Int32Array(states.buffer);
    this.args = new Float64Array(states.buffer);
  }
}
