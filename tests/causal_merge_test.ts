/**
 * Causal verdicts do not depend on delivery (issue 13's must-hold "any
 * interleaving, splitting or redelivery of the same per-node streams gives
 * the same verdicts", with `maxSkewMs` on): the per-node streams the
 * split-brain simulator (`tests/causal/simulator.ts`) records are
 * delivered again to a fresh collector, cut into batches of 1-8 events,
 * interleaved across nodes by random shipping delays, 20% of the batches
 * delivered twice; every delivery must give the violation list of the
 * simulator's own delivery (kind, property, partition, at, nodes,
 * verdict). Seeded; every run is bounded in steps and runs on a simulated
 * clock.
 */
import assert from "node:assert/strict";
import type { Violation } from "../edge/engine/types.ts";
import { loadLease, Rng } from "./causal/simulator.ts";
import { arrivalsOf, deliver, recordRun } from "./causal/redelivery.ts";

const specs = await loadLease();
const WINDOW_MS = 250;
const MAX_SKEW_MS = 500;
/** Simulator runs, each delivered again three times. */
const RUNS = 60;

/** What a verdict must keep across deliveries. */
function verdictsOf(violations: readonly Violation[]): string[] {
  return violations.filter((v) => v.kind === "invariant").map((v) =>
    JSON.stringify({
      kind: v.kind,
      property: v.property.name,
      partition: v.partition,
      at: v.at,
      nodes: [...v.nodes].sort(),
      verdict: v.causal?.verdict ?? null,
    })
  );
}

/**
 * Delivers the per-node streams `sent` again: batches of 1-8 events spanning at most 150 ms,
 * shipped 0-90 ms after their last event, 20% of them again up to 4 windows later (every event
 * arrives within the reorder window of being sent, as the causal verdicts assume).
 */
function redeliver(sent: Parameters<typeof arrivalsOf>[0], rng: Rng): readonly Violation[] {
  const arrivals = arrivalsOf(sent, rng, {
    spanMs: 150,
    shipMs: 90,
    again: 0.2,
    againMs: 4 * WINDOW_MS,
  });
  return deliver(arrivals, {
    specs: [specs.collector],
    windowMs: WINDOW_MS,
    maxSkewMs: MAX_SKEW_MS,
  });
}

Deno.test("Re-batched, interleaved and redelivered streams give the simulator's causal verdicts", async () => {
  let deliveries = 0;
  let alerts = 0;
  const mismatches: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    const seed = 1_300 + run;
    const { sent, alerts: expected } = await recordRun(specs, seed, {
      maxSkewMs: MAX_SKEW_MS,
      windowMs: WINDOW_MS,
      splitBrains: 6,
    });
    assert.ok(sent.length > 60, `seed ${seed}: the run sent ${sent.length} events`);
    assert.ok(expected.length >= 6, `seed ${seed}: ${expected.length} alerts for 6 split brains`);
    const want = verdictsOf(expected);
    for (let k = 0; k < 3; k++) {
      deliveries++;
      alerts += want.length;
      const got = verdictsOf(redeliver(sent, new Rng(seed * 100 + k)));
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        mismatches.push(
          `seed ${seed} delivery ${k}: ${got.length} alerts, want ${want.length}\n  got  ${
            got.join("\n       ")
          }\n  want ${want.join("\n       ")}`,
        );
      }
    }
  }
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${deliveries} deliveries differ`);
  assert.equal(deliveries, RUNS * 3);
  assert.ok(alerts >= RUNS * 3 * 6);
});
