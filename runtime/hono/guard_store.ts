/**
 * Where the Hono guard keeps instance state between requests: the packed
 * state block of each (spec name, key), with the hash of the spec version
 * that wrote it and a version for compare-and-set commits, so two writers
 * (two isolates, two guards) can never both commit from the same prior
 * state.
 *
 * Versions of a spec share a store during a rolling upgrade: each commit
 * records its version's state layout (`stored_state.ts`), and `load` given
 * the reading spec converts a state written by another version to the
 * reader's layout by variable name, or throws a `StoredStateError` naming
 * the variable that does not convert. Both stores here (in memory, and
 * `kvGuardStore`) convert the same way, through `StateConverter`.
 *
 * @module
 */
import { type GuardedSpec, layoutOf, StateConverter, type StateLayout } from "./stored_state.ts";

/**
 * One stored instance.
 *
 * @example What a store keeps per key
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "../monitor/load_spec.ts";
 * import { memoryGuardStore, type StoredInstance } from "./guard_store.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const store = memoryGuardStore();
 * const state = lease.monitor().stateBytes();
 * assert.equal(await store.commit(lease, "lock:a", state, null), true);
 * const stored: StoredInstance | null = (await store.load(lease, "lock:a")).value;
 * assert.deepEqual(stored, { hash: lease.hash, state });
 * ```
 */
export interface StoredInstance {
  /** Source hash of the spec version whose layout `state` is in. */
  readonly hash: string;
  /** The packed state block (`meta.stride` bytes of that version). */
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
  /** Opaque version for `commit`; `null` when nothing is stored. */
  readonly version: string | null;
  /** When `value` was converted: the hash of the version that stored it. */
  readonly convertedFrom?: string;
}

/**
 * The storage of guarded instances.
 *
 * @example A stale version loses the race
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "../monitor/load_spec.ts";
 * import { type GuardStore, memoryGuardStore } from "./guard_store.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const store: GuardStore = memoryGuardStore();
 * const state = lease.monitor().stateBytes();
 * assert.equal(await store.commit(lease, "lock:a", state, null), true);
 * const { version } = await store.load(lease, "lock:a");
 * assert.equal(await store.commit(lease, "lock:a", state, version), true);
 * assert.equal(await store.commit(lease, "lock:a", state, version), false);
 * ```
 */
export interface GuardStore {
  /**
   * Reads the instance of `key`. Given the reading spec (a `LoadedSpec`),
   * the state comes in its layout: one stored by another version of the
   * spec is converted by variable name (`convertedFrom` says from which).
   * Given only the spec's name, the record comes as stored (its `hash`
   * says which version's layout it is in).
   *
   * @throws {StoredStateError} When a state stored by another version does
   * not convert (`unconvertible`, naming the variable) or that version's
   * layout was never recorded (`unknown_version`).
   */
  load(spec: GuardedSpec | string, key: string): Promise<LoadedInstance>;
  /**
   * Writes `state` (a block of `spec`'s layout) as the instance of `key`,
   * only if its version is still `version` (`null`: only if nothing is
   * stored), and records `spec`'s layout for readers of other versions.
   * Resolves `false` on a version conflict.
   */
  commit(
    spec: GuardedSpec,
    key: string,
    state: Uint8Array,
    version: string | null,
  ): Promise<boolean>;
}

/**
 * An in-memory store (the default): one process, versions are counters.
 * It records the layout of every version that commits, so a spec loaded
 * in the same process under another version reads the states converted.
 *
 * @example Commit with a version check
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "../monitor/load_spec.ts";
 * import { memoryGuardStore } from "./guard_store.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const store = memoryGuardStore();
 * const state = lease.monitor().stateBytes();
 * assert.equal(await store.commit(lease, "lock:a", state, null), true);
 * assert.equal(await store.commit(lease, "lock:a", state, null), false); // already stored
 * assert.equal((await store.load(lease, "lock:a")).version, "1");
 * assert.equal(await store.commit(lease, "lock:a", state, "1"), true);
 * assert.equal(store.size, 1);
 * ```
 */
export function memoryGuardStore(): GuardStore & { readonly size: number } {
  const entries = new Map<string, { value: StoredInstance; version: string }>();
  const layouts = new Map<string, StateLayout>();
  const converter = new StateConverter();
  let next = 0;
  const id = (spec: string, key: string) => `${spec}\u0000${key}`;
  const recorded = (spec: string, hash: string) =>
    Promise.resolve(layouts.get(id(spec, hash)) ?? null);
  return {
    get size() {
      return entries.size;
    },
    load(spec, key) {
      const name = typeof spec === "string" ? spec : spec.meta.name;
      const e = entries.get(id(name, key));
      if (e === undefined) return Promise.resolve({ value: null, version: null });
      const stored = { hash: e.value.hash, state: e.value.state.slice() };
      return converter.read(spec, key, { stored, version: e.version }, recorded);
    },
    commit(spec, key, state, version) {
      const { name, sourceHash } = spec.meta;
      const k = id(name, key);
      if ((entries.get(k)?.version ?? null) !== version) return Promise.resolve(false);
      const layout = id(name, sourceHash);
      if (!layouts.has(layout)) layouts.set(layout, layoutOf(spec));
      entries.set(k, {
        value: { hash: sourceHash, state: state.slice() },
        version: String(++next),
      });
      return Promise.resolve(true);
    },
  };
}
