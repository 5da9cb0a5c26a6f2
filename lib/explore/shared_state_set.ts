/**
 * The state set of the parallel explorer, in shared memory: every worker
 * inserts successors into the same set directly, so no state is shipped
 * between workers, and no word is written by two workers per new state
 * (no shared counter, no shared store line). `SharedArrayBuffer`s:
 * - `control`: the budget tickets, and on a cache line of its own per part
 *   its state count;
 * - `table`: an open-addressing table (linear probing, at most 3/4 full).
 *   States of at most 2 words are kept in their slot (3 words: the state's
 *   words, then id + 1), so a lookup never reads the store; larger ones by
 *   a 32-bit fingerprint (2 words: fingerprint, id + 1), the store compared
 *   on a match, so two distinct states are never merged. A slot is claimed
 *   by a compare-and-swap of its last word from 0 (empty) to -1 (being
 *   written); the claimer writes the key and the state, then publishes its
 *   id + 1 (an atomic store). A thread that meets a slot being written waits
 *   for the id, then compares;
 * - per part (one per worker), `stores[part]`: its states' words, and
 *   `parents[part]`: per state its parent id, action and argument tuple.
 *   A part appends only the states it found, at its own count.
 *
 * With a {@link DenseKey} (a spec with few enough valuations,
 * `dense_key.ts`), `table` is one word per valuation number instead, id + 1
 * or 0, claimed by the same compare-and-swap to -1: a lookup reads one
 * word, and the table never fills (the set grows only its stores).
 *
 * A state's id is `local * parts + part` (its index `local` in part
 * `part`'s store). Within a part, states are stored in breadth-first order,
 * so a level's states are a range of each part's store: which ones the
 * workers expand, and the barrier between levels, are the level schedule's
 * (`level_schedule.ts`, a buffer of its own).
 *
 * The set does not grow while threads insert: the explorer keeps enough
 * room free for the states a level may add ({@link SharedStateSet.room}),
 * and grows it ({@link SharedStateSet.grown}) while no worker runs. Every
 * part's store is as large as the whole set, so one worker may find all
 * the states (untouched memory costs nothing but address space).
 *
 * @module
 */
import { DenseKey, type DensePlan } from "./dense_key.ts";

// Word indexes in `control` (word 0 is unused).
/** The budget's tickets: the states stored under a finite budget, and those being inserted. */
const TICKETS = 2;
/** The first per-part word: a part's words are 16 apart (a cache line of their own). */
const PART_BASE = 16;
const PART_WORDS = 16;
/** Per part, at `PART_BASE + part * PART_WORDS`: the states it stored. */
const COUNT = 0;

/** A slot's last word while its claimer writes the state. */
const BUSY = -1;

const SEED = 0x9e3779b9;

/** What {@link SharedStateSet.insert} returns for a new state it did not store (the budget is spent). */
export const DROPPED = -0x80000000;

/**
 * The buffers of a shared state set: what is posted to each worker.
 *
 * @example Buffers of a new set for two workers
 * ```ts
 * import assert from "node:assert/strict";
 * import { SharedStateSet, type SharedBuffers } from "./shared_state_set.ts";
 * const buffers: SharedBuffers = SharedStateSet.create(2, { capacity: 100, parts: 2 }).buffers;
 * assert.ok(buffers.stores[1] instanceof SharedArrayBuffer && buffers.words === 2);
 * ```
 */
export interface SharedBuffers {
  /** Words per state. */
  readonly words: number;
  /** The number of parts (workers); a state's id is `local * parts + part`. */
  readonly parts: number;
  /** The most states there can be (`Infinity` when unknown): a set that holds them never grows. */
  readonly bound: number;
  /** The budget's tickets, per part its count (Int32). */
  readonly control: SharedArrayBuffer;
  /** Slots of (state words or fingerprint, id + 1) (Int32). */
  readonly table: SharedArrayBuffer;
  /** Per part: its states' words (Uint32). */
  readonly stores: readonly SharedArrayBuffer[];
  /** Per part: per state its parent id, action, tuple (Int32). */
  readonly parents: readonly SharedArrayBuffer[];
  /** How states are numbered when `table` is indexed by valuation number (`dense_key.ts`). */
  readonly dense?: DensePlan;
}

