/**
 * The causal judge's side of retiring departed nodes
 * (`CausalJudge.retire`, `CausalJudge.retireNode`; the engine decides
 * when, `docs/causality.md` "Nodes that leave"):
 *
 * - a retired participant's lane is freed (the count follows, a recount
 *   agrees) and the other nodes' verdicts are those of a collector that
 *   never retired it (alerts compared in full);
 * - a retired node's dependency entries, and those naming it, are freed; a
 *   stamp naming it later is not recorded (counted), its number goes to
 *   the next new node with nothing known of the old one, and it comes back
 *   as a new node when it sends again; a restart keeps all of that;
 * - a lane removed from the middle moves the later lanes down, with their
 *   per-lane numbers and their intervals' lane numbers.
 *
 * @module
 */
import assert from "node:assert/strict";
import { laneKinds, loadLease } from "./causal/simulator.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import type { EventBody } from "../lib/wire/event.ts";
import { CAUSAL_OPTIONS, LeaseEvents, SequencedNodes } from "./causal/lease_workload.ts";
import { engineOf, restoreCollector } from "../edge/engine/collector.ts";
import type { Collector } from "../edge/engine/types.ts";
import { DependencyTable, MAX_RETIRED_NAMES } from "../edge/engine/causal/happened_before.ts";
import { CausalPartition, Interval } from "../edge/engine/causal/lanes.ts";
import { StateArena } from "../edge/engine/causal/state_arena.ts";
import { CutVerdicts } from "../edge/engine/causal/cut_verdicts.ts";

const specs = await loadLease();
const BASE = 1_732_170_000_000;
const KEY = "lock:0";

/** What both collectors are fed: handoffs of {@link KEY} among `nodes` from `from` to `to` ms, each acquire stamped with the last release. */
function handoffs(
  lease: LeaseEvents,
  nodes: readonly string[],
  span: { from: number; to: number },
  last: { node: string; wall: number } | null,
): { batches: [string, EventBody[], number][]; last: { node: string; wall: number } | null } {
  const batches: [string, EventBody[], number][] = [];
  let prev = last;
  for (let t = span.from, turn = 0; t + 2 < span.to; t += 4, turn++) {
    const node = nodes[turn % nodes.length]!;
    const wall = BASE + t;
    const deps = prev !== null && prev.node !== node
      ? [{ node: prev.node, wall: prev.wall, logical: 0 }]
      : undefined;
    batches.push([node, [
      lease.acquire(wall, { key: KEY, ...(deps === undefined ? {} : { deps }) }),
      lease.release(wall + 2, { key: KEY }),
    ], t + 3]);
    prev = { node, wall: wall + 2 };
  }
  return { batches, last: prev };
}

/**
 * Sends, through `send`: handoffs of {@link KEY} among four nodes to 1 000 ms; z joining last (its
 * lane is the partition's last: the engine does not remove participants here, so no later lane has
 * to move down), holding once with the last release's stamp, and going quiet; then the four hand
 * on from z's release to 6 000 ms. Returns the four and z's hold's wall.
 */
function zHoldsOnce(
  lease: LeaseEvents,
  send: (node: string, events: readonly EventBody[], clock: number) => void,
): { group: string[]; zw: number } {
  const group = ["a-0", "a-1", "a-2", "a-3"];
  let run = handoffs(lease, group, { from: 0, to: 1_000 }, null);
  for (const [node, events, clock] of run.batches) send(node, events, clock);
  const zw = BASE + 1_000;
  send("z", [
    lease.acquire(zw, {
      key: KEY,
      deps: [{ node: run.last!.node, wall: run.last!.wall, logical: 0 }],
    }),
    lease.release(zw + 2, { key: KEY }),
  ], 1_003);
  run = handoffs(lease, group, { from: 1_004, to: 6_000 }, { node: "z", wall: zw + 2 });
  for (const [node, events, clock] of run.batches) send(node, events, clock);
  return { group, zw };
}

