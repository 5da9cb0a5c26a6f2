/**
 * A rolling upgrade of three replicas from version 1 to version 2 of a
 * spec (`specs/upgrade/lease_v1.vigil`, `lease_v2.vigil`), through the real
 * SDK (monitors, batcher, wire encoding) into a collector started with
 * both versions: one partition per instance key whatever the versions, a
 * split brain injected while the replicas run different versions is alerted
 * once with both nodes, nothing is dropped, no instance is `unknown` once
 * the reorder window has passed, and each node's version is shown. Then
 * version 1 is retired: the collector restarts with version 2 only, and a
 * batch of version 1 is refused with a reason that says what to do.
 */
import assert from "node:assert/strict";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import { UnknownSpecError } from "../edge/engine/errors.ts";
import type { Collector, CollectorEvent, CollectorSnapshot } from "../edge/engine/types.ts";
import type { CompiledSpec } from "../lib/abi/compiled.ts";
import { collectorVersion, FakeTime, UpgradeNode } from "./upgrade_fixture.ts";

const WINDOW_MS = 50;
const KEYS = ["lock:0", "lock:1", "lock:2", "lock:3"];

/** A collector fed by three replicas, with what it announced and what it refused. */
class Rollout {
  readonly time = new FakeTime(1_750_000_000_000);
  readonly collector: Collector;
  readonly events: CollectorEvent[] = [];
  readonly refusals: unknown[] = [];
  readonly nodes: UpgradeNode[];
  #collector: Collector;

  constructor(specs: readonly CompiledSpec[], now?: () => number) {
    const collector = createCollector({ specs, now: now ?? this.time.now, windowMs: WINDOW_MS });
    this.#collector = this.collector = collector;
    collector.on((e) => this.events.push(e));
    const deliver = (bytes: Uint8Array) => {
      try {
        this.#collector.ingestBytes(bytes);
      } catch (e) {
        this.refusals.push(e);
      }
    };
    this.nodes = ["node-1", "node-2", "node-3"].map((id) =>
      new UpgradeNode(id, { time: this.time, deliver })
    );
  }

  /** Sends what the replicas hold, then lets the reorder window pass and advances the collector. */
  async settle(): Promise<void> {
    for (const n of this.nodes) await n.flush();
    this.time.t += WINDOW_MS + 1;
    this.#collector.advance(this.time.t);
  }

  /** One lease handoff per key: replica `i` acquires then releases, round-robin. */
  round(offset: number): void {
    KEYS.forEach((key, k) => {
      const i = (k + offset) % this.nodes.length;
      const n = this.nodes[i]!;
      assert.equal(n.step(key, "acquire", { c: i + 1 }), "ok");
      assert.equal(n.step(key, "release", { c: i + 1 }), "ok");
    });
  }

  /** Every partition's status, by id. */
  statuses(): Record<string, string> {
    return Object.fromEntries(this.collector.partitions().map((p) => [p.id, p.status]));
  }

  /** Each node's version of Lease, as the collector shows it. */
  versions(): Record<string, [string, boolean]> {
    return Object.fromEntries(
      this.collector.nodes().map((n) => {
        const v = n.versions.find((x) => x.specName === "Lease")!;
        return [n.node, [v.spec, v.current]];
      }),
    );
  }

  /** After the window: no partition unknown or mixed, nothing refused. */
  assertSettled(where: string): void {
    for (const p of this.collector.partitions()) {
      assert.ok(p.status !== "unknown" && p.status !== "mixed", `${where}: ${p.id} is ${p.status}`);
      assert.equal(p.buffered, 0, `${where}: ${p.id} has events waiting`);
    }
    assert.deepEqual(this.refusals, [], `${where}: refusals`);
  }
}

