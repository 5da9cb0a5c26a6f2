/**
 * A dependency naming a node the engine retired (`retireIdleMs`) is not
 * recorded by the causal judge (`CausalJudge.stampsOfRetired`): the
 * refusal is counted in the collector's metrics (`causalStampsOfRetired`),
 * exported (`vigil_causal_stamps_of_retired_total` on `/metrics`) and said
 * once in the collector service's log, not lost silently.
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/loader.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { Collector } from "../edge/engine/types.ts";
import { createServiceMetrics } from "../edge/server/service_metrics.ts";
import { serviceLog } from "../tools/harness/service_log.ts";
import { CAUSAL_OPTIONS, LeaseEvents } from "./causal/lease_workload.ts";

const spec = await loadCompiled(new URL("../dist/lease.core.wasm", import.meta.url));
const T = 1_700_000_000_000;
const RETIRE_MS = 5_000;
const lease = new LeaseEvents(spec);

/** A collector on a clock the test moves, retiring after `retireIdleMs` (0: never). */
function clocked(retireIdleMs: number): { collector: Collector; clock: { now: number } } {
  const clock = { now: T };
  const collector = createCollector({
    specs: [spec],
    now: () => clock.now,
    retireIdleMs,
    ...CAUSAL_OPTIONS,
  });
  return { collector, clock };
}

/**
 * z holds and releases the lease at T, then stays silent; at T + 10 s
 * (past {@link RETIRE_MS}) node a acquires it, naming z's release as its
 * dependency, then `stamps` more of its acquires and releases do the same.
 */
function feed(c: { collector: Collector; clock: { now: number } }, stamps = 1): void {
  const move = (at: number) => {
    c.clock.now = at;
    c.collector.advance(at);
  };
  c.collector.ingestBytes(lease.batch("z", [lease.acquire(T), lease.release(T + 2)]));
  move(T + 1_000);
  move(T + 10_000);
  const events = [];
  for (let k = 0; k < stamps; k++) {
    const wall = T + 10_000 + 4 * k;
    events.push(
      lease.acquire(wall, { deps: [{ node: "z", wall: T + 2, logical: 0 }] }),
      lease.release(wall + 2),
    );
  }
  c.collector.ingestBytes(lease.batch("a", events));
  move(T + 11_000);
  c.collector.flush();
}

function line(c: Collector): string | undefined {
  const metrics = createServiceMetrics(c, () => T);
  return metrics.render().split("\n").find((l) =>
    l.startsWith("vigil_causal_stamps_of_retired_total")
  );
}

Deno.test("A stamp naming a retired node is counted in the metrics and on /metrics", () => {
  const c = clocked(RETIRE_MS);
  feed(c);
  const m = c.collector.metrics();
  assert.equal(m.retiredNodes, 1, "z was retired before a's stamp came");
  assert.equal(m.causalStampsOfRetired, 1);
  assert.equal(line(c.collector), "vigil_causal_stamps_of_retired_total 1");
  assert.equal(m.causalStampsRefused, 0, "not a stamp after its event");
});

Deno.test("The same stamp with retirement off is recorded: nothing counted", () => {
  const c = clocked(0);
  feed(c);
  const m = c.collector.metrics();
  assert.equal(m.retiredNodes, 0);
  assert.equal(m.causalStampsOfRetired, 0);
  assert.equal(line(c.collector), "vigil_causal_stamps_of_retired_total 0");
});

Deno.test("Without causal verdicts the count reads 0", () => {
  const collector = createCollector({ specs: [spec], retireIdleMs: RETIRE_MS, now: () => T });
  assert.equal(collector.metrics().causalStampsOfRetired, 0);
});

Deno.test("The collector service says stamps of retired nodes once in its log, with the count", async () => {
  const c = clocked(RETIRE_MS);
  const lines = await serviceLog(c.collector, {
    now: () => c.clock.now,
    run: () => feed(c, 3),
    until: "naming a node retired",
  });
  assert.equal(c.collector.metrics().causalStampsOfRetired, 3);
  // Stopping flushes the log: one growth gives one line, and no summary of repeats.
  const said = lines.filter((l) => l.includes("retired past --retire-idle (its events"));
  assert.equal(said.length, 1, lines.join("\n"));
  assert.match(
    said[0]!,
    /did not record 3 dependencies naming a node retired .*vigil_causal_stamps_of_retired/,
  );
  assert.equal(lines.filter((l) => l.includes("vigil_causal_stamps_of_retired")).length, 1);
});
