/**
 * The collector's growth limits: each refuses exactly the batch that would
 * pass it (all or nothing, before anything applies), names itself in
 * `LimitError.limit`, is counted, and leaves everything admitted served
 * with unchanged verdicts; a restored collector enforces the same limits;
 * 100,000 partitions and 10,000 nodes (the default limits) stay within a
 * memory budget.
 *
 * Batches are built with `encodeBatch` over the shipped `dist/lease.js`
 * and go through `ingestBytes` (the columnar path the app and JetStream
 * use), and through `ingest` of the reference-decoded batch where said.
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadCompiled } from "../lib/abi/mod.ts";
import type { CompiledSpec } from "../lib/abi/mod.ts";
import { decodeReference } from "../lib/wire/decode.ts";
import type { EventBody } from "../lib/wire/event.ts";
import { createCollector, restoreCollector } from "../edge/engine/collector.ts";
import { LimitError } from "../edge/engine/errors.ts";
import { DEFAULT_LIMITS, type LimitName } from "../edge/engine/limits.ts";
import type { Collector, CollectorOptions, CollectorSnapshot } from "../edge/engine/types.ts";
import {
  collectGarbage,
  growthWorkload,
  hold,
  ingestAll,
  joinBatch,
  leaseBatches,
  leaseKit,
  loadLease,
  memoryNow,
  wireBatch,
} from "../tools/harness/collector_limits_fixture.ts";

const kit = leaseKit(await loadLease());
const lease = kit.spec;

const { at, batch, keys } = leaseBatches(kit);

/** A collector-side copy of the lease spec with a settable clock. */
async function collector(
  options: Omit<CollectorOptions, "specs" | "now"> = {},
): Promise<{ c: Collector; clock: { t: number }; spec: CompiledSpec }> {
  const clock = { t: 0 };
  const spec = await loadLease();
  const c = createCollector({ specs: [spec], now: () => clock.t, windowMs: 0, ...options });
  return { c, clock, spec };
}

/** The snapshot without the counters (which a refusal changes). */
function state(c: Collector): Omit<CollectorSnapshot, "counters"> {
  const { counters: _, ...rest } = c.snapshot();
  return rest;
}

/**
 * Asserts that ingesting `bytes` (through `ingestBytes`, or `ingest` of its
 * reference decoding) throws `LimitError` naming `limit`, counts it, and
 * changes nothing else.
 */
function assertRefused(
  c: Collector,
  bytes: Uint8Array,
  limit: LimitName,
  path: "bytes" | "decoded" = "bytes",
): void {
  const before = state(c);
  const m0 = c.metrics();
  assert.throws(
    () => path === "bytes" ? c.ingestBytes(bytes) : c.ingest(decodeReference(bytes)),
    (e: unknown) => e instanceof LimitError && e.limit === limit,
  );
  const m1 = c.metrics();
  assert.deepEqual(m1.refusedByLimit, {
    ...m0.refusedByLimit,
    [limit]: m0.refusedByLimit[limit] + 1,
  });
  assert.deepEqual(
    { ...m1, refusedByLimit: null, batchesRejected: m1.batchesRejected - 1 },
    { ...m0, refusedByLimit: null },
  );
  assert.deepEqual(state(c), before);
}

/** What a verdict comparison looks at: each partition's status and participants, and the violations. */
function verdicts(c: Collector) {
  return {
    partitions: c.partitions().map((p) => ({
      key: p.key,
      status: p.status,
      applied: p.applied,
      violated: p.violated,
      nodes: p.participants.map((q) => q.node),
    })),
    violations: c.violations().map((v) => ({ message: v.message, nodes: v.nodes })),
  };
}

