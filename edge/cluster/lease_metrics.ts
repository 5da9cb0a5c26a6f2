/**
 * A member's lease figures on `/metrics` (`vigil_lease_*`,
 * `docs/operations.md`): read from the lease keeper's {@link LeaseStats} at
 * each collection.
 *
 * @module
 */
import type { Registry } from "../server/metrics.ts";
import type { LeaseStats } from "./lease_keeper/stats.ts";

/**
 * Registers the `vigil_lease_*` families on `registry`, each set from
 * `stats()` (and the TTL from `ttlMs`) whenever the registry is collected.
 *
 * @example A member's lease counters
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistry } from "../server/metrics.ts";
 * import { registerLeaseMetrics } from "./lease_metrics.ts";
 * const registry = createRegistry();
 * registerLeaseMetrics(registry, () => ({
 *   renewals: 10, p50Ms: 2, p99Ms: 5, maxMs: 5, slow: 0, retries: 0, uncertain: 0, acquired: 4,
 *   lost: 0, handedOver: 0, lateSaves: 1, fencedSaves: 0, heldAlerts: 0, droppedAlerts: 0,
 *   lateSaveWaitP50Ms: 700, lateSaveWaitP99Ms: 700, lateSaveWaitMaxMs: 700,
 * }), 3_000);
 * assert.match(registry.render(), /^vigil_lease_acquired_total 4$/m);
 * ```
 */
export function registerLeaseMetrics(
  registry: Registry,
  stats: () => LeaseStats,
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
      "Held violations dropped because the lease was lost (their events go to the next owner)",
    ),
    seconds: registry.gauge(
      "vigil_lease_renewal_seconds",
      "Lease renewal round trips (first write sent to success) of the last 2,048 renewals, by quantile",
    ),
    lateWait: registry.gauge(
      "vigil_lease_late_save_wait_seconds",
      "How long the last 2,048 late saves waited (answer to a renewal showing the lease held, or to its loss), by quantile",
    ),
    ttl: registry.gauge("vigil_lease_ttl_seconds", "The lease time-to-live in force"),
  };
  registry.onCollect(() => {
    const s = stats();
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
    lease.seconds.set({ quantile: "0.5" }, s.p50Ms / 1000);
    lease.seconds.set({ quantile: "0.99" }, s.p99Ms / 1000);
    lease.seconds.set({ quantile: "1" }, s.maxMs / 1000);
    lease.lateWait.set({ quantile: "0.5" }, s.lateSaveWaitP50Ms / 1000);
    lease.lateWait.set({ quantile: "0.99" }, s.lateSaveWaitP99Ms / 1000);
    lease.lateWait.set({ quantile: "1" }, s.lateSaveWaitMaxMs / 1000);
    lease.ttl.set({}, ttlMs / 1000);
  });
}
