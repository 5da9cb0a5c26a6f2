/**
 * Incremental snapshots: a store keeps the partition snapshots it last
 * wrote and, on the next save, writes only the partitions whose snapshot
 * object changed (the engine keeps the same object for an unchanged
 * partition: `partition_snapshots.ts`; a snapshot that says what changed
 * since the last save is asked rather than compared partition by
 * partition) with the small rest of the snapshot (streams,
 * nodes, counters). Loading applies the deltas to the base in order:
 * a changed partition replaces its earlier record in place, a new one is
 * appended, and the rest comes from the last delta, which gives back the
 * snapshot the last save was given.
 *
 * @module
 */
import type { CollectorSnapshot, PartitionSnapshot } from "../engine/types.ts";

/**
 * The identity of a partition in a snapshot: spec hash and instance key.
 *
 * @example Two keys of one spec
 * ```ts
 * import assert from "node:assert/strict";
 * import { partitionId } from "./snapshot_delta.ts";
 * import type { PartitionSnapshot } from "../engine/types.ts";
 * const part = (key: string) => ({ spec: "s", key }) as unknown as PartitionSnapshot;
 * assert.notEqual(partitionId(part("a")), partitionId(part("b")));
 * ```
 */
export function partitionId(p: PartitionSnapshot): string {
  return `${p.spec}\u0000${p.key}`;
}

/**
 * The partitions saved last, to tell what changed since.
 *
 * @example Only a changed partition is written again
 * ```ts
 * import assert from "node:assert/strict";
 * import { SavedPartitions } from "./snapshot_delta.ts";
 * import type { PartitionSnapshot } from "../engine/types.ts";
 * const part = (key: string, applied: number) =>
 *   Object.freeze({ spec: "s", key, applied }) as unknown as PartitionSnapshot;
 * const a = part("a", 1), b = part("b", 1);
 * const saved = new SavedPartitions();
 * assert.deepEqual(saved.changed([a, b]), [a, b]);
 * saved.remember([a, b]);
 * const b2 = part("b", 2);
 * assert.deepEqual(saved.changed([a, b2]), [b2]);
 * ```
 */
export class SavedPartitions {
  /** The snapshot objects saved (an unchanged partition's snapshot is the same frozen object). */
  #saved = new WeakSet<PartitionSnapshot>();

  /**
   * The partitions of `all` whose snapshot is not an object saved before;
   * an object that is not frozen may have changed in place, so it counts
   * as changed.
   */
  changed(all: readonly PartitionSnapshot[]): PartitionSnapshot[] {
    const out: PartitionSnapshot[] = [];
    const saved = this.#saved;
    for (let i = 0; i < all.length; i++) {
      const p = all[i]!;
      if (!saved.has(p) || !Object.isFrozen(p)) out.push(p);
    }
    return out;
  }

  /** Notes `parts` as saved (after their save resolved). */
  remember(parts: readonly PartitionSnapshot[]): void {
    for (const p of parts) this.#saved.add(p);
  }

  /** Forgets everything (the next save is a full one). */
  clear(): void {
    this.#saved = new WeakSet();
  }
}

/**
 * The snapshot a base and its deltas (each a snapshot holding only the
 * partitions that changed) stand for.
 *
 * @example A base and one delta
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDeltas } from "./snapshot_delta.ts";
 * import type { CollectorSnapshot, PartitionSnapshot } from "../engine/types.ts";
 * const part = (key: string, applied: number) => ({ spec: "s", key, applied }) as unknown as PartitionSnapshot;
 * const snap = (takenAt: number, partitions: PartitionSnapshot[]) =>
 *   ({ version: 1, takenAt, streams: [], nodes: [], violations: [], counters: {}, partitions }) as CollectorSnapshot;
 * const out = applyDeltas(snap(1, [part("a", 1), part("b", 1)]), [snap(2, [part("b", 2), part("c", 1)])]);
 * assert.equal(out.takenAt, 2);
 * assert.deepEqual(out.partitions.map((p) => `${p.key}${p.applied}`), ["a1", "b2", "c1"]);
 * ```
 */
export function applyDeltas(
  base: CollectorSnapshot,
  deltas: readonly CollectorSnapshot[],
): CollectorSnapshot {
  if (deltas.length === 0) return base;
  const parts = base.partitions.slice();
  const at = new Map(parts.map((p, i) => [partitionId(p), i]));
  for (const d of deltas) {
    for (const p of d.partitions) {
      const id = partitionId(p);
      const i = at.get(id);
      if (i === undefined) {
        at.set(id, parts.length);
        parts.push(p);
      } else parts[i] = p;
    }
  }
  return { ...deltas[deltas.length - 1]!, partitions: parts };
}
