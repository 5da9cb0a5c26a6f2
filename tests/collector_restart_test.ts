/**
 * Kill and restart, step by step: `vigil collector` runs as a subprocess
 * against a real nats-server (JetStream) and one Deno KV file; four SDK
 * nodes publish Lease events through batchers and the JetStream transport,
 * with two injected split brains. The collector is killed with SIGKILL
 * three times, each at a point the test controls:
 *
 * 1. after it applied and acked the first half of the stream;
 * 2. while it holds every message of the second half unacked (a reorder
 *    window of ten minutes keeps them from being applied, so nothing of
 *    them can be acked);
 * 3. right after restarting, before it acked anything (the durable consumer
 *    was recreated at the ack floor; nats-server 2.9 then reports a floor
 *    of 0).
 *
 * The last run must resume at the first ack floor, not at sequence 1: it
 * receives exactly the second half, once. Its verdicts must be those of the
 * independent oracle (`merge_oracle.ts`: the interpreter over the sorted
 * merge of the events read back from the stream), with every event applied
 * once and nothing lost, refused or late.
 */
import assert from "node:assert/strict";
import {
  collectorList,
  collectorMetric,
  collectorMetrics,
  type CollectorRig,
  collectorRig,
  collectorViolations,
  killCollector,
  streamOracle,
} from "./collector_kill_fixture.ts";
import { waitFor } from "../tools/harness/wait.ts";
import type { PartitionInfo } from "../edge/engine/types.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Four nodes, each cycling acquire/release over its own 25 locks; split brains on demand. */
function makeNodes(rig: CollectorRig) {
  const nodes = rig.nodes(4, { maxEvents: 64 });
  let sent = 0;
  return {
    round(r: number) {
      for (const n of nodes) {
        const m = n.monitor(`lock:${n.i}:${r % 25}`);
        m.step("acquire", { c: n.i % 3 + 1 });
        m.step("release", { c: n.i % 3 + 1 });
        sent += 2;
      }
    },
    split(key: string) {
      nodes[0]!.monitor(key).step("acquire", { c: 1 });
      nodes[1]!.monitor(key).step("acquire", { c: 2 });
      sent += 2;
    },
    get sent() {
      return sent;
    },
    flush: () => Promise.all(nodes.map((n) => n.batcher.flush())),
    close: () => Promise.all(nodes.map((n) => n.batcher.close())),
    stats: () => nodes.map((n) => n.batcher.stats()),
  };
}

