/**
 * A compact table of string keys for many instances: each key is stored
 * once as UTF-8 bytes in one growing byte arena (a varint length, then the
 * bytes), found by an open-addressing hash table of handles (linear
 * probing, at most 3/4 full, deletion by backward shift, so no
 * tombstones), and read back by handle through one offset per handle. No
 * JavaScript string or object is kept per key: about the key's length + 1
 * bytes, plus 4 for its offset and 4-8 for its hash slot.
 *
 * Internal to the runtime: the monitor pool's key index.
 *
 * @module
 */

/** Largest share of hash slots in use before the table grows. */
const MAX_LOAD = 0.75;
/** Slots of a new, empty table. */
const MIN_SLOTS = 16;
/** Arena bytes below which freed keys are never compacted away. */
const COMPACT_FLOOR = 64 * 1024;

/** FNV-1a over `bytes[from .. from + length)`, as an unsigned 32-bit integer. */
function hashBytes(bytes: Uint8Array, from: number, length: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < from + length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  // Mix the high bits down: the slot is taken from the top bits below.
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

/** The unsigned LEB128 varint at `bytes[at]`. */
function varintAt(bytes: Uint8Array, at: number): number {
  let value = 0, scale = 1;
  for (let i = at;; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value;
    scale *= 128;
  }
}

/** The bytes of `value` as a varint. */
function varintSize(value: number): number {
  let n = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 128)) n++;
  return n;
}

/** The home slot of `hash` among `slots` (a multiply-shift range reduction: any table size). */
function homeOf(hash: number, slots: number): number {
  return Math.floor((hash * slots) / 4294967296);
}

/**
 * String key -> handle, and handle -> key, for handles that are small
 * non-negative integers (instance indexes).
 *
 * @example Add, find and remove keys
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeyTable } from "./key_table.ts";
 * const keys = new KeyTable();
 * keys.add("lock:a", 0);
 * keys.add("lock:ü", 7);
 * assert.equal(keys.find("lock:ü"), 7);
 * assert.equal(keys.keyOf(0), "lock:a");
 * keys.remove(0);
 * assert.equal(keys.find("lock:a"), -1);
 * assert.equal(keys.size, 1);
 * ```
 */
export class KeyTable {
  /** Key bytes, each a varint length then UTF-8. */
  #arena: Uint8Array;
  #arenaUsed = 0;
  /** Arena bytes of removed keys, reclaimed by compaction. */
  #arenaGarbage = 0;
  /** Per handle: 1 + the arena offset of its key, 0 when the handle has none. */
  #keyOffsets: Int32Array;
  /** Hash slots: 1 + a handle, 0 when empty. */
  #slots: Int32Array;
  #count = 0;
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder();
  /** Where a key being looked up is encoded. */
  #scratch = new Uint8Array(256);
  /** Where the bytes of the key last measured by {@link #lengthAt} start. */
  #bytesFrom = 0;

  /** A table sized for `capacity` keys (it grows beyond). */
  constructor(capacity = 0) {
    const n = Math.max(0, Math.floor(capacity));
    this.#slots = new Int32Array(Math.max(MIN_SLOTS, Math.ceil(n / MAX_LOAD) + 1));
    this.#keyOffsets = new Int32Array(Math.max(MIN_SLOTS, n));
    this.#arena = new Uint8Array(Math.max(1024, n * 12));
  }

  /** The number of keys. */
  get size(): number {
    return this.#count;
  }

  /** Bytes held by the table's arrays (arena, offsets, hash slots). */
  get bytes(): number {
    return this.#arena.byteLength + this.#keyOffsets.byteLength + this.#slots.byteLength;
  }

  /** Whether `handle` has a key. */
  has(handle: number): boolean {
    return this.#keyOffsets[handle]! > 0;
  }

  /** The handle of `key`, or -1. */
  find(key: string): number {
    const length = this.#encode(key);
    const slot = this.#slotOf(this.#scratch, 0, length);
    return slot < 0 ? -1 : this.#slots[slot]! - 1;
  }