for (const path of ["bytes", "decoded"] as const) {
  Deno.test(`maxPartitions refuses exactly the batch that would pass it (${path}); existing partitions keep their verdicts`, async () => {
    const { c } = await collector({ maxPartitions: 3 });
    const reference = (await collector()).c;
    const admitted: Uint8Array[] = [];
    const send = (b: Uint8Array) => {
      if (path === "bytes") c.ingestBytes(b);
      else c.ingest(decodeReference(b));
      admitted.push(b);
    };
    send(batch(at("a", "1", 0), keys(["k0", "k1"])));
    // Two new keys with room for one: the whole batch is refused, even its event for k0.
    assertRefused(c, batch(at("a", "1", 4), keys(["k0", "k2", "k3"])), "maxPartitions", path);
    // One new key (twice) fits.
    send(batch(at("a", "1", 4), keys(["k2", "k2"])));
    assert.equal(c.metrics().partitions, 3);
    assertRefused(c, batch(at("a", "1", 8), keys(["k0", "k4"])), "maxPartitions", path);
    assertRefused(c, batch(at("b", "1", 0), keys(["k5"], 2)), "maxPartitions", path);
    // At the limit, batches for existing partitions are admitted: node b joins k0 and holds
    // it while a holds it, a split brain the collector must still see.
    send(batch(at("a", "1", 8), [hold(kit, "k0", 1, 10)]));
    send(batch(at("b", "1", 0), [hold(kit, "k0", 2, 11), ...keys(["k1"], 2, 12)]));
    c.flush();
    for (const b of admitted) reference.ingestBytes(b);
    reference.flush();
    const got = verdicts(c);
    assert.deepEqual(got, verdicts(reference));
    assert.deepEqual(got.violations.map((v) => [...v.nodes].sort()), [["a", "b"]]);
    assert.match(got.violations[0]!.message, /OneHolder .* in 'k0'/);
    assert.equal(c.metrics().refusedByLimit.maxPartitions, 3);
  });
}

Deno.test("maxNodes refuses a new node past the limit; known nodes keep sending", async () => {
  const { c } = await collector({ maxNodes: 2 });
  c.ingestBytes(batch(at("a", "1", 0), keys(["k0"])));
  c.ingestBytes(batch(at("b", "1", 0), keys(["k0"], 2, 1)));
  assertRefused(c, batch(at("c", "1", 0), keys(["k0"], 3, 2)), "maxNodes");
  assertRefused(c, batch(at("c", "1", 0), keys(["k9"], 3, 2)), "maxNodes");
  // A known node's new boot is no new node.
  c.ingestBytes(batch(at("a", "2", 0), keys(["k1"], 1, 3)));
  c.ingestBytes(batch(at("b", "1", 2), keys(["k1"], 2, 4)));
  c.flush();
  assert.deepEqual(c.nodes().map((n) => n.node), ["a", "b"]);
  assert.deepEqual(c.partitions().map((p) => [p.key, p.status, p.applied]), [
    ["k0", "ok", 4],
    ["k1", "ok", 4],
  ]);
  assert.equal(c.metrics().refusedByLimit.maxNodes, 2);
  assert.equal(c.metrics().batchesRejected, 2);
});

Deno.test("maxBootsPerNode refuses a node's next stream of a spec; its kept streams keep sending", async () => {
  const { c } = await collector({ maxBootsPerNode: 2 });
  c.ingestBytes(batch(at("a", "1", 0), keys(["k0"])));
  c.ingestBytes(batch(at("a", "2", 0), keys(["k0"], 1, 1)));
  assertRefused(c, batch(at("a", "3", 0), keys(["k0"], 1, 2)), "maxBootsPerNode");
  // Other nodes have their own count; the kept streams go on.
  c.ingestBytes(batch(at("b", "1", 0), keys(["k0"], 2, 3)));
  c.ingestBytes(batch(at("a", "1", 2), keys(["k0"], 1, 4)));
  c.ingestBytes(batch(at("a", "2", 2), keys(["k1"], 1, 5)));
  assertRefused(c, batch(at("a", "3", 0), keys(["k1"], 1, 6)), "maxBootsPerNode");
  c.flush();
  assert.equal(c.metrics().streams, 3);
  assert.deepEqual(c.partitions().map((p) => [p.key, p.status, p.applied]), [
    ["k0", "ok", 8],
    ["k1", "ok", 2],
  ]);
  assert.equal(c.metrics().refusedByLimit.maxBootsPerNode, 2);
});

