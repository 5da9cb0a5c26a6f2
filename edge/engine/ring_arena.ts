/**
 * The storage of a spec's event rings (`event_ring.ts`): the rings' records
 * in a few large `Float64Array` chunks, each ring a range of one.
 *
 * Why chunks shared by many rings: a ring is written once per applied
 * event, and the participant's ring was last written a node's turn
 * earlier, so its memory is out of the caches. A ring of its own (a plain
 * array of doubles) costs an array object and its elements' header besides
 * the record (each on a line of its own), and its 64-byte records start 16
 * bytes into the elements, so a record spans two lines. Here a record is 8
 * doubles at a multiple of 8 in a large buffer (page-aligned once chunks
 * are large): one line, and no array object per ring.
 *
 * Ranges are handed out by record count: a freed range (a ring that grew,
 * or a retired participant's) goes on the free list of its size and is
 * reused by the next ring asking for that many records. A full chunk is
 * left as it is and a new one started: the first is small (a collector with
 * a handful of partitions, as in tests, holds 4 KB), every later one
 * {@link CHUNK_RECORDS} records (4 MB: large enough to be page-aligned, so
 * its records are lines), and a range larger than that gets a chunk of its
 * own. Growing never copies the records held, and memory never doubles at
 * once.
 *
 * @module
 */

/** Numbers per record (`event_ring.ts`'s layout). */
export const RECORD = 8;

/** Records of room of the first chunk (4 KB). */
const FIRST_CHUNK_RECORDS = 64;

/** Records of room of a chunk at most (4 MB), but for a range larger than that. */
export const CHUNK_RECORDS = 65_536;

/** Ranges of records of a spec's event rings. */
export class RingArena {
  /** The chunk ranges are cut from now. */
  #chunk: Float64Array = new Float64Array(FIRST_CHUNK_RECORDS * RECORD);
  /** Numbers of `#chunk` handed out so far, from its start. */
  #top = 0;
  /** Freed ranges by record count: their chunks and offsets, pushed and popped together. */
  readonly #freeChunks = new Map<number, Float64Array[]>();
  readonly #freeAt = new Map<number, number[]>();
  /** Numbers handed out and not given back. */
  #used = 0;
  /** The chunk of the range {@link RingArena.take} returned last. */
  taken: Float64Array = this.#chunk;

  /**
   * The offset of a range of `records` records (a multiple of
   * {@link RECORD}; its numbers hold stale values) in the chunk
   * {@link RingArena.taken} names next.
   *
   * @example Take, give back and take again
   * ```ts
   * import assert from "node:assert/strict";
   * import { RECORD, RingArena } from "./ring_arena.ts";
   * const arena = new RingArena();
   * const a = arena.take(4);
   * const chunk = arena.taken;
   * assert.equal(arena.take(4) - a, 4 * RECORD);
   * arena.give(chunk, a, 4);
   * assert.equal(arena.take(4), a);
   * assert.equal(arena.taken, chunk);
   * arena.take(1000); // past the first chunk: a new one, the records held stay where they are
   * assert.notEqual(arena.taken, chunk);
   * assert.equal(arena.used, (4 + 4 + 1000) * RECORD);
   * ```
   */
  take(records: number): number {
    const n = records * RECORD;
    this.#used += n;
    const free = this.#freeAt.get(records);
    if (free !== undefined && free.length > 0) {
      this.taken = this.#freeChunks.get(records)!.pop()!;
      return free.pop()!;
    }
    if (this.#top + n > this.#chunk.length) {
      this.#chunk = new Float64Array(Math.max(CHUNK_RECORDS * RECORD, n));
      this.#top = 0;
    }
    const at = this.#top;
    this.#top += n;
    this.taken = this.#chunk;
    return at;
  }

  /** Gives back the range at `at` of `records` records in `chunk` (from {@link RingArena.take}), for reuse. */
  give(chunk: Float64Array, at: number, records: number): void {
    let chunks = this.#freeChunks.get(records);
    let offsets = this.#freeAt.get(records);
    if (chunks === undefined || offsets === undefined) {
      this.#freeChunks.set(records, chunks = []);
      this.#freeAt.set(records, offsets = []);
    }
    chunks.push(chunk);
    offsets.push(at);
    this.#used -= records * RECORD;
  }

  /** Numbers handed out and not given back (for tests and memory accounting). */
  get used(): number {
    return this.#used;
  }
}
