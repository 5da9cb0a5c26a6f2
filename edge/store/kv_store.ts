/**
 * A {@link CollectorStore} over Deno KV: the caller opens and closes the
 * handle (`await Deno.openKv(path)`, which needs `--unstable-kv` or
 * `"unstable": ["kv"]` in deno.json); anything with the same `get`, `list`
 * and `atomic` calls works too (`Kv`, `lib/ports/kv.ts`).
 *
 * Layout under `prefix` (default `["vigil", "collector"]`):
 * - `[..., "head"]`: `{ gen, chunks, deltas, violations: [id...] }`,
 *   flipped atomically last;
 * - `[..., "s", gen, i]`: chunk `i` of the snapshot of generation `gen`
 *   (violations left out) as `snapshot_bytes.ts` encodes it (its partitions
 *   as packed records; a plain JSON snapshot, as saved before, still
 *   loads), at most 60 000 bytes each (KV values hold 64 KiB);
 * - `[..., "d", gen, k, i]`: chunk `i` of delta `k` on generation `gen`: a
 *   snapshot holding only the partitions that changed since the save
 *   before (`snapshot_delta.ts`);
 * - `[..., "v", id, i]`: chunk `i` of violation `id`, written once.
 *
 * Saves are incremental: after a full save (a new generation), a save
 * writes one delta with the partitions whose snapshot changed, so its cost
 * follows what changed, not what is held: a collector's snapshot says
 * which changed since the one the last save wrote
 * (`partition_snapshots.ts`), other snapshots are compared partition by
 * partition with the objects saved. A full save comes first, after
 * {@link MAX_DELTAS} deltas, and when the deltas since the base have grown
 * larger than the base (loading then reads at most about twice the base).
 * A save writes the new violations, the new chunks and the head in one
 * atomic commit when they fit in one (at most 100 keys, 600 KB: a
 * snapshot of up to ~9 chunks), else the violations and chunks first and
 * then flips the head; then (a full save) it deletes the old generation
 * and its deltas, by key when this process wrote them: a crash at any
 * point leaves the previous head and everything it names intact. Until
 * `load` cleaned up, and after a save failed between its commits, saves
 * first clear the keys they write and take several commits. `load` reads the base and applies the head's deltas in order, and
 * deletes whatever no head names (a torn save, an evicted violation).
 *
 * @module
 */
import type { Kv, KvKey } from "../../lib/ports/kv.ts";
import type { CollectorStore } from "./store.ts";
import type { CollectorSnapshot, PartitionSnapshot, Violation } from "../engine/types.ts";
import { applyDeltas, SavedPartitions } from "./snapshot_delta.ts";
import { decodeSnapshot, encodeSnapshot } from "./snapshot_bytes.ts";
import { snapshotChanges } from "./partition_snapshots.ts";

const CHUNK = 60_000;
/** Value bytes per atomic operation at most (KV refuses a commit over 800 KiB in all). */
const PER_ATOMIC_BYTES = 600_000;
/** Keys per atomic operation at most. */
const PER_ATOMIC_KEYS = 100;

/**
 * Deltas on one base at most; the next save is a full one.
 *
 * @example A bound that keeps loading short
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_DELTAS } from "./kv_store.ts";
 * assert.ok(MAX_DELTAS >= 1 && MAX_DELTAS <= 1000);
 * ```
 */
export const MAX_DELTAS = 64;

interface Head {
  readonly gen: number;
  /** Chunks of the generation's snapshot. */
  readonly chunks?: number;
  /** Deltas on the generation, applied in order (absent: none, as saved before deltas existed). */
  readonly deltas?: number;
  readonly violations: readonly string[];
}

/**
 * Options of {@link kvCollectorStore}.
 *
 * @example Snapshots under the application's prefix
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { createCollector } from "../engine/collector.ts";
 * import { kvCollectorStore, type KvCollectorStoreOptions } from "./kv_store.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const kv = await Deno.openKv(":memory:");
 * const options: KvCollectorStoreOptions = { prefix: ["app", "collector"] };
 * const store = kvCollectorStore(kv, options);
 * await store.save(createCollector({ specs: [lease] }).snapshot());
 * const head = await kv.get(["app", "collector", "head"]);
 * assert.notEqual(head.value, null);
 * kv.close();
 * ```
 */
