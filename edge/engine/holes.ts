/**
 * Closing a stream's holes in the collector engine: what a closed hole
 * counts and announces, whether it timed out (`advance`) or was closed at
 * the per-stream hole limit (`StreamState.closeOverLimit`, when a batch
 * opens and on `advance`). Internal.
 *
 * A closed hole is announced (`hole`, with its `declared` flag and its
 * reason) and flags the node's partitions of the spec `incomplete` (their
 * verdicts may have missed something). Only its undeclared numbers are
 * counted `lost` (collector and node): declared numbers were counted
 * `dropped` when declared and are never counted again.
 *
 * @module
 */
import type { EngineState } from "./engine_state.ts";
import type { Partition } from "./partition.ts";
import type { Hole, StreamState } from "./stream_state.ts";

/** Why a hole closed: it outlived the gap timeout, or its stream had too many open holes. */
export type HoleCloseReason = "timeout" | "limit";

/**
 * Counts and announces holes that left `stream` (taken out by `expire` or
 * `closeOverLimit`); marks the node's partitions of the spec incomplete and
 * dirty. The caller then brings the node's open-hole count in line.
 *
 * @example Report the holes over the limit
 * ```ts ignore
 * // In the engine, after a batch opened holes in `stream`:
 * closeHoles(this, this.dirty, stream, stream.closeOverLimit(), "limit");
 * ```
 */
export function closeHoles(
  e: EngineState,
  dirty: Set<Partition>,
  stream: StreamState,
  holes: readonly Hole[],
  reason: HoleCloseReason,
): void {
  if (holes.length === 0) return;
  const node = e.node(stream.id.node);
  let lost = 0;
  for (const h of holes) {
    if (!h[3]) lost += h[1] - h[0] + 1;
    e.emit({ type: "hole", stream: stream.id, first: h[0], last: h[1], declared: h[3], reason });
  }
  e.counters.lost += lost;
  node.lostEvents += lost;
  for (const p of node.partitionsFor(stream.id.spec)) {
    p.incomplete = true;
    dirty.add(p);
  }
}
