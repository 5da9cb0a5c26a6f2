/**
 * The causal judge's dependencies at ingest and their pruning
 * (`causal_judge.ts` composes one; `docs/causality.md`): each batch
 * admitted, before the reorder window, has its node's clock watched
 * (`clock_ahead.ts`) and the dependencies it carries recorded in the
 * judge's table (`happened_before.ts`); when they order something new, the
 * partitions' unraised episodes are rechecked (a cut they dissolve is
 * dropped). Once per 4,096 events applied (never during a flush) the
 * entries that order nothing a judgement still asks are pruned
 * ({@link DependencyRecording.pruneBefore}): behind the oldest merged time
 * still judged, and never more than {@link DEPS_MAX_LAG_MS} behind the
 * newest wall. Per batch and per pruning, nothing per event.
 *
 * @module
 */
import type { Partition } from "../partition.ts";
import type { WireColumns } from "../../../lib/wire/columns.ts";
import type { DependencyTable } from "./happened_before.ts";
import type { CausalPartition } from "./lanes.ts";
import type { CausalHost } from "./causal_host.ts";
import type { Episodes } from "./episodes.ts";
import type { CutSearch } from "./cut_search.ts";
import { ClockAhead } from "./clock_ahead.ts";

/**
 * How far behind the newest wall (ms) dependency entries are kept at most,
 * whatever partition still judges older times: the table's memory bound
 * (see {@link DependencyRecording.pruneBefore}). A partition that lags the
 * newest wall by more than this (a clock ahead by more, counted by
 * {@link DependencyRecording.clockAhead}) loses the stamps that order its
 * handoffs.
 *
 * @example The bound is 30 s
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEPS_MAX_LAG_MS } from "./dependency_recording.ts";
 * assert.equal(DEPS_MAX_LAG_MS, 30_000);
 * ```
 */
export const DEPS_MAX_LAG_MS = 30_000;

/** What a {@link DependencyRecording} shares with the judge composing it. */
export interface DependencyRecordingOptions {
  /** Told of stamps refused and clocks ahead. */
  readonly host: CausalHost;
  /** The judge's dependency table (recorded into, pruned). */
  readonly deps: DependencyTable;
  /** The skew bound S (ms). */
  readonly maxSkewMs: number;
  /** The reorder window (ms). */
  readonly windowMs: number;
  /** Rechecks an unraised episode when new orderings arrive. */
  readonly episodes: Pick<Episodes, "recheck">;
  /** Told when the table was pruned (what it learnt by cause lapses). */
  readonly search: Pick<CutSearch, "pruned">;
  /** The judge's causal sides, by partition index (read only). */
  readonly parts: readonly (CausalPartition | undefined)[];
  /** The partitions the judge watches (read only): their horizons hold the pruning back. */
  readonly open: ReadonlySet<Partition>;
  /**
   * Partitions whose episode may not be raised yet (a superset: the judge
   * adds to it, the ones raised or gone are dropped here as met).
   */
  readonly unraised: Set<Partition>;
}

/**
 * Records the dependencies batches carry and prunes them.
 *
 * @example Composed by the judge
 * ```ts ignore
 * const recording = new DependencyRecording({ host, deps, maxSkewMs: 500, windowMs: 250, episodes, search, parts, open, unraised });
 * recording.admitted(columns, Date.now()); // at ingest
 * recording.prune(maxWall); // every 4,096 events applied
 * ```
 */
export class DependencyRecording {
  readonly #host: CausalHost;
  readonly #deps: DependencyTable;
  readonly #skew2: number;
  readonly #windowMs: number;
  readonly #episodes: Pick<Episodes, "recheck">;
  readonly #search: Pick<CutSearch, "pruned">;
  readonly #parts: readonly (CausalPartition | undefined)[];
  readonly #open: ReadonlySet<Partition>;
  readonly #unraised: Set<Partition>;
  /** Nodes whose walls lead the others' by more than 2S and the window (per batch admitted). */
  readonly #clocks: ClockAhead;
  #stampsOfRetired = 0;
  /** {@link DependencyRecording.senders}. */
  #senders = new Int32Array(64);
  /**
   * The oldest wall of the entries recorded since the last dependency
   * pruning, and in the period before it: events not applied yet look
   * their stamps up there (see {@link DependencyRecording.pruneBefore}).
   */
  #recordedFloor = Infinity;
  #recordedFloorBefore = Infinity;

  constructor(options: DependencyRecordingOptions) {
    this.#host = options.host;
    this.#deps = options.deps;
    this.#skew2 = 2 * options.maxSkewMs;
    this.#windowMs = options.windowMs;
    this.#episodes = options.episodes;
    this.#search = options.search;
    this.#parts = options.parts;
    this.#open = options.open;
    this.#unraised = options.unraised;
    this.#clocks = new ClockAhead(2 * options.maxSkewMs + options.windowMs);
  }

  /**
   * A batch was admitted at collector clock `now` (at ingest, before the
   * reorder window): watches its node's clock ({@link DependencyRecording.clockAhead})
   * and records the dependencies it carries ({@link DependencyRecording.record}).
   * Per batch, nothing per event.
   */
  admitted(c: WireColumns, now: number): void {
    if (c.count > 0) {
      const lead = this.#clocks.batch(c.node, c.wall[c.count - 1]!, now);
      if (lead >= 0) this.#host.clockAhead?.(c.node, lead);
    }
    if (c.depCount > 0) this.record(c);
  }

