/**
 * Global liveness on the merged time line: `SomeoneCanAcquire` of
 * specs/lease.vigil (`when exists n: n.mode == held then eventually all
 * free within 60s`). Statuses and timeouts are worked out by hand; the
 * participants and their final states come from the oracle
 * (`merge_oracle.ts`), which models invariants only. Local liveness
 * (`HolderReleases`, checked per node by the collector too) is switched off
 * here: `tests/collector_local_liveness_test.ts` covers it.
 */
import assert from "node:assert/strict";
import { createClock } from "../runtime/monitor/clock.ts";
import { createNode } from "../runtime/monitor/node.ts";
import { createCollector } from "../edge/engine/collector.ts";
import type { Collector } from "../edge/engine/types.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";
import { batchOf, lineOf, listen, loadPair, Recorder } from "./collector_core_fixture.ts";
import { expectedVerdicts, verdictsOf } from "./collector_verdicts.ts";
import { eventsOf, OracleSpec, sortedMerge } from "./merge_oracle.ts";
import { specSource } from "../tools/harness/spec_files.ts";

const lease = await loadPair("lease");
const oracle = await OracleSpec.fromSource(specSource("lease"));

/** The collector's partitions have the oracle's participants and final states (statuses aside). */
function assertParticipantsLikeOracle(c: Collector, batches: readonly DecodedBatch[]): void {
  const expected = expectedVerdicts(sortedMerge([oracle], batches.flatMap(eventsOf)));
  const strip = (ps: typeof expected.partitions) =>
    ps.map((p) => ({ id: p.id, applied: p.applied, participants: p.participants }));
  assert.deepEqual(strip(verdictsOf(c, []).partitions), strip(expected.partitions));
  assert.ok(expected.partitions.length > 0);
}
const W = 1_700_000_000_000;

function nodes() {
  const rec = new Recorder();
  const clock = { t: W };
  const mk = (id: string) =>
    lease.nodes.monitor({
      node: createNode({ id, boot: `${id}-1`, clock: createClock({ now: () => clock.t }) }),
      key: "lock:1",
      sink: rec,
      mode: "observe",
    });
  return { rec, clock, a: mk("a"), b: mk("b") };
}

Deno.test("A holder past the deadline on the merged time line raises a liveness timeout, discharged by release", () => {
  const { rec, clock, a, b } = nodes();
  a.step("acquire", { c: 1 });
  clock.t = W + 61_000;
  b.step("release", { c: 2 }); // refused (not held): still an event, advancing merged time
  clock.t = W + 62_000;
  a.step("release", { c: 1 });
  const c = createCollector({
    specs: [lease.collector],
    localLiveness: false,
    now: () => 0,
    windowMs: 10,
  });
  const log = listen(c);
  const batches = [batchOf(rec.of("a"), 0, 1), batchOf(rec.of("b"), 0, 1)];
  for (const b of batches) c.ingest(b);
  c.flush();
  const vs = log.violations();
  assert.equal(vs.length, 1);
  const v = vs[0]!;
  assert.equal(v.kind, "liveness_timeout");
  assert.equal(v.property.name, "SomeoneCanAcquire");
  assert.equal(v.property.line, lineOf(specSource("lease"), "global liveness SomeoneCanAcquire"));
  assert.equal(v.deadline, W + 60_000);
  assert.equal(v.at.wall, W + 61_000);
  assert.deepEqual(v.cut.map((e) => [e.node, e.state.mode]), [["a", "held"]]);
  assert.equal(c.partition(lease.nodes.hash, "lock:1")!.status, "violated");
  assert.equal(c.metrics().livenessTimeouts, 1);
  batches.push(batchOf(rec.of("a"), 1, 2));
  c.ingest(batches[2]!);
  c.flush();
  assert.equal(c.partition(lease.nodes.hash, "lock:1")!.status, "ok");
  assert.equal(log.violations().length, 1, "raised once");
  assertParticipantsLikeOracle(c, batches);
});

Deno.test("The collector clock minus the window passes the deadline when no event comes", () => {
  const { rec, a } = nodes();
  a.step("acquire", { c: 1 });
  const now = { t: W };
  const c = createCollector({
    specs: [lease.collector],
    localLiveness: false,
    now: () => now.t,
    windowMs: 100,
  });
  const log = listen(c);
  const batch = batchOf(rec.of("a"), 0, 1);
  c.ingest(batch);
  now.t = W + 60_100;
  c.advance();
  assert.equal(log.violations().length, 0, "merged time W + 60 000 is not past the deadline");
  assert.deepEqual(c.partition(lease.nodes.hash, "lock:1")!.deadlines, [{
    name: "SomeoneCanAcquire",
    deadline: W + 60_000,
  }]);
  now.t = W + 60_101;
  c.advance();
  const vs = log.violations();
  assert.equal(vs.length, 1);
  assert.equal(vs[0]!.at.wall, W + 60_001);
  c.advance(W + 90_000);
  assert.equal(log.violations().length, 1, "one alert per timed-out obligation");
  assertParticipantsLikeOracle(c, [batch]);
});

Deno.test("A release within the bound leaves no liveness violation", () => {
  const { rec, clock, a, b } = nodes();
  a.step("acquire", { c: 1 });
  clock.t = W + 59_000;
  a.step("release", { c: 1 });
  clock.t = W + 200_000;
  b.step("acquire", { c: 2 });
  clock.t = W + 200_001;
  b.step("release", { c: 2 });
  const c = createCollector({ specs: [lease.collector], localLiveness: false, now: () => 0 });
  const log = listen(c);
  const batches = [batchOf(rec.of("b"), 0, 2), batchOf(rec.of("a"), 0, 2)];
  for (const b of batches) c.ingest(b);
  c.flush();
  assert.deepEqual(log.violations(), []);
  assert.deepEqual(c.partition(lease.nodes.hash, "lock:1")!.deadlines, []);
  assert.deepEqual(
    verdictsOf(c, log.all),
    expectedVerdicts(sortedMerge([oracle], batches.flatMap(eventsOf))),
  );
});
