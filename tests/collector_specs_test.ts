/**
 * Several specs in one collector: events are routed by spec hash, each
 * spec's partitions are checked by its own compiled module, through the
 * object path and the byte (columnar) path alike, with the verdicts of the
 * oracle (`merge_oracle.ts`: the interpreter over each spec's source), and
 * the snapshot of both survives a JSON round trip.
 */
import assert from "node:assert/strict";
import { createClock } from "../runtime/monitor/clock.ts";
import { createNode } from "../runtime/monitor/node.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import type { CollectorSnapshot } from "../edge/engine/types.ts";
import { batchOf, listen, loadPair, Recorder } from "./collector_core_fixture.ts";
import { encodeBatch } from "../lib/wire/encode.ts";
import { expectedVerdicts, record, verdictsOf } from "./collector_verdicts.ts";
import { eventsOf, OracleSpec, sortedMerge } from "./merge_oracle.ts";
import { specSource } from "../tools/harness/spec_files.ts";

const lease = await loadPair("lease");
const raft = await loadPair("raft");
const oracles = [
  await OracleSpec.fromSource(specSource("lease")),
  await OracleSpec.fromSource(specSource("raft")),
];

Deno.test("Two specs at once: same instance key, separate partitions, each checked by its spec", () => {
  const rec = new Recorder();
  let t = 5_000;
  const node = (id: string) =>
    createNode({ id, boot: `${id}-1`, clock: createClock({ now: () => t++ }) });
  const a = node("a");
  const b = node("b");
  const la = lease.nodes.monitor({ node: a, key: "k", sink: rec });
  const lb = lease.nodes.monitor({ node: b, key: "k", sink: rec });
  const ra = raft.nodes.monitor({ node: a, key: "k", sink: rec });
  la.step("acquire", { c: 1 });
  ra.step("join", { id: 1 });
  lb.step("acquire", { c: 2 }); // split brain in Lease only
  const streams = [...rec.streams.values()];
  // One node context shares one stream per node across specs here, so split by spec.
  const bySpec = (spec: string, n: string) =>
    streams.flat().filter((e) => e.spec === spec && e.node === n);
  const c = createCollector({ specs: [lease.collector, raft.collector], now: () => 0 });
  const log = listen(c);
  const seqd = (evs: typeof streams[number]) => batchOf(evs, 0, evs.length);
  const batches = [
    seqd(bySpec(lease.nodes.hash, "a")),
    seqd(bySpec(lease.nodes.hash, "b")),
    seqd(bySpec(raft.nodes.hash, "a")),
  ];
  for (const b of batches) c.ingest(b);
  c.flush();
  const expected = expectedVerdicts(sortedMerge(oracles, batches.flatMap(eventsOf)));
  assert.deepEqual(verdictsOf(c, log.all), expected);
  assert.deepEqual(expected.partitions.map((p) => [p.id, p.participants.length]), [
    ["Lease/k", 2],
    ["Raft/k", 1],
  ]);
  // The same batches as bytes, through the columnar path, in the other order.
  const viaBytes = createCollector({ specs: [lease.collector, raft.collector], now: () => 0 });
  const bytesLog = record(viaBytes);
  for (const b of [...batches].reverse()) viaBytes.ingestBytes(encodeBatch(b, b.events));
  viaBytes.flush();
  assert.deepEqual(verdictsOf(viaBytes, bytesLog), expected);
  const ps = c.partitions().map((p) => [p.specName, p.key, p.status]).sort();
  assert.deepEqual(ps, [["Lease", "k", "violated"], ["Raft", "k", "ok"]]);
  assert.deepEqual(log.violations().map((v) => [v.specName, v.property.name]), [[
    "Lease",
    "OneHolder",
  ]]);
  assert.equal(
    c.partition("Raft", "k")?.participants.length,
    1,
    "a partition can be looked up by spec name",
  );
  const snap = JSON.parse(JSON.stringify(c.snapshot())) as CollectorSnapshot;
  const back = restoreCollector(snap, { specs: [lease.collector, raft.collector], now: () => 0 });
  assert.deepEqual(back.partitions(), c.partitions());
  assert.deepEqual(back.violations(), c.violations());
  assert.deepEqual(back.metrics(), c.metrics());
  assert.throws(() => restoreCollector(snap, { specs: [lease.collector] }), TypeError);
});
