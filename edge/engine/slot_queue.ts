/**
 * A queue of buffered events: each entry is an event store slot, its
 * generation (the entry is stale once that event is applied) and a value.
 * The collector keeps its buffered events in arrival order with the time by
 * which each must be applied (arrival + window); each stream keeps its own
 * with their sequence numbers.
 *
 * @module
 */

/** Tells whether a buffered event, known by its store slot and generation, still waits. */
export interface SlotLiveness {
  live(slot: number, gen: number): boolean;
}

/** Counters are brought back below this (by a multiple of the room) as they pass it, so they stay small integers. */
const COUNTER_LIMIT = 0x4000_0000;

/**
 * A queue of `(slot, generation, value)`: a ring, entry `k`
 * (`head <= k < tail`) at index `k & mask` of each column, so taking the
 * first entry or making room never moves the others (the room doubles
 * when full).
 */
export class SlotQueue {
  #slot: Int32Array;
  #gen: Int32Array;
  #value: Float64Array;
  /** Room - 1 (the room is a power of two). */
  #mask: number;
  #head = 0;
  #tail = 0;
  /** True while the value never decreased along the queue. */
  #sorted = true;

  /**
   * Creates an empty queue with room for `capacity` entries, rounded up to
   * a power of two (it doubles as needed; a stream's queue starts small,
   * the engine's arrivals large).
   */
  constructor(capacity = 1024) {
    let room = 2;
    while (room < capacity) room *= 2;
    this.#slot = new Int32Array(room);
    this.#gen = new Int32Array(room);
    this.#value = new Float64Array(room);
    this.#mask = room - 1;
  }

  /** Entries, stale ones included. */
  get length(): number {
    return this.#tail - this.#head;
  }

  /** True when the next push doubles the room. */
  get full(): boolean {
    return this.#tail - this.#head > this.#mask;
  }