function partitionOf(c: Collector) {
  return [...engineOf(c).state.partitions.values()].find((q) => q.key === KEY)!;
}

/**
 * The alerts in full (JSON), less what names `gone`: a retired node has no
 * interval in any cut (the judge's cut lists every lane's: in a collector
 * that kept it, its interval at rest, its initial state), so its entry in
 * the cut, its events and messages in the picture are left out, the
 * picture's event numbers are given as the events themselves, and whether
 * an event is concurrent with the cut's events of other lanes (which the
 * retired node's interval took part in) is not compared.
 */
function alerts(c: Collector, gone: string): string[] {
  return c.violations().map((v) => {
    const a = JSON.parse(JSON.stringify(v));
    a.cut = a.cut.filter((e: { node: string }) => e.node !== gone);
    if (a.causal !== undefined) {
      type Drawn = { node: string; index?: number; concurrent?: boolean };
      const events = a.causal.events as Drawn[];
      const shown = (e: Drawn) => ({ ...e, index: undefined, concurrent: undefined });
      a.causal.cut = a.causal.cut.map((k: number) => events[k]!).filter((e: Drawn) =>
        e.node !== gone
      ).map(shown);
      a.causal.messages = (a.causal.messages as { from: number; to: number }[])
        .map((m): [Drawn, Drawn] => [events[m.from]!, events[m.to]!])
        .filter(([from, to]) => from.node !== gone && to.node !== gone)
        .map(([from, to]) => [shown(from), shown(to)]);
      a.causal.events = events.filter((e) => e.node !== gone).map(shown);
      a.causal.lanes = a.causal.lanes.filter((n: string) => n !== gone);
    }
    return JSON.stringify(a);
  });
}

function retiredLane(spec: CompiledSpec): void {
  const lease = new LeaseEvents(spec);
  const x = new SequencedNodes(lease, BASE); // retires z
  const y = new SequencedNodes(lease, BASE); // keeps it
  const both = (node: string, events: readonly EventBody[], clock: number) => {
    x.send(node, events, clock);
    y.send(node, events, clock);
  };
  const { group, zw } = zHoldsOnce(lease, both);

  const p = partitionOf(x.collector);
  const judge = engineOf(x.collector).causal!;
  const z = p.indexOf("z");
  assert.equal(z, group.length, "z joined last");
  // The sweep left z's quiet lane its last interval.
  assert.equal(judge.laneHeld(p, z), 1);
  const before = x.collector.causalIntervals();
  assert.equal(judge.retire(p, p.participants[z]!), 1);
  assert.equal(judge.laneHeld(p, z), 0);
  assert.equal(x.collector.causalIntervals(), before - 1);
  assert.equal(x.collector.causalIntervals(true), x.collector.causalIntervals());
  assert.equal(judge.retire(p, p.participants[z]!), 0, "nothing left to free");

  // Its dependency entries go with the node: its own (its acquire's stamp) and the one naming it
  // (a-0's acquire after its release), unless pruning had dropped them already.
  const entries = judge.deps.size;
  const freed = judge.retireNode("z");
  assert.equal(judge.deps.size, entries - freed);
  assert.equal(judge.retireNode("z"), 0, "retired already");
  assert.equal(judge.deps.nodes[judge.deps.nodes.length - 1], "", "its number is free");

  // A stamp naming it, later: not recorded, counted.
  const w = BASE + 6_000;
  const stamped = [
    lease.acquire(w, { key: KEY, deps: [{ node: "z", wall: zw + 2, logical: 0 }] }),
    lease.release(w + 2, { key: KEY }),
  ];
  const size = judge.deps.size;
  both("a-0", stamped, 6_003);
  assert.equal(judge.stampsOfRetired, 1);
  assert.equal(judge.deps.size, size);
  assert.equal(judge.deps.nodes.includes("z"), false);

  // Then two holders at once (no stamp orders them): both collectors raise the same alert.
  const v = BASE + 7_000;
  both("a-1", [lease.acquire(v, { key: KEY })], 7_000);
  both("a-2", [lease.acquire(v + 1, { key: KEY })], 7_001);
  both("a-1", [lease.release(v + 3_000, { key: KEY })], 10_000);
  both("a-2", [lease.release(v + 3_001, { key: KEY })], 10_001);
  x.c.advance(BASE + 14_000);
  y.c.advance(BASE + 14_000);
  const seen = alerts(y.collector, "z");
  assert.ok(seen.length > 0, "the overlap is raised");
  assert.deepEqual(alerts(x.collector, "z"), seen);
  // In a collector that kept it, z's interval at rest is in the alert's cut.
  assert.ok(y.collector.violations()[0]!.cut.some((e) => e.node === "z"));
  assert.ok(!x.collector.violations()[0]!.cut.some((e) => e.node === "z"));
  assert.equal(x.collector.causalIntervals(true), x.collector.causalIntervals());

  // A restart: the retired node stays retired, its number free until a new node takes it.
  const restored = restoreCollector(JSON.parse(JSON.stringify(x.collector.snapshot())), {
    specs: [spec],
    now: () => BASE + 14_000,
    ...CAUSAL_OPTIONS,
  });
  const again = engineOf(restored).causal!;
  assert.deepEqual(again.deps.nodes, judge.deps.nodes);
  assert.equal(restored.causalIntervals(true), restored.causalIntervals());
  const u = BASE + 15_000;
  restored.ingestBytes(lease.batch("a-3", [
    lease.acquire(u, { key: KEY, deps: [{ node: "z", wall: zw + 2, logical: 0 }] }),
    lease.release(u + 2, { key: KEY }),
  ], { firstSeq: x.next("a-3") }));
  restored.advance(u + 3);
  assert.equal(again.stampsOfRetired, 1, "a stamp naming it after the restart is not recorded");
  assert.equal(again.deps.nodes.includes("z"), false);
  // A new node takes its number.
  const free = judge.deps.nodes.indexOf("");
  assert.equal(again.deps.nodeId("n-new"), free);
  // z itself, sending again, is a node like a new one.
  assert.equal(again.deps.nodeId("z"), again.deps.nodes.length - 1);
  assert.equal(again.deps.senderId("z"), again.deps.nodeId("z"));
}

