/**
 * A member's lease keeper on a real nats-server (one server, replicas 1):
 * - in a thread of its own, it keeps renewing while the member's thread is
 *   blocked for longer than the lease time-to-live (the case that made
 *   loaded members lose partitions they served), and it stops renewing once
 *   the member's thread has not answered for `maxStallMs`, so a hung member
 *   loses its leases (the server expires them and the keeper reports them
 *   lost);
 * - in the member's thread, a lease taken by another member is reported
 *   lost at the next renewal, and a release frees the lease on its latest
 *   revision.
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { openClusterBucket } from "../edge/cluster/leases.ts";
import { LeaseKeeper } from "../edge/cluster/lease_keeper/keeper.ts";
import { startKeeperThread } from "../edge/cluster/lease_keeper/thread.ts";
import { leaseClock } from "../edge/cluster/lease_deadline.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { waitFor } from "../tools/harness/wait.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Blocks this thread (timers, sockets, everything) for `ms`. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: nothing else runs in this thread meanwhile
  }
}

Deno.test({
  name:
    "A lease keeper in its own thread renews while the member's thread is blocked past the TTL, and stops once it has not answered for maxStallMs",
  ...opts,
  fn: async () => {
    const server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    const lost: { partition: number; why: string }[] = [];
    const logs: string[] = [];
    /** Each lease bound the thread reported (`onValid`), and when this thread read it. */
    const valid: { validFrom: number; readAt: number }[] = [];
    try {
      const ttlMs = 2000;
      const bucket = await openClusterBucket(nc, { cluster: "k", replicas: 1, ttlMs });
      const keeper = await startKeeperThread(
        {
          servers: server.url,
          cluster: "k",
          id: "a",
          replicas: 1,
          ttlMs,
          maxStallMs: 5000,
          since: 1,
          // Starting a thread loads its modules: slow on a busy machine; not what is tested here.
          readyTimeoutMs: 30_000,
        },
        {
          onLost: (partition, why) => lost.push({ partition, why }),
          onRenewed: () => {},
          onValid: (_p, validFrom) => valid.push({ validFrom, readAt: leaseClock() }),
          log: (line) => logs.push(line),
        },
      );
      try {
        const sentAt = leaseClock();
        const rev = await bucket.acquire(1, "a", "http://a");
        assert.ok(rev !== null);
        keeper.start({ id: "a", url: "http://a", owned: [1], since: 1 });
        keeper.hold(1, rev!, sentAt);
        // Blocked for 1.5 TTLs: a keeper in this thread could not renew; the thread's does.
        block(3000);
        const during = await bucket.lease(1);
        assert.equal(during.owner, "a", "still held after the member's thread was blocked");
        assert.ok(
          during.revision > rev!,
          `renewed while blocked: revision ${rev} -> ${during.revision}`,
        );
        assert.equal(lost.length, 0, "nothing lost while blocked");
        // The renewals' bounds reach this thread once it runs again, on its clock: each a send
        // after the acquire's and before it was read here, the latest well into the blocked time.
        await waitFor(() => valid.length > 0, { timeoutMs: 5_000, what: "the lease's bounds" });
        for (const v of valid) {
          assert.ok(v.validFrom > sentAt && v.validFrom <= v.readAt, JSON.stringify(v));
        }
        const latest = Math.max(...valid.map((v) => v.validFrom));
        assert.ok(latest - sentAt >= 1500, `bounds moved on while blocked: +${latest - sentAt} ms`);
        // Blocked past maxStallMs and a TTL more: the keeper stops, the server expires the lease.
        block(8000);
        await waitFor(() => lost.length > 0, {
          timeoutMs: 10_000,
          what: "the lease reported lost",
        });
        assert.equal(lost[0]!.partition, 1);
        assert.equal((await bucket.lease(1)).owner, null, "the server expired it");
        assert.ok(
          logs.some((l) =>
            /a has not answered for \d+ ms: its leases are no longer renewed/.test(l)
          ),
          logs.join("\n"),
        );
        const other = await bucket.acquire(1, "b", "http://b");
        assert.ok(other !== null, "another member takes it");
      } finally {
        await keeper.stop();
      }
    } finally {
      await nc.close();
      await server.stop();
    }
  },
});

Deno.test({
  name:
    "A lease keeper in the member's thread reports a lease taken by another member and releases on the latest revision",
  ...opts,
  fn: async () => {
    const server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    try {
      const bucket = await openClusterBucket(nc, { cluster: "m", replicas: 1, ttlMs: 1000 });
      const lost: number[] = [];
      const renewals: number[] = [];
      const keeper = new LeaseKeeper(bucket, {
        id: "a",
        onLost: (p) => lost.push(p),
        onRenewed: (ms) => renewals.push(ms),
        log: () => {},
      });
      keeper.start({ id: "a", url: "", owned: [], since: 1 });
      try {
        const r2 = await bucket.acquire(2, "a", "");
        const r3 = await bucket.acquire(3, "a", "");
        keeper.hold(2, r2!);
        keeper.hold(3, r3!);
        await waitFor(() => renewals.length >= 4, { timeoutMs: 5000, what: "renewals" });
        assert.ok((await bucket.lease(2)).revision > r2!, "renewed");
        // Another member rewrites partition 3's lease: the next renewal fails on its revision.
        const now = await bucket.lease(3);
        assert.ok((await bucket.renew(3, "b", "", now.revision)) !== null);
        await waitFor(() => lost.includes(3), { timeoutMs: 5000, what: "partition 3 lost" });
        assert.deepEqual(lost, [3]);
        await keeper.release(2);
        assert.equal((await bucket.lease(2)).owner, null, "released");
        assert.equal((await bucket.lease(3)).owner, "b", "b's lease untouched");
      } finally {
        await keeper.stop();
      }
    } finally {
      await nc.close();
      await server.stop();
    }
  },
});
