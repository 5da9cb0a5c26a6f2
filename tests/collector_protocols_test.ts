/**
 * The collector on simulated protocols with skewed node clocks and HLC
 * stamps piggybacked on messages: a lease (lock server + 3 clients) and a
 * Raft election (3 nodes). Correct runs give no violation; injected bugs
 * give exactly the expected global invariant with the right nodes.
 */
import assert from "node:assert/strict";
import { createClock } from "../runtime/monitor/clock.ts";
import { createNode } from "../runtime/monitor/node.ts";
import type { LoadedSpec } from "../runtime/monitor/load_spec.ts";
import type { Monitor } from "../runtime/monitor/monitor_types.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { specSource } from "../tools/harness/spec_files.ts";
import { lineOf, listen, loadPair, Recorder, rng, splitStream } from "./collector_core_fixture.ts";

const lease = await loadPair("lease");
const raft = await loadPair("raft");

/** True time shared by the simulation; each node's physical clock is skewed from it. */
class World {
  t = 1_700_000_000_000;
  readonly rec = new Recorder();
  /** Physical clock readings of the lease steps, in true-time order. */
  readonly phys: { node: string; action: string; phys: number }[] = [];
  readonly random: () => number;
  constructor(seed: number) {
    this.random = rng(seed);
  }
  /** Lets 1..max ms pass. */
  pass(max = 5): void {
    this.t += 1 + Math.floor(this.random() * max);
  }
  node(id: string, skew: number) {
    return createNode({ id, boot: `${id}-boot`, clock: createClock({ now: () => this.t + skew }) });
  }
  monitor(spec: LoadedSpec, id: string, skew: number, key: string): Monitor {
    return spec.monitor({ node: this.node(id, skew), key, sink: this.rec });
  }
}

const SKEWS: Record<string, number> = { a: 500, b: -500, c: 230, server: -310 };

/** Runs `rounds` lock handoffs; in `splitAt` the server also grants to the next client while one holds. */
function runLease(seed: number, rounds: number, splitAt = -1): World {
  const w = new World(seed);
  const server = w.node("server", SKEWS.server!).clock;
  const clients = ["a", "b", "c"].map((id) => ({
    id,
    m: w.monitor(lease.nodes, id, SKEWS[id]!, "lock:1"),
  }));
  const grant = (i: number) => {
    const cl = clients[i % 3]!;
    const req = cl.m.stamp();
    w.pass();
    server.observe(req);
    const g = server.stamp();
    w.pass();
    cl.m.observe(g);
    cl.m.step("acquire", { c: (i % 3) + 1 });
    w.phys.push({ node: cl.id, action: "acquire", phys: w.t + SKEWS[cl.id]! });
    w.pass(20);
    return cl;
  };
  const release = (cl: (typeof clients)[number], i: number) => {
    cl.m.step("release", { c: (i % 3) + 1 });
    w.phys.push({ node: cl.id, action: "release", phys: w.t + SKEWS[cl.id]! });
    const rel = cl.m.stamp();
    w.pass();
    server.observe(rel);
  };
  for (let i = 0; i < rounds; i++) {
    const cl = grant(i);
    if (i === splitAt) {
      const other = grant(i + 1); // the bug: granted while `cl` holds
      // Both hold for longer than the clocks' skew: concurrent events are
      // ordered by their (skewed) HLC walls, so a double hold shorter than
      // the skew can be merged as a handoff.
      w.t += 1_500;
      release(cl, i);
      release(other, i + 1);
    } else {
      release(cl, i);
    }
  }
  return w;
}

function feed(w: World, spec: LoadedSpec["compiled"], seed: number) {
  let now = 0;
  const c = createCollector({ specs: [spec], now: () => now, windowMs: 250 });
  const log = listen(c);
  const random = rng(seed);
  const queues = [...w.rec.streams.values()].map((evs) =>
    splitStream(evs, [1 + Math.floor(random() * 7)])
  );
  while (queues.some((q) => q.length > 0)) {
    const q = queues.filter((x) =>
      x.length > 0
    )[Math.floor(random() * queues.length) % queues.length] ??
      queues.find((x) => x.length > 0)!;
    c.ingest(q.shift()!);
    now += 1;
  }
  c.advance(now + 1_000);
  return { c, log };
}

/** True when some acquire's physical clock reading is before the previous holder's release reading. */
function wallClockWouldMisorder(w: World): boolean {
  return w.phys.some((e, i) => {
    const prev = w.phys[i - 1];
    return e.action === "acquire" && prev !== undefined && prev.action === "release" &&
      prev.node !== e.node && e.phys < prev.phys;
  });
}

