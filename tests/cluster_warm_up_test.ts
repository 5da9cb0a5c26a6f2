/**
 * A partitioned deployment's members warm up before they take partitions,
 * in process on a real nats-server: two members
 * (`startPartitionedCollector` with `warmUp`) share 4 partitions.
 *
 * Asserted: each member ran its warm-up (made-up traffic applied, violations
 * raised) and it ended before the member started any partition it owns;
 * afterwards the cluster holds only the real traffic: every lease held by
 * one of the two members, the partitions' collectors hold the real keys and
 * applied exactly the real events, the one real violation is the only one
 * listed and the only one in the alert ledger (`routed.<cluster>.<p>`),
 * the saved partition states hold no warm-up key, and the front services
 * count no internal error.
 */
import assert from "node:assert/strict";
import { jetstream } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { parsePrometheus } from "../edge/server/metrics.ts";
import { createPartitionedBatcher } from "../runtime/batcher/partitioned.ts";
import { jetstreamTransport } from "../runtime/transports/jetstream.ts";
import { createNode } from "../runtime/monitor/node.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { withMembers } from "./cluster_fixture.ts";

const N = 4;
const WARM = 3_000;

Deno.test({
  name:
    "Members of a partitioned deployment warm up before taking partitions, and the cluster's state, leases and alert ledger hold none of it",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const options = {
      cluster: "warm",
      partitions: N,
      member: {
        // No save before the test asks: the ledger keeps the routed ids until then.
        service: { persistMs: 600_000, onLog: () => {} },
        warmUp: { events: WARM, batch: 100 },
      },
    };
    await withMembers(options, async ({ members: started, nc, lease }) => {
      // Each member warmed up, and before it started any partition it owns.
      for (const d of started) {
        const w = d.warmUp;
        assert.ok(w !== null, "no warm-up ran");
        assert.equal(w.applied, WARM);
        assert.ok(w.violations > 0, "the warm-up raised no violation");
        for (const o of d.node.owned()) {
          assert.ok(
            o.startedAt >= w.endedAt,
            `partition ${o.partition} started before the warm-up ended`,
          );
        }
        assert.equal(d.front.collector.metrics().applied, 0);
      }

      // Real traffic: own locks of two nodes, and one lock both hold (one violation).
      const sender = createPartitionedBatcher(
        (q) => jetstreamTransport(jetstream(nc), { partition: q }),
        { partitions: N },
      );
      let sent = 0;
      const keys = new Set<string>();
      for (const [c, node] of [[1, "api-1"], [2, "api-2"]] as const) {
        const ctx = createNode({ id: node });
        for (const key of [`lock:${node}-a`, `lock:${node}-b`, "lock:both"]) {
          lease.monitor({ node: ctx, key, sink: sender, mode: "observe" }).step("acquire", { c });
          keys.add(key);
          sent++;
        }
      }
      await sender.close();
      const cores = () =>
        started.flatMap((d) => [...d.node.runners.values()].map((r) => r.service.collector));
      await waitFor(
        () =>
          cores().reduce((s, c) => s + c.metrics().applied, 0) === sent &&
          cores().some((c) => c.violations().length > 0),
        { timeoutMs: 15_000, what: "the owners to apply the real events" },
      );
      // The partitions hold the real keys and applied the real events only.
      const held = cores().flatMap((c) => c.snapshot().partitions.map((p) => p.key));
      assert.deepEqual(held.sort(), [...keys].sort());
      const violations = cores().flatMap((c) => c.violations());
      assert.deepEqual(violations.map((v) => v.partition), ["lock:both"]);

      // Leases: every partition held by one of the two members.
      const bucket = started[0]!.node.bucket;
      for (let p = 0; p < N; p++) {
        const l = await bucket.lease(p);
        assert.ok(l.owner === "a" || l.owner === "b", `lease of ${p}: ${JSON.stringify(l)}`);
      }
      assert.deepEqual((await bucket.members()).map((m) => m.id).sort(), ["a", "b"]);

      // The alert ledger holds the real violation only; the saved states no warm-up key.
      const kv = await new Kvm(nc).open("VIGIL_STATE");
      const read = async () => {
        const ledgered: string[] = [];
        const saved: string[] = [];
        const warm: string[] = [];
        for await (const k of await kv.keys()) {
          const e = await kv.get(k);
          if (e === null || e.operation !== "PUT") continue;
          if (k.startsWith("routed.warm.")) ledgered.push(...Object.keys(e.json<object>()));
          else saved.push(k);
          if (e.string().includes("warm-up")) warm.push(k);
        }
        return { ledgered, saved, warm };
      };
      const ledger = await waitFor(async () => {
        const r = await read();
        return r.ledgered.length > 0 && r;
      }, { timeoutMs: 15_000, what: "the alert ledger to record the routed violation" });
      assert.deepEqual(ledger.ledgered, violations.map((v) => v.id));
      assert.deepEqual(ledger.warm, [], "keys holding warm-up traffic");
      for (const d of started) for (const r of d.node.runners.values()) await r.service.persist();
      const saved = await read();
      assert.ok(saved.saved.length > 0, "nothing saved");
      assert.deepEqual(saved.warm, [], "keys holding warm-up traffic");
      for (const d of started) {
        const errors = parsePrometheus(d.front.metrics.render()).filter((s) =>
          s.name === "vigil_internal_errors_total" && s.value > 0
        );
        assert.deepEqual(errors, []);
      }
    });
  },
});
