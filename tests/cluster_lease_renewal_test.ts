/**
 * A lease keeper whose renewal writes are held in transit, on a real
 * nats-server (one server, replicas 1) behind a proxy that holds chosen
 * publishes (`cluster_holding_proxy.ts`) while the client's later ones pass:
 * - one renewal write held for 1.5 TTL (longer than the 3/4 TTL a keeper
 *   with one write in flight tolerates): a second write sent after the
 *   retry timeout renews the lease, nothing is lost, the renewal is counted
 *   once, as slow and retried, and said in the log; the held write, landing
 *   later on a superseded revision, is refused by the servers;
 * - every renewal write held past the TTL: the lease is reported lost once,
 *   with the round trip still unanswered, another member acquires it, and
 *   the held writes landing afterwards are all refused: a late retry never
 *   renews a lost lease;
 * - every renewal write held a quarter TTL for 4 TTLs (each round trip over
 *   the retry timeout, so two writes per renewal, the second refused): the
 *   lease is kept, each renewal counted once, slow renewals logged at most
 *   once per 10 s;
 * - the keeper in a thread of its own (as `vigil collector --partitions`
 *   runs it), one write held 1.5 TTL: kept, the retry and the slow renewal
 *   reported to the member's thread;
 * - one registration write held 1.5 TTL: a second write keeps the member's
 *   registration from expiring;
 * - registration writes held past the TTL: the newer URL's write, sent
 *   once they timed out, is stored, and they are refused when they land;
 * - every renewal write held 0.6 TTL for 4 TTLs (two round trips no longer
 *   fit in a TTL): a keeper whose member pauses uncertain partitions keeps
 *   the lease, each uncertain stretch ended by the renewal in flight.
 * The JetStream answers to the held writes are read on `_INBOX.>` from a
 * second connection (the client that sent them has stopped waiting).
 */
import assert from "node:assert/strict";
import { openClusterBucket } from "../edge/cluster/leases.ts";
import { LeaseKeeper } from "../edge/cluster/lease_keeper/keeper.ts";
import { startKeeperThread } from "../edge/cluster/lease_keeper/thread.ts";
import { waitFor } from "../tools/harness/wait.ts";
import {
  answers,
  holdOne,
  keeperFor,
  seenNow,
  spied,
  withHeldWrites,
} from "./cluster_held_writes.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name:
    "A lease keeper keeps a lease whose renewal write is held in transit for 1.5 TTL: a second write renews it, the held one is refused when it lands",
  ...opts,
  fn: () =>
    withHeldWrites("r", 3000, async ({ proxy, nc, viaProxy, direct, ttlMs, subject }) => {
      const spy = spied(await openClusterBucket(viaProxy, { cluster: "r", replicas: 1, ttlMs }));
      const inbox = answers(nc);
      const seen = seenNow();
      const keeper = keeperFor(spy.bucket, seen);
      try {
        await holdOne(spy.bucket, keeper, seen, 2);
        const before = await direct.lease(1);
        proxy.hold({ subject, count: 1, ms: 1.5 * ttlMs });
        await waitFor(() => proxy.held.length === 1, {
          timeoutMs: 5000,
          what: "a renewal write held",
        });
        await waitFor(() => proxy.released === 1, {
          timeoutMs: 3 * ttlMs,
          what: "the held write released",
        });
        const heldReply = proxy.held[0]!.reply;
        assert.ok(heldReply !== null, "a request has a reply subject");
        const late = await waitFor(() => inbox.get(heldReply), {
          timeoutMs: 5000,
          what: "JetStream's answer to the held write",
        });
        // One TTL more: a loss the held write caused would be reported by now.
        await new Promise((r) => setTimeout(r, ttlMs));
        assert.deepEqual(seen.lost, [], `nothing lost:\n${seen.logs.join("\n")}`);
        const after = await direct.lease(1);
        assert.equal(after.owner, "a");
        assert.ok(
          after.revision > before.revision,
          `renewed: ${before.revision} -> ${after.revision}`,
        );
        assert.equal(
          late.error?.err_code,
          10071,
          `the held write, landing on a superseded revision, is refused: ${JSON.stringify(late)}`,
        );
        assert.ok(seen.retries.length >= 1, "a second write was sent");
        assert.ok(
          seen.retries.every((ms) => ms >= ttlMs / 4 - 50),
          `retried after the retry timeout: ${seen.retries}`,
        );
        assert.ok(seen.slow.length >= 1, "the held renewal counted as slow");
        assert.ok(
          seen.slow.every((ms) => ms > ttlMs / 4),
          `slow renewals are over a quarter TTL: ${seen.slow}`,
        );
        // Counted once: as many renewals reported as writes that succeeded.
        assert.equal(
          seen.renewals.length,
          spy.outcomes.renewals.filter((o) => o === "renewed").length,
          `renewals ${seen.renewals.length}, outcomes ${spy.outcomes.renewals.join(",")}`,
        );
        assert.ok(spy.outcomes.renewals.includes("failed"), "the held write timed out here");
        assert.ok(
          seen.logs.some((l) =>
            /a renewed the lease of partition 1 \d+ ms after sending its first write \(2 writes/
              .test(l)
          ),
          seen.logs.join("\n"),
        );
      } finally {
        await keeper.stop();
      }
    }),
});