Deno.test("maxNewBootsPerMinute refuses a node's new boot ids past the rate in any 60 s; a boot id already known for another spec is not new", async () => {
  const counter = await loadCompiled(new URL("../dist/counter3.js", import.meta.url));
  const clock = { t: 0 };
  const c = createCollector({
    specs: [await loadLease(), await loadCompiled(new URL("../dist/counter3.js", import.meta.url))],
    now: () => clock.t,
    windowMs: 0,
    maxNewBootsPerMinute: 2,
  });
  const tickAt = counter.actionIndex("tick");
  const scratch = counter.create();
  counter.stepFn(tickAt)(scratch);
  const tick: EventBody = {
    key: "c0",
    wall: 1_732_170_000_000,
    logical: 0,
    action: tickAt,
    args: [],
    state: counter.stateBytes(scratch),
    verdict: 0,
  };
  c.ingestBytes(batch(at("a", "1", 0), keys(["k0"])));
  clock.t = 10_000;
  c.ingestBytes(batch(at("a", "2", 0), keys(["k0"], 1, 1)));
  clock.t = 20_000;
  assertRefused(c, batch(at("a", "3", 0), keys(["k0"], 1, 2)), "maxNewBootsPerMinute");
  // The same boot id for another spec is a new stream, not a new boot id.
  c.ingestBytes(wireBatch(counter, at("a", "2", 0), [tick]));
  // Another node has its own rate.
  c.ingestBytes(batch(at("b", "1", 0), keys(["k0"], 2, 3)));
  // The window is the last 60 s: at 59 999 ms the first boot still counts, at 60 000 ms not.
  clock.t = 59_999;
  assertRefused(c, batch(at("a", "3", 0), keys(["k0"], 1, 4)), "maxNewBootsPerMinute");
  clock.t = 60_000;
  c.ingestBytes(batch(at("a", "3", 0), keys(["k0"], 1, 5)));
  clock.t = 60_001;
  assertRefused(c, batch(at("a", "4", 0), keys(["k0"], 1, 6)), "maxNewBootsPerMinute");
  clock.t = 70_000;
  c.ingestBytes(batch(at("a", "4", 0), keys(["k0"], 1, 7)));
  c.flush();
  assert.equal(c.metrics().streams, 6);
  assert.equal(c.metrics().refusedByLimit.maxNewBootsPerMinute, 3);
});

Deno.test("maxParticipants counts nodes whose events wait in the reorder window; a full partition refuses a new node, not its members", async () => {
  const { c } = await collector({ maxParticipants: 2, windowMs: 1_000 });
  c.ingestBytes(batch(at("a", "1", 0), keys(["k0"])));
  c.ingestBytes(batch(at("b", "1", 0), keys(["k0"], 2, 1)));
  // Nothing applied yet: no participant, two members.
  assert.deepEqual(c.partition("Lease", "k0")?.participants, []);
  assertRefused(
    c,
    batch(at("c", "1", 0), [...keys(["k1"], 3, 2), ...keys(["k0"], 3, 2)]),
    "maxParticipants",
  );
  // A member's new boot is the same participant.
  c.ingestBytes(batch(at("a", "2", 0), keys(["k0"], 1, 3)));
  c.ingestBytes(batch(at("c", "1", 0), keys(["k1"], 3, 4)));
  c.flush();
  assert.deepEqual(c.partition("Lease", "k0")?.participants.map((q) => q.node), ["a", "b"]);
  assertRefused(c, batch(at("c", "1", 2), keys(["k0"], 3, 5)), "maxParticipants");
  c.ingestBytes(batch(at("b", "1", 2), keys(["k0", "k1"], 2, 6)));
  c.flush();
  assert.deepEqual(
    c.partitions().map((p) => [p.key, p.status, p.participants.map((q) => q.node)]),
    [["k0", "ok", ["a", "b"]], ["k1", "ok", ["c", "b"]]],
  );
  assert.equal(c.metrics().refusedByLimit.maxParticipants, 2);
});

