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
import { encodeBatch } from "../lib/wire/encode.ts";
import type { EventBody } from "../lib/wire/event.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { createServiceMetrics } from "../edge/server/service_metrics.ts";
import { leaseStates } from "./causal/lease_workload.ts";

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
  const { acquire, release, free, held } = leaseStates(spec);
  const frees = freeStates(changes);
  const header = (node: string, firstSeq: number) => ({
    spec: spec.meta.sourceHash,
    specName: spec.meta.name,
    node,
    boot: "b1",
    firstSeq,
    dropped: [],
  });
  const body = (wall: number, action: number, state: Uint8Array): EventBody => ({
    key: "lock:one",
    wall,
    logical: 0,
    action,
    args: [1],
    state,
    verdict: 0,
  });
  const later: EventBody[] = frees.map((s, k) => body(T + 30 + k, release, s));
  later.push(body(T + 30 + changes, acquire, held));
  let now = T;
  const c = createCollector({ specs: [spec], now: () => now, windowMs: 250, maxSkewMs: 500 });
  const metrics = createServiceMetrics(c, () => now);
  c.ingestBytes(encodeBatch(header("B", 0), [body(T, acquire, free)]).slice());
  c.ingestBytes(
    encodeBatch(header("A", 0), [body(T + 1, acquire, held), body(T + 2, release, free)]).slice(),
  );
  c.ingestBytes(encodeBatch(header("A", 3), later).slice());
  now = T + 2_000; // past the window: A's seq 3 on are applied, the hole at seq 2 stays open
  c.advance(now);
  c.ingestBytes(encodeBatch(header("A", 2), [body(T + 20, acquire, held)]).slice());
  now = T + 4_000;
  c.advance(now);
  c.flush();
  const line = metrics.render().split("\n").find((l) =>
    l.startsWith("vigil_causal_approximated_ends_total")
  );
  return { count: c.metrics().causalApproximatedEnds, line };
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
