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

/** A queue of `(slot, generation, value)`. */
export class SlotQueue {
  #slot: Int32Array;
  #gen: Int32Array;
  #value: Float64Array;
  #head = 0;
  #tail = 0;
  /** True while the value never decreased along the queue. */
  #sorted = true;

  /**
   * Creates an empty queue with room for `capacity` entries (it doubles as
   * needed; a stream's queue starts small, the engine's arrivals large).
   */
  constructor(capacity = 1024) {
    this.#slot = new Int32Array(capacity);
    this.#gen = new Int32Array(capacity);
    this.#value = new Float64Array(capacity);
  }

  /** Entries, stale ones included. */
  get length(): number {
    return this.#tail - this.#head;
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
    if (this.#tail === this.#slot.length) this.#room();
    const t = this.#tail++;
    if (t > this.#head && this.#value[t - 1]! > value) this.#sorted = false;
    this.#slot[t] = slot;
    this.#gen[t] = gen;
    this.#value[t] = value;
  }

  /** {@link push} with the value `values[slot]` (read here rather than passed). */
  pushFrom(slot: number, gen: number, values: Float64Array): void {
    if (this.#tail === this.#slot.length) this.#room();
    const t = this.#tail++;
    const value = values[slot]!;
    if (t > this.#head && this.#value[t - 1]! > value) this.#sorted = false;
    this.#slot[t] = slot;
    this.#gen[t] = gen;
    this.#value[t] = value;
  }

  /** True when the queue is not empty and its first value is at most `limit`. */
  headDue(limit: number): boolean {
    return this.#head < this.#tail && this.#value[this.#head]! <= limit;
  }

  /** True while no value decreased along the queue since it was last empty. */
  get sorted(): boolean {
    return this.#sorted;
  }

  /** Value of the first entry, Infinity when empty. */
  headValue(): number {
    return this.#head < this.#tail ? this.#value[this.#head]! : Infinity;
  }

  /** Generation of the first entry (call before `shift`). */
  headGen(): number {
    return this.#gen[this.#head]!;
  }

  /** Removes the first entry; returns its slot. */
  shift(): number {
    const slot = this.#slot[this.#head++]!;
    if (this.#head === this.#tail) this.clear();
    return slot;
  }

  /** Removes every entry. */
  clear(): void {
    this.#head = 0;
    this.#tail = 0;
    this.#sorted = true;
  }

  /** Removes stale entries from the front. */
  dropStale(store: SlotLiveness): void {
    while (
      this.#head < this.#tail && !store.live(this.#slot[this.#head]!, this.#gen[this.#head]!)
    ) {
      this.#head++;
    }
    if (this.#head === this.#tail) this.clear();
  }

  /** Calls `f` for each entry whose event still waits, in queue order. */
  forEachLive(store: SlotLiveness, f: (slot: number, value: number) => void): void {
    for (let i = this.#head; i < this.#tail; i++) {
      if (store.live(this.#slot[i]!, this.#gen[i]!)) f(this.#slot[i]!, this.#value[i]!);
    }
  }

  /** The values of the waiting events, in queue order. */
  liveValues(store: SlotLiveness): number[] {
    const out: number[] = [];
    for (let i = this.#head; i < this.#tail; i++) {
      if (store.live(this.#slot[i]!, this.#gen[i]!)) out.push(this.#value[i]!);
    }
    return out;
  }

  /** True when some waiting event has a value in `[lo, hi)` (a binary search when sorted). */
  anyLiveIn(store: SlotLiveness, lo: number, hi: number): boolean {
    let i = this.#head;
    if (this.#sorted) {
      let end = this.#tail;
      while (i < end) {
        const mid = (i + end) >>> 1;
        if (this.#value[mid]! < lo) i = mid + 1;
        else end = mid;
      }
      for (; i < this.#tail && this.#value[i]! < hi; i++) {
        if (store.live(this.#slot[i]!, this.#gen[i]!)) return true;
      }
      return false;
    }
    for (; i < this.#tail; i++) {
      const v = this.#value[i]!;
      if (v >= lo && v < hi && store.live(this.#slot[i]!, this.#gen[i]!)) return true;
    }
    return false;
  }

  /** The smallest value of the waiting events, Infinity when none. */
  minLive(store: SlotLiveness): number {
    let min = Infinity;
    for (let i = this.#head; i < this.#tail; i++) {
      if (!store.live(this.#slot[i]!, this.#gen[i]!)) continue;
      if (this.#sorted) return this.#value[i]!;
      min = Math.min(min, this.#value[i]!);
    }
    return min;
  }

  /** Moves the entries to the front, or doubles the arrays when more than half are in use. */
  #room(): void {
    const n = this.#tail - this.#head;
    if (n * 2 <= this.#slot.length) {
      this.#slot.copyWithin(0, this.#head, this.#tail);
      this.#gen.copyWithin(0, this.#head, this.#tail);
      this.#value.copyWithin(0, this.#head, this.#tail);
    } else {
      const cap = this.#slot.length * 2;
      const slot = new Int32Array(cap);
      const gen = new Int32Array(cap);
      const ready = new Float64Array(cap);
      slot.set(this.#slot.subarray(this.#head, this.#tail));
      gen.set(this.#gen.subarray(this.#head, this.#tail));
      ready.set(this.#value.subarray(this.#head, this.#tail));
      this.#slot = slot;
      this.#gen = gen;
      this.#value = ready;
    }
    this.#head = 0;
    this.#tail = n;
  }
}
