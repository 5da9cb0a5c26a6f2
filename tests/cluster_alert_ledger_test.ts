/**
 * The alert ledger (`edge/cluster/alert_ledger.ts`) on a real nats-server
 * (one server, replicas 1): two owners of one partition route each
 * violation once (the second owner's re-raise is suppressed, still
 * counted); an id another owner left pending is routed again (at least
 * once, counted as resent), and so is one an earlier life of the same
 * member id left pending; a trim after a save removes the ids it
 * covers; and when the ledger cannot be reached the alert is routed
 * anyway, counted as unrecorded.
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import type { KV } from "@nats-io/kv";
import { createAlertLedger } from "../edge/cluster/alert_ledger.ts";
import { openStateBucket } from "../edge/cluster/partition_store.ts";
import { createAlertRouter } from "../edge/server/alerts.ts";
import type { Violation } from "../edge/engine/types.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** A router publishing to `subjects`, as the NATS alert route does. */
function recordingRouter(published: string[]) {
  return createAlertRouter<Violation>({
    publish: (_subject, data) =>
      void published.push((JSON.parse(new TextDecoder().decode(data)) as Violation).id),
  });
}

const violation = (id: string) => ({ id, specName: "Lease", kind: "invariant" }) as Violation;

async function entries(kv: KV, key: string): Promise<Record<string, string>> {
  const e = await kv.get(key);
  return e === null || e.operation !== "PUT" ? {} : e.json<Record<string, string>>();
}

Deno.test({
  name:
    "Two owners of a partition route each violation once; a pending id is routed again; a trim drops what a save covers",
  ...opts,
  fn: async () => {
    const server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    try {
      const { kv } = await openStateBucket(nc, { replicas: 1, bucket: "LEDGER_TEST" });
      const firstSeen: string[] = [];
      const first = createAlertLedger(kv, recordingRouter(firstSeen), {
        cluster: "t",
        owner: "c1",
        partition: 2,
      });
      first.send(violation("h:lock:1"));
      first.send(violation("h:lock:2"));
      await first.drain();
      assert.deepEqual(firstSeen, ["h:lock:1", "h:lock:2"]);
      assert.deepEqual(await entries(kv, "routed.t.2"), { "h:lock:1": "done", "h:lock:2": "done" });

      // A previous owner (c0) died while delivering h:lock:3.
      const e = await kv.get("routed.t.2");
      await kv.update(
        "routed.t.2",
        new TextEncoder().encode(
          JSON.stringify({ ...(await entries(kv, "routed.t.2")), "h:lock:3": "pending:c0" }),
        ),
        e!.revision,
      );

      // The next owner re-raises all three and a new one.
      const secondSeen: string[] = [];
      const second = createAlertLedger(kv, recordingRouter(secondSeen), {
        cluster: "t",
        owner: "c2",
        partition: 2,
      });
      const before = second.mark();
      for (const id of ["h:lock:1", "h:lock:2", "h:lock:3", "h:lock:4"]) {
        second.send(violation(id));
      }
      await second.drain();
      assert.deepEqual(secondSeen, ["h:lock:3", "h:lock:4"]);
      assert.deepEqual(second.counts(), { routed: 1, suppressed: 2, resent: 1, unrecorded: 0 });
      assert.equal(before, 0);

      // A save covering the first three: they leave the ledger, the fourth stays.
      second.send(violation("h:lock:5"));
      second.trim(3);
      await second.drain();
      assert.deepEqual(await entries(kv, "routed.t.2"), { "h:lock:4": "done", "h:lock:5": "done" });
      second.trim(second.mark());
      await second.drain();
      assert.deepEqual(await entries(kv, "routed.t.2"), {});
      // Another partition's ledger is its own.
      assert.equal(await kv.get("routed.t.3"), null);

      // c2 dies while delivering h:lock:6 (recorded pending, never delivered); restarted with the
      // same member id, its new ledger routes it again: only a ledger's own pending ids are skipped.
      const e6 = await kv.get("routed.t.2");
      await kv.update(
        "routed.t.2",
        new TextEncoder().encode(JSON.stringify({ "h:lock:6": "pending:c2" })),
        e6!.revision,
      );
      const againSeen: string[] = [];
      const again = createAlertLedger(kv, recordingRouter(againSeen), {
        cluster: "t",
        owner: "c2",
        partition: 2,
      });
      again.send(violation("h:lock:6"));
      await again.drain();
      assert.deepEqual(againSeen, ["h:lock:6"], "an earlier life's pending id is routed again");
      assert.deepEqual(again.counts(), { routed: 0, suppressed: 0, resent: 1, unrecorded: 0 });
      assert.deepEqual(await entries(kv, "routed.t.2"), { "h:lock:6": "done" });
    } finally {
      await nc.close();
      await server.stop();
    }
  },
});

Deno.test({
  name: "A ledger that cannot be reached routes the alert anyway and counts it unrecorded",
  ...opts,
  fn: async () => {
    const failing = {
      get: () => Promise.reject(new Error("connection closed")),
    } as unknown as KV;
    const seen: string[] = [];
    const lines: string[] = [];
    const ledger = createAlertLedger(failing, recordingRouter(seen), {
      cluster: "t",
      owner: "c1",
      partition: 0,
      log: (line) => void lines.push(line),
    });
    ledger.send(violation("h:lock:9"));
    await ledger.drain();
    assert.deepEqual(seen, ["h:lock:9"]);
    assert.deepEqual(ledger.counts(), { routed: 0, suppressed: 0, resent: 0, unrecorded: 1 });
    assert.match(lines.join("\n"), /partition 0 could not record 1 alert\(s\).*connection closed/);
  },
});
