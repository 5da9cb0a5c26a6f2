/**
 * The partitions of a collector snapshot, taken in time proportional to
 * what changed: the last snapshot object built of each partition is kept,
 * and a snapshot rebuilds only the partitions the engine marked changed
 * since the one before (`engine/changed_partitions.ts`), checked field by
 * field so a marked partition that did not change keeps its object. The
 * rest of the work per snapshot is one copy of the array of snapshot
 * objects (pointers).
 *
 * Each snapshot carries, as a property that neither JSON nor a spread
 * copies, what changed in it since an earlier one ({@link snapshotChanges}):
 * an incremental store asks it for the partitions to write since its last
 * save instead of comparing every partition's object with the ones it
 * saved (`kv_store.ts`).
 *
 * @module
 */
import type { Partition } from "../engine/partition.ts";
import type { CausalPartitionPart } from "../engine/causal/causal_snapshot.ts";
import type { CollectorSnapshot, PartitionSnapshot } from "../engine/types.ts";
import { buildPartitionSnapshot } from "./snapshot.ts";

/**
 * What {@link PartitionSnapshots} asks of the causal judge
 * (`engine/causal/causal_judge.ts`) to carry a partition's causal side in
 * its snapshot: a count that changes whenever that side does (so an
 * unchanged partition keeps its snapshot object), and the side itself.
 */
export interface CausalParts {
  /** Changes whenever the causal side of `p` does. */
  changes(p: Partition): number;
  /** The causal side of `p` for its snapshot; null when it holds nothing. */
  savePart(p: Partition): CausalPartitionPart | null;
}

/**
 * The partitions whose snapshot object in one collector snapshot is not
 * the one of an earlier snapshot of the same collector.
 *
 * @example A second snapshot after one partition changed
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "../engine/collector.ts";
 * import { snapshotChanges } from "./partition_snapshots.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
 * const acquire = (key: string, seq: number) => {
 *   const inst = lease.create();
 *   const action = lease.actionIndex("acquire");
 *   const verdict = lease.stepFn(action)(inst, 1);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node: "n1", boot: "b1", firstSeq: seq, dropped: [] };
 *   return encodeBatch(header, [{ key, wall: 1_000 + seq, logical: 0, action, args: [1], state: lease.stateBytes(inst), verdict }]);
 * };
 * const collector = createCollector({ specs: [lease], windowMs: 0 });
 * collector.ingestBytes(acquire("lock:a", 0));
 * collector.ingestBytes(acquire("lock:b", 1));
 * collector.flush();
 * const first = snapshotChanges(collector.snapshot())!;
 * collector.ingestBytes(acquire("lock:b", 2));
 * collector.flush();
 * const second = collector.snapshot();
 * assert.deepEqual(snapshotChanges(second)!.since(first.seq)!.map((p) => p.key), ["lock:b"]);
 * ```
 */
export interface SnapshotChanges {
  /** The collector's snapshot taker: snapshots of another one are not comparable. */
  readonly source: object;
  /** Number of the snapshot among its taker's (from 1). */
  readonly seq: number;
  /**
   * The partition snapshots of this snapshot that are not in snapshot
   * number `seq` (changed or new since), in this snapshot's order; null
   * when that is too far back to tell (the caller then compares objects).
   */
  since(seq: number): PartitionSnapshot[] | null;
}

/** Where a snapshot keeps its {@link SnapshotChanges}: not enumerable, so neither JSON nor a spread copies it. */
const CHANGES = Symbol("vigil.snapshotChanges");

/**
 * What changed in a collector snapshot since its taker's earlier ones;
 * undefined for a snapshot that was copied, parsed or built by hand.
 *
 * @example A copy does not say
 * ```ts
 * import assert from "node:assert/strict";
 * import { snapshotChanges } from "./partition_snapshots.ts";
 * import type { CollectorSnapshot } from "../engine/types.ts";
 * const plain = { version: 1 } as unknown as CollectorSnapshot;
 * assert.equal(snapshotChanges({ ...plain }), undefined);
 * ```
 */
export function snapshotChanges(s: CollectorSnapshot): SnapshotChanges | undefined {
  return (s as { [CHANGES]?: SnapshotChanges })[CHANGES];
}

