/**
 * The scenario of the hand-over tests (`tests/cluster_alert_handover_test.ts`,
 * `tests/cluster_handover_dashboard_browser_test.ts`): held alerts of a lost
 * lease handed over to the next owner, on a real nats-server
 * (`edge/cluster/alert_handover.ts`). Member a's lease thread goes through a
 * proxy (`cluster_holding_proxy.ts`) that holds every renewal write of its
 * partition 1.5 TTL, so each lands after the lease expired and is refused:
 * the lease is lost, and the violations a raised after its lease's deadline,
 * held until then, are dropped by a and written to the partition's hand-over
 * keys (one per alert). Member b then takes the partition:
 *
 * - with the events still in the stream, b raises the same violations
 *   itself and discards the handed-over copies: each violation routed once;
 * - with the partition's events purged from the stream first (standing for
 *   a verdict the next owner does not reach again, such as a causal
 *   `possibly` that depended on arrival), b routes the handed-over alerts
 *   as `<id>@a`: each violation a raised still reaches the cluster's routes
 *   exactly once (without the hand-over the held ones never would).
 *
 * @module
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { openStateBucket } from "../edge/cluster/partition_store.ts";
import { readHandover } from "../edge/cluster/handover_store.ts";
import {
  type PartitionedCollector,
  startPartitionedCollector,
} from "../edge/cluster/deployment.ts";
import { localView } from "../edge/cluster/cluster_view.ts";
import type { Violation } from "../edge/engine/types.ts";
import type { HandedOverViolation } from "../edge/cluster/alert_handover.ts";
import { loadCompiled } from "../lib/abi/loader.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { startHoldingProxy } from "./cluster_holding_proxy.ts";
import { plan, publishers } from "./cluster_fixture.ts";

const TTL_MS = 2_000;

/** Ids routed anywhere in the cluster, by whom, in order. */
type Routed = { member: string; v: Violation }[];

/** Options of {@link handOverScenario}. */
export interface HandOverScenarioOptions {
  /**
   * Called while member b runs the partition, once it routed every copy (the purge case only),
   * with b and the ids of the alerts a handed over.
   */
  readonly whileRouted?: (b: PartitionedCollector, handed: readonly string[]) => Promise<void>;
}

/**
 * Member a loses its lease while raising violations and hands the held ones over; member b takes
 * the partition, with the partition's events still in the stream or (`purge`) purged first.
 */
