/**
 * On lanes of P-intervals only (exclusion specs), an older event whose
 * state is in P, landing in a stretch outside P whose changes the lane no
 * longer all kept (its gap log holds the newest 8), starts an interval
 * whose end may be later than the real one. Such ends are counted
 * (`causalApproximatedEnds` in the collector's metrics,
 * `vigil_causal_approximated_ends_total` on `/metrics`), not hidden.
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/loader.ts";
import { createServiceMetrics } from "../edge/server/service_metrics.ts";
import { ClockedCollector, LeaseEvents } from "./causal/lease_workload.ts";

const spec = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
const T = 1_700_000_000_000;

/** Free lease states, each with its own token (`count` of them): changes outside P. */
function freeStates(count: number): Uint8Array[] {
  const acquire = spec.stepFn(spec.actionIndex("acquire"));
  const release = spec.stepFn(spec.actionIndex("release"));
  const inst = spec.create();
  const out: Uint8Array[] = [];
  for (let k = 0; k < count; k++) {
    acquire(inst, 1);
    release(inst, 1);
    out.push(spec.stateBytes(inst));
  }
  return out;
}

/**
 * Node A: a hold (seq 0-1), `changes` state changes outside P (seq 3 on),
 * a second hold, and then, late, seq 2: a hold inside the stretch outside
 * P. Node B one event. Returns the collector's count and the `/metrics` line.
 */
function run(changes: number): { count: number; line: string | undefined } {
  const lease = new LeaseEvents(spec);
  const later = freeStates(changes).map((state, k) => lease.release(T + 30 + k, { state }));
  later.push(lease.acquire(T + 30 + changes));
  const c = new ClockedCollector(spec, T);
  const metrics = createServiceMetrics(c.collector, () => c.now);
  c.collector.ingestBytes(lease.batch("B", [lease.acquire(T, { state: lease.states.free })]));
  c.collector.ingestBytes(lease.batch("A", [lease.acquire(T + 1), lease.release(T + 2)]));
  c.collector.ingestBytes(lease.batch("A", later, { firstSeq: 3 }));
  c.advance(T + 2_000); // past the window: A's seq 3 on are applied, the hole at seq 2 stays open
  c.collector.ingestBytes(lease.batch("A", [lease.acquire(T + 20)], { firstSeq: 2 }));
  c.advance(T + 4_000);
  c.collector.flush();
  const line = metrics.render().split("\n").find((l) =>
    l.startsWith("vigil_causal_approximated_ends_total")
  );
  return { count: c.collector.metrics().causalApproximatedEnds, line };
}

Deno.test("An older hold in a stretch outside P whose changes were let go of is counted on /metrics", () => {
  const { count, line } = run(12);
  assert.equal(count, 1);
  assert.equal(line, "vigil_causal_approximated_ends_total 1");
});

Deno.test("An older hold in a stretch outside P whose changes were all kept has a known end: nothing counted", () => {
  const { count, line } = run(6);
  assert.equal(count, 0);
  assert.equal(line, "vigil_causal_approximated_ends_total 0");
});
