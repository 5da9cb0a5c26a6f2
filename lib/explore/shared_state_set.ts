/**
 * The state set of the parallel explorer, in shared memory: every worker
 * inserts successors into the same set directly, so no state is shipped
 * between workers. Four `SharedArrayBuffer`s:
 * - `control`: the state count, the cursor into the level being expanded,
 *   the level's end and the budget tickets, updated with `Atomics`;
 * - `table`: an open-addressing table (linear probing) of 2-word slots, a
 *   non-zero 32-bit fingerprint and index + 1. A slot is claimed by a
 *   compare-and-swap of its fingerprint from 0; the claimer takes the next
 *   index, writes the state's words and parent, then publishes the index
 *   (an atomic store). A thread that meets its fingerprint in a slot waits
 *   for the index to be published, then compares the words, so two distinct
 *   states are never merged;
 * - `store`: the states' words, state `i` at `i * words`;
 * - `parents`: per state its parent index, action and argument tuple.
 *
 * The set does not grow while threads insert: the explorer keeps enough
 * room free for the states a level may add between its checks
 * ({@link SharedStateSet.room}), and grows it ({@link SharedStateSet.grown})
 * while no worker runs.
 *
 * @module
 */

/** Word indexes in `control`. */
const COUNT = 0;
const CURSOR = 1;
const LEVEL_END = 2;
const TICKETS = 3;
/** The breadth-first level being expanded while the workers run levels on their own. */
const LEVEL = 4;
/** Workers that finished the level (the barrier's count). */
const ARRIVED = 5;
/** Bumped (and waited on) each time the last worker to finish a level starts the next. */
const GENERATION = 6;
/** Why the workers stopped running levels on their own: one of {@link LevelStop}'s codes. */
const STOP = 7;
const CONTROL_WORDS = 8;

/**
 * Why {@link SharedStateSet.endLevel} stopped the workers: 0 they go on,
 * `done` no state is left to expand, `maxDepth` the next level is beyond
 * the depth bound, `room` the next level could add more states than the
 * set has room for (the coordinator grows it).
 *
 * @example The codes
 * ```ts
 * import assert from "node:assert/strict";
 * import { LevelStop } from "./shared_state_set.ts";
 * assert.deepEqual([LevelStop.running, LevelStop.done], [0, 1]);
 * ```
 */
export const LevelStop = { running: 0, done: 1, maxDepth: 2, room: 3 } as const;

const SEED = 0x9e3779b9;

/** What {@link SharedStateSet.insert} returns for a new state it did not store (the budget is spent). */
export const DROPPED = -0x80000000;

/**
 * The buffers of a shared state set: what is posted to each worker.
 *
 * @example Buffers of a new set
 * ```ts
 * import assert from "node:assert/strict";
 * import { SharedStateSet, type SharedBuffers } from "./shared_state_set.ts";
 * const buffers: SharedBuffers = SharedStateSet.create(2, 100).buffers;
 * assert.ok(buffers.store instanceof SharedArrayBuffer && buffers.words === 2);
 * ```
 */
