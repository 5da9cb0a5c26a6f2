import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import {
  jetstream,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { createCollector, restoreCollector } from "../engine/collector.ts";
import { type NatsIngest, startNatsIngest } from "./nats.ts";
import { parsePrometheus } from "../server/metrics.ts";
import {
  type CollectorService,
  createCollectorService,
  type IngestBytesOptions,
  type IngestOutcome,
} from "../server/service.ts";
import { type CollectorStore, memoryStore } from "../store/store.ts";
import { decodeBatch } from "../../lib/wire/decode.ts";
import { ensureStream } from "../../lib/wire/ensure_stream.ts";
import { EVENT_STREAM } from "../../lib/wire/subjects.ts";
import { compiledLease, sdkLease, TestNode } from "../../tools/harness/collector_app_fixture.ts";
import { startNatsServer } from "../../tools/harness/nats_server.ts";
import { waitFor } from "../../tools/harness/wait.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const sdk = await sdkLease();
const STREAM = EVENT_STREAM;
const DURABLE = "vigil-collector";

/** One collector process, in-process: its own connection, service and ingest. */
async function startRun(url: string, service?: CollectorService) {
  const nc = await connect({ servers: url });
  const svc = service ??
    createCollectorService(createCollector({ specs: [await compiledLease()] }));
  const ingest = await startNatsIngest(nc, svc, { infoMs: 0 });
  return { nc, service: svc, ingest };
}

/** Ends a run the way SIGKILL would: the connection goes, held messages are never acked. */
async function kill(run: { nc: NatsConnection }): Promise<void> {
  await run.nc.close();
}

async function stop(run: { nc: NatsConnection; ingest: NatsIngest }): Promise<void> {
  await run.ingest.stop();
  await run.nc.close();
}

/** Applies what is buffered and saves, which acks the covered messages. */
async function applyAndAck(service: CollectorService): Promise<void> {
  service.collector.flush();
  await service.persist();
}

function consumerInfo(jsm: JetStreamManager) {
  return jsm.consumers.info(STREAM, DURABLE);
}

/** The value of one metric series, by name and labels. */
function metric(service: CollectorService, name: string, labels: Record<string, string> = {}) {
  const want = JSON.stringify(Object.entries(labels).sort());
  const s = parsePrometheus(service.metrics.render()).find((x) =>
    x.name === name && JSON.stringify(Object.entries(x.labels).sort()) === want
  );
  return s?.value ?? 0;
}

/** A real collector service whose log lines are kept (`log`). */
async function loggingService(): Promise<{ service: CollectorService; log: string[] }> {
  const log: string[] = [];
  const service = createCollectorService(createCollector({ specs: [await compiledLease()] }), {
    onLog: (line) => log.push(line),
  });
  return { service, log };
}

/** A nats-server with the event stream, a publishing connection, and cleanup of the runs' connections. */
async function withStream(
  fn: (
    ctx: {
      url: string;
      jsm: JetStreamManager;
      js: JetStreamClient;
      /** The publishing connection. */
      pub: NatsConnection;
      runs: { nc: NatsConnection }[];
      publish: (batches: number) => Promise<void>;
    },
  ) => Promise<void>,
): Promise<void> {
  const server = await startNatsServer();
  const pub = await connect({ servers: server.url });
  const runs: { nc: NatsConnection }[] = [];
  try {
    const jsm = await jetstreamManager(pub);
    await ensureStream(jsm);
    const js = jetstream(pub);
    const node = new TestNode(sdk, "a");
    let lock = 0;
    /** Publishes batches of two events each (an acquire and a release). */
    const publish = async (batches: number) => {
      for (let i = 0; i < batches; i++, lock++) {
        node.step(`lock:${lock}`, "acquire", { c: 1 }).step(`lock:${lock}`, "release", { c: 1 });
        await js.publish("vigil.events.Lease", node.take());
      }
    };
    await fn({ url: server.url, jsm, js, pub, runs, publish });
  } finally {
    for (const r of runs) await r.nc.close().catch(() => {});
    await pub.close();
    await server.stop();
  }
}

Deno.test({
  name:
    "A durable consumer killed twice in quick succession resumes at its ack floor, not at sequence 1",
  ...opts,
  fn: () =>
    withStream(async ({ url, jsm, runs, publish }) => {
      // Run 1 applies and acks batches 1..20, then ingests 21..40 and dies holding them.
      await publish(20);
      const run1 = await startRun(url);
      runs.push(run1);
      await waitFor(() => run1.service.collector.metrics().events === 40, { what: "run 1 ingest" });
      await applyAndAck(run1.service);
      await waitFor(async () => (await consumerInfo(jsm)).ack_floor.stream_seq === 20, {
        what: "ack floor 20",
      });
      await publish(20);
      await waitFor(() => run1.service.collector.metrics().events === 80, { what: "run 1 tail" });
      await kill(run1);
      const afterFirst = await consumerInfo(jsm);
      assert.equal(afterFirst.ack_floor.stream_seq, 20);
      assert.equal(afterFirst.num_ack_pending, 20, "run 1 died holding 20 unacked messages");

      // Run 2 resumes at 21 and dies before acking anything.
      const run2 = await startRun(url);
      runs.push(run2);
      assert.equal((await consumerInfo(jsm)).config.opt_start_seq, 21);
      await waitFor(() => run2.service.collector.metrics().events > 0, { what: "run 2 ingest" });
      await kill(run2);
      const afterSecond = await consumerInfo(jsm);
      assert.ok(afterSecond.num_ack_pending > 0, "run 2 died holding unacked messages");

      // Run 3 must start at 21 again, whatever ack floor the server reports for run 2's consumer.
      const run3 = await startRun(url);
      runs.push(run3);
      assert.equal((await consumerInfo(jsm)).config.opt_start_seq, 21);
      await waitFor(async () => {
        await applyAndAck(run3.service);
        const i = await consumerInfo(jsm);
        return i.num_pending === 0 && i.num_ack_pending === 0 && i.delivered.stream_seq === 40;
      }, { what: "run 3 to ack everything" });
      const m = run3.service.collector.metrics();
      assert.equal(m.events, 40, "run 3 received exactly batches 21..40");
      assert.equal(m.duplicates, 0);
      assert.equal(
        metric(run3.service, "vigil_events_received_total", { source: "jetstream" }),
        40,
      );
      await stop(run3);
    }),
});

Deno.test({
  name:
    "A collector killed between a save and its acks gets those messages again and drops every event as a duplicate",
  ...opts,
  fn: () =>
    withStream(async ({ url, jsm, runs, publish }) => {
      await publish(10);
      const saved = memoryStore();
      const specs = [await compiledLease()];

      // Run 1: the save completes, then the process dies before any ack leaves.
      const nc1 = await connect({ servers: url });
      runs.push({ nc: nc1 });
      const dying: CollectorStore = {
        ...saved,
        save: async (snapshot) => {
          await saved.save(snapshot);
          await nc1.close();
        },
      };
      const run1 = createCollectorService(createCollector({ specs }), {
        store: dying,
        onError: () => {},
      });
      await startNatsIngest(nc1, run1, { infoMs: 0 });
      await waitFor(() => run1.collector.metrics().events === 20, { what: "run 1 ingest" });
      await applyAndAck(run1);
      assert.equal(saved.saves, 1);
      const afterKill = await consumerInfo(jsm);
      assert.deepEqual([afterKill.ack_floor.stream_seq, afterKill.num_ack_pending], [0, 10]);

      // Run 2 restores the saved state: every redelivered event is already applied.
      const snapshot = await saved.load();
      assert.ok(snapshot !== null);
      const collector = restoreCollector(snapshot, { specs });
      const run2 = await startRun(url, createCollectorService(collector, { store: saved }));
      runs.push(run2);
      await waitFor(async () => {
        await applyAndAck(run2.service);
        const i = await consumerInfo(jsm);
        return i.num_pending === 0 && i.num_ack_pending === 0 && i.delivered.stream_seq === 10;
      }, { what: "run 2 to ack the redelivered messages" });
      const m = collector.metrics();
      assert.deepEqual(
        { duplicates: m.duplicates, events: m.events, applied: m.applied },
        { duplicates: 20, events: 20, applied: 20 },
      );
      await stop(run2);
    }),
});

Deno.test({
  name:
    "Refused JetStream batches: internal errors are redelivered then terminated, other refusals terminated at once, every one counted",
  ...opts,
  fn: () =>
    withStream(async ({ url, jsm, js, runs }) => {
      const nc = await connect({ servers: url });
      runs.push({ nc });
      let ingest: NatsIngest | null = null;
      try {
        const { service: real, log: serviceLog } = await loggingService();
        const calls = new Map<string, number>();
        const refuse = (
          bytes: Uint8Array,
          options: IngestBytesOptions,
          run: () => IngestOutcome,
        ) => {
          let batch;
          try {
            batch = decodeBatch(bytes);
          } catch {
            return run(); // not a batch: the real service refuses it
          }
          const node = batch.node;
          const { spec, specName, boot } = batch;
          // As the real service does: tell the carrier which batch it decoded, then plant.
          const decoded = { stream: { spec, specName, node, boot }, firstSeq: batch.firstSeq };
          options.onDecoded?.({ ...decoded, count: batch.events.length });
          const source = "jetstream";
          calls.set(node, (calls.get(node) ?? 0) + 1);
          if (node === "thrower") throw new Error("Planted failure");
          if (node === "internal") {
            real.reject("internal", source);
            return { ok: false, reason: "internal", detail: "Planted internal outcome" } as const;
          }
          if (node === "limited") {
            real.reject("limit", source);
            return { ok: false, reason: "limit", detail: "Planted limit" } as const;
          }
          return run();
        };
        const service: CollectorService = {
          ...real,
          ingestBytes: (bytes, s, o = {}) => refuse(bytes, o, () => real.ingestBytes(bytes, s, o)),
        };
        const lines: string[] = [];
        ingest = await startNatsIngest(nc, service, {
          infoMs: 0,
          redelivery: { maxDeliveries: 4, baseDelayMs: 10, maxDelayMs: 40 },
          log: (line) => lines.push(line),
        });
        for (const id of ["good", "thrower", "internal", "limited"]) {
          const n = new TestNode(sdk, id);
          n.step("lock:1", "acquire", { c: 1 }).step("lock:1", "release", { c: 1 });
          await js.publish("vigil.events.Lease", n.take());
        }
        await js.publish("vigil.events.Lease", new TextEncoder().encode("not a batch"));

        await waitFor(async () => {
          await applyAndAck(real);
          const i = await consumerInfo(jsm);
          return i.num_pending === 0 && i.num_ack_pending === 0 && i.delivered.stream_seq === 5;
        }, { what: "every message settled", timeoutMs: 15_000 });

        assert.deepEqual(
          Object.fromEntries(calls),
          { good: 1, thrower: 4, internal: 4, limited: 1 },
          "internal refusals delivered maxDeliveries times, others once",
        );
        const t = (reason: string) => metric(real, "vigil_jetstream_terminated_total", { reason });
        const te = (reason: string) =>
          metric(real, "vigil_jetstream_terminated_events_total", { reason });
        assert.deepEqual([t("internal"), t("limit"), t("malformed")], [2, 1, 1]);
        assert.deepEqual([te("internal"), te("limit"), te("malformed")], [4, 2, 0]);
        assert.equal(metric(real, "vigil_jetstream_redeliveries_total", { reason: "internal" }), 6);
        assert.equal(real.metrics.rejectedBy("internal"), 8, "each refused delivery counted");
        assert.equal(real.metrics.rejectedBy("limit"), 1);
        assert.equal(real.metrics.rejectedBy("malformed"), 1);
        assert.equal(real.collector.metrics().applied, 2, "the good batch went through");
        assert.equal(lines.length, 3, lines.join("\n"));
        for (const reason of ["internal", "limit", "malformed"]) {
          assert.equal(lines.filter((l) => l.includes(`refused as '${reason}'`)).length, 1, reason);
        }
        assert.equal(
          metric(real, "vigil_internal_errors_total", { where: "jetstream ingest" }),
          4,
          "each thrown delivery counted as an internal error",
        );
        assert.ok(
          serviceLog.some((l) => /internal error in jetstream ingest.*Planted failure/.test(l)),
        );
      } finally {
        await ingest?.stop();
      }
    }),
});

/**
 * A nats-server whose user `collector` (password `collector`) may not subscribe to the event
 * subjects: the harness's, so a port another process takes before the bind is picked again and
 * the server that answers is this one (a connect probe would accept any listener).
 */
function startDenyingServer(): ReturnType<typeof startNatsServer> {
  return startNatsServer({
    config: `authorization {
  users = [
    { user: collector, password: collector, permissions: { subscribe: { deny: ["vigil.events.>"] } } }
  ]
}`,
  });
}

Deno.test({
  name:
    "Core NATS ingest reports a subscription the server refuses (counted and logged, not swallowed)",
  ...opts,
  fn: async () => {
    const server = await startDenyingServer();
    const nc = await connect({ servers: server.url, user: "collector", pass: "collector" });
    let ingest: NatsIngest | null = null;
    try {
      const { service, log: serviceLog } = await loggingService();
      ingest = await startNatsIngest(nc, service, { mode: "core" });
      await nc.flush();
      await waitFor(() => metric(service, "vigil_internal_errors_total", { where: "nats" }) === 1, {
        what: "the refused subscription counted",
      });
      assert.ok(
        serviceLog.some((l) => /internal error in nats.*[Pp]ermission/.test(l)),
        serviceLog.join("\n"),
      );
    } finally {
      await ingest?.stop().catch(() => {});
      await nc.close();
      await server.stop();
    }
  },
});

Deno.test({
  name: "Core NATS ingest counts a batch whose ingest throws as refused and as an internal error",
  ...opts,
  fn: () =>
    // The event stream is there too (it stores what is published; core ingest reads the subjects).
    withStream(async ({ url, runs, pub }) => {
      const nc = await connect({ servers: url });
      runs.push({ nc });
      let ingest: NatsIngest | null = null;
      try {
        const { service: real, log: serviceLog } = await loggingService();
        const service: CollectorService = {
          ...real,
          ingestBytes: () => {
            throw new Error("Planted failure");
          },
        };
        ingest = await startNatsIngest(nc, service, { mode: "core" });
        await nc.flush();
        for (let i = 0; i < 3; i++) pub.publish("vigil.events.Lease", new Uint8Array([i]));
        await pub.flush();
        await waitFor(() => real.metrics.rejectedBy("internal") === 3, { what: "3 refusals" });
        assert.equal(metric(real, "vigil_internal_errors_total", { where: "nats ingest" }), 3);
        assert.ok(serviceLog.some((l) => /internal error in nats ingest.*Planted failure/.test(l)));
      } finally {
        await ingest?.stop();
      }
    }),
});

Deno.test({
  name:
    "A JetStream batch refused by a collector limit is terminated and counted, and its events become an announced hole",
  ...opts,
  fn: () =>
    withStream(async ({ url, jsm, js, runs }) => {
      const collector = createCollector({ specs: [await compiledLease()], maxPartitions: 1 });
      const holes: unknown[] = [];
      collector.on((e) => void (e.type === "gap" || e.type === "hole" ? holes.push(e) : 0));
      const lines: string[] = [];
      const service = createCollectorService(collector, { onLog: () => {} });
      const nc = await connect({ servers: url });
      runs.push({ nc });
      const ingest = await startNatsIngest(nc, service, {
        infoMs: 0,
        log: (line) => lines.push(line),
      });
      const node = new TestNode(sdk, "b");
      // Events 0-1 on lock:0 (admitted), 2-3 on lock:1 (a second partition: refused), 4-5 on lock:0.
      for (const key of ["lock:0", "lock:1", "lock:0"]) {
        node.step(key, "acquire", { c: 1 }).step(key, "release", { c: 1 });
        await js.publish("vigil.events.Lease", node.take());
      }
      await waitFor(async () => {
        await applyAndAck(service);
        const i = await consumerInfo(jsm);
        return i.num_pending === 0 && i.num_ack_pending === 0 && i.delivered.stream_seq === 3;
      }, { what: "every message settled" });
      assert.equal(metric(service, "vigil_jetstream_terminated_total", { reason: "limit" }), 1);
      assert.equal(
        metric(service, "vigil_jetstream_terminated_events_total", { reason: "limit" }),
        2,
      );
      assert.equal(service.metrics.rejectedBy("limit"), 1);
      assert.equal(metric(service, "vigil_jetstream_redeliveries_total", { reason: "limit" }), 0);
      assert.equal(collector.metrics().applied, 4);
      assert.equal(collector.metrics().gaps, 1, "sequence numbers 2-3 are a hole");
      assert.ok(holes.length > 0, "the hole is announced");
      assert.equal(lines.filter((l) => l.includes("refused as 'limit'")).length, 1);
      await ingest.stop();
    }),
});
