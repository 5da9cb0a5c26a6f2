/**
 * A compact table of string keys for many instances: each key is stored
 * once as UTF-8 bytes in one growing byte arena (a varint length, then the
 * bytes), found by an open-addressing hash table of handles (linear
 * probing, at most 3/4 full, deletion by backward shift, so no
 * tombstones), and read back by handle through one offset per handle. No
 * JavaScript string or object is kept per key: about the key's length + 1
 * bytes, plus 3 for its offset and 4-8 for its hash slot (3 bytes each at
 * most 3/4 full).
 *
 * The offsets and the hash slots are packed unsigned integers of 3 bytes
 * while every value fits in 24 bits (arena offsets below 16 MiB, handles
 * below 16,777,215), each column widened to 4 bytes when a value needs it:
 * a million keys of 11 bytes take about 19 bytes each instead of 21.
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
/** Values a 3-byte packed integer holds: below 2^24. */
const NARROW_LIMIT = 16777216;

/** Entry `i` of a packed column of `width`-byte (3 or 4) little-endian unsigned integers. */
function packedAt(column: Uint8Array, width: number, i: number): number {
  const at = i * width;
  const low = column[at]! | (column[at + 1]! << 8) | (column[at + 2]! << 16);
  return width === 3 ? low : low + column[at + 3]! * NARROW_LIMIT;
}

/** Sets entry `i` of a packed column to `value` (below 2^24 when `width` is 3). */
function setPacked(column: Uint8Array, width: number, i: number, value: number): void {
  const at = i * width;
  column[at] = value;
  column[at + 1] = value >>> 8;
  column[at + 2] = value >>> 16;
  if (width === 4) column[at + 3] = value >>> 24;
}

