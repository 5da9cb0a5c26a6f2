/**
 * Read-only views of a collector engine: a partition's public view, and the
 * counters and gauges.
 *
 * @module
 */
import type { CollectorEngine } from "./engine.ts";
import type { EngineState } from "./engine_state.ts";
import type { Partition } from "./partition.ts";
import type { CollectorMetrics, PartitionInfo } from "./types.ts";
import { cutOf } from "./violation.ts";

/**
 * A partition's public view.
 *
 * @example List statuses
 * ```ts ignore
 * // With `state` a collector engine's state:
 * const statuses = [...state.partitions.values()].map((p) => partitionInfo(state, p).status);
 * ```
 */
export function partitionInfo(e: EngineState, p: Partition): PartitionInfo {
  return {
    spec: p.spec,
    specName: p.specName,
    key: p.key,
    id: p.id,
    status: e.status(p),
    incomplete: p.incomplete,
    participants: cutOf(p),
    violated: p.episode === 0 ? null : p.served.invariantRef(p.episode).name,
    violations: p.violations,
    applied: p.applied,
    buffered: p.buffer.size,
    lastApplied: p.lastHlc,
    deadlines: [
      ...p.deadlines.flatMap((d, i) =>
        d >= 0 ? [{ name: p.served.liveness[i]!.name, deadline: d }] : []
      ),
      ...(p.localOpen === 0
        ? []
        : p.participants.flatMap((q) =>
          q.localDeadlines.flatMap((d, i) =>
            d >= 0 ? [{ name: p.served.localLiveness[i]!.name, deadline: d, node: q.node }] : []
          )
        )),
    ],
    mixed: p.mixed === null ? [] : p.mixed.map((m) => ({ ...m })),
  };
}

/** Counters and gauges. */
export function metricsOf(engine: CollectorEngine): CollectorMetrics {
  const e = engine.state;
  const buffered = engine.buffered();
  const oldest = buffered.oldestReadyAt - e.options.windowMs;
  return {
    ...e.counters.toRecord(),
    refusedByLimit: { ...e.counters.refusedByLimit },
    buffered: buffered.count,
    partitions: e.partitions.size,
    nodes: e.nodes.size,
    streams: e.streams.size,
    lagMs: buffered.count === 0 ? 0 : Math.max(0, e.now() - oldest),
    mixedPartitions: e.mixedPartitions,
    nodeTombstones: engine.retirement.tombstones,
    idleHoldingParticipants: engine.retirement.idleHolding,
    causalStampsOfRetired: engine.causal?.stampsOfRetired ?? 0,
    causalClockAhead: engine.causal?.clockAhead ?? 0,
  };
}
