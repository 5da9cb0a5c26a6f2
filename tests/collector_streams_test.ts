/**
 * Collector stream semantics: holes (undeclared gaps, declared drops, gap
 * timeout), reboots, de-duplication, late events, local verdicts, bad
 * input, and partitions that must never read `ok` without evidence.
 */
import assert from "node:assert/strict";
import { createClock } from "../runtime/monitor/clock.ts";
import { createNode } from "../runtime/monitor/node.ts";
import type { StepEvent } from "../lib/wire/event.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { InvalidBatchError, UnknownSpecError } from "../edge/engine/errors.ts";
import type { Collector } from "../edge/engine/types.ts";
import { batchOf, listen, loadPair, Recorder } from "./collector_core_fixture.ts";

const lease = await loadPair("lease");
const HASH = lease.nodes.hash;

/** A node whose events are recorded; `t` is its physical clock. */
function nodeOf(rec: Recorder, id: string, boot = `${id}-1`) {
  const clock = { t: 1_000_000 };
  const ctx = createNode({ id, boot, clock: createClock({ now: () => clock.t }) });
  const monitors = new Map<string, ReturnType<typeof lease.nodes.monitor>>();
  const m = (key: string) => {
    let x = monitors.get(key);
    if (x === undefined) {
      monitors.set(key, x = lease.nodes.monitor({ node: ctx, key, sink: rec, mode: "observe" }));
    }
    return x;
  };
  return { clock, ctx, m, events: () => [...(rec.streams.get(`${id}\u0000${boot}`) ?? [])] };
}

/** Events for key `lock:1`: node `a` acquires and releases `n` times. */
function cycles(rec: Recorder, n: number, id = "a", boot?: string): StepEvent[] {
  const node = nodeOf(rec, id, boot);
  for (let i = 0; i < n; i++) {
    node.m("lock:1").step("acquire", { c: 1 });
    node.clock.t += 10;
    node.m("lock:1").step("release", { c: 1 });
    node.clock.t += 10;
  }
  return node.events();
}

function collector(now = { t: 0 }, gapTimeoutMs = 1_000): Collector {
  return createCollector({
    specs: [lease.collector],
    now: () => now.t,
    windowMs: 100,
    gapTimeoutMs,
  });
}

const status = (c: Collector, key = "lock:1") => c.partition(HASH, key)?.status;

Deno.test("A missing sequence number makes the partition unknown until it arrives", () => {
  const evs = cycles(new Recorder(), 3);
  const c = collector();
  const log = listen(c);
  c.ingest(batchOf(evs, 0, 2));
  c.ingest(batchOf(evs, 3, 6));
  c.flush();
  assert.equal(status(c), "unknown");
  assert.equal(c.metrics().gaps, 1);
  assert.deepEqual(
    log.all.filter((e) => e.type === "gap").map((e) =>
      e.type === "gap" && [e.first, e.last, e.declared]
    ),
    [[2, 2, false]],
  );
  assert.equal(c.nodes()[0]!.openHoles, 1);
  c.ingest(batchOf(evs, 2, 3));
  c.flush();
  assert.equal(status(c), "ok");
  assert.equal(c.partition(HASH, "lock:1")!.incomplete, false);
  assert.ok(log.all.some((e) => e.type === "gap_filled" && e.seq === 2));
  assert.equal(c.metrics().late, 1, "seq 2 came after later events of its partition were applied");
  const a = c.partition(HASH, "lock:1")!.participants[0]!;
  assert.deepEqual(
    [a.seq, a.state.mode],
    [5, "free"],
    "the late older event did not overwrite the newer state",
  );
});

Deno.test("Declared drops make the partition unknown until the gap timeout, then incomplete", () => {
  const evs = cycles(new Recorder(), 3);
  const now = { t: 0 };
  const c = collector(now, 1_000);
  const log = listen(c);
  c.ingest(batchOf(evs, 0, 2));
  c.ingest(batchOf(evs, 4, 6, [[2, 3]]));
  c.flush();
  assert.equal(status(c), "unknown");
  assert.equal(c.metrics().dropped, 2);
  assert.equal(c.metrics().gaps, 0, "declared drops are not undeclared gaps");
  now.t = 999;
  c.advance();
  assert.equal(status(c), "unknown");
  now.t = 1_000;
  c.advance();
  const p = c.partition(HASH, "lock:1")!;
  assert.equal(p.status, "ok");
  assert.equal(p.incomplete, true, "a declared hole still makes the verdicts uncertain");
  assert.equal(c.metrics().dropped, 2);
  assert.equal(c.metrics().lost, 0, "declared drops are never counted lost");
  assert.deepEqual([c.nodes()[0]!.droppedEvents, c.nodes()[0]!.lostEvents], [2, 0]);
  assert.deepEqual(
    log.all.filter((e) => e.type === "hole").map((e) =>
      e.type === "hole" && [e.first, e.last, e.declared, e.reason]
    ),
    [[2, 3, true, "timeout"]],
  );
  assert.ok(log.all.some((e) => e.type === "status" && e.status === "ok" && e.incomplete));
});

