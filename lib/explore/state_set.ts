/**
 * The explorer's store of distinct states: every state is a fixed-size block
 * of 32-bit words (the packed instance block of `lib/wasm/state_layout.ts`, `stride / 4`
 * words) appended to one growable `Uint32Array`, so a state is named by its
 * index and breadth-first order is index order. An open-addressing table of
 * 64-bit fingerprints (two independent 32-bit hashes) finds a block's index;
 * on a fingerprint match the words are compared, so two distinct states are
 * never merged even if their fingerprints collide.
 *
 * @module
 */

const EMPTY = -1;
const SEED_A = 0x9e3779b9;
const SEED_B = 0x85ebca6b;

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The two 32-bit halves of a block's 64-bit fingerprint (MurmurHash3's
 * mixing with two seeds; the second half also folds the words in reverse).
 *
 * @example Fingerprint a block
 * ```ts
 * import assert from "node:assert/strict";
 * import { fingerprint } from "./state_set.ts";
 * const [a, b] = fingerprint(new Uint32Array([1, 2]), 0, 2);
 * assert.ok(a !== b && fingerprint(new Uint32Array([2, 1]), 0, 2)[0] !== a);
 * ```
 */
export function fingerprint(words: Uint32Array, at: number, count: number): [number, number] {
  let a = SEED_A;
  let b = SEED_B;
  for (let i = 0; i < count; i++) {
    a = mix(a, words[at + i]!);
    b = mix(b, words[at + count - 1 - i]! ^ 0x5bd1e995);
  }
  return [finish(a, count), finish(b, count ^ 0xffff)];
}

/**
 * A growable set of fixed-size state blocks, indexed 0, 1, 2, ... in
 * insertion order.
 *
 * @example Insert and find states
 * ```ts
 * import assert from "node:assert/strict";
 * import { StateSet } from "./state_set.ts";
 * const set = new StateSet(2);
 * const a = set.insert(new Uint32Array([7, 0]), 0);
 * const again = set.insert(new Uint32Array([7, 0]), 0);
 * assert.ok(a === 0 && again === -1 && set.find(new Uint32Array([7, 0]), 0) === 0);
 * ```
 */
export class StateSet {
  /** Words per state. */
  readonly words: number;
  #store: Uint32Array;
  #count = 0;
  /** Open-addressing table, 4 words per slot: fingerprint A, fingerprint B, index + 1 (0: empty), unused. */
  #table: Int32Array;
  #mask: number;
  #fingerprintA = 0;
  #fingerprintB = 0;

  /** A set of blocks of `words` 32-bit words, with room for `capacity` states before growing. */
  constructor(words: number, capacity = 1024) {
    if (!Number.isInteger(words) || words < 1) {
      throw new RangeError(`Invalid block size '${words}'`);
    }
    this.words = words;
    const cap = Math.max(16, capacity);
    this.#store = new Uint32Array(cap * words);
    const size = 1 << Math.ceil(Math.log2(cap * 2));
    this.#table = new Int32Array(size * 4);
    this.#mask = size - 1;
  }

  /** The number of distinct states stored. */
  get size(): number {
    return this.#count;
  }

  /** The backing words: state `i` is `words` words at `i * words` (valid until the next insert). */
  get store(): Uint32Array {
    return this.#store;
  }

  /** Index of the block at `words[at..]`, or -1. */
  find(words: Uint32Array, at: number): number {
    this.#hash(words, at);
    return this.#table[this.#probe(words, at, this.#fingerprintA, this.#fingerprintB) * 4 + 2]! - 1;
  }

  /**
   * Inserts the block at `block[at..]` unless present. Returns its new index,
   * or `-1 - existing` when it was already stored.
   */
  insert(block: Uint32Array, at: number): number {
    this.#hash(block, at);
    const a = this.#fingerprintA;
    const b = this.#fingerprintB;
    const pos = this.#probe(block, at, a, b);
    const found = this.#table[pos * 4 + 2]! - 1;
    if (found !== EMPTY) return -1 - found;
    const index = this.#count;
    if ((index + 1) * this.words > this.#store.length) this.#growStore();
    this.#store.set(block.subarray(at, at + this.words), index * this.words);
    this.#count++;
    const table = this.#table;
    table[pos * 4] = a;
    table[pos * 4 + 1] = b;
    table[pos * 4 + 2] = index + 1;
    if (this.#count * 2 > this.#mask) this.#rehash();
    return index;
  }

  /** Copies state `index` into `out` at `at`. */
  copyOut(index: number, out: Uint32Array, at: number): void {
    const w = this.words;
    const from = index * w;
    for (let i = 0; i < w; i++) out[at + i] = this.#store[from + i]!;
  }

  /** {@link fingerprint} without allocating: sets `#fingerprintA` and `#fingerprintB`. */
  #hash(block: Uint32Array, at: number): void {
    const count = this.words;
    let a = SEED_A;
    let b = SEED_B;
    for (let i = 0; i < count; i++) {
      a = mix(a, block[at + i]!);
      b = mix(b, block[at + count - 1 - i]! ^ 0x5bd1e995);
    }
    this.#fingerprintA = finish(a, count) | 0;
    this.#fingerprintB = finish(b, count ^ 0xffff) | 0;
  }

  #probe(block: Uint32Array, at: number, a: number, b: number): number {
    const table = this.#table;
    const store = this.#store;
    const w = this.words;
    const mask = this.#mask;
    let pos = a & mask;
    for (;;) {
      const k = pos * 4;
      const stored = table[k + 2]!;
      if (stored === 0) return pos;
      if (table[k] === a && table[k + 1] === b) {
        let same = true;
        const base = (stored - 1) * w;
        for (let i = 0; i < w; i++) {
          if (store[base + i] !== block[at + i]) {
            same = false;
            break;
          }
        }
        if (same) return pos;
      }
      pos = (pos + 1) & mask;
    }
  }

  #growStore(): void {
    const bigger = new Uint32Array(this.#store.length * 2);
    bigger.set(this.#store);
    this.#store = bigger;
  }

  #rehash(): void {
    const old = this.#table;
    const size = (this.#mask + 1) * 2;
    const table = new Int32Array(size * 4);
    const mask = size - 1;
    for (let k = 0; k < old.length; k += 4) {
      if (old[k + 2] === 0) continue;
      let p = old[k]! & mask;
      while (table[p * 4 + 2] !== 0) p = (p + 1) & mask;
      table[p * 4] = old[k]!;
      table[p * 4 + 1] = old[k + 1]!;
      table[p * 4 + 2] = old[k + 2]!;
    }
    this.#table = table;
    this.#mask = mask;
  }
}
