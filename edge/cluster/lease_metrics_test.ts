import assert from "node:assert/strict";
import { createRegistry, parsePrometheus, readHistogram } from "../server/metrics.ts";
import {
  LATE_SAVE_WAIT_BOUNDS_S,
  type LeaseHistograms,
  type LeaseStats,
  LeaseStatsRecorder,
  RENEWAL_BOUNDS_S,
} from "./lease_keeper/stats.ts";
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
    handedOverAlerts: 12,
    unhandedAlerts: 13,
    reraisedAlerts: 14,
    takenOverAlerts: 15,
    lateSaveWaitP50Ms: 120,
    lateSaveWaitP99Ms: 1500,
    lateSaveWaitMaxMs: 2500,
  };
  let now = stats;
  const recorder = new LeaseStatsRecorder();
  const registry = createRegistry();
  registerLeaseMetrics(
    registry,
    { leaseStats: () => now, leaseHistograms: () => recorder.histograms() },
    3_000,
  );
  const histograms = ["vigil_lease_renewal_seconds", "vigil_lease_late_save_wait_seconds"];
  const read = () => {
    const samples = parsePrometheus(registry.render());
    return Object.fromEntries(
      samples.filter((s) =>
        s.name.startsWith("vigil_lease_") && !histograms.some((h) => s.name.startsWith(`${h}_`))
      ).map((
        s,
      ) => [s.labels.outcome === undefined ? s.name : `${s.name}{${s.labels.outcome}}`, s.value]),
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
    vigil_lease_handed_over_alerts_total: 12,
    vigil_lease_unhanded_alerts_total: 13,
    "vigil_lease_received_alerts_total{reraised}": 14,
    "vigil_lease_received_alerts_total{routed}": 15,
    vigil_lease_ttl_seconds: 3,
  });
  // Read again at each collection, not once.
  now = { ...stats, renewals: 102 };
  assert.equal(read().vigil_lease_renewals_total, 102);
});

Deno.test("The lease histograms on /metrics count every renewal and late-save wait the recorder saw, in seconds, each in its own family", () => {
  const recorder = new LeaseStatsRecorder();
  const registry = createRegistry();
  registerLeaseMetrics(
    registry,
    { leaseStats: () => recorder.stats(), leaseHistograms: () => recorder.histograms() },
    3_000,
  );
  const read = (name: string) => readHistogram(parsePrometheus(registry.render()), name);
  // Before any: every bucket at 0, still exposed (a dashboard's rate() needs the series).
  assert.deepEqual(read("vigil_lease_renewal_seconds"), {
    bounds: [...RENEWAL_BOUNDS_S],
    cumulative: RENEWAL_BOUNDS_S.map(() => 0),
    sum: 0,
    count: 0,
  });
  // More renewals than the 2,048 the quantiles keep: the histogram counts all of them.
  for (let i = 0; i < 3_000; i++) recorder.renewed(i % 3 === 0 ? 800 : 20);
  recorder.lateSaveEnded(300, false);
  recorder.lateSaveEnded(4_000, true);
  const renewals = read("vigil_lease_renewal_seconds")!;
  const le = (h: LeaseHistograms["renewalSeconds"], bound: number) =>
    h.cumulative[h.bounds.indexOf(bound)];
  assert.equal(renewals.count, 3_000);
  assert.equal(le(renewals, 0.025), 2_000, "20 ms renewals at or below 0.025 s");
  assert.equal(le(renewals, 0.75), 2_000, "800 ms renewals above 0.75 s");
  assert.equal(le(renewals, 1), 3_000);
  assert.ok(Math.abs(renewals.sum - (1_000 * 0.8 + 2_000 * 0.02)) < 1e-6, `sum ${renewals.sum}`);
  const waits = read("vigil_lease_late_save_wait_seconds")!;
  assert.deepEqual(waits.bounds, [...LATE_SAVE_WAIT_BOUNDS_S]);
  assert.equal(waits.count, 2);
  assert.equal(le(waits, 0.25), 0);
  assert.equal(le(waits, 0.5), 1);
  assert.equal(le(waits, 3), 1);
  assert.equal(le(waits, 5), 2);
  assert.equal(waits.sum, 4.3);
  assert.equal(recorder.stats().fencedSaves, 1);
});
