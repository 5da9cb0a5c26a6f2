/**
 * A {@link GuardStore} over Deno KV, or anything with its `get` and
 * `atomic` calls (`Kv` of `lib/ports/kv.ts`, the KV interface declared
 * once): the instance of (spec, key) lives at `[...prefix, spec, key]` as
 * `{ hash, state }` (state: the packed block as a `Uint8Array`); commits
 * are atomic operations checking the versionstamp read at load time, so
 * two isolates cannot both commit from the same prior state.
 *
 * The adapter takes a KV handle the caller opened (`await Deno.openKv()`),
 * and names no `Deno` API itself.
 *
 * @module
 */
import type { Kv, KvKey } from "../../lib/ports/kv.ts";
import type { GuardStore, LoadedInstance, StoredInstance } from "./guard_store.ts";

/**
 * The calls of a KV handle the guard store makes (it reads and writes single keys, never lists).
 *
 * @example A Deno KV handle fits
 * ```ts
 * import assert from "node:assert/strict";
 * import { kvGuardStore, type KvLike } from "./kv_guard_store.ts";
 * const handle = await Deno.openKv(":memory:"); // needs KV enabled (deno.json "unstable")
 * const kv: KvLike = handle;
 * const store = kvGuardStore(kv);
 * assert.equal(await store.commit("Lease", "lock:a", { hash: "ab", state: new Uint8Array(4) }, null), true);
 * handle.close();
 * ```
 */
export type KvLike = Pick<Kv, "get" | "atomic">;

/**
 * Options of {@link kvGuardStore}.
 *
 * @example Instances under the application's own prefix
 * ```ts
 * import assert from "node:assert/strict";
 * import { kvGuardStore, type KvGuardStoreOptions } from "./kv_guard_store.ts";
 * const kv = await Deno.openKv(":memory:");
 * const options: KvGuardStoreOptions = { prefix: ["app", "vigil"] };
 * await kvGuardStore(kv, options).commit("Lease", "lock:a", { hash: "ab", state: new Uint8Array(4) }, null);
 * const keys = [];
 * for await (const entry of kv.list({ prefix: ["app", "vigil"] })) keys.push(entry.key);
 * assert.equal(keys.length, 1);
 * kv.close();
 * ```
 */
export interface KvGuardStoreOptions {
  /** Key prefix. Default `["vigil"]`. */
  readonly prefix?: KvKey;
}

function isStored(v: unknown): v is StoredInstance {
  if (typeof v !== "object" || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.hash === "string" && r.state instanceof Uint8Array;
}

/**
 * Creates a guard store over a Deno KV handle.
 *
 * @throws {TypeError} From `load`, when the stored value is not an instance record.
 *
 * @example Keep guarded instances in Deno KV
 * ```ts ignore
 * import { kvGuardStore } from "./kv_guard_store.ts";
 * const kv = await Deno.openKv(":memory:");
 * const store = kvGuardStore(kv, { prefix: ["app", "vigil"] });
 * // app.use("/locks/:id/*", vigilGuard(lease, { store, ... }));
 * ```
 */
export function kvGuardStore(kv: KvLike, options: KvGuardStoreOptions = {}): GuardStore {
  const prefix = options.prefix ?? ["vigil"];
  const keyOf = (spec: string, key: string): KvKey => [...prefix, spec, key];
  return {
    async load(spec, key): Promise<LoadedInstance> {
      const k = keyOf(spec, key);
      const entry = await kv.get(k);
      if (entry.versionstamp === null) return { value: null, version: null };
      if (!isStored(entry.value)) {
        throw new TypeError(`KV entry '${JSON.stringify(k.map(String))}' is not a Vigil instance`);
      }
      return { value: entry.value, version: entry.versionstamp };
    },
    async commit(spec, key, value, version) {
      const k = keyOf(spec, key);
      const result = await kv.atomic()
        .check({ key: k, versionstamp: version })
        .set(k, { hash: value.hash, state: value.state })
        .commit();
      return result.ok;
    },
  };
}
