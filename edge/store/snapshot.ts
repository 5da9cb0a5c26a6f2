/**
 * Serializing partitions for a collector snapshot, and rebuilding them.
 * State blocks travel as base64 (web-standard `btoa`/`atob`).
 *
 * A partition saved while an older version of its spec was the newest
 * served is rebuilt in the newest version's layout: each participant's
 * state is converted by variable name (`lib/abi/state_convert.ts`; one that
 * does not convert leaves the participant at its initial state and the
 * partition `mixed`), the events of its histories keep naming the version
 * that produced them, and its open invariant episode and liveness
 * deadlines are carried by property name (a property the newest version
 * does not have is dropped).
 *
 * @module
 */
import { restoreLocal } from "../engine/local_liveness.ts";
import { NO_DEADLINE, Partition } from "../engine/partition.ts";
import type { ServedSpec } from "../engine/served_spec.ts";
import type { CausalPartitionPart } from "../engine/causal/causal_snapshot.ts";
import type { EventSnapshot, MixedEntry, PartitionSnapshot } from "../engine/types.ts";
import { shortHash, type VersionUpgrade } from "../engine/version_upgrade.ts";
import { type PackedHead, packedSnapshot, packPartition } from "./packed_partition.ts";

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

/**
 * The applied part of a partition, packed into one record
 * (`packed_partition.ts`: its fields decode on first read; it spreads,
 * compares and serializes as the plain snapshot), written straight from
 * its rings and state block (no event objects are built). The engine keeps
 * the last one built of each partition and builds again only after a change
 * (`partition_snapshots.ts`), so a store can tell the partitions that
 * changed by identity and write their records as they are.
 *
 * @example Serialize every partition (an illustration: partitions come from a running collector)
 * ```ts ignore
 * import { buildPartitionSnapshot } from "./snapshot.ts";
 * import type { Partition } from "../engine/partition.ts";
 * const all = (ps: Partition[]) => ps.map((p) => buildPartitionSnapshot(p, undefined));
 * ```
 */
export function buildPartitionSnapshot(
  p: Partition,
  causal: CausalPartitionPart | undefined,
): PartitionSnapshot {
  const bytes = packPartition({
    spec: p.spec,
    key: p.key,
    participants: p.participants.map((q) => ({
      node: q.node,
      boot: q.boot,
      seq: q.seq,
      wall: q.wall,
      logical: q.logical,
      state: p.instanceOf(q),
      lastEvents: q.events,
      spec: q.spec === "" ? undefined : q.spec,
      localDeadlines: q.localDeadlines.some((d) => d !== NO_DEADLINE)
        ? q.localDeadlines
        : undefined,
    })),
    history: p.history,
    states: p.served.compiled,
    lastPos: p.last,
    applied: p.applied,
    episode: p.episode,
    deadlines: p.deadlines,
    incomplete: p.incomplete,
    violations: p.violations,
    mixed: p.mixed ?? undefined,
    causal,
  });
  const last = p.last;
  const head: PackedHead = {
    spec: p.spec,
    key: p.key,
    lastApplied: last === null ? null : { wall: last.wall, logical: last.logical },
    lastPos: last === null ? null : { ...last },
    applied: p.applied,
    episode: p.episode,
    deadlines: [...p.deadlines],
    incomplete: p.incomplete,
    violations: p.violations,
    ...(causal === undefined ? {} : { causal }),
  };
  return packedSnapshot(
    bytes,
    p.mixed === null ? head : { ...head, mixed: p.mixed.map((m) => ({ ...m })) },
  );
}

/** What {@link restorePartition} needs besides the served spec and the snapshot. */
export interface RestorePartitionOptions {
  readonly historySize: number;
  readonly cutEvents: number;
  readonly initialParticipants: number;
  /**
   * How the snapshot's states reach `served`'s layout when it was saved
   * under an older version (`s.spec`); null or absent when saved under
   * `served` itself.
   */
  readonly upgrade?: VersionUpgrade | null;
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
  options: RestorePartitionOptions,
): Partition {
  const upgrade = options.upgrade ?? null;
  const p = new Partition(served, s.key, options);
  /** An event as the newest version's histories hold it: naming its version unless it is `served`. */
  const event = (e: EventSnapshot): EventSnapshot => {
    const spec = e.spec ?? s.spec;
    if (spec !== served.hash) return e.spec === spec ? e : { ...e, spec };
    if (e.spec === undefined) return e;
    const { spec: _, ...own } = e;
    return own;
  };
  const mixed: MixedEntry[] = [...(s.mixed ?? [])];
  /** Local deadlines saved under an older version, by item name in the newest one's order. */
  const byName = (saved: readonly number[]): number[] => {
    const names = upgrade!.from.localLiveness.map((l) => l.name);
    return served.localLiveness.map((l) => saved[names.indexOf(l.name)] ?? NO_DEADLINE);
  };
  for (const q of s.participants) {
    const part = p.participant(q.node, q.boot);
    part.seq = q.seq;
    // JSON turns -Infinity into null: a participant always has an applied event, but be safe.
    part.wall = q.wall ?? -Infinity;
    part.logical = q.logical;
    const version = q.spec ?? s.spec;
    part.spec = version === served.hash ? "" : version;
    const state = fromBase64(q.state);
    if (upgrade === null) p.write(part, state);
    else {
      const problem = upgrade.writeTo(state, {
        compiled: served.compiled,
        inst: p.instanceOf(part),
      });
      if (problem !== null) {
        const reason = `${problem.reason} (version '${shortHash(upgrade.from.hash)}' to '${
          shortHash(served.hash)
        }', at restore)`;
        mixed.push({ node: q.node, spec: upgrade.from.hash, reason });
      }
    }
    for (const e of q.lastEvents) part.events.pushSnapshot(event(e));
    if (q.localDeadlines !== undefined) {
      restoreLocal(p, part, upgrade === null ? q.localDeadlines : byName(q.localDeadlines));
    }
  }
  for (const e of s.history) p.history.pushSnapshot(event(e));
  for (const m of mixed) p.setMixed(m.node, m);
  p.last = s.lastPos === null || s.lastPos === undefined ? null : { ...s.lastPos };
  p.applied = s.applied;
  if (upgrade === null) {
    p.episode = s.episode;
    s.deadlines.forEach((d, i) => {
      if (i < p.deadlines.length) p.deadlines[i] = d;
    });
  } else {
    p.episode = carriedEpisode(upgrade, s.episode);
    const names = upgrade.from.liveness.map((l) => l.name);
    served.liveness.forEach((l, i) => {
      const d = s.deadlines[names.indexOf(l.name)];
      if (d !== undefined) p.deadlines[i] = d;
    });
  }
  p.incomplete = s.incomplete;
  p.violations = s.violations;
  return p;
}

/** The code, in the newest version, of the global invariant an older version's episode names; 0 when gone. */
function carriedEpisode(upgrade: VersionUpgrade, code: number): number {
  if (code === 0) return 0;
  const name = upgrade.from.compiled.meta.globalInvariants.find((g) => g.code === code)?.name;
  return upgrade.to.compiled.meta.globalInvariants.find((g) => g.name === name)?.code ?? 0;
}
