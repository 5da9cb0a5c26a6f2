/**
 * The verdict of every partition (spec, key) after a replay: `violated` when
 * a local or global violation was found in it, else `unknown` when a line
 * of one of its participants could not be mapped (or the log's own
 * sequence numbers jumped), else `ok`. A partition seen only through
 * unmapped lines is listed too, as `unknown`: an empty trace never reads as
 * correct.
 *
 * @module
 */
import type { ReplayJudge } from "./judge.ts";
import type { ReplayPartition } from "./report_types.ts";

interface Entry {
  readonly specName: string;
  readonly key: string;
  readonly nodes: Set<string>;
  events: number;
  violations: number;
  hole: boolean;
}

/**
 * Lists the partitions of a finished replay, sorted by spec and key.
 *
 * @example Count unknown partitions
 * ```ts ignore
 * const unknown = partitionsOf(judge).filter((p) => p.status === "unknown").length;
 * ```
 */
export function partitionsOf(judge: ReplayJudge): ReplayPartition[] {
  const all = new Map<string, Entry>();
  const entry = (specName: string, hash: string, key: string): Entry => {
    const id = `${hash}\u0000${key}`;
    let e = all.get(id);
    if (e === undefined) {
      e = { specName, key, nodes: new Set(), events: 0, violations: 0, hole: false };
      all.set(id, e);
    }
    return e;
  };
  for (const st of judge.streams()) {
    const { name } = st.spec;
    const hash = st.spec.compiled.meta.sourceHash;
    for (const inst of st.instances.values()) {
      const e = entry(name, hash, inst.key);
      e.nodes.add(st.node);
      e.events += inst.steps;
      e.violations += inst.violations;
      e.hole ||= st.hasHole(inst.key);
    }
    for (const key of st.keyHoles.keys()) {
      const e = entry(name, hash, key);
      e.nodes.add(st.node);
      e.hole = true;
    }
  }
  for (const p of judge.collector.partitions()) {
    const e = entry(p.specName, p.spec, p.key);
    e.violations += p.violations;
  }
  return [...all.values()]
    .map((e) => ({
      specName: e.specName,
      key: e.key,
      status: e.violations > 0 ? "violated" as const : e.hole ? "unknown" as const : "ok" as const,
      nodes: [...e.nodes].sort(),
      events: e.events,
      violations: e.violations,
    }))
    .sort((a, b) =>
      a.specName < b.specName ? -1 : a.specName > b.specName ? 1 : a.key < b.key ? -1 : 1
    );
}

/**
 * The partition counts of a summary: how many, and how many of each status.
 *
 * @example Count two partitions
 * ```ts
 * import assert from "node:assert/strict";
 * import { partitionCounts } from "./partition_verdicts.ts";
 * const p = { specName: "Lease", nodes: ["a"], events: 1, violations: 0 };
 * const counts = partitionCounts([{ ...p, key: "l1", status: "ok" }, { ...p, key: "l2", status: "unknown" }]);
 * assert.deepEqual(counts, { partitions: 2, partitionsOk: 1, partitionsViolated: 0, partitionsUnknown: 1 });
 * ```
 */
export function partitionCounts(parts: readonly ReplayPartition[]): {
  partitions: number;
  partitionsOk: number;
  partitionsViolated: number;
  partitionsUnknown: number;
} {
  return {
    partitions: parts.length,
    partitionsOk: parts.filter((p) => p.status === "ok").length,
    partitionsViolated: parts.filter((p) => p.status === "violated").length,
    partitionsUnknown: parts.filter((p) => p.status === "unknown").length,
  };
}
