/**
 * A participant whose state the causal judge never saw begin (a collector
 * that ran without causal verdicts, restarted with them on) has no
 * interval in its lane: the judge seeds it with the participant's current
 * state (`CutSearch.seed`) before deciding that a later hold needs no
 * search. Without the seed, the lane looks empty, the handoff chain starts
 * at the later hold, and a lease still held since before the restart is
 * never found overlapping it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { laneKinds, loadLease } from "./causal/simulator.ts";
import { LeaseEvents } from "./causal/lease_workload.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";

const specs = await loadLease();
const LANES = laneKinds(specs);
const T = 1_700_000_000_000;

/**
 * A acquires at T (and releases at T + 10 when `released`) on a collector
 * without causal verdicts; it restarts from its snapshot with them on;
 * then B acquires at T + 5 000 with no message from A. Returns the alerts'
 * verdicts and nodes.
 */
function afterRestart(spec: CompiledSpec, released: boolean): string[] {
  const lease = new LeaseEvents(spec);
  let now = T;
  const before = createCollector({ specs: [spec], now: () => now, windowMs: 250 });
  const a = [lease.acquire(T), ...(released ? [lease.release(T + 10)] : [])];
  before.ingestBytes(lease.batch("A", a));
  now = T + 1_000;
  before.advance(now);
  before.flush();
  const saved = JSON.parse(JSON.stringify(before.snapshot()));
  const after = restoreCollector(saved, {
    specs: [spec],
    now: () => now,
    windowMs: 250,
    maxSkewMs: 500,
  });
  after.ingestBytes(lease.batch("B", [lease.acquire(T + 5_000)]));
  now = T + 20_000;
  after.advance(now);
  after.flush();
  return after.violations().map((v) =>
    `${v.causal?.verdict ?? "none"} ${[...v.nodes].sort().join(",")}`
  );
}

for (const [kind, spec] of LANES) {
  Deno.test(`A lease held since before a restart with causal verdicts newly on is met by a later hold (${kind})`, () => {
    const alerts = afterRestart(spec, false);
    assert.equal(alerts.length, 1, alerts.join("; "));
    assert.match(alerts[0]!, / A,B$/);
  });

  Deno.test(`A lease released before that restart is not met by a later hold (${kind})`, () => {
    assert.deepEqual(afterRestart(spec, true), []);
  });
}