/**
 * Successors to insert together ({@link SharedStateSet.insertBatch}):
 * block `k` is `blocks[k * words ..]`, reached from state `parent[k]` by
 * action `action[k]` with tuple `tuple[k]`; `budget` as for `insert`.
 *
 * @example A batch of two successors of state 0
 * ```ts
 * import assert from "node:assert/strict";
 * import { SharedStateSet, type SuccessorBatch } from "./shared_state_set.ts";
 * const set = SharedStateSet.create(1, { capacity: 16 });
 * set.insert(new Uint32Array([1]), 0, { parent: -1, action: -1, tuple: -1 });
 * const batch: SuccessorBatch = {
 *   blocks: new Uint32Array([2, 1]), count: 2, budget: Infinity,
 *   parent: new Int32Array([0, 0]), action: new Int32Array([0, 1]), tuple: new Int32Array(2),
 * };
 * const out = new Int32Array(2);
 * set.insertBatch(batch, out);
 * assert.deepEqual([...out, set.action(1)], [1, -1, 0]);
 * ```
 */
export interface SuccessorBatch {
  readonly blocks: Uint32Array;
  readonly count: number;
  readonly parent: Int32Array;
  readonly action: Int32Array;
  readonly tuple: Int32Array;
  /** Store at most this many states in all. */
  readonly budget: number;
}

/**
 * How a state was reached, for {@link SharedStateSet.insert}: the parent's
 * id, the action and its argument tuple (all -1 for the initial state);
 * `budget`: store it only while the set holds fewer states (default no bound).
 *
 * @example The initial state's origin
 * ```ts
 * import assert from "node:assert/strict";
 * import type { StateOrigin } from "./shared_state_set.ts";
 * const origin: StateOrigin = { parent: -1, action: -1, tuple: -1 };
 * assert.equal(origin.budget, undefined);
 * ```
 */
export interface StateOrigin {
  readonly parent: number;
  readonly action: number;
  readonly tuple: number;
  readonly budget?: number;
}

/**
 * Options of {@link SharedStateSet.create}.
 *
 * @example A set for two workers
 * ```ts
 * import assert from "node:assert/strict";
 * import { type SharedSetOptions, SharedStateSet } from "./shared_state_set.ts";
 * const options: SharedSetOptions = { capacity: 1000, parts: 2 };
 * assert.equal(SharedStateSet.create(1, options).parts, 2);
 * ```
 */
export interface SharedSetOptions {
  /** States the set holds before it must grow (at least 16). */
  readonly capacity: number;
  /** Parts (workers) that insert (default 1). */
  readonly parts?: number;
  /**
   * The most states there can be, e.g. the spec's state-space bound
   * (default `Infinity`): once the set holds that many, its
   * {@link SharedStateSet.room} is unlimited.
   */
  readonly bound?: number;
  /** Index states by this key's valuation numbers instead of hashing them (its bound sizes the table). */
  readonly dense?: DenseKey | null;
}

