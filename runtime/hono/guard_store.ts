/**
 * Where the Hono guard keeps instance state between requests: the packed
 * state block of each (spec name, key), with the spec hash it was written
 * under and a version for compare-and-set commits, so two writers (two
 * isolates, two guards) can never both commit from the same prior state.
 *
 * @module
 */

/**
 * One stored instance.
 *
 * @example What a store keeps per key
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryGuardStore, type StoredInstance } from "./guard_store.ts";
 * const store = memoryGuardStore();
 * const instance: StoredInstance = { hash: "ab12", state: new Uint8Array([1, 0, 0, 0]) };
 * assert.equal(await store.commit("Lease", "lock:a", instance, null), true);
 * assert.deepEqual((await store.load("Lease", "lock:a")).value, instance);
 * ```
 */
export interface StoredInstance {
  /** Source hash of the spec that wrote it (a block is only meaningful to that spec). */
  readonly hash: string;
  /** The packed state block (`meta.stride` bytes). */
  readonly state: Uint8Array;
}

/**
 * What `load` finds: the instance (or `null` for a key never committed) and its version.
 *
 * @example A key never committed
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LoadedInstance, memoryGuardStore } from "./guard_store.ts";
 * const found: LoadedInstance = await memoryGuardStore().load("Lease", "lock:new");
 * assert.deepEqual(found, { value: null, version: null });
 * ```
 */
export interface LoadedInstance {
  /** The stored instance, or `null` for a key never committed. */
  readonly value: StoredInstance | null;
  /** Opaque version; `null` when nothing is stored. */
  readonly version: string | null;
}

/**
 * The storage of guarded instances.
 *
 * @example A stale version loses the race
 * ```ts
 * import assert from "node:assert/strict";
 * import { type GuardStore, memoryGuardStore } from "./guard_store.ts";
 * const store: GuardStore = memoryGuardStore();
 * const instance = { hash: "ab12", state: new Uint8Array(4) };
 * assert.equal(await store.commit("Lease", "lock:a", instance, null), true);
 * const { version } = await store.load("Lease", "lock:a");
 * assert.equal(await store.commit("Lease", "lock:a", instance, version), true);
 * assert.equal(await store.commit("Lease", "lock:a", instance, version), false);
 * ```
 */
export interface GuardStore {
  /** Reads the instance of `key` under spec `spec` (the spec name). */
  load(spec: string, key: string): Promise<LoadedInstance>;
  /**
   * Writes the instance only if its version is still `version` (`null`:
   * only if nothing is stored). Resolves `false` on a version conflict.
   */
  commit(
    spec: string,
    key: string,
    value: StoredInstance,
    version: string | null,
  ): Promise<boolean>;
}

/**
 * An in-memory store (the default): one process, versions are counters.
 *
 * @example Commit with a version check
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryGuardStore } from "./guard_store.ts";
 * const store = memoryGuardStore();
 * const value = { hash: "h", state: new Uint8Array(8) };
 * assert.equal(await store.commit("Lease", "lock:a", value, null), true);
 * assert.equal(await store.commit("Lease", "lock:a", value, null), false); // already stored
 * assert.equal((await store.load("Lease", "lock:a")).version, "1");
 * assert.equal(await store.commit("Lease", "lock:a", value, "1"), true);
 * ```
 */
export function memoryGuardStore(): GuardStore & { readonly size: number } {
  const entries = new Map<string, { value: StoredInstance; version: string }>();
  let next = 0;
  const id = (spec: string, key: string) => `${spec}\u0000${key}`;
  return {
    get size() {
      return entries.size;
    },
    load(spec, key) {
      const e = entries.get(id(spec, key));
      return Promise.resolve(
        e === undefined ? { value: null, version: null } : {
          value: { hash: e.value.hash, state: e.value.state.slice() },
          version: e.version,
        },
      );
    },
    commit(spec, key, value, version) {
      const k = id(spec, key);
      if ((entries.get(k)?.version ?? null) !== version) return Promise.resolve(false);
      entries.set(k, {
        value: { hash: value.hash, state: value.state.slice() },
        version: String(++next),
      });
      return Promise.resolve(true);
    },
  };
}
