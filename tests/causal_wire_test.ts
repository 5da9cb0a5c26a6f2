/**
 * Dependencies from the SDK to the wire: a stamp names its node, observing
 * it records a dependency, the next event of each of the receiver's
 * streams carries it (once), through the batcher's scalar path and the
 * plain sink path, in a version-2 batch; older stamps record nothing.
 */
import assert from "node:assert/strict";
import { FakeNow, loadExample } from "../tools/harness/sdk_fixture.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { createClock } from "../runtime/monitor/clock.ts";
import { createNode } from "../runtime/monitor/node.ts";
import { decodeBatch } from "../lib/wire/decode.ts";
import { type DecodedBatch, type StepEvent, WIRE_VERSION } from "../lib/wire/event.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import { formatStamp, parseStamp } from "../lib/wire/stamp.ts";

const lease = await loadExample("lease");
const toggle = await loadExample("toggle");

function collector() {
  const transport = memoryTransport();
  const batches: DecodedBatch[] = [];
  transport.subscribe((bytes) => void batches.push(decodeBatch(bytes)));
  return { batcher: createBatcher(transport, { maxEvents: 64, maxDelayMs: 1 }), batches };
}

Deno.test("A stamp names its node; observing it makes the next event of each stream carry the dependency once", async () => {
  const { batcher, batches } = collector();
  const aNow = new FakeNow(50_000);
  const bNow = new FakeNow(10_000);
  const a = createNode({ id: "a", boot: "a1", clock: createClock({ now: aNow.now }) });
  const b = createNode({ id: "b", boot: "b1", clock: createClock({ now: bNow.now }) });
  const ma = lease.monitor({ node: a, key: "x", sink: batcher });
  const mb = lease.monitor({ node: b, key: "x", sink: batcher });
  const tb = toggle.monitor({ node: b, key: "t", sink: batcher });
  ma.step("acquire", { c: 1 });
  ma.step("release", { c: 1 });
  const stamp = ma.stamp();
  assert.equal(parseStamp(stamp).node, "a");
  mb.step("acquire", { c: 2 }); // before the receipt: no dependency
  mb.step("release", { c: 2 });
  mb.observe(stamp);
  mb.step("acquire", { c: 3 }); // carries it
  mb.step("release", { c: 3 }); // does not
  tb.step("flip"); // the other stream's next event carries it too
  tb.step("flip");
  await batcher.close();
  const sent = parseStamp(stamp);
  const lane = (spec: string) =>
    batches.filter((x) => x.node === "b" && x.specName === spec).flatMap((x) => x.events);
  assert.deepEqual(lane("Lease").map((e) => e.deps), [
    undefined,
    undefined,
    [{ node: "a", wall: sent.wall, logical: sent.logical }],
    undefined,
  ]);
  assert.deepEqual(lane(toggle.name).map((e) => e.deps), [
    [{ node: "a", wall: sent.wall, logical: sent.logical }],
    undefined,
  ]);
  // Batches of a (no dependency) stay version 1.
  assert.ok(batches.filter((x) => x.node === "a").every((x) => x.version === WIRE_VERSION));
  assert.ok(batches.some((x) => x.node === "b" && x.version === 2));
});

Deno.test("Only the latest stamp per sender is carried; stamps without a node and the node's own are not dependencies", async () => {
  const { batcher, batches } = collector();
  const now = new FakeNow(1_000);
  const c = createNode({ id: "c", boot: "c1", clock: createClock({ now: now.now }) });
  const m = lease.monitor({ node: c, key: "x", sink: batcher });
  m.observe(formatStamp({ wall: 900, logical: 1, node: "a" }));
  m.observe(formatStamp({ wall: 950, logical: 0, node: "a" }));
  m.observe(formatStamp({ wall: 920, logical: 0, node: "b" }));
  m.observe(formatStamp({ wall: 990, logical: 0 })); // an older SDK's stamp: merged, not recorded
  m.observe(m.stamp()); // its own stamp
  m.step("acquire", { c: 1 });
  m.observe("vw-0"); // older form only
  m.step("release", { c: 1 });
  await batcher.close();
  const events = batches.flatMap((x) => x.events);
  assert.deepEqual(events.map((e) => e.deps), [
    [{ node: "a", wall: 950, logical: 0 }, { node: "b", wall: 920, logical: 0 }],
    undefined,
  ]);
});

Deno.test("A plain sink gets the dependencies on the StepEvent; a clock cannot serve two nodes", () => {
  const got: StepEvent[] = [];
  const sink = { push: (e: StepEvent) => void got.push(e) };
  const d = createNode({ id: "d", clock: createClock({ now: () => 5_000 }) });
  const m = lease.monitor({ node: d, key: "x", sink });
  m.observe(formatStamp({ wall: 1_000, logical: 0, node: "peer" }));
  m.step("acquire", { c: 1 });
  m.step("release", { c: 1 });
  assert.deepEqual(got.map((e) => e.deps), [
    [{ node: "peer", wall: 1_000, logical: 0 }],
    undefined,
  ]);
  assert.throws(() => createNode({ id: "e", clock: d.clock }), /Clock already belongs to node 'd'/);
});
