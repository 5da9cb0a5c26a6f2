/**
 * The collector engine's open holes: which streams have some, how many each
 * node has per spec name, whatever the version (a partition is `unknown` while one of its participants
 * has any), and closing them, whether they timed out (`advance`) or were
 * closed at the per-stream hole limit (`StreamState.closeOverLimit`, when a
 * batch opens and on `advance`). Internal.
 *
 * A closed hole is announced (`hole`, with its `declared` flag and its
 * reason) and flags the node's partitions of the spec `incomplete` (their
 * verdicts may have missed something). Only its undeclared numbers are
 * counted `lost` (collector and node): declared numbers were counted
 * `dropped` when declared and are never counted again.
 *
 * @module
 */
import type { Counters } from "./counters.ts";
import type { NodeStats } from "./node_stats.ts";
import type { Partition } from "./partition.ts";
import type { Hole, StreamState } from "./stream_state.ts";
import type { CollectorEvent } from "./types.ts";

/** Why a hole closed: it outlived the gap timeout, or its stream had too many open holes. */
export type HoleCloseReason = "timeout" | "limit";

/** The parts of the engine's state the hole tracker uses. */
export interface HoleHost {
  readonly counters: Counters;
  /** Partitions whose status may have changed. */
  readonly dirty: Set<Partition>;
  node(id: string): NodeStats;
  emit(e: CollectorEvent): void;
}

/** Keeps count of open holes and closes them. */
export class HoleTracker {
  readonly #state: HoleHost;
  /** Streams with open holes (the ones `expire` looks at). */
  readonly #withHoles = new Set<StreamState>();

  /**
   * Creates the hole tracker of an engine's state.
   *
   * @example Close a stream's holes over its limit
   * ```ts
   * import assert from "node:assert/strict";
   * import { Counters } from "./counters.ts";
   * import { EventStore } from "./event_store.ts";
   * import { HoleTracker } from "./holes.ts";
   * import { NodeStats } from "./node_stats.ts";
   * import type { Partition } from "./partition.ts";
   * import { StreamState } from "./stream_state.ts";
   * const node = new NodeStats("n1");
   * const dirty = new Set<Partition>();
   * const state = { counters: new Counters(), dirty, node: () => node, emit: () => {} };
   * const holes = new HoleTracker(state);
   * const id = { spec: "ab", specName: "A", node: "n1", boot: "b1" };
   * const stream = new StreamState(id, 0, new EventStore(8), { maxHoles: 1 });
   * stream.family = "A"; // the spec's name (the engine's state sets it when it registers the stream)
   * stream.receive(2, 0); // numbers 0 and 1 missing: a hole
   * stream.receive(5, 0); // 3 and 4: a second one
   * holes.sync(stream);
   * assert.equal(node.holesFor("A"), 2);
   * holes.close(stream, stream.closeOverLimit(), "limit");
   * holes.sync(stream);
   * assert.equal(node.holesFor("A"), 1);
   * assert.equal(state.counters.lost, 2);
   * ```
   */
  constructor(state: HoleHost) {
    this.#state = state;
  }

  /**
   * Counts and announces holes that left `stream` (taken out by `expire` or
   * `closeOverLimit`); marks the node's partitions of the spec incomplete
   * and dirty. The caller then brings the node's open-hole count in line
   * ({@link sync}).
   */
  close(stream: StreamState, holes: readonly Hole[], reason: HoleCloseReason): void {
    if (holes.length === 0) return;
    const e = this.#state;
    const node = e.node(stream.id.node);
    let lost = 0;
    for (const h of holes) {
      if (!h[3]) lost += h[1] - h[0] + 1;
      e.emit({ type: "hole", stream: stream.id, first: h[0], last: h[1], declared: h[3], reason });
    }
    e.counters.lost += lost;
    node.lostEvents += lost;
    for (const p of node.partitionsFor(stream.family)) {
      p.incomplete = true;
      e.dirty.add(p);
    }
  }

  /**
   * Brings the node's per-spec hole count in line with the stream; when the
   * node starts or stops having holes, counts it in (or out of) its
   * partitions' `holed` and marks them dirty.
   */
  sync(stream: StreamState): void {
    const n = stream.openHoles;
    if (n === stream.countedHoles) return;
    const e = this.#state;
    const node = e.node(stream.id.node);
    const spec = stream.family;
    const before = node.holesFor(spec);
    const after = before + n - stream.countedHoles;
    stream.countedHoles = n;
    node.holes.set(spec, after);
    if (n > 0) this.#withHoles.add(stream);
    else this.#withHoles.delete(stream);
    if ((before === 0) !== (after === 0)) {
      const step = after > 0 ? 1 : -1;
      for (const p of node.partitionsFor(spec)) p.holed += step, e.dirty.add(p);
    }
  }

  /**
   * Closes the holes opened at or before `deadline`, then those over each
   * stream's hole limit (left by fills or a restore).
   */
  expire(deadline: number): void {
    if (this.#withHoles.size === 0) return;
    for (const s of [...this.#withHoles]) {
      const gone = s.expire(deadline);
      const over = s.closeOverLimit();
      if (gone.length === 0 && over.length === 0) continue;
      this.close(s, gone, "timeout");
      this.close(s, over, "limit");
      this.sync(s);
    }
  }
}
