/**
 * The alert ledger (`edge/cluster/alert_ledger.ts`) on a real nats-server
 * (one server, replicas 1): two owners of one partition route each
 * violation once (the second owner's re-raise is suppressed, still
 * counted); an id another owner left pending is routed again (at least
 * once, counted as resent), and so is one an earlier life of the same
 * member id left pending; a trim after a save removes the ids it
 * covers; and when the ledger cannot be reached the alert is routed
 * anyway, counted as unrecorded. A violation raised after the partition's
 * lease deadline is held until a renewal shows the lease held (then routed)
 * or the lease is lost (then dropped, never recorded, and handed over:
 * written for the next owner, one key per alert), counted and logged.
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import type { KV } from "@nats-io/kv";
import { type AlertLedgerCounts, createAlertLedger } from "../edge/cluster/alert_ledger.ts";
import { openStateBucket, type StateBucket } from "../edge/cluster/partition_store.ts";
import { readHandover } from "../edge/cluster/handover_store.ts";
import { LeaseDeadline } from "../edge/cluster/lease_deadline.ts";
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

/** The ledger's counts: `some` as given, every other one 0. */
function counted(some: Partial<AlertLedgerCounts>): AlertLedgerCounts {
  return {
    routed: 0,
    suppressed: 0,
    resent: 0,
    unrecorded: 0,
    held: 0,
    dropped: 0,
    handedOver: 0,
    unhanded: 0,
    ...some,
  };
}

/** A nats-server with state bucket `bucket` (one replica) for `fn`, stopped however `fn` ends. */
async function withBucket(
  bucket: string,
  fn: (states: StateBucket) => Promise<void>,
): Promise<void> {
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  try {
    await fn(await openStateBucket(nc, { replicas: 1, bucket }));
  } finally {
    await nc.close();
    await server.stop();
  }
}

async function entries(kv: KV, key: string): Promise<Record<string, string>> {
  const e = await kv.get(key);
  return e === null || e.operation !== "PUT" ? {} : e.json<Record<string, string>>();
}

Deno.test({
  name:
    "Two owners of a partition route each violation once; a pending id is routed again; a trim drops what a save covers",
  ...opts,
  fn: () =>
    withBucket("LEDGER_TEST", async ({ kv }) => {
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
      assert.deepEqual(second.counts(), counted({ routed: 1, suppressed: 2, resent: 1 }));
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
      assert.deepEqual(again.counts(), counted({ resent: 1 }));
      assert.deepEqual(await entries(kv, "routed.t.2"), { "h:lock:6": "done" });
    }),
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
    assert.deepEqual(ledger.counts(), counted({ unrecorded: 1 }));
    assert.match(lines.join("\n"), /partition 0 could not record 1 alert\(s\).*connection closed/);
  },
});

Deno.test({
  name:
    "A violation raised after the lease's deadline is held until a renewal shows the lease held, and handed over to the next owner when the lease is lost",
  ...opts,
  fn: () =>
    withBucket("LEDGER_HOLD_TEST", async (states) => {
      const kv = states.kv;
      const seen: string[] = [];
      const lines: string[] = [];
      const outcomes: string[] = [];
      // Acquired by a write sent at 0, TTL 1000: the deadline is 1000 until a renewal moves it.
      const lease = new LeaseDeadline(0, 1000);
      let now = 500;
      const ledger = createAlertLedger(kv, recordingRouter(seen), {
        cluster: "t",
        owner: "c1",
        partition: 4,
        lease,
        handover: states.handover,
        clock: () => now,
        log: (line) => void lines.push(line),
        onHeld: (o) => void outcomes.push(o),
      });
      const settle = () => new Promise((r) => setTimeout(r, 300));
      ledger.send(violation("h:lock:1"));
      await ledger.drain();
      assert.deepEqual(seen, ["h:lock:1"], "raised before the deadline: routed at once");

      // Past the deadline, its renewal unanswered: held, neither routed nor recorded.
      now = 1500;
      ledger.send(violation("h:lock:2"));
      await settle();
      assert.deepEqual(seen, ["h:lock:1"], "raised after the deadline: held");
      assert.deepEqual(await entries(kv, "routed.t.4"), { "h:lock:1": "done" });
      assert.equal(ledger.counts().held, 1);
      // A renewal sent at 400 moves the deadline to 1400: still before the raise.
      lease.renewed(400);
      await settle();
      assert.deepEqual(
        seen,
        ["h:lock:1"],
        "a renewal that does not cover the raise routes nothing",
      );
      // One sent at 600 succeeded: the lease was held at 1500 (deadline 1600). Routed.
      lease.renewed(600);
      await ledger.drain();
      assert.deepEqual(seen, ["h:lock:1", "h:lock:2"]);

      // Past the deadline again, then the lease is lost: dropped, never routed nor recorded.
      now = 1700;
      ledger.send(violation("h:lock:3"));
      ledger.send(violation("h:lock:4"));
      await settle();
      lease.lose();
      await ledger.drain();
      assert.deepEqual(seen, ["h:lock:1", "h:lock:2"], "held alerts of a lost lease are dropped");
      assert.deepEqual(await entries(kv, "routed.t.4"), { "h:lock:1": "done", "h:lock:2": "done" });
      // ... and handed over to the next owner: written whole, one key each.
      const { entries: handed } = await readHandover(states.handover, "t", 4, () => false, 5_000);
      const record = Object.fromEntries(handed.map((e) => [e.id, e]));
      assert.deepEqual(Object.keys(record).sort(), ["h:lock:3@c1", "h:lock:4@c1"]);
      assert.deepEqual(record["h:lock:3@c1"]!.violation, violation("h:lock:3"));
      assert.equal(record["h:lock:4@c1"]!.from, "c1");
      assert.ok(handed.every((e) => e.source.startsWith("handover.t.4.")));
      assert.deepEqual(ledger.counts(), counted({ routed: 2, held: 3, dropped: 2, handedOver: 2 }));
      assert.deepEqual(outcomes, [
        "held",
        "held",
        "held",
        "dropped",
        "dropped",
        "handedOver",
        "handedOver",
      ]);
      assert.equal(
        lines.filter((l) =>
          /partition 4 holds its alerts: raised after its lease's deadline/.test(l)
        )
          .length,
        2,
        `said once per stretch:\n${lines.join("\n")}`,
      );
      assert.ok(
        lines.some((l) => /partition 4 dropped 2 held alert\(s\): its lease was lost/.test(l)),
        lines.join("\n"),
      );
    }),
});
