/**
 * Serializing partitions for a collector snapshot, and rebuilding them.
 * State blocks travel as base64 (web-standard `btoa`/`atob`).
 *
 * @module
 */
import { Partition } from "../engine/partition.ts";
import type { ServedSpec } from "../engine/served_spec.ts";
import type { EventSnapshot, PartitionSnapshot } from "../engine/types.ts";

/**
 * Encodes bytes as base64.
 *
 * @example Encode three bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { toBase64 } from "./snapshot.ts";
 * assert.equal(toBase64(new Uint8Array([1, 2, 255])), "AQL/");
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return btoa(s);
}

/**
 * Decodes base64 to bytes.
 *
 * @example Round trip
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromBase64, toBase64 } from "./snapshot.ts";
 * const bytes = new Uint8Array([0, 1, 2, 254, 255]);
 * assert.deepEqual(fromBase64(toBase64(bytes)), bytes);
 * ```
 */
export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Just the persisted fields of an applied event (histories hold richer records). */
function plainEvent(e: EventSnapshot): EventSnapshot {
  return {
    node: e.node,
    boot: e.boot,
    seq: e.seq,
    wall: e.wall,
    logical: e.logical,
    action: e.action,
    args: [...e.args],
    verdict: e.verdict,
    late: e.late,
  };
}

/**
 * The applied part of a partition as JSON.
 *
 * @example Serialize every partition (an illustration: partitions come from a running collector)
 * ```ts ignore
 * import { partitionSnapshot } from "./snapshot.ts";
 * import type { Partition } from "../engine/partition.ts";
 * const all = (ps: Partition[]) => ps.map(partitionSnapshot);
 * ```
 */
export function partitionSnapshot(p: Partition): PartitionSnapshot {
  return {
    spec: p.spec,
    key: p.key,
    participants: p.participants.map((q) => ({
      node: q.node,
      boot: q.boot,
      seq: q.seq,
      wall: q.wall,
      logical: q.logical,
      state: toBase64(p.stateOf(q)),
      lastEvents: q.events.toArray().map(plainEvent),
    })),
    history: p.history.toArray().map(plainEvent),
    lastApplied: p.lastHlc,
    lastPos: p.last === null ? null : { ...p.last },
    applied: p.applied,
    episode: p.episode,
    deadlines: [...p.deadlines],
    incomplete: p.incomplete,
    violations: p.violations,
  };
}

/**
 * Rebuilds a partition (participants' states written to fresh instances).
 *
 * @example Restore (an illustration: the served spec comes from a loaded spec)
 * ```ts ignore
 * import { restorePartition } from "./snapshot.ts";
 * import type { ServedSpec } from "../engine/served_spec.ts";
 * import type { EventSnapshot, PartitionSnapshot } from "../engine/types.ts";
 * const back = (served: ServedSpec, s: PartitionSnapshot) =>
 *   restorePartition(served, s, { historySize: 32, cutEvents: 5, initialParticipants: 2 });
 * ```
 */
export function restorePartition(
  served: ServedSpec,
  s: PartitionSnapshot,
  options: { historySize: number; cutEvents: number; initialParticipants: number },
): Partition {
  const p = new Partition(served, s.key, options);
  for (const q of s.participants) {
    const part = p.participant(q.node, q.boot);
    part.seq = q.seq;
    // JSON turns -Infinity into null: a participant always has an applied event, but be safe.
    part.wall = q.wall ?? -Infinity;
    part.logical = q.logical;
    p.write(part, fromBase64(q.state));
    for (const e of q.lastEvents) part.events.pushSnapshot(e);
  }
  for (const e of s.history) p.history.pushSnapshot(e);
  p.last = s.lastPos === null || s.lastPos === undefined ? null : { ...s.lastPos };
  p.applied = s.applied;
  p.episode = s.episode;
  s.deadlines.forEach((d, i) => {
    if (i < p.deadlines.length) p.deadlines[i] = d;
  });
  p.incomplete = s.incomplete;
  p.violations = s.violations;
  return p;
}
