/**
 * The causal judge keeps at most `MAX_LANE` intervals per node and
 * partition; intervals it drops at that cap while later judgements could
 * still meet them are counted (`causalLaneDrops` in the metrics) and said
 * once in the collector service's log, not lost silently.
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/loader.ts";
import { encodeBatch } from "../lib/wire/encode.ts";
import type { EventBody } from "../lib/wire/event.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { MAX_LANE } from "../edge/engine/causal/causal_judge.ts";
import { createCollectorService } from "../edge/server/service.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { leaseStates } from "./causal/lease_workload.ts";

const spec = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
const T = 1_700_000_000_000;

/**
 * `count` state changes of node A in one partition, 1 ms apart (acquire, release, ...), and one of
 * B. Lease's lanes hold its holds only (lanes of P-intervals): `count / 2` intervals.
 */
function flips(count: number): Uint8Array[] {
  const { acquire, release, free, held } = leaseStates(spec);
  const body = (k: number): EventBody => ({
    key: "lock:one",
    wall: T + k,
    logical: 0,
    action: k % 2 === 0 ? acquire : release,
    args: [1],
    state: k % 2 === 0 ? held : free,
    verdict: 0,
  });
  const header = (node: string) => ({
    spec: spec.meta.sourceHash,
    specName: spec.meta.name,
    node,
    boot: "b1",
    firstSeq: 0,
    dropped: [],
  });
  return [
    encodeBatch(header("B"), [{ ...body(1), wall: T }]).slice(),
    encodeBatch(header("A"), Array.from({ length: count }, (_, k) => body(k))).slice(),
  ];
}

function drops(count: number): number {
  let now = T;
  const c = createCollector({ specs: [spec], now: () => now, windowMs: 250, maxSkewMs: 500 });
  for (const b of flips(count)) c.ingestBytes(b);
  now = T + count;
  c.advance(now);
  c.flush();
  return c.metrics().causalLaneDrops;
}

Deno.test("A lane that outgrows its cap within the horizon counts every interval it drops", () => {
  assert.equal(drops(2 * (MAX_LANE + 44)), 44);
});

Deno.test("A lane within its cap drops nothing and counts nothing", () => {
  assert.equal(drops(2 * (MAX_LANE - 6)), 0);
});

Deno.test("The collector service says a lane's drops once in its log, with the count", async () => {
  let now = T;
  const c = createCollector({ specs: [spec], now: () => now, windowMs: 250, maxSkewMs: 500 });
  const lines: string[] = [];
  const service = createCollectorService(c, {
    now: () => now,
    onLog: (l) => void lines.push(l),
    summaryMs: 5,
    tickMs: 1_000_000,
    persistMs: 1_000_000,
  });
  service.start();
  try {
    for (const b of flips(2 * (MAX_LANE + 44))) c.ingestBytes(b);
    now = T + 2 * (MAX_LANE + 44);
    c.advance(now);
    await waitFor(() => lines.some((l) => l.includes("causal verdicts dropped")), {
      timeoutMs: 10_000,
    });
  } finally {
    await service.stop();
  }
  // Stopping flushes the log: one drop gives one line, and no summary of repeats.
  const said = lines.filter((l) => l.includes("causal verdicts dropped"));
  assert.equal(said.length, 1, lines.join("\n"));
  assert.match(said[0]!, /dropped 44 state intervals .*vigil_causal_lane_drops/);
});