Deno.test("An undeclared gap times out into a permanent hole and a late filler is still applied", () => {
  const evs = cycles(new Recorder(), 2);
  const now = { t: 0 };
  const c = collector(now, 500);
  c.ingest(batchOf(evs, 0, 1));
  c.ingest(batchOf(evs, 2, 4));
  now.t = 600;
  c.advance();
  assert.equal(status(c), "ok");
  assert.equal(c.partition(HASH, "lock:1")!.incomplete, true);
  const r = c.ingest(batchOf(evs, 1, 2));
  assert.deepEqual([r.accepted, r.late], [1, 1]);
  assert.equal(c.partition(HASH, "lock:1")!.applied, 4);
});

Deno.test("A new boot id restarts the node's numbering without a gap", () => {
  const rec = new Recorder();
  const first = cycles(rec, 1, "a", "boot-1");
  const second = cycles(rec, 1, "a", "boot-2");
  const c = collector();
  c.ingest(batchOf(first, 0, 2));
  c.ingest(batchOf(second, 0, 2));
  c.flush();
  assert.equal(status(c), "ok");
  assert.equal(c.metrics().gaps, 0);
  const n = c.nodes();
  assert.equal(n.length, 1);
  assert.equal(n[0]!.boot, "boot-2");
  assert.equal(c.partition(HASH, "lock:1")!.participants.length, 1);
  // The second boot starting at 1 would have been a gap.
  const c2 = collector();
  c2.ingest(batchOf(first, 0, 2));
  c2.ingest(batchOf(second, 1, 2));
  c2.flush();
  assert.equal(status(c2), "unknown");
});

Deno.test("A redelivered batch changes nothing and counts as duplicates", () => {
  const rec = new Recorder();
  const a = nodeOf(rec, "a");
  const b = nodeOf(rec, "b");
  a.m("lock:1").step("acquire", { c: 1 });
  b.clock.t += 5;
  b.m("lock:1").step("acquire", { c: 2 });
  const c = collector();
  const log = listen(c);
  const ba = batchOf(a.events(), 0, 1);
  const bb = batchOf(b.events(), 0, 1);
  c.ingest(ba);
  c.ingest(bb);
  c.flush();
  const before = JSON.stringify(c.partitions());
  const r = c.ingest(ba);
  c.ingest(bb);
  c.flush();
  assert.deepEqual([r.accepted, r.duplicates], [0, 1]);
  assert.equal(JSON.stringify(c.partitions()), before);
  assert.equal(c.metrics().duplicates, 2);
  assert.equal(c.metrics().applied, 2);
  assert.equal(log.violations().length, 1);
});

Deno.test("An event arriving after its window closed is applied and reported late, never over a newer state", () => {
  const rec = new Recorder();
  const a = nodeOf(rec, "a");
  const b = nodeOf(rec, "b");
  b.m("lock:1").step("acquire", { c: 2 }); // wall 1_000_000
  a.clock.t += 50;
  a.m("lock:1").step("acquire", { c: 1 });
  a.clock.t += 10;
  a.m("lock:1").step("release", { c: 1 });
  const now = { t: 0 };
  const c = collector(now);
  const log = listen(c);
  c.ingest(batchOf(a.events(), 0, 2));
  now.t = 200;
  c.advance();
  assert.equal(status(c), "ok");
  c.ingest(batchOf(b.events(), 0, 1));
  assert.equal(c.metrics().late, 1);
  const late = log.all.find((e) => e.type === "late");
  assert.ok(
    late !== undefined && late.type === "late" && late.event.node === "b" && late.event.late,
  );
  const p = c.partition(HASH, "lock:1")!;
  assert.equal(p.applied, 3);
  // b's acquire is b's newest: it becomes b's state; both were never held at once in
  // HLC order, but the merged cut now has a free and b held.
  assert.deepEqual(p.participants.map((x) => [x.node, x.state.mode]), [["a", "free"], [
    "b",
    "held",
  ]]);
  assert.equal(log.violations().length, 0);
});

