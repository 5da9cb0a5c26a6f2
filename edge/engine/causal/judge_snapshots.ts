/**
 * The causal judge's snapshots (`causal_judge.ts` composes one and
 * delegates to it; the format is `causal_snapshot.ts`):
 * {@link JudgeSnapshots.savePart} gives a partition's lanes, queue,
 * horizon and open episode for its partition snapshot, written again only
 * when {@link JudgeSnapshots.changes} moved; {@link JudgeSnapshots.save}
 * the dependency entries and the partitions watched;
 * {@link JudgeSnapshots.load} and {@link JudgeSnapshots.loadPart} take them
 * back (older snapshots with every partition in the shared part too): a
 * restored judge judges on as if uninterrupted. The judge's counters (the
 * newest wall, the events applied, the intervals held) stay the judge's:
 * they are passed in to save and given back by a load.
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import type { DependencyTable } from "./happened_before.ts";
import type { CausalPartition } from "./lanes.ts";
import { judgedEarly } from "./arrival_judgement.ts";
import type { CutSearch } from "./cut_search.ts";
import {
  type CausalPartitionPart,
  type CausalSnapshot,
  loadDependencies,
  loadPartition,
  savePartition,
} from "./causal_snapshot.ts";

/** What a {@link JudgeSnapshots} shares with the judge composing it. */
export interface JudgeSnapshotsOptions {
  /** The judge's dependency table (saved, loaded). */
  readonly deps: DependencyTable;
  /** The skew bound S (ms): a snapshot judged with another is refused. */
  readonly maxSkewMs: number;
  /** The reorder window (ms). */
  readonly windowMs: number;
  /** The judge's causal sides, by partition index (read only). */
  readonly parts: readonly (CausalPartition | undefined)[];
  /** The partitions the judge watches, in order (read only: {@link JudgeSnapshotsOptions.watch} adds). */
  readonly open: ReadonlySet<Partition>;
  /** Partitions whose episode may not be raised yet: a restored one with an episode is added. */
  readonly unraised: Set<Partition>;
  /** Says which state blocks of a restored side of P-intervals only are in P. */
  readonly search: Pick<CutSearch, "relevant">;
  /** The causal side of `p` (created on first use). */
  readonly partOf: (p: Partition) => CausalPartition;
  /** Watches `p` (its queue or episode is judged as the horizon moves). */
  readonly watch: (p: Partition, cp: CausalPartition) => void;
  /** The intervals the lanes hold moved by `delta` (a partition's side loaded). */
  readonly held: (delta: number) => void;
}

/** The judge's counters a collector snapshot carries besides the table and the partitions. */
export interface JudgeCounters {
  /** The latest HLC wall applied (-Infinity: none). */
  readonly maxWall: number;
  /** Events the judge has seen applied (paces the dependency pruning). */
  readonly applied: number;
}

/**
 * Saves and loads the causal judge's state.
 *
 * @example Composed by the judge
 * ```ts ignore
 * const snapshots = new JudgeSnapshots({ deps, maxSkewMs: 500, windowMs: 250, parts, open, unraised, search, partOf, watch, held });
 * const saved = snapshots.save({ maxWall, applied, pruneBefore: -Infinity });
 * const restored = snapshots.load(saved, find); // (into a fresh judge's)
 * ```
 */
export class JudgeSnapshots {
  readonly #deps: DependencyTable;
  readonly #maxSkewMs: number;
  readonly #skew2: number;
  readonly #windowMs: number;
  readonly #parts: readonly (CausalPartition | undefined)[];
  readonly #open: ReadonlySet<Partition>;
  readonly #unraised: Set<Partition>;
  readonly #search: Pick<CutSearch, "relevant">;
  readonly #partOf: (p: Partition) => CausalPartition;
  readonly #watch: (p: Partition, cp: CausalPartition) => void;
  readonly #held: (delta: number) => void;

  constructor(options: JudgeSnapshotsOptions) {
    this.#deps = options.deps;
    this.#maxSkewMs = options.maxSkewMs;
    this.#skew2 = 2 * options.maxSkewMs;
    this.#windowMs = options.windowMs;
    this.#parts = options.parts;
    this.#open = options.open;
    this.#unraised = options.unraised;
    this.#search = options.search;
    this.#partOf = options.partOf;
    this.#watch = options.watch;
    this.#held = options.held;
  }

