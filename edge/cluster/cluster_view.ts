/**
 * The deployment seen from any collector: `GET /api/cluster` answers the
 * live members (their KV registrations), the ownership map (each
 * partition's lease holder and its standby), and every collector's owned
 * partitions and violations merged. Each member answers its own part at
 * `GET /api/cluster/local`; the merged view fetches that from every
 * other live member at the URL it registered (forwarding the caller's
 * `Authorization` header, so read tokens must be shared by the
 * collectors of one deployment). A member that does not answer within
 * `peerTimeoutMs` is listed as unreachable, and the view says which
 * partitions it therefore lacks. Each merged violation says which member
 * raised it and which stream partition its instance key falls in, and a
 * violation with causal evidence carries its space-time diagram (SVG), so
 * the dashboard of any member draws it without asking the member that
 * raised it.
 *
 * @module
 */
import type { PartitionStatus, Violation } from "../engine/types.ts";
import { desiredAssignment } from "./assignment.ts";
import type { ClusterNode, OwnedPartition } from "./cluster_node.ts";
import type { MemberRecord } from "./leases.ts";
import type { LeaseStats } from "./lease_keeper/stats.ts";
import { partitionOf } from "../../lib/wire/subjects.ts";
import { violationDiagram } from "../server/violation_diagram.ts";

/**
 * A violation in the merged view: who raised it and where.
 *
 * @example Where a violation came from
 * ```ts ignore
 * const v: MergedViolation = view.violations[0]!;
 * console.log(`${v.partition} in stream partition ${v.streamPartition}, raised by ${v.raisedBy}`);
 * ```
 */
export type MergedViolation = Violation & {
  /** The member whose owned partition raised it. */
  readonly raisedBy: string;
  /** The stream partition its instance key falls in. */
  readonly streamPartition: number;
  /** Its space-time diagram (SVG) when it carries causal evidence, else `null`. */
  readonly diagram: string | null;
};

/**
 * What one member answers at `/api/cluster/local`.
 *
 * @example A member with nothing yet
 * ```ts
 * import assert from "node:assert/strict";
 * import type { LocalClusterView } from "./cluster_view.ts";
 * const v: LocalClusterView = { id: "c1", owned: [], statuses: {}, violations: [] };
 * assert.equal(v.owned.length, 0);
 * ```
 */
export interface LocalClusterView {
  readonly id: string;
  /** Partitions it runs. */
  readonly owned: readonly OwnedPartition[];
  /** Instance partitions (keys) by status, over its owned partitions. */
  readonly statuses: Readonly<Partial<Record<PartitionStatus, number>>>;
  /** Violations of its owned partitions (restored ones included). */
  readonly violations: readonly Violation[];
  /** Its renewals' round trips and ownership changes (absent from a member that could not be reached). */
  readonly leases?: LeaseStats;
}

/**
 * The merged view (`GET /api/cluster`).
 *
 * @example Read the owner of partition 0
 * ```ts ignore
 * const view = await (await fetch(`${base}/api/cluster`)).json() as ClusterView;
 * console.log(view.ownership[0]?.owner);
 * ```
 */
export interface ClusterView {
  /** The member that answered. */
  readonly self: string;
  readonly partitions: number;
  /** Lease time-to-live, ms. */
  readonly leaseTtlMs: number;
  readonly members: readonly MemberRecord[];
  /** Partition -> lease holder (`null`: free), desired owner and standby. */
  readonly ownership: readonly {
    readonly partition: number;
    readonly owner: string | null;
    readonly desired: string | null;
    readonly standby: string | null;
  }[];
  /** Every member's part; `error` when it could not be fetched. */
  readonly collectors:
    readonly (LocalClusterView & { readonly url: string; readonly error?: string })[];
  /** Every violation of every reachable member, by id. */
  readonly violations: readonly MergedViolation[];
  /** Sums over reachable members. */
  readonly totals: {
    readonly applied: number;
    readonly duplicates: number;
    readonly late: number;
    readonly lost: number;
    readonly violations: number;
    readonly statuses: Readonly<Partial<Record<PartitionStatus, number>>>;
  };
}