Deno.test("A partition of many participants (buffered together, then applied) holds maxParticipants exactly and keeps its verdicts", async () => {
  const n = 20;
  const { c } = await collector({ maxParticipants: n, windowMs: 1_000 });
  const reference = (await collector({ windowMs: 1_000 })).c;
  const nodes = Array.from({ length: n }, (_, i) => `n${String(i).padStart(2, "0")}`);
  const admitted = nodes.map((node, i) => batch(at(node, "1", 0), keys(["k0"], 1 + (i % 3), i)));
  for (const b of admitted) c.ingestBytes(b);
  assertRefused(c, batch(at("late", "1", 0), keys(["k0"], 1, n)), "maxParticipants");
  c.flush();
  assert.deepEqual(c.partition("Lease", "k0")?.participants.map((q) => q.node), nodes);
  assertRefused(c, batch(at("late", "1", 0), keys(["k0"], 1, n)), "maxParticipants");
  // Two members hold at once: every member is still looked up and checked.
  const more = [
    batch(at(nodes[3]!, "1", 2), [hold(kit, "k0", 1, 2 * n)]),
    batch(at(nodes[17]!, "1", 2), [hold(kit, "k0", 2, 2 * n + 1)]),
  ];
  for (const b of more) c.ingestBytes(b);
  c.flush();
  for (const b of [...admitted, ...more]) reference.ingestBytes(b);
  reference.flush();
  const got = verdicts(c);
  assert.deepEqual(got, verdicts(reference));
  assert.deepEqual(got.violations.map((v) => [...v.nodes].sort()), [[nodes[3], nodes[17]]]);
});

Deno.test("A restored collector keeps the refusal counts and enforces the same limits", async () => {
  const options = {
    windowMs: 0,
    maxPartitions: 3,
    maxNodes: 3,
    maxBootsPerNode: 3,
    maxParticipants: 2,
    maxNewBootsPerMinute: 2,
  };
  const { c, clock } = await collector(options);
  c.ingestBytes(batch(at("a", "1", 0), keys(["k0"])));
  clock.t = 1_000;
  c.ingestBytes(batch(at("a", "2", 0), keys(["k0"], 1, 1)));
  clock.t = 1_500;
  c.ingestBytes(batch(at("b", "1", 0), keys(["k0", "k1"], 2, 2)));
  c.ingestBytes(batch(at("a", "1", 2), keys(["k2"], 1, 3)));
  c.ingestBytes(batch(at("c", "1", 0), keys(["k1"], 3, 4)));
  clock.t = 2_000;
  const refusals: [Uint8Array, LimitName][] = [
    [batch(at("a", "3", 0), keys(["k0"], 1, 5)), "maxNewBootsPerMinute"],
    [batch(at("d", "1", 0), keys(["k0"], 1, 5)), "maxNodes"],
    [batch(at("b", "1", 4), keys(["k5"], 2, 5)), "maxPartitions"],
    [batch(at("c", "1", 2), keys(["k0"], 3, 5)), "maxParticipants"],
  ];
  for (const [b, limit] of refusals) assertRefused(c, b, limit);
  const snap = JSON.parse(JSON.stringify(c.snapshot())) as CollectorSnapshot;
  const clock2 = { t: 3_000 };
  const r = restoreCollector(snap, { specs: [await loadLease()], now: () => clock2.t, ...options });
  assert.deepEqual(r.metrics().refusedByLimit, c.metrics().refusedByLimit);
  assert.deepEqual(verdicts(r), verdicts(c));
  for (const [b, limit] of refusals) assertRefused(r, b, limit);
  // What was admitted keeps being served.
  r.ingestBytes(batch(at("a", "1", 4), keys(["k0", "k2"], 1, 6)));
  r.ingestBytes(batch(at("c", "1", 2), keys(["k1"], 3, 7)));
  // The rate window was restored from the streams' first-seen times.
  clock2.t = 61_500;
  r.ingestBytes(batch(at("a", "3", 0), keys(["k0"], 1, 8)));
  clock2.t = 200_000;
  assertRefused(r, batch(at("a", "4", 0), keys(["k0"], 1, 9)), "maxBootsPerNode");
  r.flush();
  assert.deepEqual(r.metrics().refusedByLimit, {
    maxIdBytes: 0,
    maxNodes: 2,
    maxBootsPerNode: 1,
    maxNewBootsPerMinute: 2,
    maxKeyBytes: 0,
    maxPartitions: 2,
    maxParticipants: 2,
  });
  assert.deepEqual(r.partitions().map((p) => [p.key, p.status]), [
    ["k0", "ok"],
    ["k1", "ok"],
    ["k2", "ok"],
  ]);
});