Deno.test("Lease on 3 skewed nodes with HLC stamps: a correct protocol gives no violation", () => {
  const w = runLease(1, 30);
  assert.ok(
    wallClockWouldMisorder(w),
    "the skews must put some acquire before the previous release in raw wall time",
  );
  const { c, log } = feed(w, lease.collector, 7);
  assert.deepEqual(log.violations(), []);
  const p = c.partition(lease.nodes.hash, "lock:1")!;
  assert.equal(p.status, "ok");
  assert.equal(p.applied, 60);
  assert.deepEqual(p.participants.map((x) => x.node).sort(), ["a", "b", "c"]);
  assert.equal(c.metrics().late, 0);
});

Deno.test("Lease on 3 skewed nodes: an injected split brain raises exactly OneHolder with both holders", () => {
  const w = runLease(2, 12, 5);
  const { c, log } = feed(w, lease.collector, 11);
  const vs = log.violations();
  assert.equal(vs.length, 1, vs.map((v) => v.message).join("\n"));
  const v = vs[0]!;
  assert.equal(v.kind, "invariant");
  assert.equal(v.property.name, "OneHolder");
  assert.equal(v.property.line, lineOf(specSource("lease"), "global invariant OneHolder"));
  assert.equal(v.partition, "lock:1");
  // Round 5 is client c (index 5 % 3 = 2), the extra grant goes to a (index 6 % 3 = 0).
  assert.deepEqual([...v.nodes].sort(), ["a", "c"]);
  const held = v.cut.filter((e) => e.state.mode === "held").map((e) => e.node).sort();
  assert.deepEqual(held, ["a", "c"]);
  assert.equal(v.cut.length, 3);
  const last = v.history[v.history.length - 1]!;
  assert.equal(last.action, "acquire");
  assert.equal(last.node, "a");
  assert.ok(
    v.history.length > 1 && v.history.every((e, i, h) => i === 0 || e.wall >= h[i - 1]!.wall),
  );
  assert.match(v.message, /OneHolder/);
  assert.equal(
    c.partition(lease.nodes.hash, "lock:1")!.status,
    "ok",
    "cleared after both released",
  );
  assert.equal(c.metrics().violations, 1);
});

/** A Raft election; with `split`, node 2 also stands in term 1 and counts a forged vote. */
function runRaft(seed: number, split: boolean): World {
  const w = new World(seed);
  const skew = [0, 480, -450, 120];
  const n = [1, 2, 3].map((id) => w.monitor(raft.nodes, `n${id}`, skew[id]!, "cluster"));
  const [n1, n2, n3] = n as [Monitor, Monitor, Monitor];
  n.forEach((m, i) => {
    m.step("join", { id: i + 1 });
    w.pass();
  });
  n1.step("timeout");
  const req = n1.stamp();
  if (split) {
    w.pass();
    n2.step("timeout");
  }
  w.pass();
  n3.observe(req);
  n3.step("grantVote", { c: 1, t: 1 });
  const vote3 = n3.stamp();
  if (!split) {
    w.pass();
    n2.observe(req);
    n2.step("grantVote", { c: 1, t: 1 });
    const vote2 = n2.stamp();
    w.pass();
    n1.observe(vote2);
    n1.step("receiveVote", { from: 2, t: 1 });
  }
  w.pass();
  n1.observe(vote3);
  n1.step("receiveVote", { from: 3, t: 1 });
  n1.step("becomeLeader");
  if (split) {
    w.pass();
    n2.observe(vote3); // a forged copy of node 3's vote
    n2.step("receiveVote", { from: 3, t: 1 });
    n2.step("becomeLeader");
  }
  const hb = n1.stamp();
  w.pass();
  n3.observe(hb);
  return w;
}

Deno.test("Raft on 3 skewed nodes: one leader per term gives no violation", () => {
  const w = runRaft(3, false);
  const { c, log } = feed(w, raft.collector, 5);
  assert.deepEqual(log.violations(), []);
  assert.equal(c.partition(raft.nodes.hash, "cluster")!.status, "ok");
});

Deno.test("Raft on 3 skewed nodes: two leaders in one term raise OneLeaderPerTerm naming both", () => {
  const w = runRaft(4, true);
  const { c, log } = feed(w, raft.collector, 9);
  const vs = log.violations();
  assert.equal(vs.length, 1, vs.map((v) => v.message).join("\n"));
  const v = vs[0]!;
  assert.equal(v.property.name, "OneLeaderPerTerm");
  assert.equal(v.property.line, lineOf(specSource("raft"), "global invariant OneLeaderPerTerm"));
  assert.deepEqual([...v.nodes].sort(), ["n1", "n2"]);
  const leaders = v.cut.filter((e) => e.state.role === "leader");
  assert.deepEqual(leaders.map((e) => [e.node, e.state.term]).sort(), [["n1", 1], ["n2", 1]]);
  assert.equal(c.partition(raft.nodes.hash, "cluster")!.status, "violated");
});