export interface KvCollectorStoreOptions {
  /** Key prefix. Default `["vigil", "collector"]`. */
  readonly prefix?: KvKey;
}

/** The entries of a blob: chunk `j` of `bytes` at `[...key, j]`. */
function chunked(key: KvKey, bytes: Uint8Array): [KvKey, Uint8Array][] {
  const n = Math.max(1, Math.ceil(bytes.length / CHUNK));
  const entries: [KvKey, Uint8Array][] = [];
  for (let j = 0; j < n; j++) {
    entries.push([[...key, j], bytes.subarray(j * CHUNK, (j + 1) * CHUNK)]);
  }
  return entries;
}

/**
 * Writes `entries` and the head in one atomic commit when they fit in one
 * (at most {@link PER_ATOMIC_KEYS} keys and {@link PER_ATOMIC_BYTES} of
 * values, the head's JSON counted); false, writing nothing, when not.
 */
async function commitWithHead(
  kv: Kv,
  entries: readonly [KvKey, Uint8Array][],
  headKey: KvKey,
  head: Head,
): Promise<boolean> {
  if (entries.length + 1 > PER_ATOMIC_KEYS) return false;
  let bytes = JSON.stringify(head).length;
  for (const [, value] of entries) bytes += value.length;
  if (bytes > PER_ATOMIC_BYTES) return false;
  const op = kv.atomic();
  for (const [key, value] of entries) op.set(key, value);
  op.set(headKey, head);
  const res = await op.commit();
  if (!res.ok) throw new Error(`KV write of '${headKey.join("/")}' and its snapshot failed`);
  return true;
}

/**
 * Writes `entries`, as few to an atomic operation as KV limits allow
 * (at most {@link PER_ATOMIC_BYTES} of values and {@link PER_ATOMIC_KEYS}
 * keys each): small values such as violations share one commit.
 */
async function putAll(kv: Kv, entries: readonly [KvKey, Uint8Array][], what: KvKey): Promise<void> {
  for (let i = 0; i < entries.length;) {
    const op = kv.atomic();
    let bytes = 0;
    let keys = 0;
    for (; i < entries.length && keys < PER_ATOMIC_KEYS; i++, keys++) {
      const [key, value] = entries[i]!;
      if (keys > 0 && bytes + value.length > PER_ATOMIC_BYTES) break;
      op.set(key, value);
      bytes += value.length;
    }
    const res = await op.commit();
    if (!res.ok) throw new Error(`KV write of '${what.join("/")}' failed`);
  }
}

async function deleteChunks(kv: Kv, key: KvKey, n: number): Promise<void> {
  for (let i = 0; i < n; i += 100) {
    const op = kv.atomic();
    for (let j = i; j < Math.min(n, i + 100); j++) op.delete([...key, j]);
    await op.commit();
  }
}