export interface SharedBuffers {
  /** Words per state. */
  readonly words: number;
  /** Count, cursor, level end, budget tickets, and the level barrier's words (Int32). */
  readonly control: SharedArrayBuffer;
  /** Slots of (fingerprint, index + 1) (Int32). */
  readonly table: SharedArrayBuffer;
  /** State words (Uint32). */
  readonly store: SharedArrayBuffer;
  /** Per state: parent index, action, tuple (Int32). */
  readonly parents: SharedArrayBuffer;
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
 * const set = SharedStateSet.create(1, 16);
 * set.insert(new Uint32Array([1]), 0, -1, -1, -1, Infinity);
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

/** The fingerprint of `words[at .. at+count)`: never 0 (0 marks an empty slot). */
function fingerprintOf(words: Uint32Array, at: number, count: number): number {
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
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}

/** The home slot of fingerprint `f` among `slots` (a power of two, at least 2): its product's high bits. */
function homeOf(f: number, slots: number): number {
  return Math.imul(f, 0x9e3779b1) >>> (Math.clz32(slots) + 1);
}

/**
 * A set of fixed-size states shared by the explorer's workers.
 *
 * @example Two views of one set see each other's states
 * ```ts
 * import assert from "node:assert/strict";
 * import { SharedStateSet } from "./shared_state_set.ts";
 * const a = SharedStateSet.create(2, 100);
 * const b = new SharedStateSet(a.buffers); // as a worker attaches it
 * assert.equal(a.insert(new Uint32Array([7, 1]), 0, -1, -1, -1, Infinity), 0);
 * assert.equal(b.insert(new Uint32Array([7, 1]), 0, 0, 1, 0, Infinity), -1);
 * assert.equal(b.insert(new Uint32Array([8, 1]), 0, 0, 1, 2, Infinity), 1);
 * assert.deepEqual([a.size, a.parent(1), a.action(1), a.tuple(1)], [2, 0, 1, 2]);
 * ```
 */
export class SharedStateSet {
  /** Words per state. */
  readonly words: number;
  readonly buffers: SharedBuffers;
  readonly #control: Int32Array;
  readonly #table: Int32Array;
  readonly #slots: number;
  readonly #mask: number;
  readonly #store: Uint32Array;
  readonly #parents: Int32Array;

  /** A view of the set in `buffers` (made by {@link SharedStateSet.create} or {@link grown}). */
  constructor(buffers: SharedBuffers) {
    this.words = buffers.words;
    this.buffers = buffers;
    this.#control = new Int32Array(buffers.control);
    this.#table = new Int32Array(buffers.table);
    this.#slots = this.#table.length / 2;
    this.#mask = this.#slots - 1;
    this.#store = new Uint32Array(buffers.store);
    this.#parents = new Int32Array(buffers.parents);
  }

  /** An empty set of states of `words` words, with room for about `capacity` states. */
  static create(words: number, capacity: number): SharedStateSet {
    if (!Number.isInteger(words) || words < 1) {
      throw new RangeError(`Invalid block size '${words}'`);
    }
    const states = Math.max(16, Math.ceil(capacity));
    const slots = 2 ** Math.ceil(Math.log2((states * 4) / 3 + 1));
    return new SharedStateSet({
      words,
      control: new SharedArrayBuffer(CONTROL_WORDS * 4),
      table: new SharedArrayBuffer(slots * 8),
      store: new SharedArrayBuffer(states * words * 4),
      parents: new SharedArrayBuffer(states * 12),
    });
  }