  /**
   * Appends an entry.
   *
   * @example Queue and take
   * ```ts
   * import assert from "node:assert/strict";
   * import { SlotQueue } from "./slot_queue.ts";
   * const q = new SlotQueue();
   * q.push(3, 0, 250);
   * assert.equal(q.headValue(), 250);
   * assert.equal(q.shift(), 3);
   * assert.equal(q.headValue(), Infinity);
   * ```
   */
  push(slot: number, gen: number, value: number): void {
    if (this.#tail - this.#head > this.#mask) this.#widen();
    const t = this.#tail++;
    const mask = this.#mask;
    if (t > this.#head && this.#value[(t - 1) & mask]! > value) this.#sorted = false;
    this.#slot[t & mask] = slot;
    this.#gen[t & mask] = gen;
    this.#value[t & mask] = value;
  }

  /**
   * {@link push} with the value `values[at]`, read here rather than passed
   * (a double passed to a call that is not inlined is boxed: a 16-byte heap
   * number per entry).
   */
  pushFrom(slot: number, gen: number, values: Float64Array, at: number): void {
    if (this.#tail - this.#head > this.#mask) this.#widen();
    const t = this.#tail++;
    const mask = this.#mask;
    const value = values[at]!;
    if (t > this.#head && this.#value[(t - 1) & mask]! > value) this.#sorted = false;
    this.#slot[t & mask] = slot;
    this.#gen[t & mask] = gen;
    this.#value[t & mask] = value;
  }

  /** True when the queue is not empty and its first value is at most `limit`. */
  headDue(limit: number): boolean {
    return this.#head < this.#tail && this.#value[this.#head & this.#mask]! <= limit;
  }

  /** True while no value decreased along the queue since it was last empty. */
  get sorted(): boolean {
    return this.#sorted;
  }

  /** Value of the first entry, Infinity when empty. */
  headValue(): number {
    return this.#head < this.#tail ? this.#value[this.#head & this.#mask]! : Infinity;
  }

  /**
   * Slot of entry `k` after the first (0: the first) when the queue holds
   * it and its value is at most `limit` (due); -1 otherwise.
   */
  dueAhead(k: number, limit: number): number {
    const at = this.#head + k;
    if (at >= this.#tail || this.#value[at & this.#mask]! > limit) return -1;
    return this.#slot[at & this.#mask]!;
  }

  /** Generation of entry `k` after the first (one the queue holds: {@link SlotQueue.dueAhead}). */
  genAhead(k: number): number {
    return this.#gen[(this.#head + k) & this.#mask]!;
  }

  /** Generation of the first entry (call before `shift`). */
  headGen(): number {
    return this.#gen[this.#head & this.#mask]!;
  }

  /** Removes the first entry; returns its slot. */
  shift(): number {
    const slot = this.#slot[this.#head & this.#mask]!;
    this.#advance();
    return slot;
  }

  /** Moves the head past the first entry (clearing the queue when that was the last). */
  #advance(): void {
    const head = ++this.#head;
    if (head === this.#tail) this.clear();
    else if (head === COUNTER_LIMIT) {
      const base = head - (head & this.#mask);
      this.#head -= base;
      this.#tail -= base;
    }
  }

  /** Removes every entry. */
  clear(): void {
    this.#head = 0;
    this.#tail = 0;
    this.#sorted = true;
  }

  /** Removes stale entries from the front. */
  dropStale(store: SlotLiveness): void {
    const mask = this.#mask;
    while (
      this.#head < this.#tail &&
      !store.live(this.#slot[this.#head & mask]!, this.#gen[this.#head & mask]!)
    ) {
      this.#advance();
    }
  }

  /** True when entry `k` (a counter between head and tail) still waits. */
  #live(store: SlotLiveness, k: number): boolean {
    return store.live(this.#slot[k & this.#mask]!, this.#gen[k & this.#mask]!);
  }

  /** Calls `f` for each entry whose event still waits, in queue order. */
  forEachLive(store: SlotLiveness, f: (slot: number, value: number) => void): void {
    for (let k = this.#head; k < this.#tail; k++) {
      if (this.#live(store, k)) f(this.#slot[k & this.#mask]!, this.#value[k & this.#mask]!);
    }
  }

  /** The values of the waiting events, in queue order. */
  liveValues(store: SlotLiveness): number[] {
    const out: number[] = [];
    for (let k = this.#head; k < this.#tail; k++) {
      if (this.#live(store, k)) out.push(this.#value[k & this.#mask]!);
    }
    return out;
  }

  /**
   * The values of the waiting events as ascending runs of consecutive
   * integers, `[first, last]` each, maximal (two runs never touch): one
   * pass and one array per run when the queue is sorted (the values of a
   * stream's sequence numbers, most of them consecutive), else the values
   * sorted first. For integer values.
   *
   * @example Runs
   * ```ts
   * import assert from "node:assert/strict";
   * import { SlotQueue } from "./slot_queue.ts";
   * const q = new SlotQueue();
   * for (const v of [3, 4, 5, 7, 8]) q.push(v, 0, v);
   * const all = { live: (slot: number) => slot !== 4 };
   * assert.deepEqual(q.liveRuns(all), [[3, 3], [5, 5], [7, 8]]);
   * ```
   */
  liveRuns(store: SlotLiveness): [number, number][] {
    const out: [number, number][] = [];
    let run: [number, number] | null = null;
    if (!this.#sorted) {
      for (const v of this.liveValues(store).sort((a, b) => a - b)) {
        if (run !== null && v <= run[1] + 1) run[1] = v;
        else out.push(run = [v, v]);
      }
      return out;
    }
    const mask = this.#mask;
    for (let k = this.#head; k < this.#tail; k++) {
      if (!store.live(this.#slot[k & mask]!, this.#gen[k & mask]!)) continue;
      const v = this.#value[k & mask]!;
      if (run !== null && v <= run[1] + 1) run[1] = v;
      else out.push(run = [v, v]);
    }
    return out;
  }

  /** True when some waiting event has a value in `[lo, hi)` (a binary search when sorted). */
  anyLiveIn(store: SlotLiveness, lo: number, hi: number): boolean {
    const mask = this.#mask;
    let k = this.#head;
    if (this.#sorted) {
      let end = this.#tail;
      while (k < end) {
        const mid = Math.floor((k + end) / 2);
        if (this.#value[mid & mask]! < lo) k = mid + 1;
        else end = mid;
      }
      for (; k < this.#tail && this.#value[k & mask]! < hi; k++) {
        if (this.#live(store, k)) return true;
      }
      return false;
    }
    for (; k < this.#tail; k++) {
      const v = this.#value[k & mask]!;
      if (v >= lo && v < hi && this.#live(store, k)) return true;
    }
    return false;
  }

  /** The smallest value of the waiting events, Infinity when none. */
  minLive(store: SlotLiveness): number {
    let min = Infinity;
    for (let k = this.#head; k < this.#tail; k++) {
      if (!this.#live(store, k)) continue;
      const v = this.#value[k & this.#mask]!;
      if (this.#sorted) return v;
      min = Math.min(min, v);
    }
    return min;
  }

  /**
   * Makes room for at least `n` entries in one step (a power of two), where
   * pushes would double it again and again; nothing when there is room.
   */
  reserve(n: number): void {
    if (n > this.#mask + 1) this.#resize(n);
  }

  /** Doubles the room of a full queue. */
  #widen(): void {
    this.#resize(2 * (this.#mask + 1));
  }

  /**
   * Moves the entries to new columns of room `n` rounded up to a power of
   * two, to their front, in order: copied a block at a time (the part from
   * the head to the end of the old columns, then the part that wrapped).
   */
  #resize(n: number): void {
    let room = 2 * (this.#mask + 1);
    while (room < n) room *= 2;
    const count = this.#tail - this.#head;
    const h = this.#head & this.#mask;
    const upper = Math.min(count, this.#mask + 1 - h);
    const slot = new Int32Array(room);
    const gen = new Int32Array(room);
    const value = new Float64Array(room);
    slot.set(this.#slot.subarray(h, h + upper));
    gen.set(this.#gen.subarray(h, h + upper));
    value.set(this.#value.subarray(h, h + upper));
    if (count > upper) {
      slot.set(this.#slot.subarray(0, count - upper), upper);
      gen.set(this.#gen.subarray(0, count - upper), upper);
      value.set(this.#value.subarray(0, count - upper), upper);
    }
    this.#slot = slot;
    this.#gen = gen;
    this.#value = value;
    this.#mask = room - 1;
    this.#head = 0;
    this.#tail = count;
  }
}
