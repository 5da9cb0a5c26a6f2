/**
 * Changes that do not convert: a retyped variable (`specs/upgrade/lease_v3.vigil`
 * retypes `renewals` of version 2), and, rolling back from version 2 to
 * version 1, a removed enum label in use and a value outside a narrowed
 * range. The partitions whose latest state does not convert are `mixed`,
 * with the reason, in the API, the notifications and the counters, and
 * only them; they are `ok` again once the node's state converts. A
 * snapshot taken under one newest version restores under another: its
 * states are converted (or marked `mixed`) and its histories keep naming
 * the version of each event.
 */
import assert from "node:assert/strict";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import type { Collector, CollectorEvent, CollectorSnapshot } from "../edge/engine/types.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import { collectorVersion, FakeTime, UpgradeNode } from "./upgrade_fixture.ts";

/** A collector over `specs` and a way to settle after steps. */
function setup(specs: readonly CompiledSpec[]) {
  const time = new FakeTime(1_750_000_000_000);
  const collector = createCollector({ specs, now: time.now, windowMs: 10 });
  const events: CollectorEvent[] = [];
  collector.on((e) => events.push(e));
  const refusals: unknown[] = [];
  const deliver = (bytes: Uint8Array) => {
    try {
      collector.ingestBytes(bytes);
    } catch (e) {
      refusals.push(e);
    }
  };
  const node = (id: string) => new UpgradeNode(id, { time, deliver });
  const settle = async (...nodes: UpgradeNode[]) => {
    for (const n of nodes) await n.flush();
    time.t += 11;
    collector.advance(time.t);
    assert.deepEqual(refusals, []);
  };
  return { time, collector, events, node, settle };
}

/** Status and mixed reasons of every partition, by key. */
function outcome(c: Collector): Record<string, [string, string[]]> {
  return Object.fromEntries(
    c.partitions().map((p) => [p.key, [p.status, p.mixed.map((m) => `${m.node}: ${m.reason}`)]]),
  );
}

const short = (h: string) => h.slice(0, 12);

Deno.test("A retyped variable marks mixed, with its reason, every partition whose latest state comes from the old version, until that node upgrades", async () => {
  const [v2, v3] = [await collectorVersion(2), await collectorVersion(3)];
  const { collector, events, node, settle } = setup([v2, v3]);
  const old = await node("api-1").start(2);
  const fresh = await node("api-2").start(3);
  old.step("lock:a", "acquire", { c: 1 });
  old.step("lock:a", "renew", { c: 1 });
  fresh.step("lock:b", "acquire", { c: 2 });
  fresh.step("lock:b", "renew", { c: 2 });
  // api-2 takes lock:a too: a split brain the collector cannot judge, since api-1's state is
  // not in v3's terms. It says so: lock:a is mixed, not ok.
  fresh.step("lock:a", "acquire", { c: 3 });
  await settle(old, fresh);
  const reason = `api-1: Variable 'renewals' changed type from '0..100' to 'bool' (version '${
    short(v2.meta.sourceHash)
  }' to '${short(v3.meta.sourceHash)}')`;
  assert.deepEqual(outcome(collector), { "lock:a": ["mixed", [reason]], "lock:b": ["ok", []] });
  fresh.step("lock:a", "release", { c: 3 });
  await settle(fresh);
  assert.deepEqual(outcome(collector)["lock:a"], ["mixed", [reason]]);
  const m = collector.metrics();
  assert.deepEqual([m.unconvertible, m.converted, m.mixedPartitions], [2, 0, 1]);
  assert.ok(
    events.some((e) => e.type === "status" && e.partition.key === "lock:a" && e.status === "mixed"),
    "the status change is announced",
  );
  // The cut shows the participant's last converted state (none: its initial state) and its version.
  const cut = collector.partition("Lease", "lock:a")!.participants.find((p) => p.node === "api-1")!;
  assert.equal(cut.spec, v2.meta.sourceHash);

  // api-1 upgrades to v3: its next state converts (it is v3's own), and the partition is ok again.
  await old.restart(3);
  old.step("lock:a", "acquire", { c: 1 });
  old.step("lock:a", "release", { c: 1 });
  await settle(old);
  assert.deepEqual(outcome(collector), { "lock:a": ["ok", []], "lock:b": ["ok", []] });
  assert.equal(collector.metrics().mixedPartitions, 0);
  assert.equal(collector.partition("Lease", "lock:a")!.participants[0]!.spec, undefined);
});