/**
 * The last snapshot built of a partition, with what changes whenever the
 * snapshot may: every applied event counts in `applied` (states,
 * histories, positions, mixed states and episodes change only with one),
 * and the rest covers what timers and holes change between events
 * (liveness deadlines, local ones by their open and expired counts, the
 * incomplete mark, violations). Compared field by field, so an unchanged
 * partition costs a few comparisons and no allocation.
 */
interface Built {
  readonly snapshot: PartitionSnapshot;
  readonly applied: number;
  readonly episode: number;
  readonly deadlines: readonly number[];
  readonly localOpen: number;
  readonly localExpired: number;
  readonly incomplete: boolean;
  readonly violations: number;
  readonly mixed: number;
  /** The causal side's change count (`CausalParts.changes`), -1 without one. */
  readonly causal: number;
}

const NO_DEADLINES: readonly number[] = [];

/** True when `p` may have changed since `b` was built (`causal`: its causal side's change count, or -1). */
function changedSince(p: Partition, b: Built, causal: number): boolean {
  if (
    causal !== b.causal ||
    p.applied !== b.applied || p.episode !== b.episode || p.localOpen !== b.localOpen ||
    p.localExpired !== b.localExpired || p.incomplete !== b.incomplete ||
    p.violations !== b.violations || (p.mixed === null ? 0 : p.mixed.length) !== b.mixed
  ) return true;
  const d = p.deadlines;
  if (d.length !== b.deadlines.length) return true;
  for (let i = 0; i < d.length; i++) if (d[i] !== b.deadlines[i]) return true;
  return false;
}

/** The partitions rebuilt by one snapshot (by collector-wide index, and their new objects). */
interface LogEntry {
  readonly seq: number;
  readonly index: readonly number[];
  readonly snaps: readonly PartitionSnapshot[];
}

/** Snapshots whose rebuilt partitions are kept for {@link SnapshotChanges.since}, at most. */
const LOG_SNAPSHOTS = 256;
/** Rebuilt partitions kept in the log, at most (or the number of partitions, when more). */
const LOG_ENTRIES = 4096;

/** What {@link PartitionSnapshots.take} is given. */
export interface TakeOptions {
  /**
   * The partitions marked changed since the last take
   * (`ChangedPartitions.take`); null compares every partition (causal
   * verdicts on, whose side changes without a mark).
   */
  readonly changed: readonly Partition[] | null;
  /** The causal judge, when causal verdicts are on. */
  readonly causal?: CausalParts | null;
}

/**
 * The partition snapshots of one collector (see the module doc).
 *
 * @example Two snapshots share an unchanged partition's object
 * ```ts ignore
 * // In the engine (`engine/engine.ts`), partitions and marks from its state:
 * const snaps = new PartitionSnapshots();
 * const a = snaps.take(state.partList, { changed: state.changed.take() });
 * const b = snaps.take(state.partList, { changed: state.changed.take() });
 * a.partitions[0] === b.partitions[0]; // true when nothing changed
 * ```
 */
export class PartitionSnapshots {
  /** By partition index: its last built snapshot (undefined: none yet, no event applied). */
  readonly #built: (Built | undefined)[] = [];
  /** The snapshot objects of every partition with an applied event, by index ascending. */
  #out: PartitionSnapshot[] = [];
  /** By partition index: its position in {@link #out}. */
  #pos: number[] = [];
  /** Highest partition index in {@link #out}, -1 when empty. */
  #top = -1;
  #seq = 0;
  readonly #log: LogEntry[] = [];
  #logged = 0;
  /** The log covers every snapshot after this one. */
  #logFrom = 0;

