/**
 * The storage of a spec's event rings (`event_ring.ts`): every ring's
 * records in one `Float64Array`, each ring a range of it.
 *
 * Why one array: a ring is written once per applied event, and the
 * participant's ring was last written a node's turn earlier, so its memory
 * is out of the caches. A ring of its own (a plain array of doubles) costs
 * an array object and its elements' header besides the record (each on a
 * line of its own), and its 64-byte records start 16 bytes into the
 * elements, so a record spans two lines. Here a record is 8 doubles at a
 * multiple of 8 in a large buffer (page-aligned): one line, and the array
 * object is the arena's, read every event (cached).
 *
 * Ranges are handed out by record count: a freed range (a ring that grew,
 * or a retired participant's) goes on the free list of its size and is
 * reused by the next ring asking for that many records. The array doubles
 * when full (ranges are offsets: they stay valid); it never shrinks.
 *
 * @module
 */

/** Numbers per record (`event_ring.ts`'s layout). */
export const RECORD = 8;

/** Records of room the arena starts with (4 KB). */
const INITIAL_RECORDS = 64;

/** Ranges of records of a spec's event rings. */
export class RingArena {
  /** The records (read through this field: it is replaced when the arena grows). */
  f64: Float64Array = new Float64Array(INITIAL_RECORDS * RECORD);
  /** Numbers handed out so far, from the start. */
  #top = 0;
  /** Freed ranges by record count (their offsets). */
  readonly #free = new Map<number, number[]>();

  /**
   * The offset in {@link RingArena.f64} of a range of `records` records
   * (a multiple of {@link RECORD}; its numbers hold stale values).
   *
   * @example Take, give back and take again
   * ```ts
   * import assert from "node:assert/strict";
   * import { RECORD, RingArena } from "./ring_arena.ts";
   * const arena = new RingArena();
   * const a = arena.take(4);
   * const b = arena.take(4);
   * assert.equal(b - a, 4 * RECORD);
   * arena.give(a, 4);
   * assert.equal(arena.take(4), a);
   * assert.ok(arena.take(1000) >= 0 && arena.f64.length >= 1008 * RECORD);
   * ```
   */
  take(records: number): number {
    const free = this.#free.get(records);
    if (free !== undefined && free.length > 0) return free.pop()!;
    const n = records * RECORD;
    if (this.#top + n > this.f64.length) this.#grow(this.#top + n);
    const at = this.#top;
    this.#top += n;
    return at;
  }

  /** Gives back the range at `at` of `records` records (from {@link RingArena.take}), for reuse. */
  give(at: number, records: number): void {
    let free = this.#free.get(records);
    if (free === undefined) this.#free.set(records, free = []);
    free.push(at);
  }

  /** Numbers handed out and not given back (for tests and memory accounting). */
  get used(): number {
    let freed = 0;
    for (const [records, at] of this.#free) freed += records * RECORD * at.length;
    return this.#top - freed;
  }

  #grow(need: number): void {
    let n = this.f64.length;
    while (n < need) n *= 2;
    const f = new Float64Array(n);
    f.set(this.f64.subarray(0, this.#top));
    this.f64 = f;
  }
}
