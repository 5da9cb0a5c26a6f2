/**
 * Test helpers: what a collector decided, read through its public API
 * (`partitions()`, `snapshot()`, `nodes()`, `metrics()` and its
 * notifications), and what the oracle of `merge_oracle.ts` expects, in one
 * comparable plain-data shape.
 *
 * {@link verdictsOf} and {@link expectedVerdicts} give everything: each
 * partition's status, open episode, applied count and participants in join
 * order with their exact state bytes and state views; every violation with
 * its property, HLC, nodes involved, cut and history; every episode end;
 * local verdicts per node; event, duplicate and late counts. {@link settled}
 * keeps only what does not depend on the order events were applied in
 * (partitions, participants by node with their final states, final
 * statuses, counts): what a run with late events must still share with an
 * uninterrupted one.
 *
 * @module
 */
import type { Collector, CollectorEvent } from "../edge/engine/types.ts";
import type { ExpectedClear, ExpectedViolation, OracleRun } from "./merge_oracle.ts";

/** A participant's final state: stream position, exact bytes (hex) and view. */
export interface ParticipantVerdict {
  readonly node: string;
  readonly boot: string;
  readonly seq: number;
  readonly wall: number;
  readonly logical: number;
  readonly bytes: string;
  readonly view: unknown;
}

/** A partition's outcome. */
export interface PartitionVerdict {
  readonly id: string;
  readonly status: string;
  readonly violated: string | null;
  readonly applied: number;
  readonly participants: readonly ParticipantVerdict[];
}

/** A violation as compared: no collector times, no message text. */
export type ViolationVerdict = ExpectedViolation;

/** Everything a run decides, in a comparable shape. */
export interface RunVerdicts {
  /** Sorted by id. */
  readonly partitions: readonly PartitionVerdict[];
  /** Grouped by partition id (sorted), in order of occurrence within each. */
  readonly violations: readonly ViolationVerdict[];
  readonly clears: readonly ExpectedClear[];
  /** `[node, counts by kind]` for nodes with non-ok local verdicts, sorted by node. */
  readonly localVerdicts: readonly (readonly [string, Readonly<Record<string, number>>])[];
  readonly events: number;
  readonly duplicates: number;
  readonly late: number;
}

const participant = (
  q: Omit<ParticipantVerdict, "bytes" | "view">,
  bytes: string,
  view: unknown,
): ParticipantVerdict => ({
  node: q.node,
  boot: q.boot,
  seq: q.seq,
  wall: q.wall,
  logical: q.logical,
  bytes,
  view,
});
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const base64Hex = (s: string) => hex(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)));
const byId = <T extends { id: string }>(a: T, b: T) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
const byPartition = <T extends { partition: string }>(a: T, b: T) =>
  a.partition < b.partition ? -1 : a.partition > b.partition ? 1 : 0;

/**
 * Records a collector's notifications from now on.
 *
 * @example Record
 * ```ts ignore
 * const log = record(collector);
 * collector.flush();
 * log.length; // notifications so far
 * ```
 */
export function record(c: Collector): CollectorEvent[] {
  const all: CollectorEvent[] = [];
  c.on((e) => all.push(e));
  return all;
}

/**
 * What a collector decided, from its public API and the notifications in `log`.
 *
 * @example Compare with the oracle
 * ```ts ignore
 * assert.deepEqual(verdictsOf(collector, log), expectedVerdicts(sortedMerge([spec], events)));
 * ```
 */
