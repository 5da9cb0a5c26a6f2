/**
 * The state blocks of one spec's intervals, kept in one growing byte array
 * instead of one typed array each: the causal judge starts an interval per
 * state-changing event, and a typed array per interval costs more than the
 * rest of the judgement. A block is addressed by its byte offset; freed
 * blocks are reused.
 *
 * @module
 */

/**
 * Fixed-size state blocks in one byte array.
 *
 * @example Keep a block, read it back, free it
 * ```ts
 * import assert from "node:assert/strict";
 * import { StateArena } from "./state_arena.ts";
 * const arena = new StateArena(4);
 * const at = arena.alloc();
 * arena.bytes.set([1, 2, 3, 4], at);
 * assert.deepEqual([...arena.copy(at)], [1, 2, 3, 4]);
 * assert.equal(arena.same(at, new Uint8Array([1, 2, 3, 4])), true);
 * arena.free(at);
 * assert.equal(arena.alloc(), at);
 * ```
 */
export class StateArena {
  /** Bytes per block. */
  readonly stride: number;
  #bytes: Uint8Array;
  /** `#bytes` as 32-bit words (made again when the arena grows). */
  #words: Int32Array;
  #used = 0;
  readonly #free: number[] = [];

  constructor(stride: number) {
    if (!(Number.isInteger(stride) && stride > 0)) {
      throw new RangeError(`Expected a positive block size, got '${stride}'`);
    }
    this.stride = stride;
    this.#bytes = new Uint8Array(stride * 256);
    this.#words = new Int32Array(this.#bytes.buffer, 0, this.#bytes.length >> 2);
  }

  /** The arena's bytes (replaced when it grows: read it after each {@link StateArena.alloc}). */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /**
   * {@link StateArena.bytes} as 32-bit words (the same array until the
   * arena grows: read it after each {@link StateArena.alloc}), for copies
   * by words into blocks of a stride that is a multiple of 4 (block `at`
   * starts at word `at >> 2`): one per arena, not per partition, so a
   * copy reads no object of its partition's.
   */
  get words(): Int32Array {
    return this.#words;
  }

  /** Blocks in use. */
  get live(): number {
    return this.#used / this.stride - this.#free.length;
  }

  /** The offset of a block not in use (its bytes are stale). */
  alloc(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) return reused;
    if (this.#used + this.stride > this.#bytes.length) {
      const grown = new Uint8Array(this.#bytes.length * 2);
      grown.set(this.#bytes);
      this.#bytes = grown;
      this.#words = new Int32Array(grown.buffer, 0, grown.length >> 2);
    }
    const at = this.#used;
    this.#used += this.stride;
    return at;
  }

  /** Gives block `at` back. */
  free(at: number): void {
    this.#free.push(at);
  }

  /** True when block `at` holds the first `stride` bytes of `state`. */
  same(at: number, state: Uint8Array): boolean {
    const b = this.#bytes;
    for (let k = 0; k < this.stride; k++) if (b[at + k] !== state[k]) return false;
    return true;
  }

  /** True when blocks `a` and `b` hold the same bytes. */
  equal(a: number, b: number): boolean {
    const bytes = this.#bytes;
    for (let k = 0; k < this.stride; k++) if (bytes[a + k] !== bytes[b + k]) return false;
    return true;
  }

  /** A copy of block `at`. */
  copy(at: number): Uint8Array {
    return this.#bytes.slice(at, at + this.stride);
  }
}
