/**
 * A late save that finally fails loses nothing, on a real nats-server with
 * real partition runners (`edge/cluster/partition_runner.ts`): owner a
 * applies a first chunk of events and saves it (answered before its lease's
 * deadline: counted, acked), then a second chunk, and saves again with the
 * deadline passed: the save is answered after it, so it waits (`late`), and
 * the lease is then lost: the save fails as fenced, and none of the second
 * chunk's messages is acknowledged. Owner b then claims the partition on
 * the head from before a's late save (what the race of nats-server 2.9.10
 * produces: both compare-and-sets pass, b's claim writes back the head it
 * read, `docs/operations.md` "Saves and the lease's deadline"), restores the
 * first chunk's state and is redelivered the second chunk: every event
 * applied exactly once, none lost. Had a's late save counted (the mutant
 * `lease/save-after-deadline-counts`), its acks would have gone and b
 * would never see the second chunk.
 *
 * And a late save that waits past the consumer's `ack_wait` and then counts:
 * its messages come again meanwhile, the core drops them as duplicates
 * (each event applied once), and every delivery is acknowledged once the
 * save counts and the next one runs.
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { openStateBucket, type SaveDeadline } from "../edge/cluster/partition_store.ts";
import { leaseClock } from "../edge/cluster/lease_deadline.ts";
import { startPartitionRunner } from "../edge/cluster/partition_runner.ts";
import { ALL_EVENT_SUBJECTS, EVENT_STREAM } from "../lib/wire/subjects.ts";
import { loadCompiled } from "../lib/abi/loader.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { ROOT } from "../tools/harness/spec_files.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { plan, publishers } from "./cluster_fixture.ts";

/**
 * A lease deadline the test moves: answers before `cut` count, later ones wait until `lose()`
 * (then fail), as a `LeaseDeadline` whose renewals stopped.
 */
function testDeadline() {
  let cut = Infinity;
  let end = (_held: boolean) => {};
  const ended = new Promise<boolean>((r) => (end = r));
  const deadline: SaveDeadline = {
    before: (at) => at < cut,
    counts: (at) => at < cut ? Promise.resolve(true) : ended,
  };
  return {
    deadline,
    passNow: () => void (cut = leaseClock()),
    lose: () => end(false),
    /** A renewal succeeded: the deadline moves past every answer so far. */
    renew: () => {
      cut = Infinity;
      end(true);
    },
  };
}

/**
 * What both tests run on: a nats-server with the event stream and the state bucket, publishers of one
 * partition (prefix `cluster`), and owner a's store of partition 0 on a deadline the test moves (its
 * late saves' outcomes in `outcomes`). `close()` runs `stops` in reverse, then stops the server.
 */
async function ownerA(options: { readonly cluster: string; readonly seed: number }) {
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  const stops: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await nc.close();
    await server.stop();
  };
  try {
    const compiled = await loadCompiled(`${ROOT}dist/lease.core.wasm`);
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: EVENT_STREAM, subjects: [ALL_EVENT_SUBJECTS] });
    const states = await openStateBucket(nc, { replicas: 1 });
    const pubs = publishers(await loadSpec(`${ROOT}dist/lease.js`), jetstream(nc), {
      partitions: 1,
      prefix: options.cluster,
      seed: options.seed,
    });
    stops.push(() => pubs.close());
    const lease = testDeadline();
    const outcomes: { outcome: string; waitedMs: number }[] = [];
    const store = states.partition(0, {
      cluster: options.cluster,
      owner: "a",
      lease: lease.deadline,
      onLate: (outcome, waitedMs) => void outcomes.push({ outcome, waitedMs }),
      log: () => {},
    });
    return { nc, stops, close, compiled, jsm, states, pubs, lease, outcomes, store };
  } catch (e) {
    await close();
    throw e;
  }
}

