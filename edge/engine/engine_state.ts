/**
 * What a collector engine knows: its validated options, the specs it serves
 * and their partitions, streams, nodes, the violations kept, counters, the
 * partitions whose status may have changed, and its listeners. The engine's
 * parts (`engine.ts` composes them: the scheduler, the applier, the hole
 * tracker, the admission) read and change it; it has lookups and
 * registration, no behaviour of its own. Internal.
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import type { StreamId } from "../../lib/wire/event.ts";
import { NodeStats } from "./node_stats.ts";
import { EXPIRED, type Partition } from "./partition.ts";
import { PartitionTable } from "./partition_table.ts";
import { ServedSpec } from "./served_spec.ts";
import { streamKey, type StreamState } from "./stream_state.ts";
import type { CollectorEvent, CollectorListener, PartitionStatus, Violation } from "./types.ts";
import { Counters } from "./counters.ts";
import { ChangedPartitions } from "./changed_partitions.ts";
import type { Limits } from "./limits.ts";

/** Validated options. */
export interface EngineOptions {
  readonly specs: readonly CompiledSpec[];
  readonly now: () => number;
  readonly windowMs: number;
  readonly gapTimeoutMs: number;
  readonly historySize: number;
  readonly cutEvents: number;
  readonly maxViolations: number;
  /** Check local liveness per participant (default true). */
  readonly localLiveness?: boolean;
  /** Causal verdicts with this skew bound (ms); absent: the merge order's verdicts. */
  readonly maxSkewMs?: number;
  /** With causal verdicts, judge handoffs the chain extends to on arrival (default true). */
  readonly causalOnArrival?: boolean;
  readonly initialParticipants: number;
  /** Silence after which a node's participants at rest are retired, ms; 0 or absent: never. */
  readonly retireIdleMs?: number;
  readonly limits: Limits;
}

/**
 * The state of a collector engine and its lookups.
 *
 * @example Register a stream and look it up
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadCompiled } from "../../lib/abi/loader.ts";
 * import { DEFAULT_LIMITS } from "./limits.ts";
 * import { EngineState } from "./engine_state.ts";
 * import { StreamState } from "./stream_state.ts";
 * import { EventStore } from "./event_store.ts";
 * const lease = await loadCompiled(new URL("../../dist/lease.js", import.meta.url));
 * const state = new EngineState({
 *   specs: [lease], now: () => 0, windowMs: 250, gapTimeoutMs: 30_000, historySize: 32,
 *   cutEvents: 5, maxViolations: 1000, initialParticipants: 2, limits: DEFAULT_LIMITS,
 * });
 * const id = { spec: lease.meta.sourceHash, specName: "Lease", node: "n1", boot: "b1" };
 * state.addStream(new StreamState(id, 0, new EventStore(lease.meta.stride)));
 * assert.equal(state.stream(id)?.index, 0);
 * assert.equal(state.findPartition("Lease", "lock:1"), undefined); // no event for it yet
 * ```
 */
export class EngineState {
  readonly options: EngineOptions;
  /** The collector's clock, ms. */
  readonly now: () => number;
  /** The compiled specs served, by hash (every version). */
  readonly compiled = new Map<string, CompiledSpec>();
  /**
   * Per served spec hash: its name's table (the newest version and the
   * partitions by key). The versions of one name share one table.
   */
  readonly tables = new Map<string, PartitionTable>();
  /** Per served spec name: its table. */
  readonly families = new Map<string, PartitionTable>();
  /** Partitions `mixed` now (kept by the applier and the restore). */
  mixedPartitions = 0;
  /** Streams by `streamKey`. */
  readonly streams = new Map<string, StreamState>();
  /** Streams by collector-wide index (`StreamState.index`). */
  readonly streamList: StreamState[] = [];
  /** Partitions by collector-wide index, in insertion order (lookups by key go through the spec's table). */
  readonly partitions = new Map<number, Partition>();
  /** Partitions by collector-wide index (`Partition.index`). */
  readonly partList: Partition[] = [];
  readonly nodes = new Map<string, NodeStats>();
  /** Stream indexes of retired streams, taken by the next new streams. */
  readonly #freeStreams: number[] = [];
  /**
   * Nodes and streams removed so far (retired, `retirement.ts`): listings
   * indexed by insertion (`pages.ts`) rebuild when it moves.
   */
  removals = 0;
  /** Violations kept, oldest first (at most `maxViolations`). */
  readonly violations: Violation[] = [];
  readonly counters = new Counters();
  /** Partitions whose status may have changed since the last announcement. */
  readonly dirty = new Set<Partition>();
  /** Partitions changed since the last snapshot (`changed_partitions.ts`). */
  readonly changed = new ChangedPartitions();
  readonly #listeners = new Set<CollectorListener>();

