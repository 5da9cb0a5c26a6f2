/**
 * A node whose walls lead every other node's by more than 2S and the
 * reorder window (its clock off by more than `maxSkewMs`) is counted by the
 * causal judge (`CausalJudge.clockAhead`); the engine reads the count into
 * its metrics (`causalClockAhead`), the service exports it
 * (`vigil_causal_clock_ahead_total`), and the judge's `clock_ahead`
 * notification names the node in the service's log (throttled: the first
 * at once, the others summed up).
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../../lib/abi/loader.ts";
import { createCollector } from "./collector.ts";
import type { Collector } from "./types.ts";
import { createServiceMetrics } from "../server/service_metrics.ts";
import { serviceLog } from "../../tools/harness/service_log.ts";
import { CAUSAL_OPTIONS, LeaseEvents } from "../../tests/causal/lease_workload.ts";

const spec = await loadCompiled(new URL("../../dist/lease.core.wasm", import.meta.url));
const lease = new LeaseEvents(spec);
const T = 1_700_000_000_000;

/**
 * Nodes a and b send on time (walls at T, collector clock T + 20); then
 * each node of `ahead` sends one event, its wall the given ms later than T.
 * With S = 500 ms and a 250 ms window, a node whose wall leads every other
 * node's newest by more than 1,250 ms is counted.
 */
function feed(c: Collector, clock: { now: number }, ahead: Readonly<Record<string, number>>) {
  c.ingestBytes(lease.batch("a", [lease.acquire(T, { key: "lock:a" })]));
  c.ingestBytes(lease.batch("b", [lease.acquire(T + 10, { key: "lock:b" })]));
  clock.now = T + 20;
  for (const [node, aheadMs] of Object.entries(ahead)) {
    c.ingestBytes(lease.batch(node, [lease.acquire(T + aheadMs, { key: `lock:${node}` })]));
  }
  clock.now = T + 40;
  c.advance(T + 40);
}

function collector(): { c: Collector; clock: { now: number } } {
  const clock = { now: T };
  return { c: createCollector({ specs: [spec], now: () => clock.now, ...CAUSAL_OPTIONS }), clock };
}

function line(c: Collector): string | undefined {
  return createServiceMetrics(c, () => T).render().split("\n").find((l) =>
    l.startsWith("vigil_causal_clock_ahead_total")
  );
}

Deno.test("A node 5 s ahead is counted in the metrics and on /metrics", () => {
  const { c, clock } = collector();
  feed(c, clock, { z: 5_000 });
  assert.equal(c.metrics().causalClockAhead, 1);
  assert.equal(line(c), "vigil_causal_clock_ahead_total 1");
});

Deno.test("A node within the bound (1 s ahead) is not counted", () => {
  const { c, clock } = collector();
  feed(c, clock, { z: 1_000 });
  assert.equal(c.metrics().causalClockAhead, 0);
  assert.equal(line(c), "vigil_causal_clock_ahead_total 0");
});

Deno.test("The collector service names the first node ahead in its log, then sums up the others", async () => {
  const { c, clock } = collector();
  const lines = await serviceLog(c, {
    now: () => clock.now,
    run: () => feed(c, clock, { y: 5_000, z: 12_000 }),
    until: "vigil_causal_clock_ahead",
  });
  // y leads a and b by 5 s; z leads y by 7 s: both counted; the first is named at once, the
  // second summed up (at the latest when the service stops).
  assert.equal(c.metrics().causalClockAhead, 2);
  const said = lines.filter((l) => l.includes("vigil_causal_clock_ahead"));
  assert.equal(said.length, 2, lines.join("\n"));
  assert.match(said[0]!, /node 'y' sends walls 4990 ms ahead of every other node's/);
  assert.match(said[1]!, /found 1 more node ahead of the others/);
});