  /**
   * The snapshot objects of every partition of `all` (the engine's
   * partitions by index) with an applied event, in index order, after
   * rebuilding those of `changed` that changed; and what changed since
   * earlier takes, to attach to the collector snapshot ({@link attach}).
   */
  take(
    all: readonly Partition[],
    options: TakeOptions,
  ): { readonly partitions: PartitionSnapshot[]; readonly changes: SnapshotChanges } {
    const seq = ++this.#seq;
    const candidates = options.changed ?? all;
    const causal = options.causal ?? null;
    const built = this.#built;
    const index: number[] = [];
    const snaps: PartitionSnapshot[] = [];
    let fresh: Partition[] | null = null;
    for (let k = 0; k < candidates.length; k++) {
      const p = candidates[k]!;
      if (p.applied === 0) continue;
      const last = built[p.index];
      const changes = causal === null ? -1 : causal.changes(p);
      if (last !== undefined && !changedSince(p, last, changes)) continue;
      const snapshot = buildPartitionSnapshot(
        p,
        causal === null ? undefined : causal.savePart(p) ?? undefined,
      );
      built[p.index] = {
        snapshot,
        applied: p.applied,
        episode: p.episode,
        deadlines: p.deadlines.length === 0 ? NO_DEADLINES : [...p.deadlines],
        localOpen: p.localOpen,
        localExpired: p.localExpired,
        incomplete: p.incomplete,
        violations: p.violations,
        mixed: p.mixed === null ? 0 : p.mixed.length,
        causal: changes,
      };
      index.push(p.index);
      snaps.push(snapshot);
      if (last === undefined) (fresh ??= []).push(p);
      else this.#out[this.#pos[p.index]!] = snapshot;
    }
    if (fresh !== null) this.#include(fresh, all);
    if (index.length > 0) this.#record({ seq, index, snaps });
    return { partitions: this.#out.slice(), changes: this.#changes(seq) };
  }

  /** Sets `changes` on `snapshot` (not enumerable); returns `snapshot`. */
  static attach<T extends CollectorSnapshot>(snapshot: T, changes: SnapshotChanges): T {
    Object.defineProperty(snapshot, CHANGES, { value: changes });
    return snapshot;
  }

  /**
   * Adds the first snapshots of `fresh` to the output in index order:
   * appended when all come after the last one held, else the output is
   * laid out again from `all`.
   */
  #include(fresh: Partition[], all: readonly Partition[]): void {
    fresh.sort((a, b) => a.index - b.index);
    const out = this.#out;
    const pos = this.#pos;
    if (fresh[0]!.index > this.#top) {
      for (const p of fresh) {
        pos[p.index] = out.length;
        out.push(this.#built[p.index]!.snapshot);
      }
      this.#top = fresh[fresh.length - 1]!.index;
      return;
    }
    const next: PartitionSnapshot[] = [];
    const built = this.#built;
    for (let i = 0; i < all.length; i++) {
      const b = built[i];
      if (b === undefined) continue;
      pos[i] = next.length;
      next.push(b.snapshot);
      this.#top = i;
    }
    this.#out = next;
  }

  /** Logs what snapshot `entry.seq` rebuilt; drops the oldest entries past the bounds. */
  #record(entry: LogEntry): void {
    const log = this.#log;
    log.push(entry);
    this.#logged += entry.index.length;
    const most = Math.max(LOG_ENTRIES, this.#out.length);
    while (log.length > 1 && (log.length > LOG_SNAPSHOTS || this.#logged > most)) {
      const old = log.shift()!;
      this.#logged -= old.index.length;
      this.#logFrom = old.seq;
    }
    if (this.#logged > most) {
      // One snapshot rebuilt more than the log holds: an earlier one cannot be answered.
      log.length = 0;
      this.#logged = 0;
      this.#logFrom = entry.seq;
    }
  }

  /** The {@link SnapshotChanges} of snapshot `seq`. */
  #changes(seq: number): SnapshotChanges {
    return { source: this, seq, since: (from) => this.#since(from, seq) };
  }

  /** The objects of snapshot `to` rebuilt after snapshot `from`, in index order; null when not logged. */
  #since(from: number, to: number): PartitionSnapshot[] | null {
    if (from >= to) return [];
    if (from < this.#logFrom || to > this.#seq) return null;
    const seen = new Map<number, PartitionSnapshot>();
    const log = this.#log;
    for (let k = log.length - 1; k >= 0; k--) {
      const e = log[k]!;
      if (e.seq <= from) break;
      if (e.seq > to) continue;
      for (let j = 0; j < e.index.length; j++) {
        if (!seen.has(e.index[j]!)) seen.set(e.index[j]!, e.snaps[j]!);
      }
    }
    return [...seen.keys()].sort((a, b) => a - b).map((i) => seen.get(i)!);
  }

  /**
   * The partitions of `all` with an applied event whose kept snapshot is
   * out of date (a change the marks missed); empty when the marks are
   * complete. For tests: it compares every partition.
   */
  stale(all: readonly Partition[], causal: CausalParts | null = null): Partition[] {
    const out: Partition[] = [];
    for (const p of all) {
      if (p.applied === 0) continue;
      const b = this.#built[p.index];
      if (b === undefined || changedSince(p, b, causal === null ? -1 : causal.changes(p))) {
        out.push(p);
      }
    }
    return out;
  }
}
