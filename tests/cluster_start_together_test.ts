/**
 * Members started at the same instant against a freshly started 3-server
 * NATS cluster (no stream, no bucket yet): four `vigil collector
 * --partitions 8` processes set up the event stream and the two KV buckets
 * together. Creating one stream from several clients at once leaves some
 * requests unanswered, and a stream just created by another member
 * refuses writes for a moment through a server that has not yet taken its
 * assignment ("jetstream is not enabled"); each member waits for what it
 * needs, saying so, instead of failing.
 *
 * Asserted: every member listens and none gave up ("Cannot join");
 * every partition is owned as the assignment of the four wants; a chunk
 * of events published then is applied exactly once, none lost. How many
 * members logged a wait is printed (it depends on timing).
 */
import assert from "node:assert/strict";
import { plan, viewOf, waitSettled, withCluster } from "./cluster_fixture.ts";

const PARTITIONS = 8;

Deno.test({
  name:
    "Members started at the same instant on a fresh NATS cluster all join, waiting for JetStream instead of failing",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () =>
    withCluster({ id: "together", partitions: PARTITIONS }, async (run) => {
      const ids = ["c1", "c2", "c3", "c4"];
      await Promise.all(ids.map((id) => run.spawn(id)));
      const base = run.members[0]!.base;
      await waitSettled(base, ids, PARTITIONS, 0, 40_000, true);
      const pubs = run.publishers({ prefix: "tg", seed: 7 });
      const [chunk] = plan(7, 1);
      try {
        await pubs.publish(chunk!);
      } finally {
        await pubs.close();
      }
      await waitSettled(base, ids, PARTITIONS, chunk!.events, 40_000, true);
      const view = await viewOf(base);
      assert.equal(view.totals.applied, chunk!.events);
      assert.equal(view.totals.lost, 0);
      const outputs = run.members.map((m) => m.output());
      for (const [i, text] of outputs.entries()) {
        assert.doesNotMatch(text, /Cannot join|Gave up waiting/, `${ids[i]} joined`);
      }
      const waited = outputs.filter((t) => / waiting for /.test(t)).length;
      console.log(`${waited} of ${ids.length} members waited for JetStream while setting up`);
    }),
});
