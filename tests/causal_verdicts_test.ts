/**
 * Causal verdicts on hand-made timelines, through the real SDK and
 * collector (`tests/causal/simulator.ts`): the A/B/C case of issue 13, the
 * evidence the pictures draw, the collector's options and its episodes.
 */
import assert from "node:assert/strict";
import { leaseLaneKinds, type LeaseSpecs, loadLease, Rng, World } from "./causal/simulator.ts";
import { createCollector } from "../edge/engine/collector.ts";

const specs = await loadLease();
/** Lease is of the exclusion shape: its lanes hold P-intervals only; the same spec without the marker keeps full lanes. */
const LANES = leaseLaneKinds(specs);
const T = 1_700_000_000_000;

/** A simulated world of nodes with these clock skews, shipping every batch 10 ms after its events. */
function worldOf(
  skews: Record<string, number>,
  maxSkewMs: number | undefined,
  seed: number,
  lease: LeaseSpecs = specs,
) {
  return new World({
    nodes: skews,
    specs: lease,
    ...(maxSkewMs === undefined ? {} : { maxSkewMs }),
    windowMs: 250,
    ship: () => 10,
    rng: new Rng(seed),
    start: T,
  });
}

/**
 * The A/B/C case: A hands the lease to B by message at real 1 000; C
 * acquires at 1 120 and releases at 1 150 with no message; B holds until
 * 1 400. Real overlap: B and C only.
 */
async function abc(skews: Record<string, number>, maxSkewMs?: number, lease: LeaseSpecs = specs) {
  const world = worldOf(skews, maxSkewMs, 1, lease);
  world.schedule({ t: T + 900, node: "A", op: "acquire" });
  world.schedule({ t: T + 1_000, node: "A", op: "release", handTo: "B", delay: 1 });
  world.schedule({ t: T + 1_120, node: "C", op: "acquire" });
  world.schedule({ t: T + 1_150, node: "C", op: "release" });
  world.schedule({ t: T + 1_400, node: "B", op: "release" });
  await world.run();
  return world.alerts();
}

for (const [kind, lease] of LANES) {
  Deno.test(`The A/B/C case gives one alert naming B and C first; A only as possibly, when the skew bound cannot exclude it (${kind})`, async () => {
    const alerts = await abc({ A: 300, B: 0, C: 200 }, 500, lease);
    assert.equal(alerts.length, 1);
    const [a] = alerts;
    assert.deepEqual(a!.nodes.slice(0, 2).sort(), ["B", "C"]);
    assert.equal(a!.causal!.verdict, "possibly");
    assert.equal(a!.causal!.maxSkewMs, 500);
    // A's release (wall 1 300) and C's acquire (wall 1 320) are 20 ms apart: S = 500 cannot order them.
    assert.deepEqual([...a!.nodes].sort(), ["A", "B", "C"]);
  });

  Deno.test(`With clocks close enough to exclude A, the A/B/C alert names exactly B and C, definitely, and draws the handoff (${kind})`, async () => {
    const alerts = await abc({ A: 3, B: 0, C: 2 }, 5, lease);
    assert.equal(alerts.length, 1);
    const v = alerts[0]!;
    assert.deepEqual([...v.nodes].sort(), ["B", "C"]);
    const ev = v.causal!;
    assert.equal(ev.verdict, "definitely");
    assert.deepEqual(ev.lanes.slice(0, 2).sort(), ["B", "C"]);
    // The events are on the merged axis, in HLC order.
    const times = ev.events.map((e) => [e.at.wall, e.at.logical] as const);
    assert.deepEqual(times, [...times].sort((x, y) => x[0] - y[0] || x[1] - y[1]));
    ev.events.forEach((e, i) => assert.equal(e.index, i));
    // The cut: every lane's last event in it. C's acquire is concurrent with the others; B's is
    // ordered after A's release by the handoff message.
    const cutEvents = ev.cut.filter((i) => i >= 0).map((i) => ev.events[i]!);
    assert.deepEqual(cutEvents.map((e) => `${e.node} ${e.action}`).sort(), [
      "A release",
      "B acquire",
      "C acquire",
    ]);
    assert.ok(cutEvents.every((e) => e.inCut));
    const concurrent = (node: string) => cutEvents.find((e) => e.node === node)!.concurrent;
    assert.deepEqual([concurrent("A"), concurrent("B"), concurrent("C")], [false, false, true]);
    // The handoff message: from A's release to B's acquire (A is drawn only as its sender).
    const arrows = ev.messages.map((m) =>
      `${ev.events[m.from]!.node} ${ev.events[m.from]!.action} -> ${ev.events[m.to]!.node} ${
        ev.events[m.to]!.action
      }`
    );
    assert.ok(arrows.includes("A release -> B acquire"), arrows.join("; "));
    const aRelease = ev.events.find((e) => e.node === "A" && e.action === "release");
    assert.ok(
      aRelease !== undefined && !aRelease.concurrent,
      "A's release is ordered before B's acquire by the message",
    );
  });
}

/**
 * The A/B/C case, then B hands the lease back to A and the three pass it
 * round by message 18 times while the episode waits to be raised (4S + 2W).
 *
 * The alert names B and C and draws A's release, and the arrow from it to
 * B's acquire: A's own lane is not pruned when A acts again while the
 * episode waits to be raised (before, the interval ended by that release
 * went before the picture was built, and `senderIn` found no sender; the
 * lane sweep was held back the same way before).
 */