  /**
   * Nodes found with walls ahead of every other node's by more than 2S and
   * the reorder window (the judge's assumption broken), a counter: each is
   * counted and said ({@link CausalHost.clockAhead}) once. Their entries
   * are not what prunes the others' (see {@link DependencyRecording.pruneBefore}).
   */
  get clockAhead(): number {
    return this.#clocks.count;
  }

  /** The nodes {@link DependencyRecording.clockAhead} counted (and not forgotten since), in the order found. */
  get nodesAhead(): readonly string[] {
    return this.#clocks.nodes;
  }

  /** Stamps naming a retired node, not recorded (see `CausalJudge.retireNode`). */
  get stampsOfRetired(): number {
    return this.#stampsOfRetired;
  }

  /**
   * Of the batch {@link DependencyRecording.admitted} last, by dependency:
   * the sender's number when the table recorded the dependency as it is
   * (-1: refused, a stamp of the node itself or a retired node, or a
   * logical beyond 32 bits), which the engine writes into its event's slot
   * (`EventStore.setFirstDep`). Valid until the next batch.
   */
  get senders(): Int32Array {
    return this.#senders;
  }

  /** Node `node` was retired: its clock is no longer watched (nor counted ahead). */
  forget(node: string): void {
    this.#clocks.forget(node);
  }

  /** Records the dependencies a batch carries (at ingest, before the reorder window). */
  record(c: WireColumns): void {
    const deps = this.#deps;
    const generation = deps.generation;
    const epoch = deps.epoch;
    const refused = deps.stampsAfter;
    const id = deps.nodeId(c.node);
    const before = deps.nodeGeneration(id);
    // Senders by name: most batches name one or two, so the last one is looked up once.
    let sender = "";
    let from = -1;
    let earliestWall = Infinity;
    let earliestLogical = 0;
    if (this.#senders.length < c.depCount) this.#senders = new Int32Array(2 * c.depCount);
    const senders = this.#senders;
    for (let d = 0; d < c.depCount; d++) {
      const i = c.depEvent[d]!;
      const name = c.depNode[d]!;
      if (name !== sender) {
        sender = name;
        from = deps.senderId(name);
      }
      if (from < 0) {
        senders[d] = -1;
        this.#stampsOfRetired++;
        continue;
      }
      const w = c.wall[i]!;
      const l = c.logical[i]!;
      const fw = c.depWall[d]!;
      const fl = c.depLogical[d]!;
      // As `recordIds` takes it: not of the node itself, a stamp before its event (else refused).
      senders[d] = from !== id && (fw < w || (fw === w && fl < l)) && (fl | 0) === fl ? from : -1;
      if (w < earliestWall || (w === earliestWall && l < earliestLogical)) {
        earliestWall = w;
        earliestLogical = l;
      }
      deps.recordIds(id, w, l, from, fw, fl);
    }
    if (earliestWall < this.#recordedFloor) this.#recordedFloor = earliestWall;
    if (deps.stampsAfter !== refused) this.#host.stampsRefused(c.node, deps.stampsAfter - refused);
    if (generation !== this.#deps.generation) {
      // New orderings may dissolve cuts found before they arrived: of an episode not raised yet (nothing
      // else of a partition's side depends on them). With no epoch bump, only this node's vectors moved,
      // from its earliest new entry on.
      const appended = deps.epoch === epoch
        ? { since: generation, nid: id, before, wall: earliestWall, logical: earliestLogical }
        : undefined;
      for (const p of this.#unraised) {
        const cp = this.#parts[p.index]!;
        if (cp.episode === null || cp.episode.raised) {
          this.#unraised.delete(p);
          continue;
        }
        // Marked changed only when the recheck changed the episode: most batches order nothing of it.
        if (this.#episodes.recheck(p, cp, appended)) {
          cp.changes++;
          this.#host.changed(p);
        }
      }
    }
  }

  /**
   * The wall time before which dependency entries order nothing a
   * judgement still asks, with `maxWall` the newest wall applied: 4S, two
   * windows and 1 s behind the oldest merged time still judged. That is
   * the oldest of: each watched partition's (its horizon plus 2S and the
   * window: its queue and its episode judge from there), the walls of the
   * entries recorded in this period and the one before (events not
   * applied yet), and the newest wall. Never more than
   * {@link DEPS_MAX_LAG_MS} behind the newest wall (the memory bound).
   * Pruned by the newest wall alone, a partition whose merged time lags
   * (a node ahead of the others, beyond the skew bound) lost the stamps
   * that order its handoffs, and clean handoffs raised alerts. A pass over
   * the watched partitions.
   */
  pruneBefore(maxWall: number): number {
    const lead = this.#skew2 + this.#windowMs;
    let oldest = Math.min(maxWall, this.#recordedFloor, this.#recordedFloorBefore);
    for (const p of this.#open) {
      const at = this.#parts[p.index]!.horizon + lead;
      if (at < oldest) oldest = at;
    }
    const before = oldest - lead - this.#skew2 - this.#windowMs - 1_000;
    return Math.max(before, maxWall - DEPS_MAX_LAG_MS);
  }

  /**
   * Prunes the table before {@link DependencyRecording.pruneBefore} of
   * `maxWall` (the judge calls it once per 4,096 events applied, not while
   * it flushes) and starts a new recording period.
   */
  prune(maxWall: number): void {
    this.#deps.prune(this.pruneBefore(maxWall));
    this.#search.pruned();
    this.#recordedFloorBefore = this.#recordedFloor;
    this.#recordedFloor = Infinity;
  }
}
