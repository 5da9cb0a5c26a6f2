/**
 * Which collector should own each partition, and which stands by: a pure
 * function of the live members' ids (rendezvous hashing). Every collector
 * computes the same map from the same member list, so no coordinator is
 * needed: a partition's owner is the member with the highest score
 * of `"<member>/<partition>"` (FNV-1a, then the MurmurHash3 finalizer), its standby the second highest
 * (ties broken by member id). When a member joins, only the partitions it
 * now scores highest on move to it; when one leaves, only its own
 * partitions move, each to its standby.
 *
 * Who actually owns a partition is decided by the lease (`leases.ts`):
 * this map only says who should try to acquire and who should hand over.
 *
 * @module
 */

/**
 * The desired owner and standby of one partition.
 *
 * @example One member: it owns everything, with no standby
 * ```ts
 * import assert from "node:assert/strict";
 * import { desiredAssignment, type Desired } from "./assignment.ts";
 * const d: Desired = desiredAssignment(["a"], 4)[0]!;
 * assert.deepEqual(d, { partition: 0, owner: "a", standby: null });
 * ```
 */
export interface Desired {
  /** Partition number. */
  readonly partition: number;
  /** The member that should own it (`null` when there is no member). */
  readonly owner: string | null;
  /** The member that takes over when the owner goes (`null` with fewer than two members). */
  readonly standby: string | null;
}

/**
 * 32-bit FNV-1a of a string's code units (ids are ASCII), then the
 * MurmurHash3 finalizer, so that ids differing in their last characters
 * still score independently on every partition.
 */
function score(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ (text.charCodeAt(i) & 0xff), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The desired owner and standby of each of `partitions` partitions among
 * `members` (duplicates ignored, order irrelevant).
 *
 * @throws {RangeError} When `partitions` is not an integer >= 1.
 *
 * @example Three members share 16 partitions; removing one moves only its own
 * ```ts
 * import assert from "node:assert/strict";
 * import { desiredAssignment } from "./assignment.ts";
 * const three = desiredAssignment(["c1", "c2", "c3"], 16);
 * const two = desiredAssignment(["c1", "c3"], 16);
 * for (const d of three) {
 *   assert.notEqual(d.owner, d.standby);
 *   const after = two[d.partition]!;
 *   if (d.owner !== "c2") assert.equal(after.owner, d.owner);
 *   else assert.equal(after.owner, d.standby);
 * }
 * ```
 */
export function desiredAssignment(members: readonly string[], partitions: number): Desired[] {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`Partition count must be an integer >= 1, got '${partitions}'`);
  }
  const ids = [...new Set(members)].sort();
  const out: Desired[] = [];
  for (let p = 0; p < partitions; p++) {
    let best: string | null = null;
    let bestScore = -1;
    let second: string | null = null;
    let secondScore = -1;
    for (const id of ids) {
      const s = score(`${id}/${p}`);
      if (s > bestScore) {
        second = best;
        secondScore = bestScore;
        best = id;
        bestScore = s;
      } else if (s > secondScore) {
        second = id;
        secondScore = s;
      }
    }
    out.push({ partition: p, owner: best, standby: second });
  }
  return out;
}
