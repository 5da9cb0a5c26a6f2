/**
 * A partitioned collector whose lease renewals are slow as a whole, on a
 * real nats-server: its lease thread's connection goes through a proxy
 * (`cluster_holding_proxy.ts`) that holds every renewal write of its
 * partitions 0.6 TTL, so two round trips no longer fit in a TTL. The member
 * keeps its partitions: each time a TTL runs out with a renewal in flight,
 * the partition is uncertain (saves paused) until that renewal succeeds;
 * nothing is lost, the stretches are counted in `/metrics` and said in the
 * log, and the member still leaves (hands over, releases) in bounded time
 * while its writes are held. With events flowing meanwhile, the alerts
 * raised while a lease is uncertain are held, then routed once it is
 * certain again: each violation routed once, none dropped.
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";
import { startPartitionedCollector } from "../edge/cluster/deployment.ts";
import { parsePrometheus } from "../edge/server/metrics.ts";
import { loadCompiled } from "../lib/abi/loader.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { startHoldingProxy } from "./cluster_holding_proxy.ts";
import { plan, publishers } from "./cluster_fixture.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";

/**
 * What both tests run on: a nats-server, a holding proxy in front of it for the lease thread's
 * connection, and member a of cluster `cluster` owning both of its 2 partitions (TTL `ttlMs`), its
 * log in `lines`. `holdRenewals()` holds every renewal write of both partitions 0.6 TTL; `leave()`
 * stops the member; `close()` stops what is still running.
 */
async function heldMember(options: {
  readonly cluster: string;
  readonly onAlert?: (p: number, v: { readonly id: string }) => void;
}) {
  const server = await startNatsServer();
  const proxy = await startHoldingProxy(server.port);
  const nc = await connect({ servers: server.url });
  const lines: string[] = [];
  const ttlMs = 2000;
  let left = false;
  const close = async (member?: { stop(): Promise<void> }) => {
    if (member !== undefined && !left) await member.stop().catch(() => {});
    await nc.close();
    await proxy.stop();
    await server.stop();
  };
  let member;
  try {
    member = await startPartitionedCollector(nc, {
      cluster: options.cluster,
      instance: "a",
      partitions: 2,
      core: { specs: [await loadCompiled(`${ROOT}dist/lease.core.wasm`)], windowMs: 20 },
      replicas: 1,
      ttlMs,
      leaseServers: proxy.url,
      ...(options.onAlert === undefined ? {} : { onAlert: options.onAlert }),
      log: (l) => lines.push(l),
    });
    await waitFor(() => member!.node.owned().length === 2, {
      timeoutMs: 30_000,
      what: "both partitions owned",
    });
  } catch (e) {
    await close(member);
    throw e;
  }
  const m = member;
  return {
    nc,
    member: m,
    lines,
    ttlMs,
    holdRenewals: () => {
      for (const p of [0, 1]) {
        const subject = `$KV.VIGIL_CLUSTER.lease.${options.cluster}.${p}`;
        proxy.hold({ subject, count: Infinity, ms: 0.6 * ttlMs });
      }
    },
    leave: () => {
      left = true;
      return m.stop();
    },
    close: () => close(m),
  };
}

Deno.test({
  name:
    "A member whose every lease renewal is held 0.6 TTL keeps its partitions, pausing each while its lease is uncertain, and still leaves in bounded time",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const rig = await heldMember({ cluster: "u" });
    const { member, lines, ttlMs } = rig;
    try {
      const before = member.node.leaseStats();
      rig.holdRenewals();
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
        rig.leave().then(() => true),
        new Promise<false>((res) => hang = setTimeout(() => res(false), 60_000)),
      ]).finally(() => clearTimeout(hang));
      assert.ok(left, "the member did not finish leaving within 60 s with its writes held");
      assert.ok(
        lines.some((l) => /a handed over partition 0 \(leaving\)/.test(l)),
        lines.join("\n"),
      );
    } finally {
      await rig.close();
    }
  },
});

Deno.test({
  name:
    "A member whose lease renewals are held 0.6 TTL holds the alerts raised while a lease is uncertain and routes each once the lease is certain again",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const routed: string[] = [];
    const rig = await heldMember({ cluster: "h", onAlert: (_p, v) => void routed.push(v.id) });
    const { nc, member, lines, ttlMs } = rig;
    const pubs = publishers(await loadSpec(`${ROOT}dist/lease.js`), jetstream(nc), {
      partitions: 2,
      prefix: "held",
      seed: 5,
    });
    try {
      rig.holdRenewals();
      // Small chunks, every third holding one lock from two nodes (a violation), for 3 TTLs.
      let published = 0;
      const t0 = Date.now();
      for (const chunk of plan(5, 90, 4)) {
        if (Date.now() - t0 > 3 * ttlMs) break;
        await pubs.publish(chunk);
        published += chunk.events;
        await new Promise((r) => setTimeout(r, 50));
      }
      const owned = () => member.node.owned();
      await waitFor(() => owned().reduce((s, o) => s + o.applied, 0) === published, {
        timeoutMs: 30_000,
        what: `every event applied (${published})`,
      });
      const raised = owned().reduce((s, o) => s + o.violations, 0);
      assert.ok(raised >= 3, `violations raised: ${raised}`);
      await waitFor(() => routed.length >= raised, {
        timeoutMs: 20_000,
        what: `every violation routed (${raised})`,
      });
      const stats = member.node.leaseStats();
      assert.equal(stats.lost, 0, `nothing lost:\n${lines.join("\n")}`);
      assert.ok(
        stats.heldAlerts > 0,
        `some alerts were raised while a lease was uncertain and held (uncertain stretches ` +
          `${stats.uncertain}, alerts ${raised})`,
      );
      assert.equal(stats.droppedAlerts, 0);
      assert.equal(new Set(routed).size, routed.length, `each routed once: ${routed.join(", ")}`);
      assert.equal(routed.length, raised);
      assert.ok(
        lines.some((l) =>
          /partition [01] holds its alerts: raised after its lease's deadline/.test(l)
        ),
        lines.join("\n"),
      );
      const held = owned().reduce((s, o) => s + o.alerts.held, 0);
      assert.equal(held, stats.heldAlerts, "the partitions' held alerts are the member's");
    } finally {
      await pubs.close();
      await rig.close();
    }
  },
});
