/**
 * Read-only views of a collector engine (partition info, metrics) and its
 * snapshot and restore.
 *
 * @module
 */
import type { CollectorEngine } from "./engine.ts";
import type { Partition } from "./partition.ts";
import { partitionSnapshot, restorePartition } from "../store/snapshot.ts";
import { StreamState } from "./stream_state.ts";
import type { CollectorMetrics, CollectorSnapshot, PartitionInfo } from "./types.ts";
import { cutOf } from "./violation.ts";

/**
 * A partition's public view.
 *
 * @example List statuses
 * ```ts ignore
 * // With `engine` a `CollectorEngine`:
 * const statuses = [...engine.partitions.values()].map((p) => partitionInfo(engine, p).status);
 * ```
 */
export function partitionInfo(e: CollectorEngine, p: Partition): PartitionInfo {
  return {
    spec: p.spec,
    specName: p.specName,
    key: p.key,
    id: p.id,
    status: e.status(p),
    incomplete: p.incomplete,
    participants: cutOf(p),
    violated: p.episode === 0 ? null : p.rt.invariantRef(p.episode).name,
    violations: p.violations,
    applied: p.applied,
    buffered: p.buffer.size,
    lastApplied: p.lastHlc,
    deadlines: p.deadlines.flatMap((d, i) =>
      d >= 0 ? [{ name: p.rt.liveness[i]!.name, deadline: d }] : []
    ),
  };
}

/** Counters and gauges. */
export function metricsOf(e: CollectorEngine): CollectorMetrics {
  const buffered = e.buffered();
  const oldest = buffered.oldestReadyAt - e.o.windowMs;
  return {
    ...e.counters.toRecord(),
    refusedByLimit: { ...e.counters.refusedByLimit },
    buffered: buffered.count,
    partitions: e.partitions.size,
    nodes: e.nodes.size,
    streams: e.streams.size,
    lagMs: buffered.count === 0 ? 0 : Math.max(0, e.now() - oldest),
  };
}

/** The persisted form of everything applied; buffered events are left out (and not counted). */
export function snapshotOf(e: CollectorEngine): CollectorSnapshot {
  const pendingByNode = new Map<string, number>();
  let pending = 0;
  for (const s of e.streams.values()) {
    pending += s.pendingCount;
    pendingByNode.set(s.id.node, (pendingByNode.get(s.id.node) ?? 0) + s.pendingCount);
  }
  const counters = e.counters.persisted();
  counters.events = (counters.events ?? 0) - pending;
  return {
    version: 1,
    takenAt: e.now(),
    streams: [...e.streams.values()].map((s) => s.snapshot()),
    partitions: [...e.partitions.values()].filter((p) => p.applied > 0).map(partitionSnapshot),
    nodes: [...e.nodes.values()].map((n) => n.snapshot(pendingByNode.get(n.node) ?? 0)),
    violations: [...e.violations],
    counters,
  };
}

/** Loads a snapshot into a fresh engine. */
export function restoreInto(e: CollectorEngine, snap: CollectorSnapshot): void {
  if (snap.version !== 1) {
    throw new TypeError(`Unknown collector snapshot version '${snap.version}'`);
  }
  const now = e.now();
  for (const s of snap.streams) {
    if (!e.rts.has(s.spec)) {
      throw new TypeError(`Snapshot names spec '${s.specName}' (hash '${s.spec}') not served`);
    }
    e.addStream(StreamState.restore(s, now, e.store));
  }
  for (const n of snap.nodes) e.node(n.node).restore(n);
  for (const ps of snap.partitions) {
    const rt = e.rts.get(ps.spec);
    if (rt === undefined) throw new TypeError(`Snapshot names spec hash '${ps.spec}' not served`);
    const p = restorePartition(rt, ps, e.o);
    e.addPartition(p);
    for (const q of p.participants) e.node(q.node).partitionsFor(p.spec).add(p);
  }
  e.violations.push(...snap.violations);
  e.counters.load(snap.counters);
  e.adopt();
}
