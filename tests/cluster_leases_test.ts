/**
 * The parts of a partitioned deployment that decide who owns what, on a
 * real nats-server (one server, replicas 1, which changes nothing of the
 * KV semantics):
 * - a lease is taken by one member only, renewed by compare-and-set, and
 *   removed by the server once it is older than the bucket's `max_age`
 *   (no collector clock involved), after which its holder's renewal fails
 *   and another member takes it;
 * - a partition's state store is fenced: once a new owner claimed it, the
 *   previous owner's save fails and the new owner loads the last state the
 *   previous owner saved; a new owner's first save (not its claim) purges
 *   the chunks previous owner ids wrote, and a purge that fails (the bucket
 *   refusing roll-ups for a while) is logged and tried again until it
 *   succeeds, with no save after it; saves wait while the partition's save
 *   gate is closed (its lease uncertain), and fail if it was fenced meanwhile;
 * - registrations list the live members and expire the same way;
 * - the assignment moves only a joining member's partitions, and the HTTP
 *   forwarder's routing refuses batches that are not one partition's stream.
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstreamManager } from "@nats-io/jetstream";
import { openClusterBucket } from "../edge/cluster/leases.ts";
import {
  openStateBucket,
  type StateBucket,
  StateFencedError,
} from "../edge/cluster/partition_store.ts";
import type { CollectorSnapshot } from "../edge/engine/types.ts";
import { desiredAssignment } from "../edge/cluster/assignment.ts";
import { routeBatch } from "../edge/cluster/forward.ts";
import { SaveGate } from "../edge/cluster/save_gate.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { loadCompiled } from "../lib/abi/loader.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";
import { partitionOf } from "../lib/wire/subjects.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Runs `fn` with state bucket `bucket` on a fresh nats-server and a snapshot maker. */
async function withStates(
  bucket: string,
  fn: (
    states: StateBucket,
    snap: (takenAt: number) => CollectorSnapshot,
    nc: NatsConnection,
  ) => Promise<void>,
): Promise<void> {
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  try {
    const lease = await loadCompiled(`${ROOT}dist/lease.core.wasm`);
    const states = await openStateBucket(nc, { replicas: 1, bucket });
    await fn(
      states,
      (takenAt) => createCollector({ specs: [lease], now: () => takenAt }).snapshot(),
      nc,
    );
  } finally {
    await nc.close();
    await server.stop();
  }
}

/** The bucket's keys, sorted. */
async function keysOf(states: StateBucket): Promise<string[]> {
  const all: string[] = [];
  for await (const k of await states.kv.keys()) all.push(k);
  return all.sort();
}

Deno.test({
  name:
    "A lease is held by one member, renewed on its revision, and removed by the server when not renewed within max_age",
  ...opts,
  fn: async () => {
    const server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    try {
      const bucket = await openClusterBucket(nc, { cluster: "t", replicas: 1, ttlMs: 1000 });
      assert.equal(bucket.ttlMs, 1000);
      const rev = await bucket.acquire(3, "a", "http://a");
      assert.ok(rev !== null && rev > 0);
      assert.equal(await bucket.acquire(3, "b", "http://b"), null, "held: b cannot take it");
      // Taken before the renewal is sent: the server cannot expire the lease earlier than its
      // max_age after it stored it, however long the calls below take on a loaded machine.
      const t0 = Date.now();
      const rev2 = await bucket.renew(3, "a", "http://a", rev!);
      assert.ok(rev2 !== null && rev2 > rev!);
      assert.equal(await bucket.renew(3, "a", "http://a", rev!), null, "a stale revision fails");
      assert.deepEqual(await bucket.lease(3), { partition: 3, owner: "a", revision: rev2 });
      // Not renewed: the server removes it (max_age), whatever the members' clocks say.
      await waitFor(async () => (await bucket.lease(3)).owner === null, {
        timeoutMs: 10_000,
        intervalMs: 50,
        what: "the server to expire the lease",
      });
      assert.ok(Date.now() - t0 >= 500, "not expired long before max_age");
      assert.equal(
        await bucket.renew(3, "a", "http://a", rev2!),
        null,
        "the old holder learns it lost",
      );
      const taken = await bucket.acquire(3, "b", "http://b");
      assert.ok(taken !== null);
      assert.equal((await bucket.lease(3)).owner, "b");
      await bucket.release(3, taken!);
      assert.equal((await bucket.lease(3)).owner, null);
      assert.ok((await bucket.acquire(3, "a", "http://a")) !== null, "released: free again");

      // Registrations: listed while renewed, gone after max_age.
      await bucket.register({ id: "a", url: "http://a", owned: [3], since: 1 });
      await bucket.register({ id: "b", url: "http://b", owned: [], since: 2 });
      assert.deepEqual((await bucket.members()).map((m) => m.id), ["a", "b"]);
      await bucket.unregister("b");
      assert.deepEqual((await bucket.members()).map((m) => m.id), ["a"]);
      await waitFor(async () => (await bucket.members()).length === 0, {
        timeoutMs: 10_000,
        what: "the registration to expire",
      });
      await assert.rejects(
        bucket.register({ id: "a.b", url: "", owned: [], since: 0 }),
        /Member id must be 1 to 64 of \[A-Za-z0-9_-\], got 'a\.b'/,
      );
    } finally {
      await nc.close();
      await server.stop();
    }
  },
});

