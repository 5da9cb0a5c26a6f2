/**
 * The HTTP side of a partitioned deployment, in process on a real
 * nats-server: two members (`startPartitionedCollector`, each serving its
 * app on a loopback port) share 4 partitions.
 * - Batches of a partitioned sender posted to the member that does NOT own
 *   their partition are published into the partition's stream and applied
 *   by the owner, together with the NATS events of the same key from
 *   another node: both nodes meet in one instance partition, one owner.
 * - A batch mixing partitions is refused with 400 `invalid`, saying what
 *   to do; a repeated post is stored once (message id).
 * - `GET /api/cluster` on either member lists both members and every
 *   partition's owner, and merges both members' partitions;
 *   `/metrics` has `vigil_partition_owned{partition}` and the member's lease
 *   counters (`vigil_lease_*`).
 */
import assert from "node:assert/strict";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { PartitionedCollector } from "../edge/cluster/deployment.ts";
import type { ClusterView } from "../edge/cluster/cluster_view.ts";
import { type CollectorApp, createCollectorApp } from "../edge/server/app.ts";
import { parsePrometheus, readHistogram } from "../edge/server/metrics.ts";
import { partitionOf } from "../lib/wire/subjects.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { createPartitionedBatcher } from "../runtime/batcher/partitioned.ts";
import { jetstreamTransport } from "../runtime/transports/jetstream.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import { createNode } from "../runtime/monitor/node.ts";
import type { LoadedSpec } from "../runtime/monitor/load_spec.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { withMembers } from "./cluster_fixture.ts";

const N = 4;

Deno.test({
  name:
    "HTTP batches posted to any member reach their partition's owner and meet the NATS events of the same key; the view merges both members",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await withMembers(
      { cluster: "fwd", partitions: N },
      async ({ members: started, nc, lease }) => {
        const servers: Deno.HttpServer[] = [];
        try {
          await scenario(started, nc, lease, servers);
        } finally {
          for (const s of servers) await s.shutdown();
        }
      },
    );
  },
});

