/**
 * Failover on a real 3-server NATS cluster (JetStream, replicas 3): three
 * `vigil collector --partitions 8` processes share one spec's partitions;
 * while SDK nodes publish (partitioned batchers over JetStream), the
 * member owning the most partitions is SIGKILLed once it has saved and
 * acked a state, while the next chunk flows. Its leases expire (2 s), the survivors take its partitions
 * (restoring each from the KV state, consuming from the ack floor) and
 * the publishing carries on.
 *
 * Asserted against an uninterrupted reference (one plain collector over
 * the whole stream): the same violations (property, instance partition,
 * nodes); every published event applied exactly once over the cluster
 * (the sum of applied equals the events published and the reference's),
 * none lost; every partition owned by a survivor; each violation printed
 * once over all members' outputs (none raised again after failover);
 * and the dead member's partitions were restored with a non-empty state
 * and applied new events after the kill. The failover time (SIGKILL to
 * the first event applied by the new owner) is printed, not asserted.
 */
import assert from "node:assert/strict";
import { jetstreamManager } from "@nats-io/jetstream";
import { killCollector } from "./collector_kill_fixture.ts";
import {
  assertReferenceVerdicts,
  plan,
  viewOf,
  waitSettled,
  withCluster,
} from "./cluster_fixture.ts";
import { waitFor } from "../tools/harness/wait.ts";

const PARTITIONS = 8;

Deno.test({
  name:
    "A partitioned collector SIGKILLed mid-run: survivors take its partitions with no event lost or counted twice and the reference's verdicts",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster(
      { id: "kill", partitions: PARTITIONS, members: ["c1", "c2", "c3"] },
      async (run) => {
        const { cluster, nc, members } = run;
        const chunks = plan(14, 6);
        const pubs = run.publishers({ prefix: "k", seed: 14 });
        const ids = ["c1", "c2", "c3"];
        const base = members[0]!.base;
        await waitSettled(base, ids, PARTITIONS, 0);

        let published = 0;
        for (const chunk of chunks.slice(0, 3)) {
          await pubs.publish(chunk);
          published += chunk.events;
        }
        const before = await waitSettled(base, ids, PARTITIONS, published);
        // The member owning the most partitions dies, once it has applied events.
        const victim = [...before.collectors].sort((a, b) => b.owned.length - a.owned.length)[0]!;
        const lostPartitions = victim.owned.map((o) => o.partition);
        assert.ok(
          victim.owned.some((o) => o.applied > 0),
          "the victim applied events before dying",
        );
        const vi = ids.indexOf(victim.id);
        // Once it saved a state and acked what it covers (so the kill is not only a quick one).
        const jsm = await jetstreamManager(nc);
        await waitFor(async () => {
          for (const p of lostPartitions) {
            const info = await jsm.consumers.info("VIGIL_EVENTS", `vigil-kill-p${p}`);
            if (info.ack_floor.stream_seq > 0) return true;
          }
          return false;
        }, { timeoutMs: 10_000, what: `${victim.id} to ack a saved state` });
        // Publish the next chunk and kill while it flows.
        const flowing = pubs.publish(chunks[3]!);
        const killedAt = Date.now();
        await killCollector(members[vi]!, "SIGKILL");
        await flowing;
        published += chunks[3]!.events;
        for (const chunk of chunks.slice(4)) {
          await pubs.publish(chunk);
          published += chunk.events;
        }
        assert.equal(pubs.sent(), published);
        const survivors = ids.filter((id) => id !== victim.id);
        const survivorBase = members[(vi + 1) % 3]!.base;
        const after = await waitSettled(survivorBase, survivors, PARTITIONS, published);

        // Exactly once over the cluster, nothing lost.
        assert.equal(after.totals.applied, published);
        assert.equal(after.totals.lost, 0);
        // The dead member's partitions were restored from KV and applied new events afterwards.
        const moved = after.collectors.flatMap((c) =>
          c.owned.filter((o) => lostPartitions.includes(o.partition))
        );
        assert.equal(moved.length, lostPartitions.length);
        assert.ok(
          moved.some((o) => o.restoredApplied > 0),
          `some moved partition restored a state: before ${JSON.stringify(victim.owned)}, after ${
            JSON.stringify(moved)
          }`,
        );
        const firsts = moved.map((o) => o.firstAppliedAt).filter((t): t is number => t !== null);
        assert.ok(firsts.length > 0, "a new owner applied events after the kill");
        console.log(
          `failover: SIGKILL -> first event applied by a new owner ${
            Math.min(...firsts) - killedAt
          } ms ` +
            `(lease TTL 2000 ms; partitions moved: ${lostPartitions.join(", ")}; ` +
            `duplicates ${after.totals.duplicates}, late ${after.totals.late})`,
        );

        // The reference: same verdicts and counters.
        await assertReferenceVerdicts(cluster.urls, {
          published,
          chunks,
          violations: after.violations,
          outputs: () => members.map((m) => m.output()),
        });
        // Any member answers the same ownership.
        const other = await viewOf(members[(vi + 2) % 3]!.base);
        assert.deepEqual(other.ownership.map((o) => o.owner), after.ownership.map((o) => o.owner));
        await pubs.close();
      },
    ),
});