  /**
   * The judge's state for a collector snapshot (`causal_snapshot.ts`)
   * besides the partitions' own sides ({@link JudgeSnapshots.savePart}):
   * dependency entries from `at.pruneBefore` on (what the next pruning
   * would drop is not saved), the partitions watched, in order, the
   * counters `at` and the bounds.
   */
  save(at: JudgeCounters & { readonly pruneBefore: number }): CausalSnapshot {
    return {
      nodes: [...this.#deps.nodes],
      ...(this.#deps.retired.length > 0 ? { retired: this.#deps.retired } : {}),
      deps: this.#deps.rows(at.pruneBefore),
      maxWall: Number.isFinite(at.maxWall) ? at.maxWall : null,
      applied: at.applied,
      partitions: [],
      watched: [...this.#open].map((p) => [p.spec, p.key] as const),
      maxSkewMs: this.#maxSkewMs,
      windowMs: this.#windowMs,
    };
  }

  /** Changes whenever the causal side of `p` may have (its snapshot part is written again only then). */
  changes(p: Partition): number {
    return this.#parts[p.index]?.changes ?? 0;
  }

  /** The causal side of `p` for its partition snapshot (`PartitionSnapshot.causal`); null when it holds nothing. */
  savePart(p: Partition): CausalPartitionPart | null {
    const cp = this.#parts[p.index];
    if (cp === undefined) return null;
    // What the lane's next event prunes: its horizon is at least the partition's merged time less 2S and the window.
    const drop = p.last === null ? -Infinity : p.last.wall - 2 * this.#skew2 - this.#windowMs;
    return savePartition(cp, {
      open: this.#open.has(p),
      dropBefore: drop,
      early: judgedEarly(cp),
    });
  }

  /**
   * Loads state `s` saved by {@link JudgeSnapshots.save} into a fresh
   * judge and returns the counters it carried; `find` gives the restored
   * partition of a spec hash and key (null: restored under a newer
   * version, its causal state starts afresh). Throws a `TypeError` saying
   * what does not fit, a `RangeError` when it was judged with another skew
   * bound.
   */
  load(
    s: CausalSnapshot,
    find: (spec: string, key: string) => Partition | null | undefined,
  ): JudgeCounters {
    if (s.maxSkewMs !== undefined && s.maxSkewMs !== this.#maxSkewMs) {
      throw new RangeError(
        `Causal snapshot was judged with a skew bound of '${s.maxSkewMs}' ms, this collector runs with '${this.#maxSkewMs}' ms: restart it with --max-skew ${s.maxSkewMs} (maxSkewMs: ${s.maxSkewMs}) to restore it, or start without this snapshot to change the bound`,
      );
    }
    this.#deps.loadNames(s.nodes, s.retired);
    loadDependencies(this.#deps, s);
    // Watched first, in the saved order (what is due at one tick raises in it).
    for (const [spec, key] of s.watched ?? []) {
      const p = find(spec, key);
      if (p === null) continue;
      if (p === undefined) {
        throw new TypeError(
          `Causal snapshot watches partition '${key}' (spec hash '${spec}'), which the snapshot does not hold`,
        );
      }
      this.#watch(p, this.#partOf(p));
    }
    // Older snapshots: every partition's side is here (newer ones: in the partition snapshots, `loadPart`).
    for (const ps of s.partitions) {
      const p = find(ps.spec, ps.key);
      if (p === null) continue;
      if (p === undefined) {
        throw new TypeError(
          `Causal snapshot holds partition '${ps.key}' (spec hash '${ps.spec}'), which the snapshot does not`,
        );
      }
      this.loadPart(p, ps);
    }
    return { maxWall: s.maxWall ?? -Infinity, applied: s.applied };
  }

  /**
   * Loads partition `p`'s causal side `part` (its partition snapshot's,
   * after {@link JudgeSnapshots.load} took the rest). Throws a `TypeError`
   * saying what does not fit.
   */
  loadPart(p: Partition, part: CausalPartitionPart): void {
    const cp = this.#partOf(p);
    const held = cp.held();
    loadPartition(p, cp, part, {
      nid: (node) => this.#deps.nodeId(node),
      relevant: (block) => this.#search.relevant(p, cp, block),
    });
    this.#held(cp.held() - held);
    if (part.open) this.#watch(p, cp);
    if (cp.episode !== null) this.#unraised.add(p);
  }
}