/** The scenario, once both members own partitions; each member's app served on `servers`. */
async function scenario(
  started: readonly PartitionedCollector[],
  nc: NatsConnection,
  lease: LoadedSpec,
  servers: Deno.HttpServer[],
): Promise<void> {
  const members: { id: string; d: PartitionedCollector; app: CollectorApp }[] = [];
  for (const d of started) {
    const app = createCollectorApp(d.front, { allowAnonymous: true, cluster: d.routes });
    const s = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
    servers.push(s);
    d.node.setUrl(`http://127.0.0.1:${s.addr.port}`);
    members.push({ id: d.node.id, d, app });
  }

  const key = "lock:shared";
  const p = partitionOf(key, N);
  const owner = members.find((m) => m.d.node.runners.has(p))!;
  const other = members.find((m) => m !== owner)!;

  // The HTTP sender: a partitioned batcher whose transports hand the bytes to this test.
  const posted: Uint8Array[] = [];
  const httpSide = createPartitionedBatcher((_q) => {
    const t = memoryTransport();
    t.subscribe((bytes) => void posted.push(bytes.slice()));
    return t;
  }, { partitions: N });
  const edge = lease.monitor({
    node: createNode({ id: "edge-fn" }),
    key,
    sink: httpSide,
    mode: "observe",
  });
  edge.step("acquire", { c: 1 });
  await httpSide.close();
  assert.equal(posted.length, 1);
  const post = (bytes: Uint8Array, app: CollectorApp) =>
    app.request("/ingest", {
      method: "POST",
      body: new Blob([bytes.slice()]),
      headers: { "content-type": "application/x-msgpack" },
    });
  const res = await post(posted[0]!, other.app);
  assert.equal(res.status, 202, await res.clone().text());
  assert.deepEqual(await res.json(), { accepted: 1, duplicates: 0, late: 0, dropped: 0 });
  // Posted again (a retry): stored once.
  assert.equal((await post(posted[0]!, owner.app)).status, 202);

  // The NATS sender: another node holding the same lock through JetStream.
  const natsSide = createPartitionedBatcher(
    (q) => jetstreamTransport(jetstream(nc), { partition: q }),
    { partitions: N },
  );
  lease.monitor({ node: createNode({ id: "api-1" }), key, sink: natsSide, mode: "observe" })
    .step("acquire", { c: 2 });
  await natsSide.close();

  const core = owner.d.node.runners.get(p)!.service.collector;
  const seen = await waitFor(() => {
    const v = core.violations().find((x) => x.partition === key);
    return v !== undefined && v;
  }, {
    timeoutMs: 15_000,
    what: "the owner to see both holders",
    detail: () =>
      JSON.stringify({ p, owner: owner.id, metrics: core.metrics(), parts: core.partitions() }),
  });
  assert.deepEqual([...seen.nodes].sort(), ["api-1", "edge-fn"]);
  assert.equal(core.metrics().applied, 2, "the retried post was stored once");
  assert.equal(
    other.d.node.runners.get(p),
    undefined,
    "the member that took the post does not own the partition",
  );

  // A batch mixing partitions is refused, with what to do.
  const keys = ["lock:a", "lock:orders"];
  assert.notEqual(partitionOf(keys[0]!, N), partitionOf(keys[1]!, N));
  const plain: Uint8Array[] = [];
  const t = memoryTransport();
  t.subscribe((bytes) => void plain.push(bytes.slice()));
  const mixed = createBatcher(t);
  const plainNode = createNode({ id: "plain" });
  for (const k of keys) {
    lease.monitor({ node: plainNode, key: k, sink: mixed, mode: "observe" }).step("acquire", {
      c: 1,
    });
  }
  await mixed.close();
  const refused = await post(plain[0]!, other.app);
  assert.equal(refused.status, 400);
  const problem = await refused.json() as { reason: string; detail: string };
  assert.equal(problem.reason, "invalid");
  assert.match(problem.detail, /holds keys of partitions .* createPartitionedBatcher/);

  // One view from either member (once both registered their URLs).
  await waitFor(
    async () => (await members[0]!.d.node.bucket.members()).every((m) => m.url !== ""),
    {
      what: "both members to register their URLs",
    },
  );
  for (const m of members) {
    const view = await (await m.app.request("/api/cluster")).json() as ClusterView;
    assert.deepEqual(view.members.map((x) => x.id), ["a", "b"]);
    assert.equal(view.ownership.length, N);
    assert.ok(view.ownership.every((o) => o.owner === "a" || o.owner === "b"));
    assert.equal(view.ownership[p]!.owner, owner.id);
    assert.deepEqual(view.collectors.map((c) => c.error ?? null), [null, null]);
    assert.equal(view.collectors.flatMap((c) => c.owned).length, N);
    assert.equal(view.totals.applied, 2);
    assert.deepEqual(view.violations.map((v) => v.partition), [key]);
    const samples = parsePrometheus(await (await m.app.request("/metrics")).text());
    const metrics = samples.filter((s) => s.name === "vigil_partition_owned");
    assert.equal(metrics.length, N);
    // The member's leases: what it acquired and renewed, as its lease stats say.
    const one = (name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))
        ?.value;
    const stats = m.d.node.leaseStats();
    assert.equal(one("vigil_lease_ttl_seconds"), m.d.node.bucket.ttlMs / 1000);
    assert.equal(one("vigil_lease_acquired_total"), stats.acquired);
    assert.ok(stats.acquired >= 1, "each member acquired a partition");
    assert.ok((one("vigil_lease_renewals_total") ?? -1) >= 0);
    for (const name of ["vigil_lease_lost_total", "vigil_lease_slow_renewals_total"]) {
      assert.equal(typeof one(name), "number", `${name} is exposed`);
    }
    assert.equal(typeof one("vigil_lease_renewal_retries_total"), "number");
    // The renewal round trips, a histogram: every renewal the counter counts, in its buckets.
    const trips = readHistogram(samples, "vigil_lease_renewal_seconds");
    assert.equal(trips?.count, one("vigil_lease_renewals_total"));
    assert.ok(readHistogram(samples, "vigil_lease_late_save_wait_seconds") !== undefined);
    assert.deepEqual(
      metrics.filter((s) => s.value === 1).map((s) => Number(s.labels.partition)).sort(),
      m.d.node.owned().map((o) => o.partition),
    );
  }
}
