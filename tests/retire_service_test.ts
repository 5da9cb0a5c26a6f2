/**
 * Nodes that leave, as an operator sees them (`docs/operations.md`, "Nodes
 * that leave"): the collector service logs each sweep that retired
 * something with its counts, says each idle holder once, and `/metrics`
 * carries the counters and gauges under the documented names.
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/loader.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { createCollectorService } from "../edge/server/service.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { LeaseEvents } from "./causal/lease_workload.ts";

const spec = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
const T = 1_700_000_000_000;

Deno.test("The service logs a sweep's retirements and an idle holder once, and /metrics names them as documented", async () => {
  const l = new LeaseEvents(spec);
  let now = T;
  const collector = createCollector({ specs: [spec], now: () => now, retireIdleMs: 1_000 });
  const lines: string[] = [];
  const service = createCollectorService(collector, {
    now: () => now,
    onLog: (line) => void lines.push(line),
    tickMs: 1_000_000,
    persistMs: 1_000_000,
  });
  service.start();
  try {
    // "gone" takes and gives back lock:a (at rest after); "zombie" takes lock:b and keeps it.
    collector.ingestBytes(
      l.batch("gone", [l.acquire(T + 1, { key: "lock:a" }), l.release(T + 2, { key: "lock:a" })]),
    );
    collector.ingestBytes(l.batch("zombie", [l.acquire(T + 3, { key: "lock:b" })]));
    for (const at of [500, 1_500, 2_500, 3_500]) {
      now = T + at;
      collector.advance(now);
    }
    await waitFor(() => lines.some((line) => line.includes("still holds a state")), {
      timeoutMs: 10_000,
    });
  } finally {
    await service.stop();
  }
  const retired = lines.filter((line) => line.includes("silent past --retire-idle"));
  assert.equal(retired.length, 1, lines.join("\n"));
  assert.match(
    retired[0]!,
    /retired 1 participant and 1 node silent past --retire-idle \(1 tombstones kept, 1 idle participants holding a state\)/,
  );
  const holding = lines.filter((line) => line.includes("still holds a state"));
  assert.equal(holding.length, 1, "said once, though three sweeps saw it");
  assert.match(
    holding[0]!,
    /node 'zombie' silent for \d+ s still holds a state in partition 'Lease\/lock:b'/,
  );
  const text = service.metrics.render();
  for (
    const [name, value] of [
      ["vigil_retired_participants_total", 1],
      ["vigil_retired_nodes_total", 1],
      ["vigil_node_tombstones", 1],
      ["vigil_idle_holding_participants", 1],
    ] as const
  ) {
    assert.match(text, new RegExp(`^${name} ${value}$`, "m"), name);
  }
  assert.deepEqual(collector.nodes().map((n) => n.node), ["zombie"]);
});
