/**
 * Named regression: batches of 100, 129 and 200 events from one node, in
 * that order, are all applied, over HTTP (the collector app with token
 * auth) and over JetStream (a real nats-server, the collector's NATS
 * ingest). The batches carry real Lease state blocks from the SDK's
 * monitor. A decoder whose columns grew unevenly refused the third one
 * (a 500 over HTTP; a terminated message over JetStream, its events lost).
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { compiledLease, sdkLease, TestNode } from "../tools/harness/collector_app_fixture.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { createCollectorApp } from "../edge/server/app.ts";
import { tokenAuth } from "../edge/server/auth.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { startNatsIngest } from "../edge/ingest/nats.ts";
import { parsePrometheus } from "../edge/server/metrics.ts";
import { createCollectorService } from "../edge/server/service.ts";
import { memoryStore } from "../edge/store/store.ts";
import { decodeReference } from "../lib/wire/decode.ts";
import { EVENT_STREAM } from "../lib/wire/subjects.ts";

const SIZES = [100, 129, 200];
const TOTAL = SIZES.reduce((a, b) => a + b, 0);
const sdk = await sdkLease();

/** One node's three batches: locks acquired and released in turn (no violation), numbered from 0. */
function sizedBatches(node: string): Uint8Array[] {
  const n = new TestNode(sdk, node);
  let step = 0;
  return SIZES.map((size) => {
    for (let i = 0; i < size; i++, step++) {
      const key = `lock:${Math.floor(step / 2) % 50}`;
      n.step(key, step % 2 === 0 ? "acquire" : "release", { c: 1 + (step >> 7) % 3 });
    }
    const bytes = n.take();
    assert.equal(decodeReference(bytes).events.length, size, "the batch holds its events");
    return bytes;
  });
}

/** The sum of a metric's samples whose labels include `labels`. */
function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  return parsePrometheus(text)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

Deno.test("Batches of 100, 129 and 200 events from one node are all applied over HTTP", async () => {
  const collector = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  const app = createCollectorApp(collector, {
    auth: tokenAuth({ "node-1": "token-1" }),
    store: memoryStore(),
    keepAliveMs: 0,
  });
  const statuses: number[] = [];
  for (const body of sizedBatches("node-1")) {
    const res = await app.request("http://collector/ingest", {
      method: "POST",
      headers: { "content-type": "application/x-msgpack", authorization: "Bearer token-1" },
      body: body as Uint8Array<ArrayBuffer>,
    });
    statuses.push(res.status);
    await res.body?.cancel();
  }
  assert.deepEqual(statuses, [202, 202, 202]);
  collector.flush();
  const text = app.service.metrics.render();
  assert.equal(metric(text, "vigil_batches_rejected_total"), 0);
  assert.equal(metric(text, "vigil_batches_accepted_total", { source: "http" }), 3);
  assert.equal(metric(text, "vigil_events_received_total", { source: "http" }), TOTAL);
  assert.equal(metric(text, "vigil_events_accepted_total"), TOTAL);
  assert.equal(metric(text, "vigil_events_applied_total"), TOTAL);
  assert.equal(collector.metrics().violations, 0);
});

Deno.test({
  name: "Batches of 100, 129 and 200 events from one node are all applied over JetStream",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const nats = await startNatsServer();
    const collectorConn = await connect({ servers: nats.url });
    const sdkConn = await connect({ servers: nats.url });
    const collector = createCollector({ specs: [await compiledLease()], windowMs: 20 });
    const service = createCollectorService(collector, { store: memoryStore(), persistMs: 20 });
    service.start();
    const errors: unknown[] = [];
    const ingest = await startNatsIngest(collectorConn, service, {
      infoMs: 0,
      onError: (e) => errors.push(e),
    });
    try {
      const js = jetstream(sdkConn);
      for (const [i, body] of sizedBatches("node-1").entries()) {
        await js.publish("vigil.events.Lease", body, { msgID: `node-1:sizes:${i}` });
      }
      // Wait until every event is applied, or a batch was refused (then fail at once).
      let text = await waitFor(() => {
        const t = service.metrics.render();
        const rejected = metric(t, "vigil_batches_rejected_total");
        return (collector.metrics().applied === TOTAL || rejected > 0 || errors.length > 0) && t;
      }, {
        timeoutMs: 15_000,
        intervalMs: 20,
        what: `${TOTAL} events applied`,
        detail: () => `${collector.metrics().applied} applied`,
      });
      assert.deepEqual(errors, []);
      assert.equal(metric(text, "vigil_batches_rejected_total"), 0);
      assert.equal(collector.metrics().applied, TOTAL);
      text = service.metrics.render();
      assert.equal(metric(text, "vigil_batches_accepted_total", { source: "jetstream" }), 3);
      assert.equal(metric(text, "vigil_events_received_total", { source: "jetstream" }), TOTAL);
      const jsm = await jetstreamManager(sdkConn);
      const info = await jsm.consumers.info(EVENT_STREAM, "vigil-collector");
      assert.equal(info.delivered.stream_seq, 3, "three messages delivered");
      assert.equal(info.num_redelivered, 0);
    } finally {
      await ingest.stop();
      await service.stop();
      await collectorConn.drain();
      await sdkConn.drain();
      await nats.stop();
    }
  },
});
