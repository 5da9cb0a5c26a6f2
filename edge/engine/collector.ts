/**
 * The collector core: merges the event streams of many nodes in causal
 * order per partition, checks the compiled global invariants and global
 * liveness, and reports violations with counterexamples. Pure and
 * runtime-neutral (web-standard APIs only; time from the injected `now`).
 *
 * Semantics, exactly:
 * - **Partition** = (spec hash, instance key). A **participant** is a node
 *   id: the boots of a node are one participant whose latest state is the
 *   state of its newest applied event (same boot: higher sequence number;
 *   other boot: higher HLC). A node that reboots and never steps the
 *   instance again keeps its last reported state in the cut.
 * - **Merge order**: HLC wall, HLC logical, node id, boot id, sequence
 *   number (total, identical on every collector).
 * - **Reorder window** (arrival-based): an event arriving at collector time
 *   `t` is applied at the latest at `t + windowMs`; when it is applied,
 *   every event buffered in its partition that orders before it is applied
 *   first, in order. Measured on the collector's clock rather than on an HLC
 *   watermark because a watermark is driven by the fastest node clock (a
 *   node 500 ms ahead would make every other node's events late) and stalls
 *   when traffic stops; arrival time bounds alert latency by `windowMs`
 *   whatever the node clocks say. Due events are released by `ingest` (at
 *   `now()`), `advance(now)` (the app's timer, which also times out holes
 *   and liveness deadlines) and `flush()` (everything, now).
 * - **Causality, not simultaneity**: HLC order respects every message
 *   (`stamp`/`observe`), but two causally unrelated events are ordered by
 *   their nodes' skewed wall clocks. A double hold shorter than the clock
 *   skew can therefore be merged as a clean handoff; one longer than the
 *   skew is always seen. (Detecting "possibly" over all consistent cuts
 *   would need vector clocks.)
 * - **Late**: an event ordered before the last applied event of its
 *   partition (its window closed: something later was applied) is applied
 *   at once, counted late and announced (`late`). It updates its
 *   participant's state only when it is that node's newest, so a late old
 *   event never overwrites a newer state; it always enters the history.
 * - **After every applied event** that changed a participant's state: the
 *   state bytes are written to the participant's instance and
 *   `globalCheck(first, count)` runs over all participants. A failing code
 *   different from the open episode's raises a `Violation` (spec, property
 *   and its line, cut, history of the last `historySize` merged events up to
 *   this one, nodes involved: a smallest failing subset of participants);
 *   it stays one episode (no new alert) while the same code keeps failing,
 *   and `violation_cleared` ends it when the check passes. `globalCheck`
 *   reports the first failing invariant, so two invariants failing together
 *   surface one at a time.
 * - **Holes**: see `stream_state.ts`. A partition is `unknown` while any of its
 *   participants has an open hole in its streams of that spec (or before
 *   its first applied event); a hole timed out (`gapTimeoutMs`), or closed
 *   because its stream has more than `MAX_HOLES_PER_STREAM` open, is
 *   announced (`hole`), its undeclared numbers counted lost (declared drops
 *   were counted dropped when declared, never lost), and flags the node's
 *   partitions `incomplete` for good; their status then follows the checks
 *   again.
 * - **Status**: `violated` when an invariant episode is open or a liveness
 *   obligation timed out and is not discharged (a found violation is shown
 *   even when holes are open; the violation says `incomplete`), else
 *   `unknown` (holes or nothing applied), else `ok`.
 * - **Global liveness**: see `liveness.ts`.
 * - **Local liveness**: each participant's own instance, checked on its
 *   event stream with the same merged time; see `local_liveness.ts`
 *   (option `localLiveness`, default on).
 * - **Local verdicts** (non-zero codes in events: refused steps, observed
 *   violations, divergences) are counted per node and kind and announced
 *   (`local_verdict`); they are not global violations.
 * - **Restart safety**: `snapshot()` holds only what is applied (buffered
 *   events are left out and their numbers reopened as holes), so after
 *   `restoreCollector` the upstream redelivers every unacknowledged batch:
 *   applied numbers are duplicates (changing nothing), the rest apply as in
 *   an uninterrupted run. Ack a batch only when `isApplied` (or
 *   `appliedThrough`) says so and a snapshot taken afterwards is persisted.
 *   De-duplication is by (spec, node, boot, sequence number). Verdicts are
 *   exactly those of an uninterrupted run as long as that run had no late
 *   events (lateness depends on arrival times, which a restart changes);
 *   counters exclude buffered events from the snapshot, so nothing counts
 *   twice.
 * - **Growth limits** (`maxPartitions`, `maxNodes`, `maxBootsPerNode`,
 *   `maxParticipants`, `maxNewBootsPerMinute`, `maxIdBytes`,
 *   `maxKeyBytes`; defaults and reasons in `limits.ts`): a batch is
 *   admitted whole or refused whole, before any of it is applied: if what
 *   it would create (a node, a stream and boot id, partitions,
 *   participants) passes a limit, or one of its keys or ids is longer
 *   than its limit, `ingest` throws
 *   `LimitError` naming the limit, counts it in `refusedByLimit` (and
 *   `batchesRejected`), and changes nothing: its numbers become a hole if
 *   the stream sends on. Everything already admitted keeps being served
 *   (a batch for existing partitions of an existing stream is always
 *   admitted), and a restored collector counts what it restored, so it
 *   enforces the same limits.
 * - **Limits**: a hole is seen only when a later number of the stream
 *   arrives (a lost final batch with nothing after it is invisible until
 *   the node sends again). A hole marks unknown only the partitions the
 *   node already participates in (the lost event's key is unknown).
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import { decodeToColumns } from "../../lib/wire/decode.ts";
import { WireColumns } from "../../lib/wire/columns.ts";
import type { DecodedBatch, StreamId } from "../../lib/wire/event.ts";
import { CollectorEngine } from "./engine.ts";
import { InvalidBatchError } from "./errors.ts";
import { BatchColumns } from "./batch_columns.ts";
import type { OrderedIngest } from "./ordered_ingest.ts";
import type { EngineOptions, EngineState } from "./engine_state.ts";
import { metricsOf, partitionInfo } from "./views.ts";
import { InsertionIndex, ordinalPage } from "./pages.ts";
import { DEFAULT_LIMITS, LIMIT_NAMES, type Limits } from "./limits.ts";
import type { NodeStats } from "./node_stats.ts";
import type { Partition } from "./partition.ts";
import type {
  Collector,
  CollectorListener,
  CollectorMetrics,
  CollectorOptions,
  CollectorSnapshot,
  IngestResult,
  NodeInfo,
  Page,
  PageOptions,
  PartitionInfo,
  PartitionStatus,
  Violation,
} from "./types.ts";

function engineOptions(options: CollectorOptions): EngineOptions {
  const num = (name: string, v: number | undefined, dflt: number, min: number) => {
    const x = v ?? dflt;
    if (!(x >= min) || !Number.isFinite(x)) {
      throw new RangeError(`Option '${name}' must be a number >= ${min}, got '${x}'`);
    }
    return x;
  };
  const flag = (name: string, v: boolean | undefined, dflt: boolean) => {
    if (v !== undefined && typeof v !== "boolean") {
      throw new TypeError(`Option '${name}' must be a boolean, got '${String(v)}'`);
    }
    return v ?? dflt;
  };
  if (!Array.isArray(options.specs) || options.specs.length === 0) {
    throw new TypeError("Option 'specs' must list at least one compiled spec");
  }
  return {
    specs: options.specs,
    now: options.now ?? Date.now,
    windowMs: num("windowMs", options.windowMs, 250, 0),
    gapTimeoutMs: num("gapTimeoutMs", options.gapTimeoutMs, 30_000, 0),
    historySize: num("historySize", options.historySize, 32, 1),
    cutEvents: num("cutEvents", options.cutEvents, 5, 1),
    maxViolations: num("maxViolations", options.maxViolations, 1000, 1),
    localLiveness: flag("localLiveness", options.localLiveness, true),
    ...(options.maxSkewMs === undefined
      ? {}
      : { maxSkewMs: num("maxSkewMs", options.maxSkewMs, 0, 0) }),
    causalOnArrival: flag("causalOnArrival", options.causalOnArrival, true),
    initialParticipants: num("initialParticipants", options.initialParticipants, 2, 1),
    retireIdleMs: num("retireIdleMs", options.retireIdleMs, 0, 0),
    limits: Object.freeze(
      Object.fromEntries(LIMIT_NAMES.map((k) => [k, num(k, options[k], DEFAULT_LIMITS[k], 1)])),
    ) as Limits,
  };
}

class CollectorImpl implements Collector {
  readonly #engine: CollectorEngine;

  /** The engine (for `orderedIngestOf`; not part of `Collector`). */
  get engine(): CollectorEngine {
    return this.#engine;
  }
  readonly #state: EngineState;
  /** Columns of the last batch decoded from bytes. */
  readonly #columns = new WireColumns();
  /** Columns of the last batch given as objects. */
  readonly #objects = new BatchColumns();
  readonly #partitionIndex: InsertionIndex<Partition>;
  readonly #nodeIndex: InsertionIndex<NodeStats>;

  constructor(engine: CollectorEngine) {
    this.#engine = engine;
    this.#state = engine.state;
    // Partition ids name spec and key (the versions of a spec share its partitions).
    this.#partitionIndex = new InsertionIndex(
      engine.state.partitions,
      (p, taken) => taken(p.id) ? `${p.spec.slice(0, 12)}~${p.id}` : p.id,
    );
    // Retired nodes leave the map (`retirement.ts`): the index rebuilds when one did.
    this.#nodeIndex = new InsertionIndex(engine.state.nodes, (n) => n.node, {
      removals: () => engine.state.removals,
    });
  }

  get specs(): ReadonlyMap<string, CompiledSpec> {
    return this.#state.compiled;
  }

  ingest(batch: DecodedBatch): IngestResult {
    let columns;
    try {
      columns = this.#objects.fill(batch);
    } catch (e) {
      if (e instanceof InvalidBatchError) this.#state.counters.batchesRejected++;
      throw e;
    }
    return this.#engine.ingestColumns(columns);
  }

  ingestBytes(bytes: Uint8Array): IngestResult {
    const c = this.#columns;
    decodeToColumns(bytes, c);
    return this.#engine.ingestColumns(c);
  }

  ingestColumns(columns: WireColumns): IngestResult {
    return this.#engine.ingestColumns(columns);
  }

  advance(now?: number): void {
    this.#engine.advance(now ?? this.#state.now());
  }

  flush(): void {
    this.#engine.flush();
  }

  appliedThrough(stream: StreamId): number {
    return this.#state.stream(stream)?.appliedThrough() ?? -1;
  }

  isApplied(stream: StreamId, first: number, count: number): boolean {
    return this.#state.stream(stream)?.isApplied(first, count) ?? false;
  }

  on(listener: CollectorListener): () => void {
    return this.#state.on(listener);
  }

  violations(): readonly Violation[] {
    return [...this.#state.violations];
  }

  nodes(): readonly NodeInfo[] {
    return [...this.#state.nodes.values()].map(this.#nodeInfo);
  }

  /** A node's public view (which versions it runs are current). */
  readonly #nodeInfo = (n: NodeStats): NodeInfo => n.info(this.#current);
  readonly #current = (specName: string): string | undefined =>
    this.#state.currentVersion(specName);

  partitions(): readonly PartitionInfo[] {
    const state = this.#state;
    return [...state.partitions.values()].map((p) => partitionInfo(state, p));
  }

  partitionsPage(
    options: PageOptions & { readonly status?: PartitionStatus },
  ): Page<PartitionInfo> {
    const state = this.#state;
    const status = options.status;
    return this.#partitionIndex.page(
      options.after,
      options.limit,
      (p) => partitionInfo(state, p),
      status === undefined ? undefined : (p) => state.status(p) === status,
    );
  }

  nodesPage(options: PageOptions): Page<NodeInfo> {
    return this.#nodeIndex.page(options.after, options.limit, this.#nodeInfo);
  }

  violationsPage(options: PageOptions & { readonly partition?: string }): Page<Violation> {
    const kept = this.#state.violations;
    const first = Math.max(0, this.#state.counters.violations - kept.length);
    const key = options.partition;
    return ordinalPage(kept, first, options, (v) => key === undefined || v.partition === key);
  }

  partition(spec: string, key: string): PartitionInfo | undefined {
    const p = this.#state.findPartition(spec, key);
    return p === undefined ? undefined : partitionInfo(this.#state, p);
  }

  metrics(): CollectorMetrics {
    return metricsOf(this.#engine);
  }

  causalIntervals(recount = false): number {
    return this.#engine.causalIntervals(recount);
  }

  snapshot(): CollectorSnapshot {
    return this.#engine.snapshot();
  }
}

/**
 * The pre-ordered ingest (`ordered_ingest.ts`) of a collector made by
 * {@link createCollector}: internal, for `vigil replay`, which holds its
 * events in merge order already.
 *
 * @example Reach it
 * ```ts ignore
 * const ordered = orderedIngestOf(createCollector({ specs: [spec] }));
 * ```
 */
export function orderedIngestOf(collector: Collector): OrderedIngest {
  if (!(collector instanceof CollectorImpl)) {
    throw new TypeError("orderedIngestOf needs a collector made by createCollector");
  }
  return collector.engine.ordered();
}

/**
 * The engine of a collector made by {@link createCollector}: internal, for
 * tests and tools that read its state or its causal judge
 * (`CollectorEngine.causal`).
 *
 * @example Reach the causal judge
 * ```ts ignore
 * const judge = engineOf(createCollector({ specs: [spec], maxSkewMs: 500 })).causal;
 * ```
 */
export function engineOf(collector: Collector): CollectorEngine {
  if (!(collector instanceof CollectorImpl)) {
    throw new TypeError("engineOf needs a collector made by createCollector");
  }
  return collector.engine;
}

/**
 * Creates a collector for one or more compiled specs.
 *
 * @example Merge two nodes' batches and read the verdict
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { decodeBatch } from "../../lib/wire/decode.ts";
 * import { encodeBatch } from "../../lib/wire/encode.ts";
 * import { createCollector } from "./collector.ts";
 * const url = new URL("../../dist/lease.js", import.meta.url); // built by `deno task build`
 * const lease = await loadCompiled(url);
 * const collector = createCollector({ specs: [lease], now: () => 0 });
 * const action = lease.actionIndex("acquire");
 * for (const node of ["a", "b"]) { // each node's own check lets it acquire lock:1
 *   const inst = lease.create();
 *   const verdict = lease.stepFn(action)(inst, 1);
 *   const header = { spec: lease.meta.sourceHash, specName: "Lease", node, boot: "b1", firstSeq: 0, dropped: [] };
 *   const event = { key: "lock:1", wall: 1_000, logical: 0, action, args: [1], state: lease.stateBytes(inst), verdict };
 *   collector.ingest(decodeBatch(encodeBatch(header, [event])));
 * }
 * collector.flush();
 * const statuses = collector.partitions().map((p) => `${p.id}: ${p.status}`);
 * assert.deepEqual(statuses, ["Lease/lock:1: violated"]);
 * assert.match(collector.violations()[0]!.message, /OneHolder/);
 * ```
 */
export function createCollector(options: CollectorOptions): Collector {
  return new CollectorImpl(new CollectorEngine(engineOptions(options)));
}

/**
 * Rebuilds a collector from a snapshot (same specs required; unknown spec
 * hashes in the snapshot throw `TypeError`). Then redeliver every batch not
 * acknowledged before the snapshot: duplicates change nothing.
 *
 * @example Resume after a restart
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { createCollector, restoreCollector } from "./collector.ts";
 * const url = new URL("../../dist/lease.js", import.meta.url); // built by `deno task build`
 * const before = createCollector({ specs: [await loadCompiled(url)] });
 * const saved = JSON.stringify(before.snapshot());
 * const after = restoreCollector(JSON.parse(saved), { specs: [await loadCompiled(url)] });
 * assert.deepEqual(after.metrics(), before.metrics());
 * ```
 */
export function restoreCollector(
  snapshot: CollectorSnapshot,
  options: CollectorOptions,
): Collector {
  const engine = new CollectorEngine(engineOptions(options));
  engine.restore(snapshot);
  return new CollectorImpl(engine);
}