for (const [kind, spec] of laneKinds(specs)) {
  Deno.test(`A retired participant's lane is freed, and the others' verdicts are those of a collector that kept it (${kind})`, () => {
    retiredLane(spec);
  });
}

Deno.test("A retired node's entries and the knowledge of it leave the dependency table; its number is reused", () => {
  const t = new DependencyTable();
  t.record("B", { wall: 20, logical: 0 }, { node: "A", wall: 15, logical: 0 });
  t.record("C", { wall: 30, logical: 0 }, { node: "B", wall: 25, logical: 0 });
  t.record("A", { wall: 40, logical: 0 }, { node: "C", wall: 35, logical: 0 });
  assert.deepEqual(t.vectorAt("C", { wall: 31, logical: 0 }).get("A"), { wall: 15, logical: 0 });
  const a = t.nodeId("A");
  // A's own entry and B's naming it.
  assert.equal(t.retire("A"), 2);
  assert.equal(t.size, 1);
  assert.equal(t.retire("A"), -1, "no longer known");
  assert.equal(t.vectorAt("C", { wall: 31, logical: 0 }).has("A"), false);
  assert.deepEqual(t.vectorAt("C", { wall: 31, logical: 0 }).get("B"), { wall: 25, logical: 0 });
  // A stamp naming it is not recorded.
  assert.equal(t.senderId("A"), -1);
  t.record("B", { wall: 50, logical: 0 }, { node: "A", wall: 45, logical: 0 });
  assert.equal(t.size, 1);
  // The next new node takes its number, with nothing known of the old one at that number.
  const d = t.nodeId("D");
  assert.equal(d, a);
  t.record("D", { wall: 60, logical: 0 }, { node: "C", wall: 55, logical: 0 });
  assert.equal(t.precedes("D", { wall: 14, logical: 0 }, "C", { wall: 31, logical: 0 }), false);
  assert.equal(t.precedes("C", { wall: 54, logical: 0 }, "D", { wall: 61, logical: 0 }), true);
  // A sends again: a new node, with a new number (D has its old one), and its stamps count again.
  const back = t.nodeId("A");
  assert.notEqual(back, a);
  assert.equal(t.senderId("A"), back);
  // The names and the retired ones round-trip into an empty table.
  t.retire("B");
  const u = new DependencyTable();
  u.loadNames(t.nodes, t.retired);
  assert.deepEqual(u.nodes, t.nodes);
  assert.equal(u.senderId("B"), -1);
  assert.equal(u.nodeId("E"), t.nodes.indexOf(""));
  assert.throws(() => u.loadNames(["X"]), /empty table/);
  assert.throws(() => new DependencyTable().loadNames(["X", "X"]), /numbered twice/);
});