Deno.test("Limits are validated like the other options", async () => {
  const specs = [lease];
  for (const name of Object.keys(DEFAULT_LIMITS)) {
    for (const bad of [0, -1, Number.NaN, Infinity]) {
      assert.throws(
        () => createCollector({ specs, [name]: bad }),
        (e: unknown) => e instanceof RangeError && e.message.includes(`'${name}'`),
      );
    }
  }
  const { c } = await collector();
  assert.deepEqual(c.metrics().refusedByLimit, {
    maxIdBytes: 0,
    maxNodes: 0,
    maxBootsPerNode: 0,
    maxNewBootsPerMinute: 0,
    maxKeyBytes: 0,
    maxPartitions: 0,
    maxParticipants: 0,
  });
});

/**
 * Memory budgets of the 100,000-partition test, from `bench/limits_bench.ts`
 * (measured: about 2.0 KB RSS per partition with two events, about 5.1 KB per
 * node with one stream), with a wide margin for a run without a forced GC.
 */
const PARTITION_BUDGET = 4 * 1024;
const NODE_BUDGET = 12 * 1024;
/** Snapshot bytes (JSON) per partition and per node at most, and per partition at least. */
const SNAPSHOT_PARTITION_MAX = 2_500;
const SNAPSHOT_NODE_MAX = 2_500;
const SNAPSHOT_PARTITION_MIN = 200;

Deno.test("100,000 partitions and 10,000 nodes (the default limits) stay within the memory budget, and one more is refused", async () => {
  const spec = await loadLease();
  const partitions = DEFAULT_LIMITS.maxPartitions;
  const nodes = DEFAULT_LIMITS.maxNodes;
  const { creating, joining } = growthWorkload(kit, partitions, nodes - 1);
  const c = createCollector({ specs: [spec], now: () => 0, windowMs: 0 });
  const gc = collectGarbage();
  const before = memoryNow();
  const accepted = ingestAll(c, creating) + ingestAll(c, joining);
  c.flush();
  const after = memoryNow();
  const m = c.metrics();
  assert.equal(accepted, 2 * partitions + 2 * (nodes - 1));
  assert.deepEqual([m.partitions, m.nodes, m.streams, m.applied], [
    partitions,
    nodes,
    nodes,
    accepted,
  ]);
  assert.equal(m.violations, 0);
  const budget = partitions * PARTITION_BUDGET + nodes * NODE_BUDGET;
  const grown = after.rss - before.rss;
  assert.ok(
    grown < budget,
    `RSS grew ${(grown / 2 ** 20).toFixed(0)} MiB, budget ${
      (budget / 2 ** 20).toFixed(0)
    } MiB (gc ${gc})`,
  );
  // Past the limits, nothing new; what exists keeps being served.
  assertRefused(c, joinBatch(kit, "node-x", "boot-x", "lock:0", 2 * partitions), "maxNodes");
  assertRefused(
    c,
    wireBatch(kit.spec, at("node-1", "boot-1", 2), keys(["lock:new"], 1, 2 * partitions)),
    "maxPartitions",
  );
  assert.equal(
    c.ingestBytes(
      wireBatch(kit.spec, at("node-1", "boot-1", 2), keys(["lock:0"], 1, 2 * partitions)),
    ).accepted,
    2,
  );
  const snap = c.snapshot();
  assert.deepEqual([snap.partitions.length, snap.nodes.length, snap.streams.length], [
    partitions,
    nodes,
    nodes,
  ]);
  const size = JSON.stringify(snap).length;
  assert.ok(
    size < partitions * SNAPSHOT_PARTITION_MAX + nodes * SNAPSHOT_NODE_MAX,
    `snapshot ${size} bytes`,
  );
  assert.ok(size > partitions * SNAPSHOT_PARTITION_MIN, `snapshot ${size} bytes`);
});
