/**
 * A {@link GuardStore} over Deno KV (or anything with its `get`/`atomic`
 * shape): the instance of (spec, key) lives at `[...prefix, spec, key]` as
 * `{ hash, state }` (state: the packed block as a `Uint8Array`); commits
 * are atomic operations checking the versionstamp read at load time, so
 * two isolates cannot both commit from the same prior state.
 *
 * The adapter takes a KV handle the caller opened (`await Deno.openKv()`),
 * and names no `Deno` API itself.
 *
 * @module
 */
import type { GuardStore, LoadedInstance, StoredInstance } from "./guard_store.ts";

/** A Deno KV key. */
export type KvKeyLike = readonly (string | number | bigint | boolean | Uint8Array)[];

/** The atomic operation shape used (a subset of `Deno.AtomicOperation`). */
export interface KvAtomicLike {
  check(...checks: { key: KvKeyLike; versionstamp: string | null }[]): KvAtomicLike;
  set(key: KvKeyLike, value: unknown): KvAtomicLike;
  commit(): Promise<{ readonly ok: boolean }>;
}

/** The KV shape used (a subset of `Deno.Kv`). */
export interface KvLike {
  get(key: KvKeyLike): Promise<{ readonly value: unknown; readonly versionstamp: string | null }>;
  atomic(): KvAtomicLike;
}

/** Options of {@link kvGuardStore}. */
export interface KvGuardStoreOptions {
  /** Key prefix. Default `["vigil"]`. */
  readonly prefix?: KvKeyLike;
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
  const keyOf = (spec: string, key: string): KvKeyLike => [...prefix, spec, key];
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