Deno.test("Rolling back to v1: a state holding a removed enum label or a value outside a narrowed range is mixed, the others convert", async () => {
  const [v2, v1] = [await collectorVersion(2), await collectorVersion(1)];
  const { collector, node, settle } = setup([v2, v1]); // v1 listed last: the newest
  const n = await node("api-1").start(2);
  n.step("lock:expired", "acquire", { c: 1 });
  n.step("lock:expired", "expire");
  n.step("lock:wide", "acquire", { c: 6 });
  n.step("lock:fine", "acquire", { c: 2 });
  n.step("lock:fine", "renew", { c: 2 });
  await settle(n);
  const versions = `(version '${short(v2.meta.sourceHash)}' to '${short(v1.meta.sourceHash)}')`;
  assert.deepEqual(outcome(collector), {
    "lock:expired": ["mixed", [
      `api-1: Variable 'mode' holds 'expired', a label the new version does not have ${versions}`,
    ]],
    "lock:wide": ["mixed", [
      `api-1: Variable 'owner' holds 6, outside '0..3' of the new version ${versions}`,
    ]],
    "lock:fine": ["ok", []],
  });
  // The converted state is v1's: `renewals` dropped, `audited` at its initial value.
  assert.deepEqual(collector.partition("Lease", "lock:fine")!.participants[0]!.state, {
    mode: "held",
    owner: 2,
    token: 1,
    audited: false,
  });
  assert.equal(collector.metrics().mixedPartitions, 2);
  // Two v1 nodes take lock:wide: violated wins over mixed, and the violation says its cut may be stale.
  const [a, b] = [await node("api-2").start(1), await node("api-3").start(1)];
  a.step("lock:wide", "acquire", { c: 1 });
  b.step("lock:wide", "acquire", { c: 2 });
  await settle(a, b);
  assert.deepEqual(outcome(collector)["lock:wide"]![0], "violated");
  assert.equal(outcome(collector)["lock:wide"]![1].length, 1);
  const [violation] = collector.violations();
  assert.deepEqual([...violation!.nodes].sort(), ["api-2", "api-3"]);
  assert.equal(violation!.incomplete, true);
  a.step("lock:wide", "release", { c: 1 });
  b.step("lock:wide", "release", { c: 2 });
  await settle(a, b);
  assert.deepEqual(outcome(collector)["lock:wide"]![0], "mixed");
  // The same node, still on v2, reaches states that convert: mixed clears per partition.
  n.step("lock:expired", "acquire", { c: 3 });
  await settle(n);
  assert.deepEqual(outcome(collector)["lock:expired"], ["ok", []]);
  assert.deepEqual(outcome(collector)["lock:wide"]![0], "mixed");
  assert.equal(collector.metrics().mixedPartitions, 1);
});

Deno.test("A snapshot taken under v1 restores under v1 and v2: states converted to v2, histories still read as v1 events", async () => {
  const { collector, node, settle } = setup([await collectorVersion(1)]);
  const n = await node("api-1").start(1);
  n.step("lock:a", "acquire", { c: 1 });
  n.step("lock:a", "audit");
  await settle(n);
  const saved = JSON.parse(JSON.stringify(collector.snapshot())) as CollectorSnapshot;
  const v2 = await collectorVersion(2);
  const back = restoreCollector(saved, { specs: [await collectorVersion(1), v2] });
  const p = back.partition("Lease", "lock:a")!;
  assert.equal(p.spec, v2.meta.sourceHash);
  assert.deepEqual(p.participants[0]!.state, { mode: "held", owner: 1, token: 1, renewals: 0 });
  assert.deepEqual(
    p.participants[0]!.lastEvents.map((e) => [e.action, e.spec]),
    [["acquire", saved.partitions[0]!.spec], ["audit", saved.partitions[0]!.spec]],
  );
  assert.equal(p.status, "ok");
  // Restored under v2 only (v1 retired before its states were converted), the snapshot cannot be read.
  assert.throws(
    () => restoreCollector(saved, { specs: [v2] }),
    /holds partition 'lock:a' of spec hash '[0-9a-f]{64}', which is not served: start the collector with that version too/,
  );
});

Deno.test("A snapshot whose state does not convert restores mixed, with the reason and the count", async () => {
  const { collector, node, settle } = setup([await collectorVersion(2)]);
  const n = await node("api-1").start(2);
  n.step("lock:a", "acquire", { c: 1 });
  n.step("lock:a", "expire");
  n.step("lock:b", "acquire", { c: 1 });
  await settle(n);
  const saved = JSON.parse(JSON.stringify(collector.snapshot())) as CollectorSnapshot;
  const back = restoreCollector(saved, {
    specs: [await collectorVersion(2), await collectorVersion(1)],
  });
  assert.deepEqual(outcome(back)["lock:a"]![0], "mixed");
  assert.match(outcome(back)["lock:a"]![1][0]!, /holds 'expired'.*at restore\)$/);
  assert.deepEqual(outcome(back)["lock:b"], ["ok", []]);
  assert.equal(back.metrics().mixedPartitions, 1);
  // A snapshot of the mixed collector keeps the reason.
  const again = restoreCollector(JSON.parse(JSON.stringify(back.snapshot())), {
    specs: [await collectorVersion(2), await collectorVersion(1)],
  });
  assert.deepEqual(outcome(again), outcome(back));
  assert.equal(again.metrics().mixedPartitions, 1);
});

Deno.test("The last version listed is the newest, and listing one version twice is refused", async () => {
  const [v1, v2] = [await collectorVersion(1), await collectorVersion(2)];
  const { collector, node, settle } = setup([v2, v1]);
  const n = await node("api-1").start(2);
  n.step("lock:a", "acquire", { c: 1 });
  await settle(n);
  assert.equal(collector.partition("Lease", "lock:a")!.spec, v1.meta.sourceHash);
  assert.deepEqual(collector.nodes()[0]!.versions, [
    { specName: "Lease", spec: v2.meta.sourceHash, current: false },
  ]);
  assert.throws(
    () => createCollector({ specs: [v1, v2, v1] }),
    new TypeError(`Spec 'Lease' (hash '${v1.meta.sourceHash}') is listed twice`),
  );
});