Deno.test({
  name:
    "A lease whose renewal writes are all held past the TTL is reported lost once, and the held writes landing after another member acquired it are refused",
  ...opts,
  fn: () =>
    withHeldWrites("x", 2000, async ({ proxy, nc, viaProxy, direct, ttlMs, subject }) => {
      const spy = spied(await openClusterBucket(viaProxy, { cluster: "x", replicas: 1, ttlMs }));
      const inbox = answers(nc);
      const seen = seenNow();
      const keeper = keeperFor(spy.bucket, seen);
      const keepers = [keeper];
      try {
        await holdOne(spy.bucket, keeper, seen, 1);
        proxy.hold({ subject, count: Infinity, ms: 3 * ttlMs });
        await waitFor(() => seen.lost.length > 0, {
          timeoutMs: 3 * ttlMs,
          what: "the lease reported lost",
        });
        const heldAtLoss = proxy.held.length;
        assert.equal(seen.lost[0]!.partition, 1);
        assert.match(
          seen.lost[0]!.why,
          /not renewed within the 2000 ms TTL \(last renewal sent \d+ ms ago\): .*first sent \d+ ms ago/,
        );
        // The servers expire it (they age it from the stored write), then b takes it.
        await waitFor(async () => (await direct.lease(1)).owner === null, {
          timeoutMs: 2 * ttlMs,
          what: "the lease expired on the servers",
        });
        const bSentAt = Date.now();
        const taken = await direct.acquire(1, "b", "");
        assert.ok(taken !== null, "b acquires it");
        // b keeps it (its writes do not pass the proxy).
        const bLost: number[] = [];
        const b = new LeaseKeeper(direct, { id: "b", onLost: (p) => bLost.push(p), log: () => {} });
        b.start({ id: "b", url: "", owned: [1], since: 1 });
        b.hold(1, taken!, bSentAt);
        keepers.push(b);
        const heldCount = proxy.held.length;
        assert.ok(heldCount >= 2, `the write and its retry were held (${heldCount})`);
        await waitFor(() => proxy.released >= heldCount, {
          timeoutMs: 4 * ttlMs,
          what: "the held writes released",
        });
        const late = await waitFor(() => {
          const got = proxy.held.slice(0, heldCount).map((h) => inbox.get(h.reply ?? ""));
          return got.every((a) => a !== undefined) && got;
        }, { timeoutMs: 5000, what: "JetStream's answers to the held writes" });
        for (const a of late) {
          assert.equal(a!.error?.err_code, 10071, `a late write is refused: ${JSON.stringify(a)}`);
        }
        const now = await direct.lease(1);
        assert.equal(now.owner, "b", "b's lease untouched by the late writes");
        assert.deepEqual(bLost, [], "b's renewals never refused (no write of a's landed)");
        assert.equal(seen.lost.length, 1, "reported lost once");
        // Nothing renewed after the loss (the keeper sends no more writes for it).
        assert.equal(proxy.held.length, heldAtLoss, "no write sent after the loss");
      } finally {
        for (const k of keepers) await k.stop();
      }
    }),
});

