/**
 * A partitioned collector whose lease renewals are slow as a whole, on a
 * real nats-server: its lease thread's connection goes through a proxy
 * (`cluster_holding_proxy.ts`) that holds every renewal write of its
 * partitions 0.6 TTL, so two round trips no longer fit in a TTL. The member
 * keeps its partitions: each time a TTL runs out with a renewal in flight,
 * the partition is uncertain (saves paused) until that renewal succeeds;
 * nothing is lost, the stretches are counted in `/metrics` and said in the
 * log, and the member still leaves (hands over, releases) in bounded time
 * while its writes are held.
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { startPartitionedCollector } from "../edge/cluster/deployment.ts";
import { parsePrometheus } from "../edge/server/metrics.ts";
import { loadCompiled } from "../lib/abi/loader.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { startHoldingProxy } from "./cluster_holding_proxy.ts";

Deno.test({
  name:
    "A member whose every lease renewal is held 0.6 TTL keeps its partitions, pausing each while its lease is uncertain, and still leaves in bounded time",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const server = await startNatsServer();
    const proxy = await startHoldingProxy(server.port);
    const nc = await connect({ servers: server.url });
    const lines: string[] = [];
    const ttlMs = 2000;
    let stopped = false;
    const member = await startPartitionedCollector(nc, {
      cluster: "u",
      instance: "a",
      partitions: 2,
      core: { specs: [await loadCompiled(`${ROOT}dist/lease.core.wasm`)], windowMs: 20 },
      replicas: 1,
      ttlMs,
      leaseServers: proxy.url,
      log: (l) => lines.push(l),
    });
    try {
      await waitFor(() => member.node.owned().length === 2, {
        timeoutMs: 30_000,
        what: "both partitions owned",
      });
      const before = member.node.leaseStats();
      for (const p of [0, 1]) {
        proxy.hold({ subject: `$KV.VIGIL_CLUSTER.lease.u.${p}`, count: Infinity, ms: 0.6 * ttlMs });
      }
      await new Promise((r) => setTimeout(r, 4 * ttlMs));
      const during = member.node.leaseStats();
      assert.equal(during.lost - before.lost, 0, `nothing lost:\n${lines.join("\n")}`);
      assert.deepEqual(member.node.owned().map((o) => o.partition), [0, 1]);
      assert.ok(during.uncertain > before.uncertain, `uncertain stretches: ${during.uncertain}`);
      assert.ok(
        lines.some((l) => /a is unsure it holds partition [01]: saving nothing until/.test(l)),
        lines.join("\n"),
      );
      const samples = parsePrometheus(member.front.metrics.registry.render());
      assert.equal(
        samples.find((s) => s.name === "vigil_lease_uncertain_total")?.value,
        during.uncertain,
      );
      // Leaving while the writes are still held: hand-over and release end in bounded time.
      // (Each held write gives up a TTL after its send; a hang, not a speed, is what fails here.)
      let hang: ReturnType<typeof setTimeout> | undefined;
      const left = await Promise.race([
        member.stop().then(() => true),
        new Promise<false>((res) => hang = setTimeout(() => res(false), 60_000)),
      ]).finally(() => clearTimeout(hang));
      assert.ok(left, "the member did not finish leaving within 60 s with its writes held");
      stopped = true;
      assert.ok(
        lines.some((l) => /a handed over partition 0 \(leaving\)/.test(l)),
        lines.join("\n"),
      );
    } finally {
      if (!stopped) await member.stop().catch(() => {});
      await nc.close();
      await proxy.stop();
      await server.stop();
    }
  },
});
