/**
 * Membership changes on a real 3-server NATS cluster (JetStream,
 * replicas 3), while SDK nodes publish (partitioned batchers):
 * - adding a collector: two `vigil collector --partitions 8` members run,
 *   a third joins; the partitions it should own are handed over to it
 *   (saved, acked, released, restored from KV by it), nothing lost;
 * - removing one gracefully: a member gets SIGTERM; it saves, acks and
 *   releases its partitions, which the others restore from KV.
 *
 * Asserted: after each change every partition is owned by a live member
 * as the rendezvous assignment says; every published event is applied
 * exactly once over the cluster, none lost; the newcomer restored states
 * (it applied none of their events itself); the final violations equal an
 * uninterrupted reference collector's, each printed once over all members.
 * Rebalance times (join -> settled, SIGTERM -> settled) are printed.
 */
import assert from "node:assert/strict";
import { killCollector } from "./collector_kill_fixture.ts";
import { assertReferenceVerdicts, plan, waitSettled, withCluster } from "./cluster_fixture.ts";
import { desiredAssignment } from "../edge/cluster/assignment.ts";

const PARTITIONS = 8;

Deno.test({
  name:
    "Partitions rebalance to a collector that joins and away from one that leaves gracefully, with no event lost or counted twice",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster({ id: "rebal", partitions: PARTITIONS, members: ["c1", "c2"] }, async (run) => {
      const { cluster } = run;
      const chunks = plan(21, 6);
      const pubs = run.publishers({ prefix: "r", seed: 21 });
      const base = run.member("c1").base;
      let published = 0;
      for (const chunk of chunks.slice(0, 2)) {
        await pubs.publish(chunk);
        published += chunk.events;
      }
      await waitSettled(base, ["c1", "c2"], PARTITIONS, published);

      // Add c3 while a chunk flows.
      const flowing = pubs.publish(chunks[2]!);
      const joinedAt = Date.now();
      await run.spawn("c3");
      await flowing;
      published += chunks[2]!.events;
      const three = ["c1", "c2", "c3"];
      const added = await waitSettled(base, three, PARTITIONS, published, 40_000, true);
      const settledAdd = Date.now();
      const want3 = desiredAssignment(three, PARTITIONS).map((d) => d.owner);
      assert.deepEqual(added.ownership.map((o) => o.owner), want3);
      const c3 = added.collectors.find((c) => c.id === "c3")!;
      assert.ok(c3.owned.length > 0, "c3 got partitions");
      assert.ok(
        c3.owned.every((o) => o.restoredApplied > 0),
        `c3 restored each partition's state: ${JSON.stringify(c3.owned)}`,
      );
      assert.equal(added.totals.lost, 0);
      console.log(
        `rebalance on join: c3 started ${joinedAt} -> settled in ${settledAdd - joinedAt} ms ` +
          `(process start included; ${c3.owned.length} partitions moved)`,
      );

      // Remove c1 gracefully while a chunk flows.
      const flowing2 = pubs.publish(chunks[3]!);
      const leftAt = Date.now();
      const status = await killCollector(run.member("c1"), "SIGTERM");
      assert.equal(status.code, 0);
      assert.match(run.member("c1").output(), /handing partitions over and stopping/);
      await flowing2;
      published += chunks[3]!.events;
      for (const chunk of chunks.slice(4)) {
        await pubs.publish(chunk);
        published += chunk.events;
      }
      assert.equal(pubs.sent(), published);
      const two = ["c2", "c3"];
      const removed = await waitSettled(
        run.member("c2").base,
        two,
        PARTITIONS,
        published,
        40_000,
        true,
      );
      console.log(`rebalance on graceful leave: SIGTERM -> settled in ${Date.now() - leftAt} ms`);
      assert.deepEqual(
        removed.ownership.map((o) => o.owner),
        desiredAssignment(two, PARTITIONS).map((d) => d.owner),
      );
      assert.equal(removed.totals.applied, published);
      assert.equal(removed.totals.lost, 0);

      await assertReferenceVerdicts(cluster.urls, {
        published,
        chunks,
        violations: removed.violations,
        outputs: () => run.members.map((m) => m.output()),
      });
      await pubs.close();
    }),
});
