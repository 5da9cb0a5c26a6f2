import assert from "node:assert/strict";
import { FakeNow, loadExample } from "../tools/harness/sdk_fixture.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { compareHlc, createClock } from "../runtime/monitor/clock.ts";
import { decodeBatch } from "../lib/wire/decode.ts";
import type { DecodedBatch, DecodedEvent } from "../lib/wire/event.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import { createNode } from "../runtime/monitor/node.ts";
import { UNKNOWN_ACTION_INDEX } from "../lib/abi/verdict_codes.ts";
import { specFromCompiled } from "../runtime/monitor/load_spec.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";

const lease = await loadExample("lease");

/** A memory transport and batcher collecting decoded batches. */
function collector() {
  const transport = memoryTransport();
  const batches: DecodedBatch[] = [];
  transport.subscribe((bytes) => void batches.push(decodeBatch(bytes)));
  const batcher = createBatcher(transport, { maxEvents: 4, maxDelayMs: 1 });
  return { batcher, batches };
}

function eventsOf(batches: readonly DecodedBatch[], node: string): DecodedEvent[] {
  return batches.filter((b) => b.node === node).flatMap((b) => b.events);
}

Deno.test("Every step with a sink arrives in the batcher with its stream id, sequence and verdict", async () => {
  const { batcher, batches } = collector();
  const node = createNode({ id: "api-1", boot: "boot-1" });
  const m = lease.monitor({ node, key: "lock:orders", sink: batcher, mode: "observe" });
  m.step("acquire", { c: 2 });
  m.step("acquire", { c: 3 });
  m.tryStep("release", { c: 2 });
  m.step("steal");
  m.check("acquire", { c: 1 });
  await batcher.close();
  assert.ok(batches.length >= 1);
  for (const b of batches) {
    assert.equal(b.spec, lease.hash);
    assert.equal(b.specName, "Lease");
    assert.equal(b.node, "api-1");
    assert.equal(b.boot, "boot-1");
  }
  const events = eventsOf(batches, "api-1");
  assert.deepEqual(events.map((e) => e.seq), [0, 1, 2, 3], "check emits nothing");
  assert.deepEqual(events.map((e) => e.action), [0, 0, 1, UNKNOWN_ACTION_INDEX]);
  assert.deepEqual(events.map((e) => e.args), [[2], [3], [2], []]);
  assert.deepEqual(events.map((e) => lease.verdict(e.verdict).kind), [
    "ok",
    "guard_failed",
    "ok",
    "unknown_action",
  ]);
  assert.ok(events.every((e) => e.key === "lock:orders"));
  const view = (e: DecodedEvent) => {
    const probe = lease.monitor();
    probe.setStateBytes(e.state);
    const s = probe.state;
    probe.close();
    return s;
  };
  assert.deepEqual([view(events[0]!).mode, view(events[1]!).owner, view(events[2]!).mode], [
    "held",
    2,
    "free",
  ]);
  for (let i = 1; i < events.length; i++) {
    assert.ok(compareHlc(events[i - 1]!, events[i]!) < 0, "HLC strictly increases per node");
  }
});

Deno.test("A receive event orders after its send across nodes with skewed wall clocks", async () => {
  const { batcher, batches } = collector();
  const fastNow = new FakeNow(50_000);
  const slowNow = new FakeNow(10_000);
  const a = lease.monitor({
    node: "a",
    clock: createClock({ now: fastNow.now }),
    key: "x",
    sink: batcher,
  });
  const b = lease.monitor({
    node: "b",
    clock: createClock({ now: slowNow.now }),
    key: "y",
    sink: batcher,
  });
  a.step("acquire", { c: 1 });
  const stamp = a.stamp();
  b.observe(stamp);
  b.step("acquire", { c: 2 });
  slowNow.t += 5;
  b.step("release", { c: 2 });
  await batcher.close();
  const [sent] = eventsOf(batches, "a");
  const [received, later] = eventsOf(batches, "b");
  assert.ok(sent && received && later);
  assert.ok(
    received.wall < 50_001 && received.wall >= 50_000,
    "receiver adopted the sender's wall",
  );
  assert.ok(compareHlc(sent, received) < 0);
  assert.ok(compareHlc(received, later) < 0, "still ordered after the receiver's clock moved");
});

Deno.test("Two specs sharing a node context share one clock", async () => {
  const counter = await loadExample("toggle");
  const { batcher, batches } = collector();
  const node = createNode({ id: "n", clock: createClock({ now: () => 7 }) });
  const m1 = lease.monitor({ node, key: "l", sink: batcher });
  const m2 = counter.monitor({ node, key: "c", sink: batcher, mode: "observe" });
  m1.tryStep("acquire", { c: 0 });
  m2.tryStep(counter.actions[0]!, {});
  m1.tryStep("release", { c: 0 });
  await batcher.close();
  const all = batches.flatMap((b) => b.events.map((e) => ({ spec: b.specName, e })));
  all.sort((x, y) => compareHlc(x.e, y.e));
  assert.deepEqual(all.map((x) => [x.spec, x.e.logical]), [
    ["Lease", 0],
    [counter.name, 1],
    ["Lease", 2],
  ]);
});

Deno.test("A string node id gives one context per id within a loaded spec", () => {
  const m1 = lease.monitor({ node: "same", key: "1" });
  const m2 = lease.monitor({ node: "same", key: "2" });
  assert.equal(m1.node, m2.node);
  assert.notEqual(m1.node, lease.monitor({ node: "other" }).node);
  assert.throws(() => lease.monitor({ node: "same", clock: createClock() }), /another clock/);
  m1.close();
  m2.close();
});

Deno.test("Monitor stamp ticks the clock and observe advances it", () => {
  const now = new FakeNow(100);
  const m = lease.monitor({ node: createNode({ id: "s", clock: createClock({ now: now.now }) }) });
  const s1 = m.stamp();
  const s2 = m.stamp();
  assert.notEqual(s1, s2);
  m.observe("zz-5");
  assert.deepEqual(m.node.clock.peek(), { wall: parseInt("zz", 36), logical: 6 });
  m.close();
});

Deno.test("Event states cut from a slab (loader with copyState) stay intact after later steps", () => {
  const compiled = lease.compiled;
  const withCopy = new Proxy(compiled, {
    get(target, prop) {
      if (prop === "copyState") {
        return (inst: number, out: Uint8Array, at: number) => out.set(target.stateBytes(inst), at);
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  }) as CompiledSpec;
  const spec = specFromCompiled(withCopy);
  const events: { state: Uint8Array }[] = [];
  const m = spec.monitor({ key: "s", sink: { push: (e) => events.push(e) } });
  const expected: Uint8Array[] = [];
  for (let i = 0; i < 3000; i++) {
    m.tryStep(i % 2 === 0 ? "acquire" : "release", { c: i % 4 });
    expected.push(m.stateBytes());
  }
  assert.equal(events.length, 3000);
  events.forEach((e, i) => assert.deepEqual(e.state, expected[i]));
  assert.ok(events[0]!.state.buffer === events[1]!.state.buffer, "one slab for many events");
  m.close();
});