export function verdictsOf(c: Collector, log: readonly CollectorEvent[]): RunVerdicts {
  const bytes = new Map<string, Map<string, string>>();
  for (const p of c.snapshot().partitions) {
    bytes.set(`${p.spec}\u0000${p.key}`, new Map(p.participants.map((q) => [q.node, q.state])));
  }
  const partitions = c.partitions().map((p): PartitionVerdict => {
    const states = bytes.get(`${p.spec}\u0000${p.key}`);
    return {
      id: p.id,
      status: p.status,
      violated: p.violated,
      applied: p.applied,
      participants: p.participants.map((q) =>
        participant(q, base64Hex(states?.get(q.node) ?? ""), q.state)
      ),
    };
  }).sort(byId);
  const violations = log.flatMap((e) => {
    if (e.type !== "violation") return [];
    const v = e.violation;
    return [{
      partition: `${v.specName}/${v.partition}`,
      name: v.property.name,
      code: v.property.code,
      at: { wall: v.at.wall, logical: v.at.logical },
      nodes: [...v.nodes],
      cut: v.cut.map((x) => ({ node: x.node, boot: x.boot, seq: x.seq, state: x.state })),
      history: v.history.map((h) => [h.node, h.seq, h.late] as const),
    }];
  }).sort(byPartition);
  const clears = log.flatMap((e) =>
    e.type === "violation_cleared"
      ? [{
        partition: `${e.partition.specName}/${e.partition.key}`,
        name: e.name,
        at: { wall: e.at.wall, logical: e.at.logical },
      }]
      : []
  ).sort(byPartition);
  const localVerdicts = c.nodes()
    .filter((n) => Object.keys(n.localVerdicts).length > 0)
    .map((n) => [n.node, { ...n.localVerdicts }] as const)
    .sort((a, b) => a[0] < b[0] ? -1 : 1);
  const m = c.metrics();
  return {
    partitions,
    violations,
    clears,
    localVerdicts,
    events: m.events,
    duplicates: m.duplicates,
    late: m.late,
  };
}

/**
 * What the oracle expects, in the shape of {@link verdictsOf}.
 *
 * @example Expected verdicts of a sorted merge
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectedVerdicts } from "./collector_verdicts.ts";
 * import { OracleSpec, sortedMerge } from "./merge_oracle.ts";
 * const spec = await OracleSpec.fromSource("spec T\nstate on: bool = false\n");
 * assert.deepEqual(expectedVerdicts(sortedMerge([spec], [])).partitions, []);
 * ```
 */
export function expectedVerdicts(run: OracleRun): RunVerdicts {
  const models = [...run.partitions.values()];
  const partitions = models.map((p): PartitionVerdict => ({
    id: p.id,
    status: p.status,
    violated: p.episode === 0 ? null : p.spec.propertyName(p.episode),
    applied: p.applied,
    participants: p.participants.map((q) =>
      participant(q, hex(q.state), p.spec.view(p.spec.slots(q.state)))
    ),
  })).sort(byId);
  const ordered = [...models].sort(byId);
  return {
    partitions,
    violations: ordered.flatMap((p) => p.violations),
    clears: ordered.flatMap((p) => p.clears),
    localVerdicts: [...run.localVerdicts].sort((a, b) => a[0] < b[0] ? -1 : 1),
    events: run.events,
    duplicates: run.duplicates,
    late: run.late,
  };
}

/**
 * The facts that do not depend on the order events were applied in:
 * partitions (ids, applied counts, final statuses and open episodes),
 * participants sorted by node with their final states, local verdicts and
 * event counts. A run with late events must still agree with an
 * uninterrupted one on these (for invariants whose verdict does not depend
 * on the order of participants, as every example spec's without an
 * arithmetic error).
 *
 * @example Ignore episode history
 * ```ts
 * import assert from "node:assert/strict";
 * import { settled } from "./collector_verdicts.ts";
 * const run = {
 *   partitions: [], violations: [], clears: [], localVerdicts: [], events: 3, duplicates: 1, late: 2,
 * };
 * assert.deepEqual(settled(run), { partitions: [], localVerdicts: [], events: 3 });
 * ```
 */
export function settled(v: RunVerdicts): unknown {
  return {
    partitions: v.partitions.map((p) => ({
      ...p,
      participants: [...p.participants].sort((a, b) => a.node < b.node ? -1 : 1),
    })),
    localVerdicts: v.localVerdicts,
    events: v.events,
  };
}
