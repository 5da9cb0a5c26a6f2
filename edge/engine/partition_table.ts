/**
 * The partitions of one served spec name, by instance key, with a cache that
 * finds a partition from its key's UTF-8 bytes in a decoded batch without
 * making a string (the columns ingest looks every event's key up).
 *
 * The cache is two-way set-associative: {@link KEY_CACHE_SLOTS} slots in
 * sets of two, a set chosen by an FNV-1a hash of the key bytes; caching a
 * third key in a full set drops its least recently cached one. (Direct
 * mapped, the keys that shared a slot evicted each other at every turn:
 * 56 of the 512 keys of the ingest bench's workload, each miss a string
 * made and a lookup by it.) A hit is checked byte for byte against the
 * partition's key (two keys may share a hash, and a hash may share a
 * set), so a miss only costs a lookup by string.
 *
 * Several versions of a spec (one name, several hashes) share one table:
 * its partitions live in the newest version's module ({@link served}),
 * and each older version is linked to it by a {@link VersionUpgrade} that
 * converts its states.
 *
 * @module
 */
import type { Partition } from "./partition.ts";
import type { ServedSpec } from "./served_spec.ts";
import { VersionUpgrade } from "./version_upgrade.ts";

/** Slots of the key cache (a power of two), in sets of two. */
export const KEY_CACHE_SLOTS = 8192;

/** Masks a hash to the first slot of its set (even). */
const KEY_CACHE_MASK = KEY_CACHE_SLOTS - 2;

/**
 * The first cache slot of a key's set: FNV-1a over its bytes, masked here (not by
 * the caller) so that what it returns is a small integer: a full 32-bit
 * hash returned from a call that is not inlined is a heap number, one
 * allocation per event.
 */
function slotOfBytes(b: Uint8Array, off: number, len: number): number {
  let h = 0x811c9dc5;
  for (let i = off; i < off + len; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h & KEY_CACHE_MASK;
}

/** The first slot of an ASCII key's set: FNV-1a over its character codes (the same as over its UTF-8 bytes). */
function slotOfCodes(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h & KEY_CACHE_MASK;
}

/** One served spec's partitions, by key. */
export class PartitionTable {
  /** The spec whose partitions these are: the newest version served under its name. */
  readonly served: ServedSpec;
  /** The older versions served under the same name, by hash. */
  readonly #upgrades = new Map<string, VersionUpgrade>();
  readonly #byKey = new Map<string, Partition>();
  readonly #keyCache: (Partition | undefined)[] = new Array(KEY_CACHE_SLOTS);

  /**
   * Creates the empty table of a served spec.
   *
   * @example Find a partition by its key's bytes
   * ```ts
   * import assert from "node:assert/strict";
   * import { loadCompiled } from "../../lib/abi/loader.ts";
   * import { Partition } from "./partition.ts";
   * import { PartitionTable } from "./partition_table.ts";
   * import { ServedSpec } from "./served_spec.ts";
   * const lease = await loadCompiled(new URL("../../dist/lease.js", import.meta.url));
   * const table = new PartitionTable(new ServedSpec(lease));
   * const p = new Partition(table.served, "lock:1", {
   *   historySize: 32, cutEvents: 5, initialParticipants: 2,
   * });
   * table.add(p);
   * const bytes = new TextEncoder().encode("[lock:1]");
   * assert.equal(table.cached(bytes, 1, 6), undefined); // not cached yet
   * table.cache(p);
   * assert.equal(table.cached(bytes, 1, 6), p);
   * assert.equal(table.cached(bytes, 1, 5), undefined); // "lock:" is another key
   * assert.equal(table.get("lock:1"), p);
   * ```
   */
  constructor(served: ServedSpec) {
    this.served = served;
  }

  /**
   * Serves an older version of the spec too (same name, another hash):
   * its events are decoded with it and their states converted to
   * {@link served}'s layout.
   */
  addVersion(older: ServedSpec): VersionUpgrade {
    if (older.name !== this.served.name) {
      throw new TypeError(
        `Spec '${older.name}' is not a version of spec '${this.served.name}'`,
      );
    }
    const up = new VersionUpgrade(older, this.served);
    this.#upgrades.set(older.hash, up);
    this.served.versions.set(older.hash, older);
    return up;
  }

  /** The served version of a hash (this table's), or undefined. */
  version(hash: string): ServedSpec | undefined {
    return this.served.versions.get(hash);
  }

  /** How states of version `hash` reach the newest; null for the newest itself (or a hash not served). */
  upgradeFrom(hash: string): VersionUpgrade | null {
    return this.#upgrades.get(hash) ?? null;
  }

  /** Number of partitions. */
  get size(): number {
    return this.#byKey.size;
  }

  /** The partition of a key, if any. */
  get(key: string): Partition | undefined {
    return this.#byKey.get(key);
  }

  /** Adds a new (or restored) partition of this spec. */
  add(p: Partition): void {
    this.#byKey.set(p.key, p);
  }

  /** The partition whose key is the UTF-8 `bytes[off .. off + len)`, if cached. */
  cached(bytes: Uint8Array, off: number, len: number): Partition | undefined {
    const slot = slotOfBytes(bytes, off, len);
    const p = this.#keyCache[slot];
    if (p === undefined) return undefined;
    if (hasKey(p, bytes, off, len)) return p;
    const q = this.#keyCache[slot + 1];
    return q !== undefined && hasKey(q, bytes, off, len) ? q : undefined;
  }

  /** Caches a partition for {@link cached} (first in its set; a set's older one moves second). */
  cache(p: Partition): void {
    const slot = p.keyUtf8 === null
      ? slotOfCodes(p.key)
      : slotOfBytes(p.keyUtf8, 0, p.keyUtf8.length);
    const first = this.#keyCache[slot];
    if (first !== p) {
      if (first !== undefined) this.#keyCache[slot + 1] = first;
      this.#keyCache[slot] = p;
    }
  }
}

/** True when `p`'s key is the UTF-8 `bytes[off .. off + len)`. */
function hasKey(p: Partition, bytes: Uint8Array, off: number, len: number): boolean {
  const utf8 = p.keyUtf8;
  if (utf8 === null) {
    const k = p.key;
    if (k.length !== len) return false;
    for (let i = 0; i < len; i++) if (k.charCodeAt(i) !== bytes[off + i]) return false;
    return true;
  }
  if (utf8.length !== len) return false;
  for (let i = 0; i < len; i++) if (utf8[i] !== bytes[off + i]) return false;
  return true;
}
