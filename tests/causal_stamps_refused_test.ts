/**
 * A dependency whose stamp is not before the event that names it (the
 * SDK's clocks never write one: a receiver's clock moves past every stamp
 * it observes) is refused by the dependency table, counted
 * (`causalStampsRefused`, `vigil_causal_stamps_refused_total` on
 * `/metrics`) and said once in the log; the event is still applied and
 * judged, without that ordering.
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/loader.ts";
import { createServiceMetrics } from "../edge/server/service_metrics.ts";
import { ClockedCollector, LeaseEvents } from "./causal/lease_workload.ts";

const spec = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
const T = 1_700_000_000_000;

/**
 * A holds the lease from T to T + 10; B acquires at T + 20 naming A's
 * event at `stampWall` as its dependency. Returns the collector's count,
 * the `/metrics` line and the alerts raised.
 */
function run(stampWall: number): { count: number; line: string | undefined; alerts: string[] } {
  const lease = new LeaseEvents(spec);
  const c = new ClockedCollector(spec, T);
  const metrics = createServiceMetrics(c.collector, () => c.now);
  c.collector.ingestBytes(lease.batch("A", [lease.acquire(T), lease.release(T + 10)]));
  c.collector.ingestBytes(
    lease.batch("B", [
      lease.acquire(T + 20, { deps: [{ node: "A", wall: stampWall, logical: 0 }] }),
    ]),
  );
  c.advance(T + 10_000);
  c.collector.flush();
  const line = metrics.render().split("\n").find((l) =>
    l.startsWith("vigil_causal_stamps_refused_total")
  );
  const alerts = c.collector.violations().map((v) =>
    `${v.causal?.verdict ?? "none"} ${[...v.nodes].sort().join(",")}`
  );
  return { count: c.collector.metrics().causalStampsRefused, line, alerts };
}

Deno.test("A stamp after the event naming it is refused and counted on /metrics; the hold is judged without it", () => {
  const { count, line, alerts } = run(T + 30);
  assert.equal(count, 1);
  assert.equal(line, "vigil_causal_stamps_refused_total 1");
  // Without the refused ordering, A's hold and B's are concurrent within the skew bound.
  assert.deepEqual(alerts, ["possibly A,B"]);
});

Deno.test("A stamp before the event naming it orders the handoff: nothing refused, no alert", () => {
  const { count, line, alerts } = run(T + 10);
  assert.equal(count, 0);
  assert.equal(line, "vigil_causal_stamps_refused_total 0");
  assert.deepEqual(alerts, []);
});