async function getBlob(kv: Kv, key: KvKey): Promise<Uint8Array | null> {
  const parts: Uint8Array[] = [];
  for await (const e of kv.list({ prefix: key })) parts.push(e.value as Uint8Array);
  if (parts.length === 0) return null;
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Deletes one key. */
async function deleteKey(kv: Kv, key: KvKey): Promise<void> {
  await kv.atomic().delete(key).commit();
}

async function deletePrefix(kv: Kv, prefix: KvKey): Promise<void> {
  const keys: KvKey[] = [];
  for await (const e of kv.list({ prefix })) keys.push(e.key);
  await deleteKeys(kv, keys);
}

/** Deletes `keys`, {@link PER_ATOMIC_KEYS} to a commit. */
async function deleteKeys(kv: Kv, keys: readonly KvKey[]): Promise<void> {
  for (let i = 0; i < keys.length; i += PER_ATOMIC_KEYS) {
    const op = kv.atomic();
    for (const key of keys.slice(i, i + PER_ATOMIC_KEYS)) op.delete(key);
    await op.commit();
  }
}

async function deleteWhere(
  kv: Kv,
  prefix: KvKey,
  drop: (part: KvKey[number]) => boolean,
): Promise<void> {
  for await (const e of kv.list({ prefix })) {
    const part = e.key[prefix.length];
    if (part !== undefined && drop(part)) await deleteKey(kv, e.key);
  }
}

/**
 * Creates a collector store over a Deno KV handle.
 *
 * @example Persist the collector in a local KV file
 * ```ts ignore
 * import { kvCollectorStore } from "./kv_store.ts";
 * const kv = await Deno.openKv("./collector.kv");
 * const store = kvCollectorStore(kv);
 * const snapshot = await store.load(); // null on the first run
 * ```
 */
export function kvCollectorStore(
  kv: Kv,
  options: KvCollectorStoreOptions = {},
): CollectorStore {
  const prefix = options.prefix ?? ["vigil", "collector"];
  const headKey = [...prefix, "head"];
  const written = new Set<string>();
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  let gen = 0;
  /** Chunks of generation `gen` (-1: unknown, list them). */
  let oldChunks = -1;
  /** Deltas written on generation `gen`, and their bytes; the base's bytes. */
  let deltas = 0;
  let deltaBytes = 0;
  let baseBytes = 0;
  /** Chunks of each delta on generation `gen` (null: unknown, list them). */
  let deltaChunks: number[] | null = null;
  /** The partitions as the last save wrote them; empty until a full save in this process. */
  const saved = new SavedPartitions();
  /**
   * The taker and number of the snapshot the last save wrote, when it said
   * (`partition_snapshots.ts`): the next save asks its snapshot what changed
   * since, rather than comparing every partition with `saved`.
   */
  let savedAt: { readonly source: object; readonly seq: number } | null = null;
  let full = true;
  /**
   * True while keys no head names may lie where the next save writes (before
   * `load` cleaned up, or after a save failed between its writes): saves
   * then clear their keys first and write in several commits. Otherwise a
   * save that fits writes its keys and the head in one commit.
   */
  let torn = true;

  /** The entries of the violations `snapshot` names that are not written yet, and their ids. */
  function newViolations(
    snapshot: CollectorSnapshot,
  ): { entries: [KvKey, Uint8Array][]; ids: string[] } {
    const entries: [KvKey, Uint8Array][] = [];
    const ids: string[] = [];
    for (const v of snapshot.violations) {
      if (written.has(v.id)) continue;
      const bytes = enc.encode(JSON.stringify(v));
      const n = Math.max(1, Math.ceil(bytes.length / CHUNK));
      for (let j = 0; j < n; j++) {
        entries.push([[...prefix, "v", v.id, j], bytes.subarray(j * CHUNK, (j + 1) * CHUNK)]);
      }
      ids.push(v.id);
    }
    return { entries, ids };
  }

  /** Writes violations (from {@link newViolations}). */
  async function putViolations(
    { entries, ids }: { entries: [KvKey, Uint8Array][]; ids: string[] },
  ): Promise<void> {
    if (entries.length === 0) return;
    await putAll(kv, entries, [...prefix, "v"]);
    for (const id of ids) written.add(id);
  }

  /** Deletes the violations no longer named by `head`. */
  async function dropViolations(head: Head): Promise<void> {
    if (written.size <= head.violations.length) return;
    const keep = new Set(head.violations);
    for (const id of [...written]) {
      if (keep.has(id)) continue;
      await deletePrefix(kv, [...prefix, "v", id]);
      written.delete(id);
    }
  }

  async function flip(head: Head): Promise<void> {
    const res = await kv.atomic().set(headKey, head).commit();
    if (!res.ok) throw new Error("KV head update failed");
  }

  /**
   * Writes the new violations, a record's chunks under `key` and then `head`: in one
   * atomic commit when it fits and no earlier save tore, else step by step (clearing a
   * torn earlier try under `key` first).
   */
  async function write(
    fresh: ReturnType<typeof newViolations>,
    key: KvKey,
    entries: [KvKey, Uint8Array][],
    head: Head,
  ): Promise<void> {
    if (!torn && await commitWithHead(kv, [...fresh.entries, ...entries], headKey, head)) {
      for (const id of fresh.ids) written.add(id);
      return;
    }
    torn = true;
    deltaChunks = null; // a failure from here on may leave keys no count names: list them
    await putViolations(fresh);
    await deletePrefix(kv, key); // a torn earlier try
    await putAll(kv, entries, key);
    await flip(head);
    torn = false;
  }

  return {
    kind: "kv",
    async load() {
      const head = (await kv.get(headKey)).value as Head | null;
      const keep = new Set(head?.violations ?? []);
      await deleteWhere(kv, [...prefix, "s"], (g) => g !== head?.gen);
      await deleteWhere(kv, [...prefix, "d"], (g) => g !== head?.gen);
      if (head !== null) {
        const n = head.deltas ?? 0;
        await deleteWhere(kv, [...prefix, "d", head.gen], (k) => !(Number(k) < n));
      }
      await deleteWhere(kv, [...prefix, "v"], (id) => !keep.has(String(id)));
      torn = false;
      deltaChunks = null;
      if (head === null) return null;
      gen = head.gen;
      oldChunks = head.chunks ?? -1;
      const bytes = await getBlob(kv, [...prefix, "s", head.gen]);
      if (bytes === null) throw new Error(`KV snapshot generation '${head.gen}' is missing`);
      const steps: CollectorSnapshot[] = [];
      for (let k = 0; k < (head.deltas ?? 0); k++) {
        const delta = await getBlob(kv, [...prefix, "d", head.gen, k]);
        if (delta === null) {
          throw new Error(`KV snapshot delta '${k}' of generation '${head.gen}' is missing`);
        }
        steps.push(decodeSnapshot(delta));
      }
      const snap = applyDeltas(decodeSnapshot(bytes), steps);
      deltas = head.deltas ?? 0;
      full = true;
      const violations: Violation[] = [];
      for (const id of head.violations) {
        const v = await getBlob(kv, [...prefix, "v", id]);
        if (v === null) throw new Error(`KV violation '${id}' is missing`);
        violations.push(JSON.parse(dec.decode(v)) as Violation);
        written.add(id);
      }
      return { ...snap, violations };
    },
    async save(snapshot) {
      // Everything is encoded before the first write: the caller's synchronous call holds the
      // thread for all of the save's CPU work, and the rest waits for KV (the service paces
      // its persists by that hold: edge/server/persist_pacer.ts).
      const partitions = snapshot.partitions;
      const fresh = newViolations(snapshot);
      const violations = snapshot.violations.map((v) => v.id);
      const feed = snapshotChanges(snapshot);
      let delta: { changed: PartitionSnapshot[]; bytes: Uint8Array } | null = null;
      if (!full && deltas < MAX_DELTAS) {
        const since = feed !== undefined && savedAt?.source === feed.source
          ? feed.since(savedAt.seq)
          : null;
        const changed = since ?? saved.changed(partitions);
        const bytes = encodeSnapshot({ ...snapshot, violations: [] }, changed);
        if (deltaBytes + bytes.length <= baseBytes) delta = { changed, bytes };
      }
      if (delta !== null) {
        const { changed, bytes } = delta;
        const key = [...prefix, "d", gen, deltas];
        const head: Head = { gen, chunks: oldChunks, deltas: deltas + 1, violations };
        const entries = chunked(key, bytes);
        await write(fresh, key, entries, head);
        deltas++;
        deltaChunks?.push(entries.length);
        deltaBytes += bytes.length;
        saved.remember(changed);
        savedAt = feed ?? null;
        await dropViolations(head);
        return;
      }
      const rest = encodeSnapshot({ ...snapshot, violations: [] });
      const next = gen + 1;
      const key = [...prefix, "s", next];
      const entries = chunked(key, rest);
      const head: Head = { gen: next, chunks: entries.length, deltas: 0, violations };
      await write(fresh, key, entries, head);
      const old = gen;
      gen = next;
      // The old generation and its deltas, named by no head now: by key when their chunks
      // are known (one commit for up to 100 keys), else listed.
      if (oldChunks >= 0 && deltaChunks !== null) {
        const keys: KvKey[] = [];
        for (let j = 0; j < oldChunks; j++) keys.push([...prefix, "s", old, j]);
        for (const [k, n] of deltaChunks.entries()) {
          for (let j = 0; j < n; j++) keys.push([...prefix, "d", old, k, j]);
        }
        await deleteKeys(kv, keys);
      } else {
        if (oldChunks >= 0) await deleteChunks(kv, [...prefix, "s", old], oldChunks);
        else await deletePrefix(kv, [...prefix, "s", old]);
        await deletePrefix(kv, [...prefix, "d", old]);
      }
      oldChunks = entries.length;
      deltas = 0;
      deltaChunks = [];
      deltaBytes = 0;
      baseBytes = rest.length;
      full = false;
      saved.clear();
      saved.remember(partitions);
      savedAt = feed ?? null;
      await dropViolations(head);
    },
    close() {},
  };
}