/** The hash of `words[at .. at+count)` (MurmurHash3's mixing). */
function hashOf(words: Uint32Array, at: number, count: number): number {
  let h = SEED;
  for (let i = 0; i < count; i++) {
    let k = Math.imul(words[at + i]!, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= count;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Slots for `states` states at most 3/4 full (a power of two). */
function slotsFor(states: number): number {
  return 2 ** Math.ceil(Math.log2((states * 4) / 3 + 1));
}

/**
 * A set of fixed-size states shared by the explorer's workers; each view
 * inserts as one part (`part`), and reads every part's states.
 *
 * @example Two views of one set see each other's states
 * ```ts
 * import assert from "node:assert/strict";
 * import { SharedStateSet } from "./shared_state_set.ts";
 * const a = SharedStateSet.create(2, { capacity: 100, parts: 2 });
 * const b = new SharedStateSet(a.buffers, 1); // as worker 1 attaches it
 * assert.equal(a.insert(new Uint32Array([7, 1]), 0, { parent: -1, action: -1, tuple: -1 }), 0);
 * assert.equal(b.insert(new Uint32Array([7, 1]), 0, { parent: 0, action: 1, tuple: 0 }), -1);
 * assert.equal(b.insert(new Uint32Array([8, 1]), 0, { parent: 0, action: 1, tuple: 2 }), 1);
 * assert.deepEqual([a.size, a.parent(1), a.action(1), a.tuple(1)], [2, 0, 1, 2]);
 * ```
 */
export class SharedStateSet {
  /** Words per state. */
  readonly words: number;
  /** Parts (workers) that insert. */
  readonly parts: number;
  /** The part this view inserts as. */
  readonly part: number;
  readonly buffers: SharedBuffers;
  readonly #control: Int32Array;
  readonly #table: Int32Array;
  /** Words per slot: 3 (the state kept in its slot) or 2 (a fingerprint). */
  readonly #slot: number;
  readonly #mask: number;
  readonly #shift: number;
  readonly #stores: readonly Uint32Array[];
  readonly #parents: readonly Int32Array[];
  /** This part's store and parent columns. */
  readonly #ownStore: Uint32Array;
  readonly #ownParents: Int32Array;
  /** States each part's store holds. */
  readonly #capacity: number;
  /** This part's count word in `control`. */
  readonly #countAt: number;
  /** States this part stored (its count word's value). */
  #count: number;
  #hashes = new Int32Array(0);
  /** With a dense table: the key numbering states (`table[key]` is id + 1, 0 or busy). */
  readonly #key: DenseKey | null;

  /** A view of the set in `buffers` (made by {@link SharedStateSet.create} or {@link grown}), inserting as `part`. */
  constructor(buffers: SharedBuffers, part = 0) {
    if (!Number.isInteger(part) || part < 0 || part >= buffers.parts) {
      throw new RangeError(`Invalid part '${part}' of a set of '${buffers.parts}' parts`);
    }
    this.words = buffers.words;
    this.parts = buffers.parts;
    this.part = part;
    this.buffers = buffers;
    this.#control = new Int32Array(buffers.control);
    this.#table = new Int32Array(buffers.table);
    this.#key = buffers.dense === undefined ? null : new DenseKey(buffers.dense);
    if (
      this.#key !== null &&
      (this.#key.bound !== this.#table.length || buffers.dense!.words !== this.words)
    ) {
      throw new RangeError(
        `The dense table has '${this.#table.length}' entries, the key '${this.#key.bound}'`,
      );
    }
    this.#slot = this.words <= 2 ? 3 : 2;
    const slots = this.#table.length / this.#slot;
    this.#mask = slots - 1;
    this.#shift = Math.clz32(this.#mask);
    this.#stores = buffers.stores.map((b) => new Uint32Array(b));
    this.#parents = buffers.parents.map((b) => new Int32Array(b));
    this.#ownStore = this.#stores[part]!;
    this.#ownParents = this.#parents[part]!;
    this.#capacity = this.#ownStore.length / this.words;
    this.#countAt = PART_BASE + part * PART_WORDS + COUNT;
    this.#count = Atomics.load(this.#control, this.#countAt);
  }

  /** An empty set of states of `words` words, with room for about `options.capacity` states. */
  static create(words: number, options: SharedSetOptions): SharedStateSet {
    if (!Number.isInteger(words) || words < 1) {
      throw new RangeError(`Invalid block size '${words}'`);
    }
    const parts = options.parts ?? 1;
    if (!Number.isInteger(parts) || parts < 1) {
      throw new RangeError(`Invalid part count '${parts}'`);
    }
    const states = Math.max(16, Math.ceil(options.capacity));
    const slot = words <= 2 ? 3 : 2;
    const dense = options.dense ?? null;
    if (dense !== null && dense.plan.words !== words) {
      throw new RangeError(`The dense key reads '${dense.plan.words}' words, not '${words}'`);
    }
    return new SharedStateSet({
      words,
      parts,
      bound: options.bound ?? Infinity,
      control: new SharedArrayBuffer((PART_BASE + parts * PART_WORDS) * 4),
      table: new SharedArrayBuffer(dense === null ? slotsFor(states) * slot * 4 : dense.bound * 4),
      stores: Array.from({ length: parts }, () => new SharedArrayBuffer(states * words * 4)),
      parents: Array.from({ length: parts }, () => new SharedArrayBuffer(states * 12)),
      ...(dense === null ? {} : { dense: dense.plan }),
    });
  }

  /** The number of states stored (all parts). */
  get size(): number {
    let n = 0;
    for (let p = 0; p < this.parts; p++) n += this.countOf(p);
    return n;
  }

  /** The number of states part `part` stored. */
  countOf(part: number): number {
    return Atomics.load(this.#control, PART_BASE + part * PART_WORDS + COUNT);
  }

  /**
   * How many more states fit before the set must grow (the table kept at
   * most 3/4 full); `Infinity` when the set holds its bound.
   */
  get room(): number {
    const slots = this.#mask + 1;
    const limit = this.#key !== null
      ? this.#capacity
      : Math.min(this.#capacity, Math.floor((slots * 3) / 4));
    return limit >= this.buffers.bound ? Infinity : limit - this.size;
  }

  /**
   * Inserts the state at `block[at..]` unless present, with its origin.
   * Returns its new id, or `-1 - existing`; when the set already holds
   * `origin.budget` states and the state is new, {@link DROPPED} with
   * nothing stored.
   */
  insert(block: Uint32Array, at: number, origin: StateOrigin): number {
    const h = hashOf(block, at, this.words);
    // A finite budget takes a ticket: the states stored one by one (the
    // initial state) count against the budgets of later batches.
    const { parent, action, tuple, budget = Number.MAX_SAFE_INTEGER } = origin;
    if (this.#key !== null) {
      return this.#insertDense(block, at, this.#key.key(block, at), parent, action, tuple, budget);
    }
    return this.#insert(block, at, h, parent, action, tuple, budget);
  }

  /**
   * Inserts the `count` successors of `batch` in order, as {@link insert}
   * would one by one (`out[k]`: block `k`'s new id, `-1 - existing`, or
   * {@link DROPPED}); their hashes are computed and their home slots read
   * first, so the table's cache misses overlap.
   */
  insertBatch(batch: SuccessorBatch, out: Int32Array): void {
    const { blocks, count, parent, action, tuple, budget } = batch, w = this.words;
    const key = this.#key;
    if (key !== null) {
      for (let k = 0, at = 0; k < count; k++, at += w) {
        const n = key.key(blocks, at);
        out[k] = this.#insertDense(blocks, at, n, parent[k]!, action[k]!, tuple[k]!, budget);
      }
      return;
    }
    if (this.#hashes.length < count) this.#hashes = new Int32Array(count);
    const hs = this.#hashes, table = this.#table, slot = this.#slot, shift = this.#shift;
    let touched = 0;
    for (let k = 0; k < count; k++) {
      const h = hashOf(blocks, k * w, w);
      hs[k] = h;
      touched ^= table[(Math.imul(h, 0x9e3779b1) >>> shift) * slot]!;
    }
    for (let k = 0; k < count; k++) {
      out[k] = this.#insert(blocks, k * w, hs[k]!, parent[k]!, action[k]!, tuple[k]!, budget);
    }
    if (touched === 0.5) throw new Error("Unreachable: keeps the slot reads");
  }

  /**
   * Stores the block as this part's next state with its origin and returns
   * its id (the caller holds the table entry it will publish the id in).
   */
  #append(block: Uint32Array, at: number, parent: number, action: number, tuple: number): number {
    const w = this.words, local = this.#count++;
    const store = this.#ownStore, to = local * w;
    for (let i = 0; i < w; i++) store[to + i] = block[at + i]!;
    const parents = this.#ownParents, p = local * 3;
    parents[p] = parent;
    parents[p + 1] = action;
    parents[p + 2] = tuple;
    this.#control[this.#countAt] = this.#count;
    return local * this.parts + this.part;
  }

  /** {@link insert} into the dense table, by the block's valuation number `key`. */
  #insertDense(
    block: Uint32Array,
    at: number,
    key: number,
    parent: number,
    action: number,
    tuple: number,
    budget: number,
  ): number {
    const table = this.#table, control = this.#control;
    let ticket = false;
    if (budget !== Infinity) {
      if (Atomics.add(control, TICKETS, 1) >= budget) {
        Atomics.sub(control, TICKETS, 1);
        const found = this.find(block, at);
        return found >= 0 ? -1 - found : DROPPED;
      }
      ticket = true;
    }
    // A plain read first (an atomic load is a call here): an entry is
    // written once, so a positive value is its final id + 1.
    let ref = table[key]!;
    if (ref === 0) {
      if (this.#count >= this.#capacity) {
        throw new RangeError(`The shared state set is full ('${this.#capacity}' states a part)`);
      }
      ref = Atomics.compareExchange(table, key, 0, BUSY);
      if (ref === 0) {
        const id = this.#append(block, at, parent, action, tuple);
        Atomics.store(table, key, id + 1);
        return id;
      }
    }
    while (ref === BUSY) ref = Atomics.load(table, key);
    if (ticket) Atomics.sub(control, TICKETS, 1);
    return -ref;
  }

  #insert(
    block: Uint32Array,
    at: number,
    h: number,
    parent: number,
    action: number,
    tuple: number,
    budget: number,
  ): number {
    const table = this.#table, control = this.#control, slot = this.#slot, w = this.words;
    let ticket = false;
    if (budget !== Infinity) {
      if (Atomics.add(control, TICKETS, 1) >= budget) {
        Atomics.sub(control, TICKETS, 1);
        const found = this.find(block, at);
        return found >= 0 ? -1 - found : DROPPED;
      }
      ticket = true;
    }
    const inline = slot === 3;
    const k0 = inline ? block[at]! | 0 : h, k1 = inline && w === 2 ? block[at + 1]! | 0 : 0;
    const last = slot - 1, mask = this.#mask, home = Math.imul(h, 0x9e3779b1) >>> this.#shift;
    // First a walk with plain reads (an atomic load is a call here): a
    // slot's words are written once, so a plain read sees their final value
    // or the 0 before it. A key that seems to match is read again after an
    // atomic load of the slot's id (which orders the reads after the
    // writes it published); a slot being written, or the end of the walk
    // (a new state, or a match read too early), is settled by the ordered
    // walk below.
    if (inline) {
      for (let pos = home;; pos = (pos + 1) & mask) {
        const s = pos * 3;
        if (table[s + 2] === 0) break;
        if (table[s] !== k0 || table[s + 1] !== k1) continue;
        const ref = Atomics.load(table, s + 2);
        if (ref > 0 && table[s] === k0 && table[s + 1] === k1) {
          if (ticket) Atomics.sub(control, TICKETS, 1);
          return -ref;
        }
        break;
      }
    }
    for (let pos = home;; pos = (pos + 1) & mask) {
      const s = pos * slot;
      let ref = Atomics.load(table, s + last);
      if (ref === 0) {
        if (this.#count >= this.#capacity) {
          throw new RangeError(`The shared state set is full ('${this.#capacity}' states a part)`);
        }
        ref = Atomics.compareExchange(table, s + last, 0, BUSY);
        if (ref === 0) {
          table[s] = k0;
          if (inline) table[s + 1] = k1;
          const id = this.#append(block, at, parent, action, tuple);
          Atomics.store(table, s + last, id + 1);
          return id;
        }
      }
      while (ref === BUSY) ref = Atomics.load(table, s + last);
      // The key was written before the id was published, and the atomic
      // load of the id orders these plain reads after it.
      if (table[s] !== k0) continue;
      if (inline ? table[s + 1] !== k1 : !this.#same(ref - 1, block, at)) continue;
      if (ticket) Atomics.sub(control, TICKETS, 1);
      return -ref;
    }
  }

  /** The id of the state at `block[at..]`, or -1. */
  find(block: Uint32Array, at: number): number {
    if (this.#key !== null) {
      const key = this.#key.key(block, at);
      let ref = Atomics.load(this.#table, key);
      while (ref === BUSY) ref = Atomics.load(this.#table, key);
      return ref - 1;
    }
    const table = this.#table, slot = this.#slot, last = slot - 1, w = this.words;
    const h = hashOf(block, at, w), inline = slot === 3;
    const k0 = inline ? block[at]! | 0 : h, k1 = inline && w === 2 ? block[at + 1]! | 0 : 0;
    for (let pos = Math.imul(h, 0x9e3779b1) >>> this.#shift;; pos = (pos + 1) & this.#mask) {
      const s = pos * slot;
      let ref = Atomics.load(table, s + last);
      if (ref === 0) return -1;
      while (ref === BUSY) ref = Atomics.load(table, s + last);
      if (table[s] !== k0) continue;
      if (inline ? table[s + 1] !== k1 : !this.#same(ref - 1, block, at)) continue;
      return ref - 1;
    }
  }

  /** Part `part`'s states' words: its state `local` at `local * words`. */
  storeOf(part: number): Uint32Array {
    return this.#stores[part]!;
  }

  /** Copies state `id` into `out` at `at`. */
  copyOut(id: number, out: Uint32Array, at: number): void {
    const w = this.words, part = id % this.parts;
    const store = this.#stores[part]!, from = ((id - part) / this.parts) * w;
    for (let i = 0; i < w; i++) out[at + i] = store[from + i]!;
  }

  #column(id: number, k: number): number {
    const part = id % this.parts;
    return this.#parents[part]![((id - part) / this.parts) * 3 + k]!;
  }

  /** The parent id of state `id` (-1 for the initial state). */
  parent(id: number): number {
    return this.#column(id, 0);
  }

  /** The action that reached state `id` (-1 for the initial state). */
  action(id: number): number {
    return this.#column(id, 1);
  }

  /** The argument tuple of that action. */
  tuple(id: number): number {
    return this.#column(id, 2);
  }

  /**
   * A larger copy with room for at least `room` more states (the table
   * rehashed); call it only while no thread inserts. The control words
   * (the counts, the tickets) are shared with this set.
   */
  grown(room: number): SharedStateSet {
    const w = this.words, slot = this.#slot;
    const states = Math.max(this.#capacity * 2, this.size + room);
    const slots = slotsFor(states);
    const next = new SharedStateSet({
      words: w,
      parts: this.parts,
      bound: this.buffers.bound,
      control: this.buffers.control,
      // A dense table keeps its entries: the ids do not change.
      table: this.#key !== null ? this.buffers.table : new SharedArrayBuffer(slots * slot * 4),
      stores: this.#stores.map(() => new SharedArrayBuffer(states * w * 4)),
      parents: this.#parents.map(() => new SharedArrayBuffer(states * 12)),
      ...(this.buffers.dense === undefined ? {} : { dense: this.buffers.dense }),
    }, this.part);
    for (let p = 0; p < this.parts; p++) {
      const n = this.countOf(p);
      next.#stores[p]!.set(this.#stores[p]!.subarray(0, n * w));
      next.#parents[p]!.set(this.#parents[p]!.subarray(0, n * 3));
    }
    if (this.#key !== null) return next;
    const old = this.#table, table = next.#table, mask = slots - 1, shift = Math.clz32(mask);
    const key = new Uint32Array(2);
    for (let k = 0; k < old.length; k += slot) {
      const ref = old[k + slot - 1]!;
      if (ref === 0) continue;
      key[0] = old[k]!, key[1] = old[k + 1]!;
      const h = slot === 3 ? hashOf(key, 0, w) : old[k]!;
      let p = Math.imul(h, 0x9e3779b1) >>> shift;
      while (table[p * slot + slot - 1] !== 0) p = (p + 1) & mask;
      for (let i = 0; i < slot; i++) table[p * slot + i] = old[k + i]!;
    }
    return next;
  }

  #same(id: number, block: Uint32Array, at: number): boolean {
    const w = this.words, part = id % this.parts;
    const store = this.#stores[part]!, base = ((id - part) / this.parts) * w;
    for (let i = 0; i < w; i++) if (store[base + i] !== block[at + i]) return false;
    return true;
  }
}