export async function handOverScenario(purge: boolean, options: HandOverScenarioOptions = {}) {
  const server = await startNatsServer();
  const proxy = await startHoldingProxy(server.port);
  const nc = await connect({ servers: server.url });
  const nc2 = await connect({ servers: server.url });
  const lines: string[] = [];
  const routed: Routed = [];
  const raisedByA = new Set<string>();
  const lease = await loadCompiled(`${ROOT}dist/lease.core.wasm`);
  const cluster = purge ? "hp" : "hn";
  const a = await startPartitionedCollector(nc, {
    cluster,
    instance: "a",
    partitions: 1,
    core: { specs: [lease], windowMs: 20 },
    replicas: 1,
    ttlMs: TTL_MS,
    leaseServers: proxy.url,
    onService: (_p, s) =>
      void s.collector.on((ev) => {
        if (ev.type === "violation") raisedByA.add(ev.violation.id);
      }),
    onAlert: (_p, v) => void routed.push({ member: "a", v }),
    log: (l) => void lines.push(`a: ${l}`),
  });
  let b: Awaited<ReturnType<typeof startPartitionedCollector>> | null = null;
  let aStopped = false;
  const pubs = publishers(await loadSpec(`${ROOT}dist/lease.js`), jetstream(nc2), {
    partitions: 1,
    prefix: cluster,
    seed: 11,
  });
  try {
    await waitFor(() => a.node.owned().length === 1, { timeoutMs: 30_000, what: "a owns p0" });
    // Every renewal of a's lease lands 1.5 TTL after its send: after the lease expired.
    proxy.hold({
      subject: `$KV.VIGIL_CLUSTER.lease.${cluster}.0`,
      count: Infinity,
      ms: 1.5 * TTL_MS,
    });
    // Violations (every third chunk) until some were raised after the lease's deadline.
    const t0 = Date.now();
    for (const chunk of plan(11, 200, 2)) {
      if (a.node.leaseStats().heldAlerts >= 2 || Date.now() - t0 > 4 * TTL_MS) break;
      await pubs.publish(chunk);
      await new Promise((r) => setTimeout(r, 60));
    }
    const held = a.node.leaseStats().heldAlerts;
    assert.ok(held >= 1, `a held alerts after its lease's deadline:\n${lines.join("\n")}`);
    // a leaves: its last save waits for a renewal, which is refused; the lease is lost, and
    // the held alerts are handed over.
    await a.stop();
    aStopped = true;
    const stats = a.node.leaseStats();
    assert.ok(stats.droppedAlerts >= 1, `a dropped held alerts:\n${lines.join("\n")}`);
    assert.equal(stats.handedOverAlerts, stats.droppedAlerts, lines.join("\n"));
    assert.equal(stats.unhandedAlerts, 0);
    const states = await openStateBucket(nc2, { replicas: 1 });
    const waiting = async () =>
      (await readHandover(states.handover, cluster, 0, () => false, 5_000)).entries.map((e) => e.id)
        .sort();
    const handed = await waiting();
    assert.equal(handed.length, stats.handedOverAlerts);
    assert.ok(handed.every((id) => id.endsWith("@a") && raisedByA.has(id.slice(0, -2))));
    const routedByA = new Set(routed.map((r) => r.v.id));
    assert.ok(
      handed.every((id) => !routedByA.has(id.slice(0, -2))),
      "a routed none of what it handed over",
    );

    if (purge) {
      const jsm = await jetstreamManager(nc2);
      await jsm.streams.purge("VIGIL_EVENTS", { filter: "vigil.events.*.0" });
    }

    b = await startPartitionedCollector(nc2, {
      cluster,
      instance: "b",
      partitions: 1,
      core: { specs: [lease], windowMs: 20 },
      replicas: 1,
      ttlMs: TTL_MS,
      handoverWaitMs: 4_000,
      onAlert: (_p, v) => void routed.push({ member: "b", v }),
      log: (l) => void lines.push(`b: ${l}`),
    });
    const bNode = b.node;
    // Every violation a raised reaches the cluster's routes (a's own, b's re-raise, or b's
    // routing of the handed-over copy), and the record is emptied.
    const episode = (id: string) => id.endsWith("@a") ? id.slice(0, -2) : id;
    await waitFor(async () => {
      const reached = new Set(routed.map((r) => episode(r.v.id)));
      return [...raisedByA].every((id) => reached.has(id)) && (await waiting()).length === 0;
    }, { timeoutMs: 40_000, what: "every violation a raised routed in the cluster" });
    // And nothing more comes: a re-raise or a second copy would come within the settle time.
    await new Promise((r) => setTimeout(r, 2_000));
    const ids = routed.map((r) => episode(r.v.id)).sort();
    assert.deepEqual(
      ids,
      [...new Set(ids)],
      `each violation routed once in the cluster: ${
        routed.map((r) => `${r.member}:${r.v.id}`).join(", ")
      }\n${lines.join("\n")}`,
    );
    // (b may raise more than a did: a verdict a missed because an event reached it late.)
    assert.ok([...raisedByA].every((id) => ids.includes(id)), ids.join(", "));
    const bStats = bNode.leaseStats();
    const byB = routed.filter((r) => r.member === "b").map((r) => r.v);
    if (purge) {
      // b never saw those events: it routed each handed-over alert, marked as such.
      assert.equal(bStats.takenOverAlerts, handed.length, lines.join("\n"));
      assert.equal(bStats.reraisedAlerts, 0);
      const copies = byB.filter((v) => v.id.endsWith("@a")) as HandedOverViolation[];
      assert.deepEqual(copies.map((v) => v.id).sort(), handed);
      assert.ok(copies.every((v) => v.handedOver.from === "a" && v.handedOver.lostAt > 0));
      // Listed in b's part of the deployment view (the dashboard's violations) too.
      assert.deepEqual(
        localView(bNode).violations.map((v) => v.id).filter((id) => id.endsWith("@a")).sort(),
        handed,
      );
      assert.ok(
        lines.some((l) => /b: .*partition 0 raises alert .*@a, held by a when it lost/.test(l)),
        lines.join("\n"),
      );
      await options.whileRouted?.(b, handed);
    } else {
      // b raised them again itself: its own alerts are the ones routed, the copies discarded
      // (a copy is routed only for a verdict b did not reach again, which the order of arrival
      // can make: then b raised no alert of that id).
      assert.ok(bStats.reraisedAlerts >= 1, lines.join("\n"));
      assert.equal(bStats.reraisedAlerts + bStats.takenOverAlerts, handed.length);
      const own = byB.map((v) => v.id).filter((id) => handed.includes(`${id}@a`));
      assert.equal(own.length, bStats.reraisedAlerts);
    }
  } finally {
    await pubs.close();
    if (!aStopped) await a.stop().catch(() => {});
    await b?.stop().catch(() => {});
    await nc.close();
    await nc2.close();
    await proxy.stop();
    await server.stop();
  }
}
