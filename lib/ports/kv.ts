/**
 * The key-value store both ends persist to, as an interface: the part of
 * Deno KV (`Deno.Kv`) that Vigil's stores use, declared once. The
 * collector keeps its snapshots in one (`edge/store/kv_store.ts`), the
 * SDK's HTTP guard its instances (`runtime/hono/kv_guard_store.ts`). A
 * handle from `await Deno.openKv(path)` fits it (opening one needs
 * `--unstable-kv` or `"unstable": ["kv"]` in deno.json), and so does
 * anything else with these calls, e.g. a stand-in in tests: no module here
 * names a `Deno` API.
 *
 * @module
 */

/**
 * One part of a key.
 *
 * @example Parts of several types in one key
 * ```ts
 * import assert from "node:assert/strict";
 * import type { KvKey, KvKeyPart } from "./kv.ts";
 * const parts: KvKeyPart[] = ["vigil", "instances", 7, true];
 * const key: KvKey = parts;
 * assert.equal(key.length, 4);
 * ```
 */
export type KvKeyPart = Uint8Array | string | number | bigint | boolean | symbol;

/**
 * A key: its parts, outermost first (`["vigil", "collector", "head"]`).
 *
 * @example Keys sharing a prefix are listed together
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Kv, KvKey } from "./kv.ts";
 * const handle = await Deno.openKv(":memory:");
 * const kv: Kv = handle;
 * const key: KvKey = ["vigil", "collector", "head"];
 * await kv.atomic().set(key, 1).commit();
 * const listed: KvKey[] = [];
 * for await (const e of kv.list({ prefix: ["vigil"] })) listed.push(e.key);
 * assert.deepEqual(listed, [key]);
 * handle.close();
 * ```
 */
export type KvKey = readonly KvKeyPart[];

/**
 * What a read finds: the value and its versionstamp, both `null` when the key is absent.
 *
 * @example An absent key reads as null
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Kv, KvEntryMaybe } from "./kv.ts";
 * const handle = await Deno.openKv(":memory:");
 * const kv: Kv = handle;
 * const entry: KvEntryMaybe = await kv.get(["missing"]);
 * assert.deepEqual([entry.value, entry.versionstamp], [null, null]);
 * handle.close();
 * ```
 */
export interface KvEntryMaybe {
  /** The value stored, or `null` when the key is absent. */
  readonly value: unknown;
  /** Changes with every write of the key; `null` when the key is absent. */
  readonly versionstamp: string | null;
}

/**
 * One entry of a listing.
 *
 * @example Entries come in key order
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Kv, KvListEntry } from "./kv.ts";
 * const handle = await Deno.openKv(":memory:");
 * const kv: Kv = handle;
 * await kv.atomic().set(["s", 2], "b").set(["s", 1], "a").commit();
 * const entries: KvListEntry[] = [];
 * for await (const e of kv.list({ prefix: ["s"] })) entries.push(e);
 * assert.deepEqual(entries.map((e) => e.value), ["a", "b"]);
 * handle.close();
 * ```
 */
export interface KvListEntry {
  /** The entry's key. */
  readonly key: KvKey;
  /** The entry's value. */
  readonly value: unknown;
}

/**
 * A condition of an atomic operation: the key still has this versionstamp (`null`: still absent).
 *
 * @example Write only if nobody wrote since the read
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Kv, KvCheck } from "./kv.ts";
 * const handle = await Deno.openKv(":memory:");
 * const kv: Kv = handle;
 * await kv.atomic().set(["k"], 1).commit();
 * const read = await kv.get(["k"]);
 * const check: KvCheck = { key: ["k"], versionstamp: read.versionstamp };
 * assert.equal((await kv.atomic().check(check).set(["k"], 2).commit()).ok, true);
 * assert.equal((await kv.atomic().check(check).set(["k"], 3).commit()).ok, false);
 * handle.close();
 * ```
 */
export interface KvCheck {
  /** The key checked. */
  readonly key: KvKey;
  /** The versionstamp it must still have, `null` when it must still be absent. */
  readonly versionstamp: string | null;
}

/**
 * Writes committed together, only if every check holds (the part of
 * `Deno.AtomicOperation` the stores use).
 *
 * @example Two writes commit together
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Kv, KvAtomic } from "./kv.ts";
 * const handle = await Deno.openKv(":memory:");
 * const kv: Kv = handle;
 * const op: KvAtomic = kv.atomic().set(["a"], 1).set(["b"], 2).delete(["c"]);
 * assert.equal((await op.commit()).ok, true);
 * assert.equal((await kv.get(["b"])).value, 2);
 * handle.close();
 * ```
 */
export interface KvAtomic {
  /** Adds conditions: the commit writes nothing unless each holds. */
  check(...checks: KvCheck[]): KvAtomic;
  /** Writes `value` at `key` when the operation commits. */
  set(key: KvKey, value: unknown): KvAtomic;
  /** Deletes `key` when the operation commits. */
  delete(key: KvKey): KvAtomic;
  /** Resolves `{ ok: false }` when a check failed (nothing written). */
  commit(): Promise<{ readonly ok: boolean }>;
}

/**
 * A key-value store handle (the part of `Deno.Kv` the stores use): read a
 * key, list keys under a prefix in key order, and write atomically.
 *
 * @example A handle from Deno KV fits; a check keeps a second writer out
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Kv } from "./kv.ts";
 * const handle = await Deno.openKv(":memory:"); // needs KV enabled (deno.json "unstable")
 * const kv: Kv = handle;
 * const absent = { key: ["k"], versionstamp: null };
 * assert.equal((await kv.atomic().check(absent).set(["k"], 1).commit()).ok, true);
 * assert.equal((await kv.atomic().check(absent).set(["k"], 2).commit()).ok, false);
 * assert.equal((await kv.get(["k"])).value, 1);
 * handle.close();
 * ```
 */
export interface Kv {
  /** Reads one key. */
  get(key: KvKey): Promise<KvEntryMaybe>;
  /** Lists the entries whose key starts with `prefix`, in key order. */
  list(selector: { readonly prefix: KvKey }): AsyncIterable<KvListEntry>;
  /** Starts an atomic operation. */
  atomic(): KvAtomic;
}