  /**
   * Creates the state of an engine for validated options: the versions of
   * each spec name share one table, the last one listed being the newest.
   */
  constructor(options: EngineOptions) {
    this.options = options;
    this.now = options.now;
    const byName = new Map<string, ServedSpec[]>();
    for (const spec of options.specs) {
      const served = new ServedSpec(spec);
      if (this.compiled.has(served.hash)) {
        throw new TypeError(`Spec '${served.name}' (hash '${served.hash}') is listed twice`);
      }
      this.compiled.set(served.hash, spec);
      const versions = byName.get(served.name);
      if (versions === undefined) byName.set(served.name, [served]);
      else versions.push(served);
    }
    for (const [name, versions] of byName) {
      const table = new PartitionTable(versions[versions.length - 1]!);
      this.families.set(name, table);
      for (const v of versions) {
        if (v !== table.served) table.addVersion(v);
        this.tables.set(v.hash, table);
      }
    }
  }

  /** Subscribes a listener; returns the unsubscribe function. */
  on(listener: CollectorListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** True when some listener is subscribed (notifications that cost something are skipped otherwise). */
  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  /** Notifies every listener; a listener's exception is counted in `listenerErrors`. */
  emit(e: CollectorEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch {
        this.counters.listenerErrors++;
      }
    }
  }

  /** The stream of an id, if known. */
  stream(id: StreamId): StreamState | undefined {
    return this.streams.get(streamKey(id));
  }

  /** A partition by spec hash (of any version served) or name, and key. */
  findPartition(spec: string, key: string): Partition | undefined {
    return (this.tables.get(spec) ?? this.families.get(spec))?.get(key);
  }

  /** The hash of the newest version served under a spec name, if any. */
  currentVersion(specName: string): string | undefined {
    return this.families.get(specName)?.served.hash;
  }

  /** The stats of a node, created on first use. */
  node(id: string): NodeStats {
    let n = this.nodes.get(id);
    if (n === undefined) this.nodes.set(id, n = new NodeStats(id));
    return n;
  }

  /**
   * Registers a new (or restored) stream: its index, its spec's name and
   * version link, its origin in its spec's histories, and its node's
   * version of the spec.
   */
  addStream(s: StreamState): void {
    const free = this.#freeStreams.pop();
    if (free === undefined) {
      s.index = this.streamList.length;
      this.streamList.push(s);
    } else {
      s.index = free;
      this.streamList[free] = s;
    }
    this.streams.set(s.key, s);
    const table = this.tables.get(s.id.spec)!;
    const upgrade = table.upgradeFrom(s.id.spec);
    s.family = table.served.name;
    s.upgrade = upgrade;
    s.origin = table.served.origins.of(s.id.node, s.id.boot, {
      spec: upgrade === null ? "" : s.id.spec,
    });
    const node = this.node(s.id.node);
    node.runs(s.family, { spec: s.id.spec, since: s.firstSeenAt });
    node.streams.add(s);
  }

  /**
   * Forgets a retired node: its stats and its streams (none holds a
   * buffered event: the caller checked), whose indexes the next new
   * streams take.
   */
  removeNode(n: NodeStats): void {
    for (const s of n.streams) {
      this.streams.delete(s.key);
      this.#freeStreams.push(s.index);
    }
    n.streams.clear();
    this.nodes.delete(n.node);
    this.removals++;
  }

  /** Registers a new (or restored) partition: its index, and its spec's table. */
  addPartition(p: Partition): void {
    p.index = this.partList.length;
    this.partList.push(p);
    this.tables.get(p.spec)!.add(p);
    this.partitions.set(p.index, p);
    this.changed.mark(p);
  }

  /** The status of a partition (constant time: participants with holes are counted in `Partition.holed`). */
  status(p: Partition): PartitionStatus {
    if (p.episode !== 0 || p.localExpired > 0 || p.deadlines.includes(EXPIRED)) {
      return "violated";
    }
    if (p.mixed !== null) return "mixed";
    if (p.applied === 0 || p.holed > 0) return "unknown";
    return "ok";
  }
}
