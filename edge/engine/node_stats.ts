/**
 * Per-node bookkeeping of the collector: last seen, counts, local verdicts,
 * the partitions and open holes of the node per spec name (whatever the
 * versions), and the spec version it runs (that of its newest stream).
 *
 * @module
 */
import { DOUBLE_ZERO } from "./double_field.ts";
import type { Partition } from "./partition.ts";
import type { StreamState } from "./stream_state.ts";
import type { CollectorSnapshot, Hlc, NodeInfo, NodeVersion } from "./types.ts";

/** What the collector knows about one node (across its boots). */
export class NodeStats {
  readonly node: string;
  boot = "";
  // The clock fields are double fields from the start (`double_field.ts`): they take doubles.
  lastSeenAt = DOUBLE_ZERO;
  /** The newest HLC seen (kept as numbers: it moves with almost every event). */
  #wall = DOUBLE_ZERO;
  #logical = DOUBLE_ZERO;
  events = 0;
  duplicates = 0;
  late = 0;
  /** Numbers never received nor declared whose hole closed (timed out or over the hole limit). */
  lostEvents = 0;
  /** Numbers the node declared dropped, counted when declared (never also lost). */
  droppedEvents = 0;
  readonly localVerdicts: Record<string, number> = {};
  /** Partitions joined, per spec name. */
  readonly partitions = new Map<string, Set<Partition>>();
  /** Open holes over the node's streams, per spec name. */
  readonly holes = new Map<string, number>();
  /** Per spec name: the version (hash) of the node's newest stream and when that stream was first seen. */
  readonly #versions = new Map<string, { spec: string; since: number }>();
  /** Spec hashes of all the node's streams. */
  readonly #hashes = new Set<string>();
  /** The node's streams (every spec and boot), for its retirement (`retirement.ts`). */
  readonly streams = new Set<StreamState>();
  /**
   * Collector time before which the retirement does not look at this node
   * again (it was idle but something of it not at rest).
   */
  retireCheckAt = DOUBLE_ZERO;
  /** Participants of this node the retirement last found idle but not at rest. */
  retireHeld = 0;

  /**
   * Creates empty stats.
   *
   * @example New node
   * ```ts
   * import assert from "node:assert/strict";
   * import { NodeStats } from "./node_stats.ts";
   * const info = new NodeStats("api-1").info();
   * assert.deepEqual([info.events, info.lostEvents, info.droppedEvents], [0, 0, 0]);
   * ```
   */
  constructor(node: string) {
    this.node = node;
  }

  /** Open holes of the node for a spec name. */
  holesFor(spec: string): number {
    return this.holes.get(spec) ?? 0;
  }

  /**
   * Notes a stream of the node: version `stream.spec` of spec `specName`,
   * first seen at `stream.since`; the newest stream's version is the one
   * the node runs.
   */
  runs(specName: string, stream: { readonly spec: string; readonly since: number }): void {
    const { spec, since } = stream;
    this.#hashes.add(spec);
    const v = this.#versions.get(specName);
    if (v === undefined || since >= v.since) this.#versions.set(specName, { spec, since });
  }

  /** The version (hash) of a spec name that the node runs, if it sent any. */
  versionOf(specName: string): string | undefined {
    return this.#versions.get(specName)?.spec;
  }

  /** Partitions of the node for a spec name (created on demand). */
  partitionsFor(spec: string): Set<Partition> {
    let set = this.partitions.get(spec);
    if (set === undefined) this.partitions.set(spec, set = new Set());
    return set;
  }

  /** The newest HLC seen. */
  get lastHlc(): Hlc {
    return { wall: this.#wall, logical: this.#logical };
  }

  /** Records the HLC `walls[i]`, `logicals[i]` of an event if it is the node's newest. */
  seen(walls: Float64Array, logicals: Float64Array, i: number): void {
    const wall = walls[i]!;
    const logical = logicals[i]!;
    if (wall > this.#wall || (wall === this.#wall && logical > this.#logical)) {
      this.#wall = wall;
      this.#logical = logical;
    }
  }

  /**
   * The public view; `current` names the newest version served for a spec
   * name (a version the node runs is `current` when it is that one).
   */
  info(current: (specName: string) => string | undefined = () => undefined): NodeInfo {
    let open = 0;
    for (const n of this.holes.values()) open += n;
    let parts = 0;
    for (const s of this.partitions.values()) parts += s.size;
    const versions: NodeVersion[] = [];
    for (const [specName, v] of this.#versions) {
      versions.push({ specName, spec: v.spec, current: current(specName) === v.spec });
    }
    return {
      node: this.node,
      specs: [...this.#hashes],
      boot: this.boot,
      lastSeenAt: this.lastSeenAt,
      lastHlc: this.lastHlc,
      events: this.events,
      duplicates: this.duplicates,
      late: this.late,
      openHoles: open,
      lostEvents: this.lostEvents,
      droppedEvents: this.droppedEvents,
      localVerdicts: { ...this.localVerdicts },
      partitions: parts,
      versions,
    };
  }

  /** The persisted part (partitions and holes are rebuilt from partitions and streams). */
  snapshot(pendingEvents: number): CollectorSnapshot["nodes"][number] {
    return {
      node: this.node,
      boot: this.boot,
      lastSeenAt: this.lastSeenAt,
      lastHlc: this.lastHlc,
      events: this.events - pendingEvents,
      duplicates: this.duplicates,
      late: this.late,
      lostEvents: this.lostEvents,
      droppedEvents: this.droppedEvents,
      localVerdicts: { ...this.localVerdicts },
    };
  }

  /** Restores the persisted part. */
  restore(s: CollectorSnapshot["nodes"][number]): void {
    this.boot = s.boot ?? "";
    this.lastSeenAt = s.lastSeenAt;
    this.#wall = s.lastHlc.wall;
    this.#logical = s.lastHlc.logical;
    this.events = s.events;
    this.duplicates = s.duplicates;
    this.late = s.late;
    this.lostEvents = s.lostEvents;
    this.droppedEvents = s.droppedEvents ?? 0;
    Object.assign(this.localVerdicts, s.localVerdicts);
  }
}