Deno.test({
  name:
    "A partition's state is fenced: after a new owner claims it, the old owner's save fails and the new owner loads the last saved state",
  ...opts,
  fn: () =>
    withStates("STATE_TEST", async (states, snap) => {
      const a = states.partition(5, { cluster: "t", owner: "a" });
      await a.claim();
      assert.equal(await a.load(), null);
      await a.save(snap(10));
      await a.save(snap(11));
      const b = states.partition(5, { cluster: "t", owner: "b" });
      await assert.rejects(b.load(), TypeError, "a load before the claim is refused");
      await b.claim();
      assert.equal((await b.load())?.takenAt, 11);
      await assert.rejects(a.save(snap(12)), (e: unknown) => {
        assert.ok(e instanceof StateFencedError);
        assert.equal(e.by, "b");
        return true;
      });
      await b.save(snap(13));
      const c = states.partition(5, { cluster: "t", owner: "c" });
      await c.claim();
      assert.equal(
        (await c.load())?.takenAt,
        13,
        "the old owner's late chunks did not overwrite b's",
      );
      c.fence();
      await assert.rejects(c.save(snap(14)), StateFencedError);
    }),
});

Deno.test({
  name:
    "A partition's saves wait while its save gate is closed (lease uncertain): they pass when it opens, and fail when the store was fenced meanwhile",
  ...opts,
  fn: () =>
    withStates("STATE_GATE", async (states, snap) => {
      const gate = new SaveGate();
      const a = states.partition(6, { cluster: "t", owner: "a", gate });
      await a.claim();
      await a.save(snap(1));
      gate.close();
      let saved = false;
      const waiting = a.save(snap(2)).then(() => (saved = true));
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(saved, false, "nothing saved while closed");
      const reader = states.partition(6, { cluster: "t", owner: "r" });
      gate.open();
      await waiting;
      await reader.claim();
      assert.equal((await reader.load())?.takenAt, 2, "saved once open");
      // Closed, then the lease lost: fenced first, then opened: the waiting save fails.
      const b = states.partition(7, { cluster: "t", owner: "b", gate });
      await b.claim();
      gate.close();
      const late = b.save(snap(3));
      b.fence();
      gate.open();
      await assert.rejects(late, StateFencedError);
    }),
});

Deno.test("The assignment moves only a joining member's partitions, and each to it", () => {
  const before = desiredAssignment(["c1", "c2", "c3"], 64);
  const after = desiredAssignment(["c1", "c2", "c3", "c4"], 64);
  let moved = 0;
  for (let p = 0; p < 64; p++) {
    if (after[p]!.owner !== before[p]!.owner) {
      moved++;
      assert.equal(after[p]!.owner, "c4");
    }
  }
  assert.ok(moved > 0 && moved < 64);
  assert.deepEqual(desiredAssignment(["c2", "c1", "c1"], 4), desiredAssignment(["c1", "c2"], 4));
  assert.deepEqual(desiredAssignment([], 2).map((d) => d.owner), [null, null]);
  assert.throws(() => desiredAssignment(["a"], 0), RangeError);
});