Deno.test("Three replicas roll from v1 to v2 one by one: a split brain in the mixed phase is alerted once with both nodes, nothing is dropped or unknown past the window", async () => {
  const [v1, v2] = [await collectorVersion(1), await collectorVersion(2)];
  const r = new Rollout([v1, v2]);
  for (const n of r.nodes) await n.start(1);
  const h1 = r.nodes[0]!.hash;
  assert.equal(h1, v1.meta.sourceHash);
  r.round(0);
  r.round(1);
  await r.settle();
  r.assertSettled("all on v1");
  assert.deepEqual(r.versions(), {
    "node-1": [h1, false],
    "node-2": [h1, false],
    "node-3": [h1, false],
  });

  const h2 = v2.meta.sourceHash;
  for (let k = 0; k < 3; k++) {
    await r.nodes[k]!.restart(2);
    assert.equal(r.nodes[k]!.hash, h2);
    r.round(k);
    // v2's own action, while other replicas still run v1.
    assert.equal(r.nodes[k]!.step("lock:0", "acquire", { c: 5 }), "ok");
    assert.equal(r.nodes[k]!.step("lock:0", "renew", { c: 5 }), "ok");
    assert.equal(r.nodes[k]!.step("lock:0", "release", { c: 5 }), "ok");
    await r.settle();
    r.assertSettled(`node-${k + 1} on v2`);
    const shown = r.versions();
    r.nodes.forEach((n, i) =>
      assert.deepEqual(shown[n.id], i <= k ? [h2, true] : [h1, false], `${n.id} after ${k + 1}`)
    );
    if (k !== 0) continue;

    // The mixed phase: node-2 (v1) and node-1 (v2) both take lock:split.
    const [n1, n2] = r.nodes as [UpgradeNode, UpgradeNode];
    assert.equal(n2.version, 1);
    assert.equal(n2.step("lock:split", "acquire", { c: 2 }), "ok");
    assert.equal(n1.step("lock:split", "acquire", { c: 1 }), "ok");
    await r.settle();
    assert.equal(r.statuses()["Lease/lock:split"], "violated");
    const [v] = r.collector.violations();
    assert.equal(r.collector.violations().length, 1);
    assert.equal(v!.property.name, "OneHolder");
    assert.deepEqual([...v!.nodes].sort(), ["node-1", "node-2"]);
    assert.equal(v!.incomplete, false);
    // The cut is in v2's layout: node-2's v1 state converted (renewals at its initial value).
    const cut = Object.fromEntries(v!.cut.map((c) => [c.node, c]));
    assert.deepEqual(cut["node-2"]!.state, { mode: "held", owner: 2, token: 1, renewals: 0 });
    assert.equal(cut["node-2"]!.spec, h1);
    assert.deepEqual(cut["node-1"]!.state, { mode: "held", owner: 1, token: 1, renewals: 0 });
    assert.equal(cut["node-1"]!.spec, undefined);
    // Each event is described with its own version's actions (acquire is #0 in v1, #1 in v2).
    assert.deepEqual(
      v!.history.map((e) => [e.node, e.action, e.args, e.spec ?? "v2"]),
      [["node-2", "acquire", { c: 2 }, h1], ["node-1", "acquire", { c: 1 }, "v2"]],
    );
    assert.equal(n2.step("lock:split", "release", { c: 2 }), "ok");
    assert.equal(n1.step("lock:split", "release", { c: 1 }), "ok");
    await r.settle();
    r.assertSettled("split brain over");
  }

  // Alerted once, with both nodes; nothing dropped, lost, refused or waiting.
  const violations = r.events.flatMap((e) => e.type === "violation" ? [e.violation] : []);
  assert.deepEqual(violations.map((v) => [v.partition, [...v.nodes].sort()]), [[
    "lock:split",
    ["node-1", "node-2"],
  ]]);
  assert.deepEqual(r.events.filter((e) => e.type === "gap" || e.type === "hole"), []);
  assert.deepEqual(
    r.events.filter((e) => e.type === "status" && (e.status === "unknown" || e.status === "mixed")),
    [],
    "no partition went back to unknown, none was mixed",
  );
  const sent = r.nodes.reduce((n, x) => n + x.steps, 0);
  const m = r.collector.metrics();
  assert.deepEqual(
    [m.events, m.applied, m.dropped, m.lost, m.gaps, m.duplicates, m.batchesRejected],
    [sent, sent, 0, 0, 0, 0, 0],
  );
  assert.ok(m.converted > 0, "v1 states were converted");
  assert.deepEqual([m.unconvertible, m.mixedPartitions, m.unknownVersion], [0, 0, 0]);
  // One partition per key, whatever the versions, all in v2's layout.
  const parts = r.collector.partitions();
  assert.deepEqual(
    parts.map((p) => p.id).sort(),
    [...KEYS, "lock:split"].map((k) => `Lease/${k}`).sort(),
  );
  assert.ok(parts.every((p) => p.spec === h2 && p.status === "ok"));
  assert.deepEqual(Object.values(r.versions()), [[h2, true], [h2, true], [h2, true]]);

  // Retire v1: restart the collector with v2 only.
  const saved = JSON.parse(JSON.stringify(r.collector.snapshot())) as CollectorSnapshot;
  const after = restoreCollector(saved, {
    specs: [await collectorVersion(2)],
    now: () => r.time.t,
    windowMs: WINDOW_MS,
  });
  assert.equal(after.metrics().retiredStreams, 3, "each node's v1 stream left out");
  assert.deepEqual(
    after.partitions().map((p) => [p.id, p.status]),
    parts.map((p) => [p.id, p.status]),
  );
  assert.deepEqual(after.violations(), r.collector.violations());
  // Events of the retired version are still shown, by number.
  const split = after.partition("Lease", "lock:split")!.participants.find((p) =>
    p.node === "node-2"
  )!;
  assert.deepEqual(
    split.lastEvents.map((e) => [e.action, e.args, e.verdict, e.spec]),
    [["#0", { 0: 2 }, "ok", h1], ["#1", { 0: 2 }, "ok", h1]],
  );
  assert.deepEqual(
    after.nodes().map((n) => n.versions),
    r.collector.nodes().map((n) => n.versions),
  );
});

Deno.test("A batch of a version the collector was not started with is refused, naming the spec, the hash and what to do, and counted", async () => {
  const v2 = await collectorVersion(2);
  const r = new Rollout([v2], () => Date.now());
  const [n1, n2] = r.nodes as [UpgradeNode, UpgradeNode];
  await n1.start(2);
  await n2.start(1);
  n1.step("lock:0", "acquire", { c: 1 });
  n2.step("lock:0", "acquire", { c: 2 });
  n2.step("lock:0", "release", { c: 2 });
  await n1.flush();
  await n2.flush();
  assert.equal(r.refusals.length, 1);
  const e = r.refusals[0];
  assert.ok(e instanceof UnknownSpecError);
  assert.equal(e.spec, n2.hash);
  assert.deepEqual(e.served, [v2.meta.sourceHash]);
  assert.equal(
    e.message,
    `Unknown version of spec 'Lease' (hash '${n2.hash}'): the collector serves version '${
      v2.meta.sourceHash.slice(0, 12)
    }'; start it with this version too to check this node's events`,
  );
  const m = r.collector.metrics();
  assert.deepEqual([m.unknownVersion, m.batchesRejected, m.events], [1, 1, 1]);
  // A spec the collector does not serve at all says so too.
  const other = new UnknownSpecError("ab".repeat(32), "Order");
  assert.match(
    other.message,
    /^Unknown spec 'Order' \(hash 'abab.*'\): start the collector with this spec/,
  );
});