Deno.test("The table keeps at most MAX_RETIRED_NAMES retired names, forgetting the oldest first (also when loaded)", () => {
  const t = new DependencyTable();
  for (let i = 0; i <= MAX_RETIRED_NAMES; i++) {
    t.nodeId(`pod-${i}`);
    t.retire(`pod-${i}`);
  }
  assert.equal(t.retired.length, MAX_RETIRED_NAMES);
  assert.equal(t.retired[0], "pod-1", "the oldest name is forgotten first");
  // The forgotten node's stamps are taken as from a node not seen yet; the remembered ones' are not recorded.
  assert.ok(t.senderId("pod-0") >= 0);
  assert.equal(t.senderId("pod-1"), -1);
  // Retired numbers are reused: one node number in use (pod-0's new one), not 65,537.
  assert.equal(t.nodes.filter((n) => n !== "").length, 1);
  const u = new DependencyTable();
  u.loadNames([], [...t.retired, "pod-extra"]);
  assert.equal(u.retired.length, MAX_RETIRED_NAMES);
  assert.equal(u.senderId("pod-1"), u.nodeId("pod-1"), "forgotten on load past the cap");
});

Deno.test("A lane removed from the middle moves the later lanes down with their numbers", () => {
  const cp = new CausalPartition(
    new StateArena(4),
    new CutVerdicts({ stride: 4, slots: [{ offset: 0, width: 4 }] }),
  );
  const nodes = ["A", "B", "C", "D"];
  cp.fit(nodes.length);
  nodes.forEach((node, z) => {
    const lane: Interval[] = [];
    for (let k = 0; k < 2; k++) {
      lane.push(
        new Interval({ node, index: z, boot: "b" }, {
          nid: 10 + z,
          seq: k,
          action: 0,
          wall: 100 * k + z,
          logical: 0,
          block: cp.arena.alloc(),
        }),
      );
    }
    cp.lanes.push(lane);
    cp.nodeOf(z, 10 + z);
    cp.setHint(z, z);
    cp.watch[cp.watchCount++] = z;
    cp.watched[z] = 1;
  });
  cp.tops.splice(0, cp.tops.length, ...cp.lanes.map((l) => l[1]!));
  cp.chainLast = cp.lanes[1]![1]!;
  cp.chain = true;
  const removed = cp.removeLane(1);
  assert.deepEqual(removed.map((i) => i.node), ["B", "B"]);
  assert.deepEqual(cp.lanes.map((l) => l[0]!.node), ["A", "C", "D"]);
  assert.deepEqual(cp.lanes.map((l) => l.map((i) => i.lane)), [[0, 0], [1, 1], [2, 2]]);
  assert.deepEqual([0, 1, 2, 3].map((z) => cp.nidOf(z)), [10, 12, 13, -1]);
  assert.deepEqual([0, 1, 2, 3].map((z) => cp.hintOf(z)), [0, 2, 3, -1]);
  assert.deepEqual([...cp.watch.slice(0, cp.watchCount)], [0, 1, 2]);
  assert.deepEqual([...cp.watched.slice(0, 4)], [1, 1, 1, 0]);
  assert.deepEqual(cp.tops.map((i) => i?.node), ["A", "C", "D"]);
  assert.equal(cp.chainLast, null, "the chain's last was of the lane removed");
  assert.equal(cp.chain, false);
  assert.equal(cp.tracks(3), false, "the next search finds every lane's newest again");
  assert.equal(cp.sharedNodes, false);
  // Past the lanes held: nothing moves.
  assert.deepEqual(cp.removeLane(7), []);
  assert.equal(cp.lanes.length, 3);
});