  /**
   * Adds `key` for `handle` (a non-negative integer).
   *
   * @throws {TypeError} When the key or the handle is already in the table.
   */
  add(key: string, handle: number): void {
    if (!Number.isInteger(handle) || handle < 0 || handle > 0x7ffffffe) {
      throw new RangeError(`Handle ${handle} is not a non-negative 31-bit integer`);
    }
    if (this.has(handle)) throw new TypeError(`Handle ${handle} already has a key`);
    const length = this.#encode(key);
    if (this.#slotOf(this.#scratch, 0, length) >= 0) {
      throw new TypeError(`Key '${key}' is already in the table`);
    }
    if (this.#count + 1 > this.#slots.length * MAX_LOAD) {
      this.#rehash(Math.ceil(this.#slots.length * 1.5));
    }
    const at = this.#append(this.#scratch, 0, length);
    if (handle >= this.#keyOffsets.length) {
      const grown = new Int32Array(Math.max(handle + 1, Math.ceil(this.#keyOffsets.length * 1.5)));
      grown.set(this.#keyOffsets);
      this.#keyOffsets = grown;
    }
    this.#keyOffsets[handle] = at + 1;
    this.#place(handle, hashBytes(this.#scratch, 0, length));
    this.#count++;
  }

  /** The key of `handle`. @throws {RangeError} When the handle has none. */
  keyOf(handle: number): string {
    const at = this.#keyOffsets[handle]! - 1;
    if (!(at >= 0)) throw new RangeError(`Handle ${handle} has no key`);
    const length = this.#lengthAt(at), from = this.#bytesFrom;
    return this.#decoder.decode(this.#arena.subarray(from, from + length));
  }

  /** Removes the key of `handle` (nothing when it has none). */
  remove(handle: number): void {
    const at = this.#keyOffsets[handle]! - 1;
    if (!(at >= 0)) return;
    const length = this.#lengthAt(at), from = this.#bytesFrom;
    let hole = this.#slotOf(this.#arena, from, length);
    this.#keyOffsets[handle] = 0;
    this.#arenaGarbage += from + length - at;
    this.#count--;
    // Backward shift: move later entries of the probe run into the hole
    // unless their home lies cyclically after the hole.
    const slots = this.#slots, n = slots.length;
    slots[hole] = 0;
    for (let j = (hole + 1) % n; slots[j] !== 0; j = (j + 1) % n) {
      const home = homeOf(this.#hashOfHandle(slots[j]! - 1), n);
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!stays) {
        slots[hole] = slots[j]!;
        slots[j] = 0;
        hole = j;
      }
    }
    if (this.#arenaGarbage > this.#arenaUsed / 2 && this.#arenaUsed > COMPACT_FLOOR) {
      this.#compact();
    }
  }

  /** Every handle with a key, in handle order. */
  *handles(): IterableIterator<number> {
    const offsets = this.#keyOffsets;
    for (let h = 0; h < offsets.length; h++) if (offsets[h]! > 0) yield h;
  }

  /** Encodes `key` into the scratch buffer; its UTF-8 length. */
  #encode(key: string): number {
    if (typeof key !== "string") throw new TypeError(`A key must be a string, got ${typeof key}`);
    if (key.length * 3 > this.#scratch.length) this.#scratch = new Uint8Array(key.length * 3);
    return this.#encoder.encodeInto(key, this.#scratch).written;
  }

  /** The varint length at arena offset `at`; its bytes start at `#bytesFrom`. */
  #lengthAt(at: number): number {
    const length = varintAt(this.#arena, at);
    this.#bytesFrom = at + varintSize(length);
    return length;
  }

  #hashOfHandle(handle: number): number {
    const length = this.#lengthAt(this.#keyOffsets[handle]! - 1);
    return hashBytes(this.#arena, this.#bytesFrom, length);
  }

  /** The hash slot holding the key `bytes[from .. from+length)`, or -1. */
  #slotOf(bytes: Uint8Array, from: number, length: number): number {
    const slots = this.#slots, n = slots.length, arena = this.#arena;
    for (let s = homeOf(hashBytes(bytes, from, length), n);; s = s + 1 === n ? 0 : s + 1) {
      const entry = slots[s]!;
      if (entry === 0) return -1;
      const l = this.#lengthAt(this.#keyOffsets[entry - 1]! - 1), start = this.#bytesFrom;
      if (l !== length) continue;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (arena[start + i] !== bytes[from + i]) {
          same = false;
          break;
        }
      }
      if (same) return s;
    }
  }

  /** Puts `handle` in the first free slot from the home of `hash`. */
  #place(handle: number, hash: number): void {
    const slots = this.#slots, n = slots.length;
    let s = homeOf(hash, n);
    while (slots[s] !== 0) s = s + 1 === n ? 0 : s + 1;
    slots[s] = handle + 1;
  }

  /** Appends a varint length and the key bytes; the offset written at. */
  #append(bytes: Uint8Array, from: number, length: number): number {
    const need = this.#arenaUsed + length + 5;
    if (need > this.#arena.length) {
      const grown = new Uint8Array(Math.max(need, Math.ceil(this.#arena.length * 1.5)));
      grown.set(this.#arena.subarray(0, this.#arenaUsed));
      this.#arena = grown;
    }
    const at = this.#arenaUsed;
    let i = at, v = length;
    while (v >= 0x80) {
      this.#arena[i++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.#arena[i++] = v;
    this.#arena.set(bytes.subarray(from, from + length), i);
    this.#arenaUsed = i + length;
    return at;
  }

  #rehash(slotCount: number): void {
    this.#slots = new Int32Array(slotCount);
    const offsets = this.#keyOffsets;
    for (let h = 0; h < offsets.length; h++) {
      if (offsets[h]! > 0) this.#place(h, this.#hashOfHandle(h));
    }
  }

  /** Rewrites the arena with the live keys only. */
  #compact(): void {
    const old = this.#arena, offsets = this.#keyOffsets;
    this.#arena = new Uint8Array(Math.max(1024, this.#arenaUsed - this.#arenaGarbage + 1024));
    this.#arenaUsed = 0;
    this.#arenaGarbage = 0;
    for (let h = 0; h < offsets.length; h++) {
      const at = offsets[h]! - 1;
      if (at < 0) continue;
      const length = varintAt(old, at);
      offsets[h] = this.#append(old, at + varintSize(length), length) + 1;
    }
  }
}
