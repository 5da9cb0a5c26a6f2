/**
 * A {@link GuardStore} over Deno KV, or anything with its `get` and
 * `atomic` calls (`Kv` of `lib/ports/kv.ts`, the KV interface declared
 * once): the instance of (spec, key) lives at `[...prefix, spec, key]` as
 * `{ hash, state }` (state: the packed block as a `Uint8Array`); commits
 * are atomic operations checking the versionstamp read at load time, so
 * two isolates cannot both commit from the same prior state.
 *
 * The layout of each version that commits (`StateLayout`) lives at
 * `[...prefix, "@layouts", spec, hash]`, written in the same atomic
 * operation as that version's first commit from this store object (a spec
 * name never starts with `@`, so it cannot meet an instance's key). A
 * replica of another version reads it to convert the state, exactly as
 * the in-memory store does (`stored_state.ts`); layouts read are kept in
 * memory (a hash's layout never changes).
 *
 * The adapter takes a KV handle the caller opened (`await Deno.openKv()`),
 * and names no `Deno` API itself.
 *
 * @module
 */
import type { Kv, KvKey } from "../../lib/ports/kv.ts";
import type { GuardStore, LoadedInstance, StoredInstance } from "./guard_store.ts";
import { isStateLayout, layoutOf, StateConverter, type StateLayout } from "./stored_state.ts";

/**
 * The calls of a KV handle the guard store makes (it reads and writes single keys, never lists).
 *
 * @example A Deno KV handle fits
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "../monitor/load_spec.ts";
 * import { kvGuardStore, type KvLike } from "./kv_guard_store.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const handle = await Deno.openKv(":memory:"); // needs KV enabled (deno.json "unstable")
 * const kv: KvLike = handle;
 * const store = kvGuardStore(kv);
 * assert.equal(await store.commit(lease, "lock:a", lease.monitor().stateBytes(), null), true);
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
 * import { loadSpec } from "../monitor/load_spec.ts";
 * import { kvGuardStore, type KvGuardStoreOptions } from "./kv_guard_store.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const kv = await Deno.openKv(":memory:");
 * const options: KvGuardStoreOptions = { prefix: ["app", "vigil"] };
 * await kvGuardStore(kv, options).commit(lease, "lock:a", lease.monitor().stateBytes(), null);
 * const keys = [];
 * for await (const entry of kv.list({ prefix: ["app", "vigil"] })) keys.push(entry.key);
 * assert.deepEqual(keys, [["app", "vigil", "@layouts", "Lease", lease.hash], ["app", "vigil", "Lease", "lock:a"]]);
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

/** The key part under which layouts are kept (not a spec name: those never start with `@`). */
const LAYOUTS = "@layouts";

/**
 * Creates a guard store over a Deno KV handle.
 *
 * @throws {TypeError} From `load`, when the stored value is not an instance record
 * (or a recorded layout is not one).
 *
 * @example Keep guarded instances in Deno KV
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSpec } from "../monitor/load_spec.ts";
 * import { kvGuardStore } from "./kv_guard_store.ts";
 * const lease = await loadSpec(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const kv = await Deno.openKv(":memory:");
 * const store = kvGuardStore(kv, { prefix: ["app", "vigil"] });
 * const m = lease.monitor();
 * m.step("acquire", { c: 2 });
 * assert.equal(await store.commit(lease, "lock:a", m.stateBytes(), null), true);
 * const { value } = await store.load(lease, "lock:a");
 * assert.deepEqual(value?.state, m.stateBytes());
 * assert.equal((await kv.get(["app", "vigil", "@layouts", "Lease", lease.hash])).versionstamp !== null, true);
 * kv.close();
 * ```
 */
export function kvGuardStore(kv: KvLike, options: KvGuardStoreOptions = {}): GuardStore {
  const prefix = options.prefix ?? ["vigil"];
  const keyOf = (spec: string, key: string): KvKey => [...prefix, spec, key];
  const layoutKey = (spec: string, hash: string): KvKey => [...prefix, LAYOUTS, spec, hash];
  const converter = new StateConverter();
  /** Layouts by `spec/hash`: read back, or written by this store object. */
  const layouts = new Map<string, StateLayout>();
  const recorded = async (spec: string, hash: string): Promise<StateLayout | null> => {
    const known = layouts.get(`${spec}/${hash}`);
    if (known !== undefined) return known;
    const k = layoutKey(spec, hash);
    const entry = await kv.get(k);
    if (entry.versionstamp === null) return null;
    if (!isStateLayout(entry.value)) {
      throw new TypeError(
        `KV entry '${JSON.stringify(k.map(String))}' is not a Vigil state layout`,
      );
    }
    layouts.set(`${spec}/${hash}`, entry.value);
    return entry.value;
  };
  return {
    async load(spec, key): Promise<LoadedInstance> {
      const k = keyOf(typeof spec === "string" ? spec : spec.meta.name, key);
      const entry = await kv.get(k);
      if (entry.versionstamp === null) return { value: null, version: null };
      if (!isStored(entry.value)) {
        throw new TypeError(`KV entry '${JSON.stringify(k.map(String))}' is not a Vigil instance`);
      }
      return await converter.read(
        spec,
        key,
        { stored: entry.value, version: entry.versionstamp },
        recorded,
      );
    },
    async commit(spec, key, state, version) {
      const { name, sourceHash } = spec.meta;
      const k = keyOf(name, key);
      const op = kv.atomic()
        .check({ key: k, versionstamp: version })
        .set(k, { hash: sourceHash, state });
      const mine = `${name}/${sourceHash}`;
      const layout = layouts.has(mine) ? null : layoutOf(spec);
      if (layout !== null) op.set(layoutKey(name, sourceHash), layout);
      const result = await op.commit();
      if (result.ok && layout !== null) layouts.set(mine, layout);
      return result.ok;
    },
  };
}
