/**
 * The partitions of one served spec name, by instance key, with a cache that
 * finds a partition from its key's UTF-8 bytes in a decoded batch without
 * making a string (the columns ingest looks every event's key up).
 *
 * The cache is direct-mapped: {@link KEY_CACHE_SLOTS} slots by an FNV-1a
 * hash of the key bytes, the last partition cached in a slot winning. A
 * hit is checked byte for byte against the partition's key (two keys may
 * share a hash, and a hash may share a slot), so a miss only costs a
 * lookup by string.
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

/** Slots of the key cache (a power of two). */
export const KEY_CACHE_SLOTS = 4096;

const KEY_CACHE_MASK = KEY_CACHE_SLOTS - 1;

/** FNV-1a over bytes. */
function hashBytes(b: Uint8Array, off: number, len: number): number {
  let h = 0x811c9dc5;
  for (let i = off; i < off + len; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

/** FNV-1a over the character codes of an ASCII string (the same as over its UTF-8 bytes). */
function hashCodes(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
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
    const p = this.#keyCache[hashBytes(bytes, off, len) & KEY_CACHE_MASK];
    if (p === undefined) return undefined;
    const utf8 = p.keyUtf8;
    if (utf8 === null) {
      const k = p.key;
      if (k.length !== len) return undefined;
      for (let i = 0; i < len; i++) if (k.charCodeAt(i) !== bytes[off + i]) return undefined;
      return p;
    }
    if (utf8.length !== len) return undefined;
    for (let i = 0; i < len; i++) if (utf8[i] !== bytes[off + i]) return undefined;
    return p;
  }

  /** Caches a partition for {@link cached}. */
  cache(p: Partition): void {
    const h = p.keyUtf8 === null ? hashCodes(p.key) : hashBytes(p.keyUtf8, 0, p.keyUtf8.length);
    this.#keyCache[h & KEY_CACHE_MASK] = p;
  }
}
