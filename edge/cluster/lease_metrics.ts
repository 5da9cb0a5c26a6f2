/**
 * A member's lease figures on `/metrics` (`vigil_lease_*`,
 * `docs/operations.md`): read from the lease keeper's {@link LeaseStats} at
 * each collection.
 *
 * @module
 */
import type { Registry } from "../server/metrics.ts";
import {
  LATE_SAVE_WAIT_BOUNDS_S,
  type LeaseHistograms,
  type LeaseStats,
  RENEWAL_BOUNDS_S,
} from "./lease_keeper/stats.ts";

/**
 * Where a member's lease figures are read (a `ClusterNode`).
 *
 * @example Figures of a recorder
 * ```ts
 * import assert from "node:assert/strict";
 * import { LeaseStatsRecorder } from "./lease_keeper/stats.ts";
 * import type { LeaseFigures } from "./lease_metrics.ts";
 * const r = new LeaseStatsRecorder();
 * const figures: LeaseFigures = { leaseStats: () => r.stats(), leaseHistograms: () => r.histograms() };
 * assert.equal(figures.leaseStats().renewals, 0);
 * ```
 */
export interface LeaseFigures {
  /** Counts (and the quantiles of the last renewals and late saves). */
  leaseStats(): LeaseStats;
  /** Renewal round trips and late saves' waits since start, as histograms. */
  leaseHistograms(): LeaseHistograms;
}

/**
 * Registers the `vigil_lease_*` families on `registry`, each set from
 * `figures` (and the TTL from `ttlMs`) whenever the registry is collected:
 * counters, and two histograms (`vigil_lease_renewal_seconds`,
 * `vigil_lease_late_save_wait_seconds`; buckets `RENEWAL_BOUNDS_S`,
 * `LATE_SAVE_WAIT_BOUNDS_S`).
 *
 * @example A member's lease counters
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistry } from "../server/metrics.ts";
 * import { LeaseStatsRecorder } from "./lease_keeper/stats.ts";
 * import { registerLeaseMetrics } from "./lease_metrics.ts";
 * const registry = createRegistry();
 * const r = new LeaseStatsRecorder();
 * r.count("acquired");
 * r.renewed(40);
 * registerLeaseMetrics(registry, { leaseStats: () => r.stats(), leaseHistograms: () => r.histograms() }, 3_000);
 * assert.match(registry.render(), /^vigil_lease_acquired_total 1$/m);
 * assert.match(registry.render(), /^vigil_lease_renewal_seconds_bucket\{le="0.05"\} 1$/m);
 * ```
 */
export function registerLeaseMetrics(
  registry: Registry,
  figures: LeaseFigures,
  ttlMs: number,
): void {
  const lease = {
    renewals: registry.counter("vigil_lease_renewals_total", "Lease renewals that succeeded"),
    slow: registry.counter(
      "vigil_lease_slow_renewals_total",
      "Lease renewals that succeeded more than a quarter of the lease TTL after their first write",
    ),
    retries: registry.counter(
      "vigil_lease_renewal_retries_total",
      "Second writes sent for lease renewals not answered within the retry timeout",
    ),
    uncertain: registry.counter(
      "vigil_lease_uncertain_total",
      "Lease TTLs that ran out with a renewal still in flight (saves and acks paused until it answered)",
    ),
    lost: registry.counter(
      "vigil_lease_lost_total",
      "Leases lost (expired, taken, or not renewed within the TTL) while running the partition",
    ),
    acquired: registry.counter("vigil_lease_acquired_total", "Leases acquired"),
    handedOver: registry.counter("vigil_lease_handed_over_total", "Leases handed over gracefully"),
    lateSaves: registry.counter(
      "vigil_lease_late_saves_total",
      "Saves answered after the lease's deadline (not acknowledged until a renewal showed the lease held)",
    ),
    fencedSaves: registry.counter(
      "vigil_lease_fenced_saves_total",
      "Saves answered after the lease's deadline and refused as fenced (the lease was lost; not acknowledged)",
    ),
    heldAlerts: registry.counter(
      "vigil_lease_held_alerts_total",
      "Violations raised after the lease's deadline, held (not routed) until a renewal showed the lease held",
    ),
    droppedAlerts: registry.counter(
      "vigil_lease_dropped_alerts_total",
      "Held violations not routed because the lease was lost (handed over to the next owner)",
    ),
    handedOverAlerts: registry.counter(
      "vigil_lease_handed_over_alerts_total",
      "Held violations of a lost lease written for the partition's next owner (one KV key each)",
    ),
    unhandedAlerts: registry.counter(
      "vigil_lease_unhanded_alerts_total",
      "Held violations of a lost lease that could not be handed over (said whole in the log)",
    ),
    receivedAlerts: registry.counter(
      "vigil_lease_received_alerts_total",
      "Alerts a previous owner handed over, by outcome: reraised (raised again here, the copy discarded) or routed (not raised again here: routed as <id>@<member>)",
    ),
    seconds: registry.histogram(
      "vigil_lease_renewal_seconds",
      "Lease renewal round trips (first write sent to success) since the member started",
      RENEWAL_BOUNDS_S,
    ),
    lateWait: registry.histogram(
      "vigil_lease_late_save_wait_seconds",
      "How long late saves waited (answer to a renewal showing the lease held, or to its loss) since the member started",
      LATE_SAVE_WAIT_BOUNDS_S,
    ),
    ttl: registry.gauge("vigil_lease_ttl_seconds", "The lease time-to-live in force"),
  };
  registry.onCollect(() => {
    const s = figures.leaseStats();
    const h = figures.leaseHistograms();
    lease.renewals.set({}, s.renewals);
    lease.slow.set({}, s.slow);
    lease.retries.set({}, s.retries);
    lease.uncertain.set({}, s.uncertain);
    lease.lost.set({}, s.lost);
    lease.acquired.set({}, s.acquired);
    lease.handedOver.set({}, s.handedOver);
    lease.lateSaves.set({}, s.lateSaves);
    lease.fencedSaves.set({}, s.fencedSaves);
    lease.heldAlerts.set({}, s.heldAlerts);
    lease.droppedAlerts.set({}, s.droppedAlerts);
    lease.handedOverAlerts.set({}, s.handedOverAlerts);
    lease.unhandedAlerts.set({}, s.unhandedAlerts);
    lease.receivedAlerts.set({ outcome: "reraised" }, s.reraisedAlerts);
    lease.receivedAlerts.set({ outcome: "routed" }, s.takenOverAlerts);
    lease.seconds.set({}, h.renewalSeconds);
    lease.lateWait.set({}, h.lateSaveWaitSeconds);
    lease.ttl.set({}, ttlMs / 1000);
  });
}
