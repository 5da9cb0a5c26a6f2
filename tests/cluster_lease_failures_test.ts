/**
 * A lease keeper's renewals failing in the ways `renewal.ts` must tell
 * apart, on a real nats-server (one server, replicas 1) behind a proxy that
 * holds or reroutes chosen publishes (`cluster_holding_proxy.ts`; rerouted
 * to a subject nobody serves, a request is answered "no responders" at
 * once, as when JetStream cannot serve it; nats.js says "jetstream is not
 * enabled" for a publish):
 * - every renewal write failing at once: the lease is lost a TTL after the
 *   last successful renewal's send, the loss saying the last renewal
 *   failed and with what error;
 * - a member's thread no longer answering (`maxStallMs`): no write is sent
 *   any more, the lease is lost a TTL after the last one's send saying
 *   renewals are stopped, and the servers expire it so another member can
 *   take it (a hung member loses its partitions as a dead one does);
 * - another member overwriting the key, the read settling the refused
 *   renewal failing once: the next period's write, refused in turn, reads
 *   again, and the loss names the new owner; no write counted as a retry;
 * - the same while the lease is uncertain (the refused writes were still
 *   in flight when its TTL ran out), every read failing: lost, not
 *   uncertain for ever (its member would save nothing for ever);
 * - the keeper's reads of a lease and of a registration's revision go to
 *   the stream's leader (`STREAM.MSG.GET`), not a direct get: each read
 *   passes the proxy on that subject. Only which API is asked is tested
 *   here: with one replica both reads agree, so the case that made the
 *   leader's read necessary (a replica behind the leader showing a lease
 *   free while the leader holds it) is covered only by the churn runs
 *   (`tests/cluster_churn_test.ts`: members on 3 clustered servers, the
 *   bucket's 3 replicas; and the churn A/B under a CPU cap that found it,
 *   17f39bc), and there only when a replica happens to fall behind.
 */
import assert from "node:assert/strict";
import { Kvm } from "@nats-io/kv";
import { openClusterBucket } from "../edge/cluster/leases.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { holdOne, keeperFor, seenNow, spied, withHeldWrites } from "./cluster_held_writes.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
/** A subject nobody serves: a request rerouted there is answered "no responders" at once. */
const NOBODY = "vigil.test.nobody";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The "N" of "last renewal sent N ms ago" in a loss. */
function sentAgo(why: string): number {
  const m = /last renewal sent (\d+) ms ago/.exec(why);
  assert.ok(m !== null, `the loss says when the last renewal was sent: ${why}`);
  return Number(m[1]);
}

Deno.test({
  name:
    "A lease whose renewal writes all fail at once is lost a TTL after the last successful renewal's send, saying the last renewal failed and why",
  ...opts,
  fn: () =>
    withHeldWrites("f", 2000, async ({ proxy, viaProxy, ttlMs, subject }) => {
      const spy = spied(await openClusterBucket(viaProxy, { cluster: "f", replicas: 1, ttlMs }));
      const seen = seenNow();
      const keeper = keeperFor(spy.bucket, seen);
      try {
        await holdOne(spy.bucket, keeper, seen, 1);
        proxy.hold({ subject, count: Infinity, ms: 0, reroute: NOBODY });
        await waitFor(() => seen.lost.length > 0, { timeoutMs: 3 * ttlMs, what: "a loss" });
        const why = seen.lost[0]!.why;
        assert.match(
          why,
          // A write of the last period may be in flight at the TTL (sent a few ms before it).
          /^not renewed within the 2000 ms TTL \(last renewal sent \d+ ms ago\): (the last renewal failed|its \d+ renewal writes, the first sent \d+ ms ago: 1 still unanswered, the last answered failed): (jetstream is not enabled|.*no responders)/i,
        );
        assert.ok(sentAgo(why) >= ttlMs, `not before the TTL ran out: ${why}`);
        const failed = spy.outcomes.renewals.filter((o) => o === "failed").length;
        assert.ok(failed >= 2, `each period wrote again: ${spy.outcomes.renewals.join(",")}`);
        const writes = proxy.held.length;
        await sleep(ttlMs / 2);
        assert.equal(proxy.held.length, writes, "no write after the loss");
        assert.equal(seen.lost.length, 1, "lost once");
      } finally {
        await keeper.stop();
      }
    }),
});