Deno.test({
  name:
    "A collector killed holding unacked messages, then killed again before acking, resumes at the ack floor and reaches the oracle's verdicts",
  ...opts,
  fn: async () => {
    const rig = await collectorRig("vigil-restart-");
    const { consumer, messages } = rig;
    const start = (windowMs: number) =>
      rig.spawn(["--persist-ms", "50", "--window-ms", String(windowMs)]);
    try {
      const nodes = makeNodes(rig);

      // First half: applied and acked by run 1, which is then killed.
      for (let r = 0; r < 300; r++) {
        nodes.round(r);
        if (r === 100) nodes.split("lock:split-1");
      }
      await nodes.flush();
      const firstEvents = nodes.sent;
      const firstMessages = await messages();
      const run1 = await start(50);
      assert.match(run1.output(), /fresh state/);
      await waitFor(async () => {
        const i = await consumer();
        return i.ack_floor.stream_seq === firstMessages && i.num_ack_pending === 0;
      }, { what: "run 1 to ack the first half", timeoutMs: 30_000 });
      assert.equal(await collectorMetric(run1.base, "vigil_events_applied_total"), firstEvents);
      await killCollector(run1, "SIGKILL");
      // The server must have let go of run 1's pull requests before the second half is
      // published: under load it could still hand messages to the dead connection, which run 2
      // then finds pending (and recreates the durable, whose floor nats-server 2.9 reports as 0).
      await waitFor(async () => (await consumer()).num_waiting === 0, {
        what: "nats-server to drop run 1's pull requests",
        timeoutMs: 30_000,
      });

      // Second half: run 2 receives all of it, holds it in its window, is killed.
      for (let r = 300; r < 600; r++) {
        nodes.round(r);
        if (r === 500) nodes.split("lock:split-2");
      }
      await nodes.close();
      const total = nodes.sent;
      const totalMessages = await messages();
      for (const s of nodes.stats()) assert.deepEqual([s.dropped, s.abandoned], [0, 0]);
      const run2 = await start(600_000);
      assert.match(run2.output(), new RegExp(`restored ${firstEvents} applied events`));
      await waitFor(
        async () =>
          await collectorMetric(run2.base, "vigil_events_received_total") === total - firstEvents,
        { what: "run 2 to receive the second half", timeoutMs: 30_000 },
      );
      await killCollector(run2, "SIGKILL");
      const afterRun2 = await consumer();
      assert.equal(afterRun2.ack_floor.stream_seq, firstMessages);
      assert.equal(afterRun2.num_ack_pending, totalMessages - firstMessages, "killed holding all");

      // Run 3: the durable is recreated at the floor; killed before it acks anything.
      const run3 = await start(600_000);
      assert.equal((await consumer()).config.opt_start_seq, firstMessages + 1);
      await waitFor(
        async () => await collectorMetric(run3.base, "vigil_events_received_total") > 0,
        { what: "run 3 to receive", timeoutMs: 30_000 },
      );
      await killCollector(run3, "SIGKILL");
      const afterRun3 = await consumer();
      assert.ok(afterRun3.num_ack_pending > 0, "run 3 died holding unacked messages");
      console.log(
        `after the quick kill the server reports ack floor ${afterRun3.ack_floor.stream_seq}`,
      );

      // Run 4 resumes at the first floor again and finishes.
      const run4 = await start(50);
      assert.equal((await consumer()).config.opt_start_seq, firstMessages + 1);
      await waitFor(async () => {
        const i = await consumer();
        return i.num_pending === 0 && i.num_ack_pending === 0 &&
          await collectorMetric(run4.base, "vigil_events_applied_total") === total;
      }, { what: "run 4 to apply and ack everything", timeoutMs: 30_000 });

      const m = await collectorMetrics(run4.base);
      assert.equal(
        m.get("vigil_events_received_total"),
        total - firstEvents,
        "run 4 received exactly what was not acked",
      );
      assert.equal(m.get("vigil_duplicate_events_total"), 0, "nothing acked came again");
      assert.equal(m.get("vigil_events_applied_total"), total, "no event applied twice");
      assert.equal(m.get("vigil_events_accepted_total"), total, "no event counted twice");
      for (const name of ["lost", "late", "dropped"]) {
        assert.equal(m.get(`vigil_${name}_events_total`), 0, name);
      }
      assert.equal(m.get("vigil_batches_rejected_total") ?? 0, 0);

      // Verdicts: the oracle over the events read back from the stream.
      const oracle = await streamOracle(await rig.readBack(totalMessages));
      assert.equal(oracle.events, total);
      const show = (name: string, key: string, nodes: readonly string[], at: { wall: number }) =>
        `${name} ${key} ${[...nodes].join(",")} ${at.wall}`;
      const expected = [...oracle.partitions.values()].flatMap((p) =>
        p.violations.map((v) => show(v.name, p.key, v.nodes, v.at))
      ).sort();
      assert.deepEqual(
        expected.map((v) => v.split(" ").slice(0, 3).join(" ")),
        ["OneHolder lock:split-1 node-0,node-1", "OneHolder lock:split-2 node-0,node-1"],
        "the oracle sees the injected split brains, and only them",
      );
      const got = (await collectorViolations(run4.base)).map((v) =>
        show(v.property.name, v.partition, v.nodes, v.at)
      ).sort();
      assert.deepEqual(got, expected);
      const parts = await collectorList<PartitionInfo>(run4.base, "/api/partitions");
      const statuses = Object.fromEntries(parts.map((p) => [p.key, p.status]));
      const want = Object.fromEntries(
        [...oracle.partitions.values()].map((p) => [p.key, p.status]),
      );
      assert.deepEqual(statuses, want);
    } finally {
      await rig.close();
    }
  },
});
