/**
 * Persistence of the collector's state behind a small interface, so the
 * app stays runtime-neutral: the command passes a Deno KV store
 * (`kv_store.ts`), tests an in-memory one. What is saved is the core's
 * {@link CollectorSnapshot} (per-stream applied positions, partitions,
 * counters, violations); a save is all or nothing from `load`'s view.
 *
 * @module
 */
import type { CollectorSnapshot } from "../engine/types.ts";
import { packSnapshot, unpackPartition } from "./packed_partition.ts";

/**
 * Where the collector's snapshot lives between runs.
 *
 * @example Save and load a snapshot
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { createCollector } from "../engine/collector.ts";
 * import { type CollectorStore, memoryStore } from "./store.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const store: CollectorStore = memoryStore();
 * assert.equal(await store.load(), null);
 * await store.save(createCollector({ specs: [lease], now: () => 5 }).snapshot());
 * assert.equal((await store.load())?.takenAt, 5);
 * store.close();
 * ```
 */
export interface CollectorStore {
  /** Short name for logs and `/healthz`, e.g. `kv` or `memory`. */
  readonly kind: string;
  /** The last snapshot saved, or `null` before the first save. */
  load(): Promise<CollectorSnapshot | null>;
  /**
   * Saves a snapshot. When the promise resolves the snapshot is durable: a
   * later `load` (in this or a new process) returns it or a newer one; a
   * crash during the save leaves the previous one loadable.
   */
  save(snapshot: CollectorSnapshot): Promise<void>;
  /** Releases the store (the caller's handles stay theirs). */
  close(): void;
}

/**
 * An in-memory store (tests, and `--kv :none`): keeps a copy so a later
 * mutation of the collector cannot change what was saved: the snapshot
 * without its partitions as JSON, and each partition's packed record
 * (`packed_partition.ts`). A live collector's partitions come packed
 * already and immutable, so a save keeps their records as they are and
 * serializes nothing per partition; `load` unpacks them.
 *
 * @example Save and load
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryStore } from "./store.ts";
 * const store = memoryStore();
 * assert.ok((await store.load()) === null);
 * ```
 */
export function memoryStore(): CollectorStore & { readonly saves: number } {
  /** The JSON of the snapshot last saved but its partitions, and each partition's record. */
  let saved: { readonly rest: string; readonly parts: readonly Uint8Array[] } | null = null;
  let saves = 0;
  return {
    kind: "memory",
    load() {
      if (saved === null) return Promise.resolve(null);
      const rest = JSON.parse(saved.rest) as Omit<CollectorSnapshot, "partitions">;
      return Promise.resolve({ ...rest, partitions: saved.parts.map(unpackPartition) });
    },
    save(snapshot) {
      const { partitions, ...rest } = snapshot;
      saved = { rest: JSON.stringify(rest), parts: partitions.map(packSnapshot) };
      saves++;
      return Promise.resolve();
    },
    close() {},
    get saves() {
      return saves;
    },
  };
}
