/**
 * A partitioned collector, assembled: the cluster member
 * (`cluster_node.ts`) running its owned partitions, a front service for
 * the HTTP app (its `/metrics` carry the per-partition series below; its
 * own core stays empty, since every event is applied by the partition
 * owning it), the HTTP forwarder (`forward.ts`) and the deployment view
 * (`cluster_view.ts`), as the app's `cluster` routes. `vigil collector
 * --partitions n` runs it.
 *
 * Metrics added to the front registry, refreshed at each scrape:
 * `vigil_partition_owned{partition}` (1 when this collector runs it, else
 * 0, for every partition), `vigil_partition_applied_events{partition}` and
 * `vigil_partition_violations{partition}` (of the partitions it runs), and
 * `vigil_forwarded_events_total{partition}`; and this member's leases
 * (`lease_keeper/stats.ts`): `vigil_lease_renewals_total`,
 * `vigil_lease_slow_renewals_total` (succeeded over a quarter TTL after their
 * first write), `vigil_lease_renewal_retries_total` (second writes sent),
 * `vigil_lease_uncertain_total` (TTLs that ran out with a renewal in flight:
 * saves paused until it answered), `vigil_lease_lost_total`,
 * `vigil_lease_acquired_total`,
 * `vigil_lease_handed_over_total`, the histogram
 * `vigil_lease_renewal_seconds` (`_bucket{le}`, `_sum`, `_count`: every
 * renewal since start) and the gauge `vigil_lease_ttl_seconds`.
 *
 * A member warms up before it joins (`PartitionedCollectorOptions.warmUp`,
 * `edge/server/warm_up.ts`): made-up traffic of the served specs through a
 * scratch collector of its own, so the partitions it then takes (a
 * failover's backlog, at once) meet compiled code. The partitions'
 * collectors run the same compiled specs. It holds no lease while warming
 * and writes nothing to the cluster: no state, lease or ledger entry; a
 * warm-up that fails is counted in the front's
 * `vigil_internal_errors_total{where="warm-up"}` and the member joins cold.
 *
 * @module
 */
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { createCollector } from "../engine/collector.ts";
import type { ClusterRoutes } from "../server/app.ts";
import { type CollectorService, createCollectorService } from "../server/service.ts";
import { type WarmUpOptions, type WarmUpReport, warmUpService } from "../server/warm_up.ts";
import { type ClusterNode, type ClusterNodeOptions, startClusterNode } from "./cluster_node.ts";
import { clusterView, localView } from "./cluster_view.ts";
import { createForwarder } from "./forward.ts";
import { registerLeaseMetrics } from "./lease_metrics.ts";

/**
 * A running partitioned collector.
 *
 * @example Serve it
 * ```ts ignore
 * const d = await startPartitionedCollector(nc, options);
 * const app = createCollectorApp(d.front, { cluster: d.routes, allowAnonymous: true });
 * ```
 */
export interface PartitionedCollector {
  /** The cluster member. */
  readonly node: ClusterNode;
  /** The service the HTTP app serves (metrics, health). */
  readonly front: CollectorService;
  /** The app's `cluster` option. */
  readonly routes: ClusterRoutes;
  /**
   * What the warm-up before joining ran, and when it ended (`Date.now()`);
   * null when none was asked or it failed.
   */
  readonly warmUp: (WarmUpReport & { readonly endedAt: number }) | null;
  /** Hands every partition over, leaves, stops the front service. */
  stop(): Promise<void>;
}

/**
 * Options of {@link startPartitionedCollector}: the member's, and its warm-up.
 *
 * @example A member that warms up with 20,000 events
 * ```ts ignore
 * const options: PartitionedCollectorOptions = { cluster: "vigil", instance: "c1", partitions: 16, core: { specs: [lease] }, warmUp: { events: 20_000 } };
 * ```
 */
export interface PartitionedCollectorOptions extends ClusterNodeOptions {
  /** The warm-up before joining (`edge/server/warm_up.ts`); absent or null: none. */
  readonly warmUp?: WarmUpOptions | null;
}

/**
 * Joins the cluster (after a warm-up, when asked) and assembles the app's parts.
 *
 * @example Start one member of cluster `vigil`
 * ```ts ignore
 * import { startPartitionedCollector } from "./deployment.ts";
 * const d = await startPartitionedCollector(nc, { cluster: "vigil", instance: "c1", partitions: 16, core: { specs: [lease] } });
 * d.node.setUrl("http://127.0.0.1:8080");
 * ```
 */
export async function startPartitionedCollector(
  nc: NatsConnection,
  options: PartitionedCollectorOptions,
): Promise<PartitionedCollector> {
  const front = createCollectorService(createCollector(options.core), {
    ...(options.service?.onLog === undefined ? {} : { onLog: options.service.onLog }),
  });
  // Before the member takes a lease: the front's collector serves the partitions' specs.
  const report = options.warmUp == null ? null : await warmUpService(front, options.warmUp);
  const warmUp = report === null ? null : { ...report, endedAt: Date.now() };
  const node = await startClusterNode(nc, options);
  const registry = front.metrics.registry;
  const owned = registry.gauge(
    "vigil_partition_owned",
    "1 for each partition this collector runs now, 0 for the others",
  );
  const applied = registry.gauge(
    "vigil_partition_applied_events",
    "Events applied in each partition this collector runs (restored ones included)",
  );
  const violations = registry.gauge(
    "vigil_partition_violations",
    "Violations of each partition this collector runs (restored ones included)",
  );
  registerLeaseMetrics(registry, node, node.bucket.ttlMs);
  registry.onCollect(() => {
    const mine = new Map(node.owned().map((o) => [o.partition, o]));
    for (let p = 0; p < node.partitions; p++) {
      const labels = { partition: String(p) };
      const o = mine.get(p);
      owned.set(labels, o === undefined ? 0 : 1);
      if (o !== undefined) {
        applied.set(labels, o.applied);
        violations.set(labels, o.violations);
      }
    }
  });
  const forward = createForwarder(front, jetstream(nc), {
    partitions: options.partitions,
    ...(options.stream === undefined ? {} : { stream: options.stream }),
  });
  return {
    node,
    front,
    warmUp,
    routes: {
      forward,
      view: (authorization) => clusterView(node, { authorization }),
      local: () => localView(node),
    },
    async stop() {
      await node.stop();
      await front.stop();
    },
  };
}