Deno.test({
  name:
    "A save answered after the lease's deadline and then fenced acknowledges nothing: the next owner, restoring the state before it, applies every event once",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const rig = await ownerA({ cluster: "late", seed: 7 });
    const { nc, stops, compiled, jsm, states, pubs, lease, outcomes, store: storeA } = rig;
    try {
      const core = { specs: [compiled], windowMs: 20 };
      const [first, second] = plan(7, 2, 30);
      const logs: string[] = [];
      const service = { persistMs: 3_600_000, onLog: (l: string) => void logs.push(l) };
      const options = { core, durablePrefix: "vigil-late", service };

      const a = await startPartitionRunner(nc, storeA, options);
      stops.push(() => a.abandon());
      const applied = (r: typeof a) => r.service.collector.metrics().applied;
      await pubs.publish(first!);
      await waitFor(() => applied(a) === first!.events, {
        timeoutMs: 20_000,
        what: `a applied the first chunk (${first!.events} events)`,
      });
      await a.service.persist();
      assert.equal(outcomes.length, 0, "the first save was answered before the deadline");
      const consumer = `vigil-late-p0`;
      await waitFor(
        async () => (await jsm.consumers.info(EVENT_STREAM, consumer)).num_ack_pending === 0,
        { timeoutMs: 10_000, what: "the first chunk acked" },
      );
      const headBefore = (await states.kv.get("state.late.0"))!.value;

      await pubs.publish(second!);
      const total = first!.events + second!.events;
      await waitFor(() => applied(a) === total, {
        timeoutMs: 20_000,
        what: `a applied the second chunk (${total} events in all)`,
      });
      lease.passNow();
      let settled = false;
      const saving = a.service.persist().finally(() => (settled = true));
      await waitFor(() => outcomes.length > 0 || settled, {
        timeoutMs: 10_000,
        what: "a's save answered",
      });
      await new Promise((r) => setTimeout(r, 300));
      lease.lose();
      await saving;
      await a.abandon();
      const ackPending = (await jsm.consumers.info(EVENT_STREAM, consumer)).num_ack_pending;

      // The race's outcome: b's claim on the head it read before a's late head write.
      await states.kv.put("state.late.0", headBefore);
      const storeB = states.partition(0, { cluster: "late", owner: "b", log: () => {} });
      const b = await startPartitionRunner(nc, storeB, options);
      stops.push(() => b.stop());
      assert.equal(b.restoredApplied, first!.events, "b restored the state before a's late save");
      await waitFor(() => applied(b) === total, {
        timeoutMs: 30_000,
        what: `b applied every event (${total}), none acked by a fenced save`,
      });
      const m = b.service.collector.metrics();
      assert.equal(m.lost, 0);
      assert.equal(m.applied, total);
      // a's second save: late, then fenced after waiting for the lease, and nothing of it acked.
      assert.deepEqual(outcomes.map((o) => o.outcome), ["late", "fenced"]);
      assert.ok(outcomes[1]!.waitedMs >= 250, `waited ${outcomes[1]!.waitedMs} ms`);
      assert.ok(ackPending > 0, `the fenced save's messages stay unacknowledged (${ackPending})`);
      assert.ok(logs.some((l) => /state save was fenced: its head was answered after/.test(l)));
    } finally {
      await rig.close();
    }
  },
});

Deno.test({
  name:
    "A late save that waits past the consumer's ack_wait, then counts: the redelivered messages are dropped as duplicates and everything is acknowledged",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const rig = await ownerA({ cluster: "wait", seed: 9 });
    const { nc, stops, compiled, jsm, pubs, lease, outcomes, store } = rig;
    try {
      const [chunk] = plan(9, 1, 30);
      const a = await startPartitionRunner(nc, store, {
        core: { specs: [compiled], windowMs: 20 },
        durablePrefix: "vigil-wait",
        service: { persistMs: 3_600_000, onLog: () => {} },
        ackWaitMs: 1_000,
      });
      stops.push(() => a.stop());
      const metrics = () => a.service.collector.metrics();
      await pubs.publish(chunk!);
      await waitFor(() => metrics().applied === chunk!.events, {
        timeoutMs: 20_000,
        what: `a applied the chunk (${chunk!.events} events)`,
      });
      lease.passNow();
      const saving = a.service.persist();
      await waitFor(() => outcomes.length === 1, { timeoutMs: 10_000, what: "a late save" });
      // Past ack_wait (1 s): the messages come again while the save waits.
      await waitFor(() => metrics().duplicates > 0, {
        timeoutMs: 10_000,
        what: "the messages redelivered while the save waits",
      });
      lease.renew();
      await saving;
      assert.deepEqual(outcomes.map((o) => o.outcome), ["late", "counted"]);
      // ack_wait runs from the delivery, before the answer: the wait itself is somewhat shorter.
      assert.ok(outcomes[1]!.waitedMs >= 500, `waited ${outcomes[1]!.waitedMs} ms`);
      await a.service.persist(); // acks the redelivered copies too
      const consumer = "vigil-wait-p0";
      await waitFor(
        async () => {
          const info = await jsm.consumers.info(EVENT_STREAM, consumer);
          return info.num_ack_pending === 0 && info.num_pending === 0;
        },
        { timeoutMs: 10_000, what: "every delivery acknowledged" },
      );
      assert.equal(metrics().applied, chunk!.events, "each event applied once");
      assert.equal(metrics().lost, 0);
    } finally {
      await rig.close();
    }
  },
});