/** A packed column of `entries` entries of `width` bytes holding `old`'s (of `oldWidth`) first. */
function repacked(old: Uint8Array, oldWidth: number, width: number, entries: number): Uint8Array {
  const column = new Uint8Array(entries * width);
  if (width === oldWidth) column.set(old.subarray(0, Math.min(old.length, column.length)));
  else {
    const n = Math.min(old.length / oldWidth, entries);
    for (let i = 0; i < n; i++) setPacked(column, width, i, packedAt(old, oldWidth, i));
  }
  return column;
}

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
  /** Per handle, packed: 1 + the arena offset of its key, 0 when the handle has none. */
  #keyOffsets: Uint8Array;
  /** Bytes per entry of {@link #keyOffsets}: 3, or 4 once an offset needs it. */
  #offsetWidth = 3;
  /** Handles {@link #keyOffsets} has room for. */
  #handleRoom: number;
  /** Hash slots, packed: 1 + a handle, 0 when empty. */
  #slots: Uint8Array;
  /** Bytes per entry of {@link #slots}: 3, or 4 once a handle needs it. */
  #slotWidth = 3;
  /** The number of hash slots. */
  #slotCount: number;
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
    this.#slotCount = Math.max(MIN_SLOTS, Math.ceil(n / MAX_LOAD) + 1);
    this.#slots = new Uint8Array(this.#slotCount * this.#slotWidth);
    this.#handleRoom = Math.max(MIN_SLOTS, n);
    this.#keyOffsets = new Uint8Array(this.#handleRoom * this.#offsetWidth);
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
    if (!((handle | 0) === handle && handle >= 0 && handle < this.#handleRoom)) return false;
    // Non-zero when any byte is (the monitor pool's per-step check: no arithmetic).
    const column = this.#keyOffsets, width = this.#offsetWidth, at = handle * width;
    return (column[at]! | column[at + 1]! | column[at + 2]! |
      (width === 4 ? column[at + 3]! : 0)) !==
      0;
  }

  /** The handle of `key`, or -1. */
  find(key: string): number {
    const length = this.#encode(key);
    const slot = this.#slotOf(this.#scratch, 0, length);
    return slot < 0 ? -1 : this.#slotAt(slot) - 1;
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
    if (handle + 1 >= NARROW_LIMIT && this.#slotWidth === 3) {
      this.#slots = repacked(this.#slots, 3, 4, this.#slotCount);
      this.#slotWidth = 4;
    }
    if (this.#count + 1 > this.#slotCount * MAX_LOAD) {
      this.#rehash(Math.ceil(this.#slotCount * 1.5));
    }
    const at = this.#append(this.#scratch, 0, length);
    if (handle >= this.#handleRoom) {
      const room = Math.max(handle + 1, Math.ceil(this.#handleRoom * 1.5));
      this.#keyOffsets = repacked(this.#keyOffsets, this.#offsetWidth, this.#offsetWidth, room);
      this.#handleRoom = room;
    }
    this.#setOffset(handle, at + 1);
    this.#place(handle, hashBytes(this.#scratch, 0, length));
    this.#count++;
  }

  /** The key of `handle`. @throws {RangeError} When the handle has none. */
  keyOf(handle: number): string {
    const at = (this.has(handle) ? this.#offsetOf(handle) : 0) - 1;
    if (!(at >= 0)) throw new RangeError(`Handle ${handle} has no key`);
    const length = this.#lengthAt(at), from = this.#bytesFrom;
    return this.#decoder.decode(this.#arena.subarray(from, from + length));
  }

  /** Removes the key of `handle` (nothing when it has none). */
  remove(handle: number): void {
    if (!this.has(handle)) return;
    const at = this.#offsetOf(handle) - 1;
    const length = this.#lengthAt(at), from = this.#bytesFrom;
    let hole = this.#slotOf(this.#arena, from, length);
    this.#setOffset(handle, 0);
    this.#arenaGarbage += from + length - at;
    this.#count--;
    // Backward shift: move later entries of the probe run into the hole
    // unless their home lies cyclically after the hole.
    const n = this.#slotCount;
    this.#setSlot(hole, 0);
    for (let j = (hole + 1) % n; this.#slotAt(j) !== 0; j = (j + 1) % n) {
      const entry = this.#slotAt(j);
      const home = homeOf(this.#hashOfHandle(entry - 1), n);
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!stays) {
        this.#setSlot(hole, entry);
        this.#setSlot(j, 0);
        hole = j;
      }
    }
    if (this.#arenaGarbage > this.#arenaUsed / 2 && this.#arenaUsed > COMPACT_FLOOR) {
      this.#compact();
    }
  }

  /** Every handle with a key, in handle order. */
  *handles(): IterableIterator<number> {
    for (let h = 0; h < this.#handleRoom; h++) if (this.#offsetOf(h) > 0) yield h;
  }

  /** 1 + the arena offset of `handle`'s key, 0 when none (`handle` below {@link #handleRoom}). */
  #offsetOf(handle: number): number {
    return packedAt(this.#keyOffsets, this.#offsetWidth, handle);
  }

  /** Sets the packed offset of `handle`, widening the column when the value needs 4 bytes. */
  #setOffset(handle: number, value: number): void {
    if (value >= NARROW_LIMIT && this.#offsetWidth === 3) {
      this.#keyOffsets = repacked(this.#keyOffsets, 3, 4, this.#handleRoom);
      this.#offsetWidth = 4;
    }
    setPacked(this.#keyOffsets, this.#offsetWidth, handle, value);
  }

  /** Hash slot `s`: 1 + a handle, 0 when empty. */
  #slotAt(s: number): number {
    return packedAt(this.#slots, this.#slotWidth, s);
  }

  #setSlot(s: number, value: number): void {
    setPacked(this.#slots, this.#slotWidth, s, value);
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
    const length = this.#lengthAt(this.#offsetOf(handle) - 1);
    return hashBytes(this.#arena, this.#bytesFrom, length);
  }

  /** The hash slot holding the key `bytes[from .. from+length)`, or -1. */
  #slotOf(bytes: Uint8Array, from: number, length: number): number {
    const n = this.#slotCount, arena = this.#arena;
    for (let s = homeOf(hashBytes(bytes, from, length), n);; s = s + 1 === n ? 0 : s + 1) {
      const entry = this.#slotAt(s);
      if (entry === 0) return -1;
      const l = this.#lengthAt(this.#offsetOf(entry - 1) - 1), start = this.#bytesFrom;
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
    const n = this.#slotCount;
    let s = homeOf(hash, n);
    while (this.#slotAt(s) !== 0) s = s + 1 === n ? 0 : s + 1;
    this.#setSlot(s, handle + 1);
  }

  /** Appends a varint length and the key bytes; the offset written at. */
  #append(bytes: Uint8Array, from: number, length: number): number {
    const need = this.#arenaUsed + varintSize(length) + length;
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
    this.#slotCount = slotCount;
    this.#slots = new Uint8Array(slotCount * this.#slotWidth);
    for (let h = 0; h < this.#handleRoom; h++) {
      if (this.#offsetOf(h) > 0) this.#place(h, this.#hashOfHandle(h));
    }
  }

  /** Rewrites the arena with the live keys only. */
  #compact(): void {
    const old = this.#arena;
    this.#arena = new Uint8Array(Math.max(1024, this.#arenaUsed - this.#arenaGarbage + 1024));
    this.#arenaUsed = 0;
    this.#arenaGarbage = 0;
    for (let h = 0; h < this.#handleRoom; h++) {
      const at = this.#offsetOf(h) - 1;
      if (at < 0) continue;
      const length = varintAt(old, at);
      this.#setOffset(h, this.#append(old, at + varintSize(length), length) + 1);
    }
  }
}