  /** The number of states stored. */
  get size(): number {
    return Atomics.load(this.#control, COUNT);
  }

  /** How many more states fit before the set must grow (the table kept at most 3/4 full). */
  get room(): number {
    const states = this.#store.length / this.words;
    return Math.min(states, Math.floor((this.#slots * 3) / 4)) - this.size;
  }

  /** Starts a level: states `from .. end-1` are handed out by {@link claim}. */
  startLevel(from: number, end: number): void {
    Atomics.store(this.#control, CURSOR, from);
    Atomics.store(this.#control, LEVEL_END, end);
  }

  /** The first of the next `count` states of the level to expand (up to the level's end), or -1. */
  claim(count: number): number {
    const end = Atomics.load(this.#control, LEVEL_END);
    const first = Atomics.add(this.#control, CURSOR, count);
    return first < end ? first : -1;
  }

  /** The end of the level being expanded. */
  get levelEnd(): number {
    return Atomics.load(this.#control, LEVEL_END);
  }

  /** The level being expanded while workers run levels on their own ({@link endLevel}). */
  get level(): number {
    return Atomics.load(this.#control, LEVEL);
  }

  /** Why the workers stopped running levels ({@link LevelStop}), 0 while they run. */
  get stop(): number {
    return Atomics.load(this.#control, STOP);
  }

  /**
   * Lets the workers run levels on their own from `level` (already started
   * with {@link startLevel}): each calls {@link endLevel} when the level's
   * states are all claimed and expanded.
   */
  runLevels(level: number): void {
    Atomics.store(this.#control, LEVEL, level);
    Atomics.store(this.#control, ARRIVED, 0);
    Atomics.store(this.#control, STOP, LevelStop.running);
  }

  /**
   * The barrier between levels, for `parts` workers each calling it once
   * it has expanded every state it claimed: the last to arrive starts the
   * next level (the states stored meanwhile) unless none is left, the
   * level is `maxDepth` deep, or its states could add more than the set's
   * room (`perState` successors each); the others wait for it. Returns
   * `true` when the workers go on with the next level, and the time spent
   * waiting in `waited[0]` (milliseconds, added).
   */
  endLevel(parts: number, perState: number, maxDepth: number, waited: Float64Array): boolean {
    const control = this.#control;
    const generation = Atomics.load(control, GENERATION);
    if (Atomics.add(control, ARRIVED, 1) === parts - 1) {
      const from = Atomics.load(control, LEVEL_END), end = Atomics.load(control, COUNT);
      const level = Atomics.load(control, LEVEL) + 1;
      let stop: number = LevelStop.running;
      if (from === end) stop = LevelStop.done;
      else if (level >= maxDepth) stop = LevelStop.maxDepth;
      else if (this.room < (end - from) * perState) stop = LevelStop.room;
      Atomics.store(control, ARRIVED, 0);
      Atomics.store(control, LEVEL, level);
      if (stop === LevelStop.running) this.startLevel(from, end);
      Atomics.store(control, STOP, stop);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      return stop === LevelStop.running;
    }
    const t0 = performance.now();
    // A short spin first: a level often ends within microseconds on every core.
    for (let i = 0; i < 2000 && Atomics.load(control, GENERATION) === generation; i++);
    while (Atomics.load(control, GENERATION) === generation) {
      Atomics.wait(control, GENERATION, generation);
    }
    waited[0]! += performance.now() - t0;
    return Atomics.load(control, STOP) === LevelStop.running;
  }

  /**
   * Inserts the state at `block[at..]` unless present, with its parent
   * pointer. Returns its new index, or `-1 - existing`; when the set
   * already holds `budget` states and the state is new, {@link DROPPED}
   * with nothing stored.
   */
  insert(
    block: Uint32Array,
    at: number,
    parent: number,
    action: number,
    tuple: number,
    budget: number,
  ): number {
    const f = fingerprintOf(block, at, this.words);
    return this.#insert(block, at, f, parent, action, tuple, budget);
  }

  /**
   * Inserts the `count` successors of `batch` in order, as {@link insert}
   * would one by one (`out[k]`: block `k`'s new index, `-1 - existing`, or
   * {@link DROPPED}); their fingerprints are computed and their home slots
   * read first, so the table's cache misses overlap.
   */
  insertBatch(batch: SuccessorBatch, out: Int32Array): void {
    const { blocks, count, parent, action, tuple, budget } = batch, w = this.words;
    if (this.#fingerprints.length < count) this.#fingerprints = new Int32Array(count);
    const fs = this.#fingerprints, table = this.#table, slots = this.#slots;
    let touched = 0;
    for (let k = 0; k < count; k++) {
      const f = fingerprintOf(blocks, k * w, w);
      fs[k] = f;
      touched ^= table[homeOf(f, slots) * 2]!;
    }
    for (let k = 0; k < count; k++) {
      out[k] = this.#insert(blocks, k * w, fs[k]!, parent[k]!, action[k]!, tuple[k]!, budget);
    }
    if (touched === 0.5) throw new Error("Unreachable: keeps the slot reads");
  }

  #fingerprints = new Int32Array(0);

  #insert(
    block: Uint32Array,
    at: number,
    f: number,
    parent: number,
    action: number,
    tuple: number,
    budget: number,
  ): number {
    const table = this.#table, control = this.#control, store = this.#store, w = this.words;
    let ticket = false;
    if (budget !== Infinity) {
      if (Atomics.add(control, TICKETS, 1) >= budget) {
        Atomics.sub(control, TICKETS, 1);
        const found = this.find(block, at);
        return found >= 0 ? -1 - found : DROPPED;
      }
      ticket = true;
    }
    for (let pos = homeOf(f, this.#slots);; pos = (pos + 1) & this.#mask) {
      const k = pos * 2;
      let cur = Atomics.load(table, k);
      if (cur === 0) {
        cur = Atomics.compareExchange(table, k, 0, f);
        if (cur === 0) {
          const index = Atomics.add(control, COUNT, 1);
          const to = index * w;
          for (let i = 0; i < w; i++) store[to + i] = block[at + i]!;
          const p = index * 3;
          this.#parents[p] = parent;
          this.#parents[p + 1] = action;
          this.#parents[p + 2] = tuple;
          Atomics.store(table, k + 1, index + 1);
          // Every stored state holds a ticket, so a budget counts them all.
          if (!ticket) Atomics.add(control, TICKETS, 1);
          return index;
        }
      }
      if (cur !== f) continue;
      const existing = this.#published(k);
      if (this.#same(existing, block, at)) {
        if (ticket) Atomics.sub(control, TICKETS, 1);
        return -1 - existing;
      }
    }
  }

  /** The index of the state at `block[at..]`, or -1. */
  find(block: Uint32Array, at: number): number {
    const table = this.#table, f = fingerprintOf(block, at, this.words);
    for (let pos = homeOf(f, this.#slots);; pos = (pos + 1) & this.#mask) {
      const cur = Atomics.load(table, pos * 2);
      if (cur === 0) return -1;
      if (cur !== f) continue;
      const existing = this.#published(pos * 2);
      if (this.#same(existing, block, at)) return existing;
    }
  }

  /** Copies state `index` into `out` at `at`. */
  copyOut(index: number, out: Uint32Array, at: number): void {
    const w = this.words, store = this.#store, from = index * w;
    for (let i = 0; i < w; i++) out[at + i] = store[from + i]!;
  }

  /** The parent index of state `index` (-1 for the initial state). */
  parent(index: number): number {
    return this.#parents[index * 3]!;
  }

  /** The action that reached state `index` (-1 for the initial state). */
  action(index: number): number {
    return this.#parents[index * 3 + 1]!;
  }

  /** The argument tuple of that action. */
  tuple(index: number): number {
    return this.#parents[index * 3 + 2]!;
  }

  /**
   * A larger copy with room for at least `room` more states (the table
   * rehashed); call it only while no thread inserts. The control words
   * (count, cursor, level end) are shared with this set.
   */
  grown(room: number): SharedStateSet {
    const size = this.size, w = this.words;
    const states = Math.max((this.#store.length / w) * 2, size + room);
    const slots = 2 ** Math.ceil(Math.log2((states * 4) / 3 + 1));
    const next = new SharedStateSet({
      words: w,
      control: this.buffers.control,
      table: new SharedArrayBuffer(slots * 8),
      store: new SharedArrayBuffer(states * w * 4),
      parents: new SharedArrayBuffer(states * 12),
    });
    next.#store.set(this.#store.subarray(0, size * w));
    next.#parents.set(this.#parents.subarray(0, size * 3));
    const old = this.#table, table = next.#table, mask = slots - 1;
    for (let k = 0; k < old.length; k += 2) {
      if (old[k + 1] === 0) continue;
      let p = homeOf(old[k]!, slots);
      while (table[p * 2 + 1] !== 0) p = (p + 1) & mask;
      table[p * 2] = old[k]!;
      table[p * 2 + 1] = old[k + 1]!;
    }
    return next;
  }

  /** The index published in slot word `k + 1`, waiting while its claimer writes the state. */
  #published(k: number): number {
    for (;;) {
      const ref = Atomics.load(this.#table, k + 1);
      if (ref !== 0) return ref - 1;
    }
  }

  #same(index: number, block: Uint32Array, at: number): boolean {
    const w = this.words, store = this.#store, base = index * w;
    for (let i = 0; i < w; i++) if (store[base + i] !== block[at + i]) return false;
    return true;
  }
}