for (const [kind, lease] of LANES) {
  Deno.test({
    name:
      `A handoff's sender stays drawn when the partition goes on before the alert is raised (${kind})`,
  }, async () => {
    const world = worldOf({ A: 3, B: 0, C: 2 }, 5, 1, lease);
    world.schedule({ t: T + 900, node: "A", op: "acquire" });
    world.schedule({ t: T + 1_000, node: "A", op: "release", handTo: "B", delay: 1 });
    world.schedule({ t: T + 1_120, node: "C", op: "acquire" });
    world.schedule({ t: T + 1_150, node: "C", op: "release" });
    world.schedule({ t: T + 1_400, node: "B", op: "release", handTo: "A", delay: 1 });
    const round = ["A", "C", "B"];
    for (let i = 0; i < 18; i++) {
      const [from, to] = [round[i % 3]!, round[(i + 1) % 3]!];
      world.schedule({ t: T + 1_420 + 20 * i, node: from, op: "acquire" });
      world.schedule({ t: T + 1_430 + 20 * i, node: from, op: "release", handTo: to, delay: 1 });
    }
    await world.run();
    const alerts = world.alerts();
    assert.equal(alerts.length, 1);
    const ev = alerts[0]!.causal!;
    const arrows = ev.messages.map((m) =>
      `${ev.events[m.from]!.node} ${ev.events[m.from]!.action} -> ${ev.events[m.to]!.node} ${
        ev.events[m.to]!.action
      }`
    );
    assert.ok(arrows.includes("A release -> B acquire"), arrows.join("; "));
  });
}

Deno.test("Without maxSkewMs the collector judges the merge order as before; a bad maxSkewMs is refused", async () => {
  const alerts = await abc({ A: 300, B: 0, C: 200 });
  assert.ok(alerts.length > 0);
  for (const v of alerts) assert.equal(v.causal, undefined);
  assert.throws(
    () => createCollector({ specs: [specs.collector], maxSkewMs: -1 }),
    /Option 'maxSkewMs' must be a number >= 0, got '-1'/,
  );
});

for (const [kind, lease] of LANES) {
  Deno.test(`A hold that a third node heard of by message is still met by a node that never did: what a judged interval learnt passes only along happened-before (${kind})`, async () => {
    // A holds until real 1 100 and hands the lease to B by message; D (clock +50) holds from
    // real 1 060 to 1 080 with no message: a real split brain of A and D. In HLC order D's
    // acquire (wall 1 110) comes after B's (1 101), which knows A's release; D's does not.
    const world = worldOf({ A: 0, B: 0, D: 50 }, 50, 3, lease);
    world.schedule({ t: T + 1_000, node: "A", op: "acquire" });
    world.schedule({ t: T + 1_100, node: "A", op: "release", handTo: "B", delay: 1 });
    world.schedule({ t: T + 1_060, node: "D", op: "acquire" });
    world.schedule({ t: T + 1_080, node: "D", op: "release" });
    world.schedule({ t: T + 1_300, node: "B", op: "release" });
    await world.run();
    const alerts = world.alerts();
    assert.equal(alerts.length, 1);
    const nodes = alerts[0]!.nodes;
    assert.ok(
      nodes.includes("A") && nodes.includes("D"),
      `the real pair A and D is named: ${nodes}`,
    );
  });
}

/**
 * A and B acquire 100 ms apart with no message between them (real overlap
 * from 1 100), and release at `release` (or never).
 */
async function longOverlap(
  lease: LeaseSpecs,
  release: number | null,
  run: { readonly advance?: boolean } = {},
) {
  const world = worldOf({ A: 0, B: 0 }, 500, 1, lease);
  world.schedule({ t: T + 1_000, node: "A", op: "acquire" });
  world.schedule({ t: T + 1_100, node: "B", op: "acquire" });
  if (release !== null) {
    world.schedule({ t: T + release, node: "A", op: "release" });
    world.schedule({ t: T + release + 100, node: "B", op: "release" });
  }
  await world.run(run);
  return world.alerts();
}

for (const [kind, lease] of LANES) {
  // The raise point: the detection (B's acquire, wall 1 100) plus 4S and two windows, 3 600.
  Deno.test(`Holds that end after the raise point are definitely violated: each start is more than 2S before the raise point, so before the other's end (${kind})`, async () => {
    const alerts = await longOverlap(lease, 6_000);
    assert.equal(alerts.length, 1);
    assert.deepEqual([[...alerts[0]!.nodes].sort(), alerts[0]!.causal!.verdict], [
      ["A", "B"],
      "definitely",
    ]);
  });

  Deno.test(`Holds still open when judgement passes the raise point are definitely violated: their ends, not known yet, lie after it (${kind})`, async () => {
    const alerts = await longOverlap(lease, null);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.causal!.verdict, "definitely");
  });

  Deno.test(`Holds still open at a flush before the raise point stay possibly violated: their ends may lie anywhere after their starts (${kind})`, async () => {
    const alerts = await longOverlap(lease, null, { advance: false });
    assert.equal(alerts.length, 1);
    assert.deepEqual([[...alerts[0]!.nodes].sort(), alerts[0]!.causal!.verdict], [
      ["A", "B"],
      "possibly",
    ]);
  });
}
