/**
 * The explorer's store of distinct states: every state is a fixed-size block
 * of 32-bit words (the packed instance block of `lib/wasm/state_layout.ts`, `stride / 4`
 * words) appended to one growable `Uint32Array`, so a state is named by its
 * index and breadth-first order is index order. An open-addressing table
 * (linear probing, at most 3/4 full) of 8-byte slots, a 32-bit fingerprint
 * and the index, finds a block's index; on a fingerprint match the words are
 * compared, so two distinct states are never merged even if their
 * fingerprints collide. Small slots keep the table in as few cache lines as
 * possible: a lookup is one random access to the table and, on a match, one
 * to the store.
 *
 * Given a {@link DenseKey} (the spec's states have few enough valuations,
 * `dense_key.ts`), the set indexes states directly instead: a table of one
 * 32-bit entry per valuation number, index + 1 or 0, so a lookup is one
 * read and no hash, probe or comparison (and no rehash: the table never
 * fills).
 *
 * @module
 */
import type { DenseKey } from "./dense_key.ts";

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
  /**
   * Open-addressing table. States of at most 2 words are kept in their slot
   * (3 words: the state's 2 words, index + 1), so a lookup compares there
   * and never reads the store; larger ones by fingerprint (2 words:
   * fingerprint, index + 1), the store compared on a match. Index + 1 is 0
   * in an empty slot.
   */
  #table: Int32Array;
  /** Words per slot: 3 (inline states) or 2 (fingerprints). */
  readonly #slot: number;
  #mask: number;
  /** Stored states beyond which the table grows (3/4 of its slots). */
  #limit: number;
  #fingerprint = 0;

  /** Per valuation number: index + 1, or 0 (with a {@link DenseKey}), else `null`. */
  readonly #direct: Int32Array | null;
  readonly #key: DenseKey | null;

  /**
   * A set of blocks of `words` 32-bit words, with room for `capacity`
   * states before growing; indexed by `dense` when given (its blocks must
   * be of `words` words).
   */
  constructor(words: number, capacity = 1024, dense: DenseKey | null = null) {
    if (!Number.isInteger(words) || words < 1) {
      throw new RangeError(`Invalid block size '${words}'`);
    }
    if (dense !== null && dense.plan.words !== words) {
      throw new RangeError(`The dense key reads '${dense.plan.words}' words, not '${words}'`);
    }
    this.words = words;
    this.#slot = words <= 2 ? 3 : 2;
    const cap = Math.max(16, capacity);
    this.#store = new Uint32Array(cap * words);
    this.#key = dense;
    this.#direct = dense === null ? null : new Int32Array(dense.bound);
    // A dense set keeps a token hash table: it never probes it.
    const size = dense !== null ? 16 : 1 << Math.ceil(Math.log2((cap * 4) / 3 + 1));
    this.#table = new Int32Array(size * this.#slot);
    this.#mask = size - 1;
    this.#limit = Math.floor((size * 3) / 4);
  }

  /** The number of distinct states stored. */
  get size(): number {
    return this.#count;
  }

  /** States the store holds before it grows. */
  get capacity(): number {
    return this.#store.length / this.words;
  }

  /** The backing words: state `i` is `words` words at `i * words` (valid until the next insert). */
  get store(): Uint32Array {
    return this.#store;
  }

  /** Index of the block at `words[at..]`, or -1. */
  find(words: Uint32Array, at: number): number {
    if (this.#direct !== null) return this.#direct[this.#key!.key(words, at)]! - 1;
    const slot = this.#slot;
    return this.#table[this.#probe(words, at, this.hash(words, at)) * slot + slot - 1]! - 1;
  }

  /**
   * Inserts the block at `block[at..]` unless present. Returns its new index,
   * or `-1 - existing` when it was already stored.
   */
  insert(block: Uint32Array, at: number): number {
    if (this.#direct !== null) return this.#insertDense(block, at, this.#key!.key(block, at));
    return this.insertHashed(block, at, this.hash(block, at));
  }

  /** {@link insert} into the direct table, by the block's valuation number `key`. */
  #insertDense(block: Uint32Array, at: number, key: number): number {
    const direct = this.#direct!, ref = direct[key]!;
    if (ref !== 0) return -ref;
    const index = this.#count, w = this.words;
    if ((index + 1) * w > this.#store.length) this.#growStore();
    const store = this.#store, to = index * w;
    for (let i = 0; i < w; i++) store[to + i] = block[at + i]!;
    direct[key] = index + 1;
    this.#count = index + 1;
    return index;
  }

  /**
   * {@link insert} with the block's {@link hash} already computed (the
   * explorer hashes a batch of successors once, touches their slots, then
   * inserts them).
   */
  insertHashed(block: Uint32Array, at: number, hash: number): number {
    if (this.#direct !== null) return this.insert(block, at);
    const pos = this.#probe(block, at, hash);
    const table = this.#table, slot = this.#slot, k = pos * slot;
    const found = table[k + slot - 1]! - 1;
    if (found !== EMPTY) return -1 - found;
    const index = this.#count;
    const w = this.words;
    if ((index + 1) * w > this.#store.length) this.#growStore();
    const store = this.#store, to = index * w;
    for (let i = 0; i < w; i++) store[to + i] = block[at + i]!;
    this.#count++;
    if (slot === 3) {
      table[k] = block[at]! | 0;
      table[k + 1] = w === 2 ? block[at + 1]! | 0 : 0;
      table[k + 2] = index + 1;
    } else {
      table[k] = this.#fingerprint;
      table[k + 1] = index + 1;
    }
    if (this.#count > this.#limit) this.#rehash();
    return index;
  }

  /**
   * Inserts the `count` blocks of `blocks` (block `k` at `k * words`) in
   * order, as {@link insert} would one by one: `out[k]` is block `k`'s new
   * index, or `-1 - existing`. The blocks are hashed and their home slots
   * read first, so the table's cache misses overlap; the table grows
   * before the batch when the batch could fill it past 3/4.
   *
   * @example Insert a batch with a repeat
   * ```ts
   * import assert from "node:assert/strict";
   * import { StateSet } from "./state_set.ts";
   * const set = new StateSet(1);
   * set.insert(new Uint32Array([5]), 0);
   * const out = new Int32Array(3);
   * set.insertBatch(new Uint32Array([7, 5, 7]), 3, out);
   * assert.deepEqual([...out], [1, -1, -2]);
   * ```
   */
  insertBatch(blocks: Uint32Array, count: number, out: Int32Array): void {
    const w = this.words;
    if (this.#direct !== null) {
      while ((this.#count + count) * w > this.#store.length) this.#growStore();
      const key = this.#key!;
      for (let k = 0; k < count; k++) {
        out[k] = this.#insertDense(blocks, k * w, key.key(blocks, k * w));
      }
      return;
    }
    while (this.#count + count > this.#limit) this.#rehash();
    while ((this.#count + count) * w > this.#store.length) this.#growStore();
    if (this.#slot !== 3) {
      for (let k = 0; k < count; k++) out[k] = this.insert(blocks, k * w);
      return;
    }
    const table = this.#table, mask = this.#mask, shift = Math.clz32(mask), store = this.#store;
    const hashes = this.#batchHashes(count);
    let touched = 0;
    for (let k = 0; k < count; k++) {
      const h = this.hash(blocks, k * w);
      hashes[k] = h;
      touched ^= table[(Math.imul(h, 0x9e3779b1) >>> shift) * 3]!;
    }
    let index = this.#count;
    for (let k = 0, at = 0; k < count; k++, at += w) {
      const w0 = blocks[at]! | 0, w1 = w === 2 ? blocks[at + 1]! | 0 : 0;
      let s = (Math.imul(hashes[k]!, 0x9e3779b1) >>> shift) * 3;
      for (;;) {
        const ref = table[s + 2]!;
        if (ref === 0) {
          table[s] = w0, table[s + 1] = w1, table[s + 2] = index + 1;
          store[index * w] = w0;
          if (w === 2) store[index * w + 1] = w1;
          out[k] = index++;
          break;
        }
        if (table[s] === w0 && table[s + 1] === w1) {
          out[k] = -ref;
          break;
        }
        s = s + 3 === table.length ? 0 : s + 3;
      }
    }
    this.#count = index;
    if (touched === 0.5) throw new Error("Unreachable: keeps the slot reads");
  }

  #hashes = new Int32Array(0);

  #batchHashes(count: number): Int32Array {
    if (this.#hashes.length < count) this.#hashes = new Int32Array(Math.max(count, 1024));
    return this.#hashes;
  }

  /**
   * Reads the home slot of the block at `block[at..]` and returns a word of
   * it: looking several blocks' slots up this way before inserting them
   * lets their cache misses overlap.
   */
  touch(block: Uint32Array, at: number): number {
    return this.touchHashed(this.hash(block, at));
  }

  /** {@link touch} by the block's {@link hash}. */
  touchHashed(hash: number): number {
    return this.#table[homeOf(hash, this.#mask) * this.#slot]!;
  }

  /** Copies state `index` into `out` at `at`. */
  copyOut(index: number, out: Uint32Array, at: number): void {
    const w = this.words;
    const from = index * w;
    for (let i = 0; i < w; i++) out[at + i] = this.#store[from + i]!;
  }

  /** The first half of {@link fingerprint} of the block at `block[at..]`, as an int32. */
  hash(block: Uint32Array, at: number): number {
    const count = this.words;
    let a = SEED_A;
    for (let i = 0; i < count; i++) a = mix(a, block[at + i]!);
    return finish(a, count) | 0;
  }

  /** The slot holding the block at `block[at..]`, or the empty slot where it goes. */
  #probe(block: Uint32Array, at: number, f: number): number {
    const table = this.#table;
    const mask = this.#mask;
    let pos = homeOf(f, mask);
    if (this.#slot === 3) {
      const w0 = block[at]! | 0, w1 = this.words === 2 ? block[at + 1]! | 0 : 0;
      for (;;) {
        const k = pos * 3;
        if (table[k + 2] === 0 || (table[k] === w0 && table[k + 1] === w1)) return pos;
        pos = (pos + 1) & mask;
      }
    }
    this.#fingerprint = f;
    const store = this.#store;
    const w = this.words;
    for (;;) {
      const stored = table[pos * 2 + 1]!;
      if (stored === 0) return pos;
      if (table[pos * 2] === f) {
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
    const old = this.#table, slot = this.#slot;
    const size = (this.#mask + 1) * 2;
    const table = new Int32Array(size * slot);
    const mask = size - 1;
    // An inline slot's first words are the state: hash them there, not in the store.
    const words = new Uint32Array(old.buffer, old.byteOffset, old.length);
    for (let k = 0; k < old.length; k += slot) {
      if (old[k + slot - 1] === 0) continue;
      const f = slot === 3 ? this.hash(words, k) : old[k]!;
      let p = homeOf(f, mask);
      while (table[p * slot + slot - 1] !== 0) p = (p + 1) & mask;
      for (let i = 0; i < slot; i++) table[p * slot + i] = old[k + i]!;
    }
    this.#table = table;
    this.#mask = mask;
    this.#limit = Math.floor((size * 3) / 4);
  }
}

/**
 * The home slot of fingerprint `f` in a table of `mask + 1` slots (a power
 * of two, at least 2): the high bits of its product with the golden ratio.
 */
function homeOf(f: number, mask: number): number {
  return Math.imul(f, 0x9e3779b1) >>> Math.clz32(mask);
}