Deno.test({
  name:
    "A lease keeper keeps a lease while every renewal write is held a quarter TTL for 4 TTLs, counting each renewal once and each as slow",
  ...opts,
  fn: () =>
    withHeldWrites("u", 2000, async ({ proxy, viaProxy, direct, ttlMs, subject }) => {
      const spy = spied(await openClusterBucket(viaProxy, { cluster: "u", replicas: 1, ttlMs }));
      const seen = seenNow();
      const keeper = keeperFor(spy.bucket, seen);
      try {
        await holdOne(spy.bucket, keeper, seen, 1);
        const before = seen.renewals.length;
        proxy.hold({ subject, count: Infinity, ms: ttlMs / 4 });
        await new Promise((r) => setTimeout(r, 4 * ttlMs));
        proxy.hold({ subject, count: 0, ms: 0 });
        await new Promise((r) => setTimeout(r, ttlMs));
        assert.deepEqual(seen.lost, [], `nothing lost:\n${seen.logs.join("\n")}`);
        assert.equal((await direct.lease(1)).owner, "a");
        const during = seen.renewals.length - before;
        assert.ok(during >= 4, `renewed while every write was held: ${during}`);
        assert.ok(proxy.held.length >= during, `writes held ${proxy.held.length}`);
        assert.equal(
          seen.renewals.length,
          spy.outcomes.renewals.filter((o) => o === "renewed").length,
          `each renewal counted once: ${spy.outcomes.renewals.join(",")}`,
        );
        assert.ok(seen.slow.length >= 1, "slow renewals counted");
        assert.ok(
          seen.logs.filter((l) => /renewed the lease of partition 1 \d+ ms after/.test(l)).length <=
            2,
          `slow renewals said at most once per 10 s:\n${seen.logs.join("\n")}`,
        );
      } finally {
        await keeper.stop();
      }
    }),
});

Deno.test({
  name:
    "A lease keeper in its own thread keeps a lease whose renewal write is held for 1.5 TTL, and reports the retry and the slow renewal to the member's thread",
  ...opts,
  fn: () =>
    withHeldWrites("t", 3000, async ({ proxy, nc, direct, ttlMs, subject }) => {
      const inbox = answers(nc);
      const seen = seenNow();
      const keeper = await startKeeperThread(
        {
          servers: proxy.url,
          cluster: "t",
          id: "a",
          replicas: 1,
          ttlMs,
          maxStallMs: 60_000,
          since: 1,
          // Starting a thread loads its modules: slow on a busy machine; not what is tested here.
          readyTimeoutMs: 30_000,
        },
        {
          onLost: (partition, why) => seen.lost.push({ partition, why }),
          onRenewed: (ms) => seen.renewals.push(ms),
          onRetry: (_p, waitedMs) => seen.retries.push(waitedMs),
          onSlow: (_p, ms) => seen.slow.push(ms),
          log: (line) => seen.logs.push(line),
        },
      );
      try {
        await holdOne(direct, keeper, seen, 2);
        proxy.hold({ subject, count: 1, ms: 1.5 * ttlMs });
        await waitFor(() => proxy.released === 1, {
          timeoutMs: 5 * ttlMs,
          what: "a renewal write held, then released",
        });
        const late = await waitFor(() => inbox.get(proxy.held[0]!.reply ?? ""), {
          timeoutMs: 5000,
          what: "JetStream's answer to the held write",
        });
        await new Promise((r) => setTimeout(r, ttlMs));
        assert.deepEqual(seen.lost, [], `nothing lost:\n${seen.logs.join("\n")}`);
        assert.equal((await direct.lease(1)).owner, "a");
        assert.equal(
          late.error?.err_code,
          10071,
          `the held write is refused: ${JSON.stringify(late)}`,
        );
        assert.ok(seen.retries.length >= 1, "the retry reported");
        assert.ok(seen.slow.length >= 1, "the slow renewal reported");
        assert.ok(
          seen.logs.some((l) => /a renewed the lease of partition 1 \d+ ms after sending/.test(l)),
          seen.logs.join("\n"),
        );
      } finally {
        await keeper.stop();
      }
    }),
});