Deno.test({
  name:
    "A keeper whose member's thread stops answering sends no more renewals, loses the lease a TTL after the last one's send saying renewals are stopped, and the servers expire it",
  ...opts,
  fn: () =>
    withHeldWrites("s", 2000, async ({ proxy, viaProxy, direct, ttlMs, subject }) => {
      const spy = spied(await openClusterBucket(viaProxy, { cluster: "s", replicas: 1, ttlMs }));
      const bucket = spy.bucket;
      const seen = seenNow();
      const stalled = /a has not answered for \d+ ms: its leases are no longer renewed/;
      /** Renewal writes sent when the stall was said (counted as it is said). */
      let sentAtStall = -1;
      const keeper = keeperFor(bucket, seen, {
        maxStallMs: ttlMs / 2,
        log: (l) => {
          if (stalled.test(l)) sentAtStall = spy.outcomes.sent;
        },
      });
      // Every write passes at once, counted by the proxy.
      proxy.hold({ subject, count: Infinity, ms: 0 });
      const alive = setInterval(() => keeper.alive(), 50);
      try {
        await holdOne(bucket, keeper, seen, 2);
        clearInterval(alive); // the member's thread hangs
        await waitFor(() => sentAtStall >= 0, { timeoutMs: 3 * ttlMs, what: "the stall said" });
        await waitFor(() => seen.lost.length > 0, { timeoutMs: 3 * ttlMs, what: "a loss" });
        const why = seen.lost[0]!.why;
        assert.match(
          why,
          /^not renewed within the 2000 ms TTL \(last renewal sent \d+ ms ago\): renewals are stopped$/,
        );
        assert.ok(sentAgo(why) >= ttlMs, `not before the TTL ran out: ${why}`);
        assert.equal(spy.outcomes.sent, sentAtStall, "no renewal write once stalled");
        assert.ok(
          proxy.held.length >= 2,
          `the writes before passed the proxy (${proxy.held.length})`,
        );
        await waitFor(async () => (await direct.lease(1)).owner === null, {
          timeoutMs: 2 * ttlMs,
          what: "the lease expired on the servers",
        });
        assert.ok(await direct.acquire(1, "b", "") !== null, "another member takes it");
        assert.equal(seen.lost.length, 1, "lost once");
      } finally {
        clearInterval(alive);
        await keeper.stop();
      }
    }),
});

/** Member b writes partition 1's lease of cluster `cluster` over a's (not by compare-and-set). */
async function overwrite(nc: Parameters<typeof openClusterBucket>[0], cluster: string) {
  const kv = await new Kvm(nc).open("VIGIL_CLUSTER");
  await kv.put(`lease.${cluster}.1`, JSON.stringify({ owner: "b", url: "" }));
}

