/**
 * The collector engine's state: validated options, compiled specs, streams,
 * partitions, nodes, the event store, listeners, and the lookups over them.
 * Base class of `CollectorEngine` (`engine.ts`); internal.
 *
 * @module
 */
import type { CompiledSpec } from "../../lib/abi/compiled.ts";
import type { StreamId } from "../../lib/wire/event.ts";
import { EventStore } from "./event_store.ts";
import { NodeStats } from "./node_stats.ts";
import { EXPIRED, type Partition } from "./partition.ts";
import { SpecRuntime } from "./spec_runtime.ts";
import { streamKey, type StreamState } from "./stream_state.ts";
import type { CollectorEvent, CollectorListener, PartitionStatus, Violation } from "./types.ts";
import { Counters } from "./counters.ts";
import { Admission, type Limits } from "./limits.ts";

/** Validated options. */
export interface EngineOptions {
  readonly specs: readonly CompiledSpec[];
  readonly now: () => number;
  readonly windowMs: number;
  readonly gapTimeoutMs: number;
  readonly historySize: number;
  readonly cutEvents: number;
  readonly maxViolations: number;
  readonly initialParticipants: number;
  readonly limits: Limits;
}

/**
 * The state of a collector engine and its lookups; `EngineScheduler` and
 * `CollectorEngine` build on it.
 *
 * @example Look up a partition
 * ```ts ignore
 * // With `engine` a collector engine, an `EngineState`; by spec name or hash,
 * // `undefined` until an event for the key arrives:
 * const partition = engine.findPartition("Lease", "lock:1");
 * ```
 */
export class EngineState {
  readonly now: () => number;
  readonly compiled = new Map<string, CompiledSpec>();
  readonly rts = new Map<string, SpecRuntime>();
  readonly streams = new Map<string, StreamState>();
  /** Partitions by collector-wide index (lookups by key go through the spec's map). */
  readonly partitions = new Map<number, Partition>();
  readonly nodes = new Map<string, NodeStats>();
  readonly violations: Violation[] = [];
  readonly counters = new Counters();
  readonly o: EngineOptions;
  /** Buffered events (and, briefly, a late one being applied). */
  readonly store: EventStore;
  /** Streams by collector-wide index (`StreamState.index`). */
  readonly streamList: StreamState[] = [];
  /** Partitions by collector-wide index (`Partition.index`). */
  readonly partList: Partition[] = [];
  readonly #listeners = new Set<CollectorListener>();
  /** Admission of batches against the limits, and the counts it keeps. */
  readonly admission: Admission;

  /** Creates an engine for validated options. */
  constructor(o: EngineOptions) {
    this.o = o;
    this.store = new EventStore(Math.max(...o.specs.map((s) => s.meta.stride)));
    this.now = o.now;
    this.admission = new Admission(this, o.limits);
    for (const spec of o.specs) {
      const rt = new SpecRuntime(spec);
      this.rts.set(rt.hash, rt);
      this.compiled.set(rt.hash, spec);
    }
  }

  /** Subscribes a listener. */
  on(listener: CollectorListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listening(): boolean {
    return this.#listeners.size > 0;
  }

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

  /** A partition by spec hash (or name) and key. */
  findPartition(spec: string, key: string): Partition | undefined {
    const p = this.rts.get(spec)?.partitions.get(key);
    if (p !== undefined) return p;
    for (const rt of this.rts.values()) if (rt.name === spec) return rt.partitions.get(key);
    return undefined;
  }

  node(id: string): NodeStats {
    let n = this.nodes.get(id);
    if (n === undefined) this.nodes.set(id, n = new NodeStats(id));
    return n;
  }

  /** Registers a new (or restored) stream. */
  addStream(s: StreamState): void {
    this.admission.addStream(s.id, s.firstSeenAt);
    s.index = this.streamList.length;
    this.streamList.push(s);
    this.streams.set(s.key, s);
    this.store.nodes[s.index] = s.id.node;
    this.store.boots[s.index] = s.id.boot;
    s.origin = this.rts.get(s.id.spec)!.origins.of(s.id.node, s.id.boot);
  }

  /** Registers a new (or restored) partition. */
  addPartition(p: Partition): void {
    p.index = this.partList.length;
    this.partList.push(p);
    p.rt.partitions.set(p.key, p);
    this.partitions.set(p.index, p);
    this.admission.noteMembers(p.members);
  }

  /** The status of a partition (constant time: participants with holes are counted in `Partition.holed`). */
  status(p: Partition): PartitionStatus {
    if (p.episode !== 0 || p.deadlines.includes(EXPIRED)) return "violated";
    if (p.applied === 0 || p.holed > 0) return "unknown";
    return "ok";
  }
}