Deno.test("Non-ok local verdicts are counted per node and announced, not raised as violations", () => {
  const rec = new Recorder();
  const a = nodeOf(rec, "a");
  a.m("lock:1").step("release", { c: 1 }); // refused: not held (observe mode)
  a.m("lock:1").step("acquire", { c: 1 });
  const c = collector();
  const log = listen(c);
  c.ingest(batchOf(a.events(), 0, 2));
  c.flush();
  assert.deepEqual(c.nodes()[0]!.localVerdicts, { guard_failed: 1 });
  assert.equal(c.metrics().localVerdicts, 1);
  const lv = log.all.find((e) => e.type === "local_verdict");
  assert.ok(lv !== undefined && lv.type === "local_verdict" && lv.event.verdict === "guard_failed");
  assert.match(lv.event.verdictDetail, /require/);
  assert.equal(log.violations().length, 0);
  assert.equal(status(c), "ok");
});

Deno.test("Unknown specs and batches that do not fit the spec are refused before anything changes", () => {
  const evs = cycles(new Recorder(), 1);
  const c = collector();
  const good = batchOf(evs, 0, 2);
  assert.throws(() => c.ingest({ ...good, spec: "f".repeat(64) }), UnknownSpecError);
  const bad = {
    ...good,
    events: [good.events[0]!, { ...good.events[1]!, state: new Uint8Array(3) }],
  };
  assert.throws(
    () => c.ingest(bad),
    (e) => e instanceof InvalidBatchError && e.at === "ev[1].state",
  );
  const badAction = { ...good, events: [{ ...good.events[0]!, action: 99 }] };
  assert.throws(() => c.ingest(badAction), InvalidBatchError);
  assert.equal(c.metrics().batchesRejected, 3);
  assert.equal(c.metrics().events, 0);
  assert.equal(c.partitions().length, 0);
  assert.equal(c.nodes().length, 0);
});

Deno.test("A partition with only buffered events reads unknown, never ok", () => {
  const evs = cycles(new Recorder(), 1);
  const now = { t: 0 };
  const c = collector(now);
  c.ingest(batchOf(evs, 0, 2));
  assert.equal(status(c), "unknown");
  assert.equal(c.partition(HASH, "lock:1")!.buffered, 2);
  assert.equal(c.metrics().buffered, 2);
  now.t = 100;
  c.advance();
  assert.equal(status(c), "ok");
});

Deno.test("appliedThrough and isApplied cover only applied events", () => {
  const evs = cycles(new Recorder(), 3);
  const now = { t: 0 };
  const c = collector(now);
  const id = { spec: HASH, specName: "Lease", node: "a", boot: "a-1" };
  assert.equal(c.appliedThrough(id), -1);
  c.ingest(batchOf(evs, 0, 2));
  now.t = 50;
  c.ingest(batchOf(evs, 2, 4));
  assert.equal(c.appliedThrough(id), -1);
  now.t = 100;
  c.advance();
  assert.equal(c.appliedThrough(id), 1);
  assert.equal(c.isApplied(id, 0, 2), true);
  assert.equal(c.isApplied(id, 2, 2), false);
  now.t = 150;
  c.advance();
  assert.equal(c.appliedThrough(id), 3);
  assert.equal(c.isApplied(id, 2, 2), true);
});

Deno.test("A violation is raised once per episode and again when it recurs after clearing", () => {
  const rec = new Recorder();
  const a = nodeOf(rec, "a");
  const b = nodeOf(rec, "b");
  const step = (n: typeof a, action: string, c: number) => {
    a.clock.t += 10;
    b.clock.t += 10;
    n.m("lock:1").step(action, { c });
  };
  step(a, "acquire", 1);
  step(b, "acquire", 2); // episode 1 starts
  step(b, "acquire", 2); // refused, still violated: no new alert
  step(a, "release", 3); // refused (owner is 1): still violated
  step(b, "release", 2); // clears
  step(b, "acquire", 2); // episode 2
  const c = collector();
  const log = listen(c);
  c.ingest(batchOf(a.events(), 0, a.events().length));
  c.ingest(batchOf(b.events(), 0, b.events().length));
  c.flush();
  const vs = log.violations();
  assert.equal(vs.length, 2);
  assert.deepEqual(vs.map((v) => v.id.split(":").slice(1)), [["lock", "1", "1"], [
    "lock",
    "1",
    "2",
  ]]);
  assert.equal(log.all.filter((e) => e.type === "violation_cleared").length, 1);
  assert.equal(status(c), "violated");
});