Deno.test({
  name:
    "A refused renewal whose settling read fails is written and read again at the next period: lost once, naming the new owner, with no write counted as a retry",
  ...opts,
  fn: () =>
    withHeldWrites("c", 3000, async ({ proxy, nc, viaProxy, ttlMs, readSubject }) => {
      const spy = spied(await openClusterBucket(viaProxy, { cluster: "c", replicas: 1, ttlMs }));
      const seen = seenNow();
      const keeper = keeperFor(spy.bucket, seen);
      try {
        await holdOne(spy.bucket, keeper, seen, 1);
        proxy.hold({ subject: readSubject, count: 1, ms: 0, reroute: NOBODY });
        const retries = seen.retries.length;
        const written = spy.outcomes.renewals.length;
        await overwrite(nc, "c");
        await waitFor(() => seen.lost.length > 0, { timeoutMs: 3 * ttlMs, what: "a loss" });
        assert.match(
          seen.lost[0]!.why,
          /^lease expired or taken \(renewal refused after \d+ ms; now held by 'b'; /,
        );
        assert.deepEqual(spy.outcomes.reads, ["failed", "read"], "read, failed, read again");
        assert.deepEqual(
          spy.outcomes.renewals.slice(written),
          ["refused", "refused"],
          "written again after the failed read, refused in turn",
        );
        assert.equal(seen.retries.length, retries, "no write counted as a retry");
        await sleep(ttlMs / 2);
        assert.equal(seen.lost.length, 1, "lost once");
      } finally {
        await keeper.stop();
      }
    }),
});

Deno.test({
  name:
    "An uncertain lease whose writes in flight are refused and whose settling read fails is lost, not uncertain for ever",
  ...opts,
  fn: () =>
    withHeldWrites("v", 2000, async ({ proxy, nc, viaProxy, ttlMs, subject, readSubject }) => {
      const spy = spied(await openClusterBucket(viaProxy, { cluster: "v", replicas: 1, ttlMs }));
      const seen = seenNow();
      const keeper = keeperFor(spy.bucket, seen, { pauses: true });
      try {
        await holdOne(spy.bucket, keeper, seen, 2);
        proxy.hold({ subject: readSubject, count: Infinity, ms: 0, reroute: NOBODY });
        // The next write (a period after the last success's send) and its retry (a quarter TTL
        // later) are held 0.7 TTL each: the retry is still in flight when the TTL runs out.
        proxy.hold({ subject, count: Infinity, ms: 0.7 * ttlMs });
        await waitFor(() => proxy.held.some((h) => h.subject === subject), {
          timeoutMs: 10_000,
          what: "a renewal write held",
        });
        await overwrite(nc, "v"); // both land after it: refused
        await waitFor(() => seen.lost.length > 0, {
          timeoutMs: 4 * ttlMs,
          what: "a loss (else the lease stays uncertain: its member saves nothing)",
        });
        assert.equal(
          seen.uncertain.length,
          1,
          "uncertain first (a write was in flight at the TTL)",
        );
        assert.deepEqual(seen.certain, []);
        assert.match(
          seen.lost[0]!.why,
          /^not renewed within the 2000 ms TTL \(last renewal sent \d+ ms ago\): its writes in flight were refused and reading the lease to settle a refused renewal failed: (jetstream is not enabled|.*no responders)/i,
        );
        assert.deepEqual(spy.outcomes.reads, ["failed"]);
        // One may time out instead (a stalled machine): one refusal is what leads to the read.
        assert.ok(spy.outcomes.renewals.includes("refused"), spy.outcomes.renewals.join(","));
        assert.equal(seen.lost.length, 1, "lost once");
      } finally {
        await keeper.stop();
      }
    }),
});

Deno.test({
  name:
    "A lease's and a registration's reads ask the stream's leader (STREAM.MSG.GET), not a direct get any replica answers",
  ...opts,
  fn: () =>
    withHeldWrites("l", 2000, async ({ proxy, viaProxy, ttlMs, readSubject }) => {
      const bucket = await openClusterBucket(viaProxy, { cluster: "l", replicas: 1, ttlMs });
      const rev = await bucket.acquire(1, "a", "");
      assert.ok(rev !== null);
      const reg = await bucket.register({ id: "a", url: "", owned: [1], since: 1 });
      // Every read on the leader's subject passes at once, counted by the proxy.
      proxy.hold({ subject: readSubject, count: Infinity, ms: 0 });
      assert.deepEqual(await bucket.lease(1), { partition: 1, owner: "a", revision: rev });
      assert.equal(await bucket.registration("a"), reg);
      assert.deepEqual(await bucket.lease(2), { partition: 2, owner: null, revision: 0 });
      assert.deepEqual(
        proxy.held.map((h) => h.subject),
        [readSubject, readSubject, readSubject],
        "each read went to the leader's STREAM.MSG.GET",
      );
    }),
});