Deno.test({
  name:
    "A member's registration stays present while one of its writes is held in transit for 1.5 TTL: a second write renews it",
  ...opts,
  fn: () =>
    withHeldWrites("g", 3000, async ({ proxy, viaProxy, direct, ttlMs }) => {
      const bucket = await openClusterBucket(viaProxy, { cluster: "g", replicas: 1, ttlMs });
      const seen = seenNow();
      const keeper = keeperFor(bucket, seen);
      try {
        await bucket.register({ id: "a", url: "", owned: [], since: 1 });
        keeper.start({ id: "a", url: "", owned: [], since: 1 });
        proxy.hold({ subject: "$KV.VIGIL_CLUSTER.member.g.a", count: 1, ms: 1.5 * ttlMs });
        const until = Date.now() + 2.5 * ttlMs;
        const missing: number[] = [];
        let reads = 0;
        while (Date.now() < until) {
          const ids = (await direct.members()).map((m) => m.id);
          reads++;
          if (!ids.includes("a")) missing.push(Date.now());
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal(proxy.held.length, 1, "a registration write was held");
        assert.ok(reads >= 10, `read the registrations ${reads} times`);
        assert.deepEqual(missing, [], "the registration never expired");
      } finally {
        await keeper.stop();
      }
    }),
});

Deno.test({
  name:
    "Registration writes held past the TTL land after the newer URL's write and are refused: the stored URL never goes back",
  ...opts,
  fn: () =>
    withHeldWrites("o", 2000, async ({ proxy, nc, viaProxy, direct, ttlMs }) => {
      const subject = "$KV.VIGIL_CLUSTER.member.o.a";
      const bucket = await openClusterBucket(viaProxy, { cluster: "o", replicas: 1, ttlMs });
      const stored: number[] = [];
      const spy = {
        ...bucket,
        ttlMs,
        register: (...args: Parameters<typeof bucket.register>) =>
          bucket.register(...args).then((r) => {
            if (r !== null) stored.push(r);
            return r;
          }),
      };
      const inbox = answers(nc);
      const seen = seenNow();
      const keeper = keeperFor(spy, seen);
      try {
        await bucket.register({ id: "a", url: "", owned: [], since: 1 });
        keeper.start({ id: "a", url: "", owned: [], since: 1 });
        await waitFor(() => stored.length >= 1, { timeoutMs: 10_000, what: "a registration" });
        // The next round's write and its second write are held 1.5 TTL (answers time out first).
        proxy.hold({ subject, count: 2, ms: 1.5 * ttlMs });
        await waitFor(() => proxy.held.length === 1, { timeoutMs: 10_000, what: "a write held" });
        keeper.setRecord({ id: "a", url: "http://a", owned: [1], since: 1 });
        const urls: string[] = [];
        await waitFor(async () => {
          const a = (await direct.members()).find((m) => m.id === "a");
          if (a !== undefined && urls.at(-1) !== a.url) urls.push(a.url);
          return proxy.released === 2;
        }, { timeoutMs: 6 * ttlMs, what: "the held writes released" });
        const until = Date.now() + ttlMs;
        while (Date.now() < until) {
          const a = (await direct.members()).find((m) => m.id === "a");
          if (a !== undefined && urls.at(-1) !== a.url) urls.push(a.url);
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.equal(urls.at(-1), "http://a", `the new URL stored: ${urls}`);
        assert.deepEqual(
          urls.slice(urls.indexOf("http://a")),
          ["http://a"],
          `never back to the older record: ${JSON.stringify(urls)}`,
        );
        for (const h of proxy.held) {
          const late = await waitFor(() => inbox.get(h.reply ?? ""), {
            timeoutMs: 5000,
            what: "JetStream's answer to a held write",
          });
          assert.equal(
            late.error?.err_code,
            10071,
            `a late write is refused: ${JSON.stringify(late)}`,
          );
        }
      } finally {
        await keeper.stop();
      }
    }),
});

Deno.test({
  name:
    "A keeper whose member pauses uncertain partitions keeps a lease while every renewal write is held 0.6 TTL: each uncertain stretch ends certain",
  ...opts,
  fn: () =>
    withHeldWrites("q", 2000, async ({ proxy, viaProxy, direct, ttlMs, subject }) => {
      const bucket = await openClusterBucket(viaProxy, { cluster: "q", replicas: 1, ttlMs });
      const seen = seenNow();
      const keeper = keeperFor(bucket, seen, { pauses: true });
      try {
        await holdOne(bucket, keeper, seen, 1);
        proxy.hold({ subject, count: Infinity, ms: 0.6 * ttlMs });
        await new Promise((r) => setTimeout(r, 4 * ttlMs));
        proxy.hold({ subject, count: 0, ms: 0 });
        await new Promise((r) => setTimeout(r, 1.5 * ttlMs));
        assert.deepEqual(seen.lost, [], `nothing lost:\n${seen.logs.join("\n")}`);
        assert.equal((await direct.lease(1)).owner, "a");
        assert.ok(seen.uncertain.length >= 1, "uncertain stretches (two round trips over a TTL)");
        assert.equal(seen.certain.length, seen.uncertain.length, "each ended certain");
        assert.match(seen.uncertain[0]!, /not renewed within the 2000 ms TTL .* still unanswered/);
      } finally {
        await keeper.stop();
      }
    }),
});