/**
 * This member's part of the view.
 *
 * @example The local view of a node
 * ```ts ignore
 * const local = localView(node);
 * ```
 */
export function localView(node: ClusterNode): LocalClusterView {
  const statuses: Partial<Record<PartitionStatus, number>> = {};
  const violations: Violation[] = [];
  for (const r of node.runners.values()) {
    const c = r.service.collector;
    for (const p of c.partitions()) statuses[p.status] = (statuses[p.status] ?? 0) + 1;
    // One by one (as each list may be long: a spread passes each as an argument, ~125,000 at most).
    for (const v of c.violations()) violations.push(v);
    // Alerts a previous owner handed over that this member routed without raising them itself.
    for (const v of r.handedOverCopies()) violations.push(v);
  }
  return { id: node.id, owned: node.owned(), statuses, violations, leases: node.leaseStats() };
}

/**
 * The merged view, fetching each other member's part over HTTP.
 *
 * @example Answer `/api/cluster`
 * ```ts ignore
 * const view = await clusterView(node, { authorization: req.headers.get("authorization") });
 * ```
 */
export async function clusterView(
  node: ClusterNode,
  options: { readonly authorization?: string | null; readonly peerTimeoutMs?: number } = {},
): Promise<ClusterView> {
  const members = await node.bucket.members();
  const ids = members.map((m) => m.id);
  if (!ids.includes(node.id)) ids.push(node.id);
  const desired = desiredAssignment(ids, node.partitions);
  const leases = await Promise.all(desired.map((d) => node.bucket.lease(d.partition)));
  const headers: Record<string, string> = {};
  if (options.authorization) headers.authorization = options.authorization;
  const timeout = options.peerTimeoutMs ?? 2000;
  const collectors = await Promise.all(members.map(async (m) => {
    if (m.id === node.id) return { ...localView(node), url: m.url };
    if (m.url === "") return { ...emptyView(m.id), url: m.url, error: "No URL registered yet" };
    try {
      const res = await fetch(`${m.url}/api/cluster/local`, {
        headers,
        signal: AbortSignal.timeout(timeout),
      });
      if (!res.ok) {
        await res.body?.cancel();
        return { ...emptyView(m.id), url: m.url, error: `HTTP ${res.status}` };
      }
      return { ...(await res.json() as LocalClusterView), url: m.url };
    } catch (e) {
      return { ...emptyView(m.id), url: m.url, error: (e as Error).message };
    }
  }));
  if (!members.some((m) => m.id === node.id)) collectors.push({ ...localView(node), url: "" });
  const byId = new Map<string, MergedViolation>();
  const statuses: Partial<Record<PartitionStatus, number>> = {};
  let applied = 0;
  let duplicates = 0;
  let late = 0;
  let lost = 0;
  for (const c of collectors) {
    for (const v of c.violations) {
      if (byId.has(v.id)) continue;
      byId.set(v.id, {
        ...v,
        raisedBy: c.id,
        streamPartition: partitionOf(v.partition, node.partitions),
        diagram: v.causal === undefined ? null : violationDiagram(v),
      });
    }
    for (const o of c.owned) {
      applied += o.applied;
      duplicates += o.duplicates;
      late += o.late;
      lost += o.lost;
    }
    for (const [k, n] of Object.entries(c.statuses)) {
      statuses[k as PartitionStatus] = (statuses[k as PartitionStatus] ?? 0) + (n ?? 0);
    }
  }
  const violations = [...byId.values()].sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    self: node.id,
    partitions: node.partitions,
    leaseTtlMs: node.bucket.ttlMs,
    members,
    ownership: desired.map((d, i) => ({
      partition: d.partition,
      owner: leases[i]!.owner,
      desired: d.owner,
      standby: d.standby,
    })),
    collectors,
    violations,
    totals: { applied, duplicates, late, lost, violations: violations.length, statuses },
  };
}

function emptyView(id: string): LocalClusterView {
  return { id, owned: [], statuses: {}, violations: [] };
}
