/**
 * The episode's picture (`evidence_builder.ts`) through the real SDK and
 * collector (`tests/causal/simulator.ts`): events are drawn by node and
 * HLC, so two events of one node in the same wall millisecond are two
 * events, and the end event of a hold is drawn beside its start.
 */
import assert from "node:assert/strict";
import { leaseLaneKinds, loadLease, Rng, World } from "../../../tests/causal/simulator.ts";

const specs = await loadLease();
const T = 1_700_000_000_000;

for (const [kind, lease] of leaseLaneKinds(specs)) {
  Deno.test(`The picture draws a node's acquire and release in one wall millisecond as two events, by their logical parts (${kind})`, async () => {
    // B holds from real 1 000 to 1 400; C acquires and releases within real 1 120 with no message:
    // a real split brain of B and C whose C side is two events of one wall millisecond.
    const world = new World({
      nodes: { B: 0, C: 0 },
      specs: lease,
      maxSkewMs: 5,
      windowMs: 250,
      ship: () => 10,
      rng: new Rng(1),
      start: T,
    });
    world.schedule({ t: T + 1_000, node: "B", op: "acquire" });
    world.schedule({ t: T + 1_120, node: "C", op: "acquire" });
    world.schedule({ t: T + 1_120, node: "C", op: "release" });
    world.schedule({ t: T + 1_400, node: "B", op: "release" });
    await world.run();
    const alerts = world.alerts();
    assert.equal(alerts.length, 1);
    const ev = alerts[0]!.causal!;
    const c = ev.events.filter((e) => e.node === "C");
    assert.deepEqual(
      c.map((e) => `${e.action} ${e.at.wall - T} ${e.at.logical}`),
      ["acquire 1120 0", "release 1120 1"],
    );
    assert.deepEqual(c.map((e) => e.seq), [c[0]!.seq, c[0]!.seq + 1]);
    // Each event once, on the merged axis in HLC order, and the cut's C event is its acquire.
    const keys = ev.events.map((e) => `${e.node} ${e.at.wall} ${e.at.logical}`);
    assert.equal(new Set(keys).size, keys.length);
    ev.events.forEach((e, i) => assert.equal(e.index, i));
    const cutC = ev.cut[ev.lanes.indexOf("C")]!;
    assert.equal(ev.events[cutC]!.action, "acquire");
    assert.ok(ev.events[cutC]!.inCut && ev.events[cutC]!.concurrent);
  });
}
