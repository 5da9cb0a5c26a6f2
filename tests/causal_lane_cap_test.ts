/**
 * The causal judge keeps at most `MAX_LANE` intervals per node and
 * partition; intervals it drops at that cap while later judgements could
 * still meet them are counted (`causalLaneDrops` in the metrics) and said
 * once in the collector service's log, not lost silently.
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/loader.ts";
import { MAX_LANE } from "../edge/engine/causal/causal_judge.ts";
import { serviceLog } from "../tools/harness/service_log.ts";
import { ClockedCollector, LeaseEvents } from "./causal/lease_workload.ts";

const spec = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
const T = 1_700_000_000_000;

/**
 * `count` state changes of node A in one partition, 1 ms apart (acquire, release, ...), and one of
 * B. Lease's lanes hold its holds only (lanes of P-intervals): `count / 2` intervals.
 */
function flips(count: number): Uint8Array[] {
  const lease = new LeaseEvents(spec);
  const flip = (k: number) => k % 2 === 0 ? lease.acquire(T + k) : lease.release(T + k);
  return [
    lease.batch("B", [lease.release(T)]),
    lease.batch("A", Array.from({ length: count }, (_, k) => flip(k))),
  ];
}

function drops(count: number): number {
  const c = new ClockedCollector(spec, T);
  for (const b of flips(count)) c.collector.ingestBytes(b);
  c.advance(T + count);
  c.collector.flush();
  return c.collector.metrics().causalLaneDrops;
}

Deno.test("A lane that outgrows its cap within the horizon counts every interval it drops", () => {
  assert.equal(drops(2 * (MAX_LANE + 44)), 44);
});

Deno.test("A lane within its cap drops nothing and counts nothing", () => {
  assert.equal(drops(2 * (MAX_LANE - 6)), 0);
});

Deno.test("The collector service says a lane's drops once in its log, with the count", async () => {
  const clocked = new ClockedCollector(spec, T);
  const c = clocked.collector;
  const lines = await serviceLog(c, {
    now: () => clocked.now,
    run: () => {
      for (const b of flips(2 * (MAX_LANE + 44))) c.ingestBytes(b);
      clocked.advance(T + 2 * (MAX_LANE + 44));
    },
    until: "causal verdicts dropped",
  });
  // Stopping flushes the log: one drop gives one line, and no summary of repeats.
  const said = lines.filter((l) => l.includes("causal verdicts dropped"));
  assert.equal(said.length, 1, lines.join("\n"));
  assert.match(said[0]!, /dropped 44 state intervals .*vigil_causal_lane_drops/);
});