function retiredFailing(spec: CompiledSpec): void {
  const lease = new LeaseEvents(spec);
  const x = new SequencedNodes(lease, BASE);
  x.send("a-0", [lease.acquire(BASE + 10, { key: KEY })], 11);
  x.send("a-1", [lease.release(BASE + 20, { key: KEY, state: lease.states.free })], 21);
  // z joins last and acquires while a-0 holds, with no stamp: two holders.
  x.send("z", [lease.acquire(BASE + 30, { key: KEY })], 31);
  // Judged (the horizon, the clock less 2S and the window, passes 30), not raised (4S and twice the
  // window after it).
  x.c.advance(BASE + 1_400);
  const p = partitionOf(x.collector);
  const judge = engineOf(x.collector).causal!;
  assert.equal(judge.violated(p), true, "the episode is open");
  assert.equal(x.collector.violations().length, 0, "not raised yet");
  const before = x.collector.causalIntervals();
  const freed = judge.retire(p, p.participants[p.indexOf("z")]!);
  assert.ok(freed > 0);
  assert.equal(x.collector.causalIntervals(), before - freed);
  assert.equal(x.collector.causalIntervals(true), x.collector.causalIntervals());
  assert.equal(judge.violated(p), false, "its only cut named z: the episode closed");
  // A snapshot holds nothing of z's lane.
  const part = judge.savePart(p);
  assert.ok(part === null || !JSON.stringify(part).includes('"z"'), JSON.stringify(part));
  x.c.advance(BASE + 10_000);
  assert.equal(x.collector.violations().length, 0, "nothing raised");
}

for (const [kind, spec] of laneKinds(specs)) {
  Deno.test(`Retiring a lane an unraised episode's failing cut holds drops that cut, and the episode with no cut left (${kind})`, () => {
    retiredFailing(spec);
  });
}

Deno.test("A lane retired while handoffs judged on arrival are pending leaves the partition watched: the collector clock passes them", () => {
  // Lanes of P-intervals only: the handoff chain judges each stamped handoff on arrival, so the queue
  // is empty while the last 2S and a window of handoffs are judged but not yet passed by the horizon.
  const spec = laneKinds(specs).find(([kind]) => kind.includes("P-intervals"))![1];
  const lease = new LeaseEvents(spec);
  const x = new SequencedNodes(lease, BASE);
  zHoldsOnce(lease, (node, events, clock) => x.send(node, events, clock));
  // Past the reorder window: nothing buffered is left to apply (and to watch the partition again).
  x.c.advance(BASE + 6_300);
  const p = partitionOf(x.collector);
  const judge = engineOf(x.collector).causal!;
  const pending = judge.savePart(p)!;
  assert.ok(
    pending.queue.length > 0,
    "handoffs judged on arrival, not passed yet (saved as queued)",
  );
  assert.equal(pending.open, true);
  judge.retire(p, p.participants[p.indexOf("z")]!);
  assert.equal(judge.savePart(p)!.open, true, "still watched after the retirement");
  // No more events: the collector clock alone moves the horizon past them.
  x.c.advance(BASE + 60_000);
  const passed = judge.savePart(p)!;
  assert.deepEqual(passed.queue, [], "the horizon passed every handoff judged on arrival");
  assert.ok(passed.horizon !== null && passed.horizon > BASE + 6_000);
});
