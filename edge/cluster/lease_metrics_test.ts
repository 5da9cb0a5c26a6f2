import assert from "node:assert/strict";
import { createRegistry, parsePrometheus } from "../server/metrics.ts";
import type { LeaseStats } from "./lease_keeper/stats.ts";
import { registerLeaseMetrics } from "./lease_metrics.ts";

Deno.test("Each vigil_lease_* family shows its own lease figure (every figure distinct, so a crossed wire shows)", () => {
  const stats: LeaseStats = {
    renewals: 101,
    p50Ms: 3,
    p99Ms: 40,
    maxMs: 700,
    slow: 7,
    retries: 5,
    uncertain: 2,
    acquired: 11,
    lost: 1,
    handedOver: 4,
    lateSaves: 9,
    fencedSaves: 6,
    heldAlerts: 8,
    droppedAlerts: 3,
    lateSaveWaitP50Ms: 120,
    lateSaveWaitP99Ms: 1500,
    lateSaveWaitMaxMs: 2500,
  };
  let now = stats;
  const registry = createRegistry();
  registerLeaseMetrics(registry, () => now, 3_000);
  const read = () => {
    const samples = parsePrometheus(registry.render());
    return Object.fromEntries(
      samples.filter((s) => s.name.startsWith("vigil_lease_")).map((s) => [
        s.labels.quantile === undefined ? s.name : `${s.name}{${s.labels.quantile}}`,
        s.value,
      ]),
    );
  };
  assert.deepEqual(read(), {
    vigil_lease_renewals_total: 101,
    vigil_lease_slow_renewals_total: 7,
    vigil_lease_renewal_retries_total: 5,
    vigil_lease_uncertain_total: 2,
    vigil_lease_lost_total: 1,
    vigil_lease_acquired_total: 11,
    vigil_lease_handed_over_total: 4,
    vigil_lease_late_saves_total: 9,
    vigil_lease_fenced_saves_total: 6,
    vigil_lease_held_alerts_total: 8,
    vigil_lease_dropped_alerts_total: 3,
    "vigil_lease_renewal_seconds{0.5}": 0.003,
    "vigil_lease_renewal_seconds{0.99}": 0.04,
    "vigil_lease_renewal_seconds{1}": 0.7,
    "vigil_lease_late_save_wait_seconds{0.5}": 0.12,
    "vigil_lease_late_save_wait_seconds{0.99}": 1.5,
    "vigil_lease_late_save_wait_seconds{1}": 2.5,
    vigil_lease_ttl_seconds: 3,
  });
  // Read again at each collection, not once.
  now = { ...stats, renewals: 102 };
  assert.equal(read().vigil_lease_renewals_total, 102);
});