Deno.test("The forwarder routes one partition's stream and refuses mixed or misnamed batches", () => {
  const n = 16;
  const keys = ["lock:a", "lock:orders", "lock:b"];
  const [pa, pb] = [partitionOf("lock:a", n), partitionOf("lock:orders", n)];
  assert.notEqual(pa, pb);
  const batch = (boot: string, ks: string[]) =>
    ({ node: "n1", boot, events: ks.map((key) => ({ key })) }) as unknown as DecodedBatch;
  assert.deepEqual(routeBatch(batch(`b~p${pa}`, ["lock:a"]), n), { partition: pa });
  assert.deepEqual(routeBatch(batch(`b~p${pa}`, []), n), { partition: pa }, "drops only: by boot");
  const mixed = routeBatch(batch(`b~p${pa}`, keys.slice(0, 2)), n);
  assert.ok("error" in mixed);
  assert.match(
    mixed.error,
    /holds keys of partitions .*createPartitionedBatcher\(\{ partitions: 16 \}\)/,
  );
  const misnamed = routeBatch(batch("b", ["lock:a"]), n);
  assert.ok("error" in misnamed);
  assert.match(
    misnamed.error,
    new RegExp(`boot 'b' is not one partition's stream \\(boot '<boot>~p${pa}'`),
  );
  assert.ok("error" in routeBatch(batch(`b~p${pb}`, ["lock:a"]), n));
});

Deno.test({
  name:
    "A new owner's first save of a partition purges the chunks of every previous owner id, never before it",
  ...opts,
  fn: () =>
    withStates("TIDY_TEST", async (states, snap) => {
      const keys = () => keysOf(states);
      const a = states.partition(1, { cluster: "t", owner: "a" });
      await a.claim();
      await a.save(snap(1));
      await a.save(snap(2));
      assert.deepEqual(await keys(), ["chunk.t.1.a.0.0", "chunk.t.1.a.1.0", "state.t.1"]);
      const b = states.partition(1, { cluster: "t", owner: "b" });
      await b.claim();
      // Claimed but not saved: a's chunks are still the state.
      assert.deepEqual(await keys(), ["chunk.t.1.a.0.0", "chunk.t.1.a.1.0", "state.t.1"]);
      assert.equal((await b.load())?.takenAt, 2);
      await b.save(snap(3));
      assert.deepEqual(await keys(), ["chunk.t.1.b.0.0", "state.t.1"]);
      // Another partition's chunks are not touched.
      const other = states.partition(2, { cluster: "t", owner: "a" });
      await other.claim();
      await other.save(snap(4));
      const c = states.partition(1, { cluster: "t", owner: "c" });
      await c.claim();
      await c.save(snap(5));
      await c.save(snap(6));
      assert.deepEqual(await keys(), [
        "chunk.t.1.c.0.0",
        "chunk.t.1.c.1.0",
        "chunk.t.2.a.0.0",
        "state.t.1",
        "state.t.2",
      ]);
      const d = states.partition(1, { cluster: "t", owner: "d" });
      await d.claim();
      assert.equal((await d.load())?.takenAt, 6);
    }),
});

Deno.test({
  name:
    "A purge of previous owners' chunks that fails is logged and tried again until it succeeds, with no save after it",
  ...opts,
  fn: () =>
    withStates("RETRY_TEST", async (states, snap, nc) => {
      const keys = () => keysOf(states);
      const a = states.partition(1, { cluster: "t", owner: "a" });
      await a.claim();
      await a.save(snap(1));
      const logs: string[] = [];
      const b = states.partition(1, { cluster: "t", owner: "b", log: (l) => logs.push(l) });
      await b.claim();
      // The bucket refuses purges for a while (a purge is a roll-up message).
      const jsm = await jetstreamManager(nc);
      const config = (await jsm.streams.info("KV_RETRY_TEST")).config;
      await jsm.streams.update("KV_RETRY_TEST", { ...config, allow_rollup_hdrs: false });
      await b.save(snap(2));
      assert.equal(logs.length, 1, logs.join("\n"));
      assert.match(
        logs[0]!,
        /purging previous owners' state chunks of partition 1 failed \(.+\), trying again in \d+ ms/,
      );
      assert.deepEqual(await keys(), ["chunk.t.1.a.0.0", "chunk.t.1.b.0.0", "state.t.1"]);
      await jsm.streams.update("KV_RETRY_TEST", { ...config, allow_rollup_hdrs: true });
      // No save from here on: the retry alone removes a's chunk.
      await waitFor(async () => !(await keys()).includes("chunk.t.1.a.0.0"), {
        timeoutMs: 10_000,
        what: "the retried purge",
      });
      assert.deepEqual(await keys(), ["chunk.t.1.b.0.0", "state.t.1"]);
      assert.equal((await b.load())?.takenAt, 2);
      b.close();
    }),
});
