/**
 * End to end: SDK monitors -> batcher -> (HTTP to a real `Deno.serve`, or a
 * real nats-server with JetStream) -> collector app -> JSON API. Everything
 * listens on 127.0.0.1 free ports; every wait is bounded.
 *
 * Expectations come from the oracle of `merge_oracle.ts` over the batches
 * the nodes' transports actually sent: the partition ids, statuses, open
 * episodes, participants and each participant's final state (exact bytes
 * from the collector, views from `/api/partitions`), and the violations.
 * Arrival times are real here, so an event may be late: the facts that do
 * not depend on the order of application are compared always, every
 * verdict when no event was late.
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { compiledLease, sdkLease } from "../tools/harness/collector_app_fixture.ts";
import {
  expectedVerdicts,
  record,
  type RunVerdicts,
  settled,
  verdictsOf,
} from "./collector_verdicts.ts";
import { eventsOf, OracleSpec, sortedMerge } from "./merge_oracle.ts";
import { specSource } from "../tools/harness/spec_files.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { createCollectorApp } from "../edge/server/app.ts";
import { readAuth, tokenAuth } from "../edge/server/auth.ts";
import { createCollector } from "../edge/engine/collector.ts";
import { startNatsIngest } from "../edge/ingest/nats.ts";
import { parsePrometheus } from "../edge/server/metrics.ts";
import { createCollectorService } from "../edge/server/service.ts";
import { memoryStore } from "../edge/store/store.ts";
import type { Collector, CollectorEvent, PartitionInfo, Violation } from "../edge/engine/types.ts";
import { decodeReference } from "../lib/wire/decode.ts";
import { EVENT_STREAM } from "../lib/wire/subjects.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { httpTransport } from "../runtime/transports/http.ts";
import { jetstreamTransport } from "../runtime/transports/jetstream.ts";
import { createNode } from "../runtime/monitor/node.ts";
import type { Transport } from "../runtime/transports/transport.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const sdk = await sdkLease();
const oracle = await OracleSpec.fromSource(specSource("lease"));

/** Reads `get()` until `ok` holds for its value (at most 15 s), and returns that value. */
async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let last: T | undefined;
  const hit = await waitFor(async () => {
    last = await get();
    return ok(last) && { value: last };
  }, { timeoutMs: 15_000, intervalMs: 25, what, detail: () => `last: ${JSON.stringify(last)}` });
  return hit.value;
}

/** What the nodes sent: event count and every batch their transports accepted. */
interface Sent {
  readonly events: number;
  readonly batches: readonly Uint8Array[];
}

/**
 * Three nodes step 30 locks correctly (each node's keys of equal length
 * follow each other in its batches); on lock:split nodes a and b both
 * acquire.
 */
async function runNodes(transportOf: (node: string) => Transport): Promise<Sent> {
  let sent = 0;
  const batches: Uint8Array[] = [];
  const capture = (t: Transport): Transport => ({
    name: t.name,
    send: async (bytes, meta) => {
      await t.send(bytes, meta);
      batches.push(bytes.slice());
    },
    close: () => t.close(),
  });
  const nodes = ["a", "b", "c"].map((id) => {
    const batcher = createBatcher(capture(transportOf(id)), { maxEvents: 64, maxDelayMs: 5 });
    return { id, batcher, node: createNode({ id }) };
  });
  for (let k = 0; k < 30; k++) {
    const n = nodes[k % 3]!;
    const m = sdk.monitor({ node: n.node, key: `lock:${k}`, sink: n.batcher, mode: "observe" });
    m.step("acquire", { c: 1 });
    m.step("release", { c: 1 });
    sent += 2;
  }
  for (const [i, n] of nodes.slice(0, 2).entries()) {
    const m = sdk.monitor({ node: n.node, key: "lock:split", sink: n.batcher, mode: "observe" });
    m.step("acquire", { c: i + 1 });
    sent++;
  }
  await Promise.all(nodes.map((n) => n.batcher.close()));
  return { events: sent, batches };
}

/** The oracle's verdicts over what the nodes sent. */
function expectedOf(sent: Sent): RunVerdicts {
  return expectedVerdicts(
    sortedMerge([oracle], sent.batches.flatMap((b) => eventsOf(decodeReference(b)))),
  );
}

/**
 * Compares a collector's verdicts with the oracle's: partitions (ids,
 * statuses, episodes, participants, exact final state bytes) always, every
 * violation and episode end when no event was late.
 */
function assertLikeOracle(c: Collector, log: readonly CollectorEvent[], expected: RunVerdicts) {
  const observed = verdictsOf(c, log);
  assert.equal(observed.partitions.length, 31);
  assert.deepEqual(settled(observed), settled(expected));
  if (observed.late === 0) assert.deepEqual({ ...observed, duplicates: 0 }, expected);
  else assert.equal(observed.violations.length, 1, "one episode whatever the order");
}

/** `/api/partitions` as compared with the oracle: ids, statuses, participants and state views. */
function apiView(parts: readonly PartitionInfo[]) {
  return parts.map((p) => ({
    id: p.id,
    status: p.status,
    violated: p.violated,
    applied: p.applied,
    participants: p.participants.map((q) => [q.node, q.boot, q.seq, q.state]).sort(),
  })).sort((a, b) => a.id < b.id ? -1 : 1);
}

/** The oracle's partitions in the shape of {@link apiView}. */
function expectedApiView(expected: RunVerdicts) {
  return expected.partitions.map((p) => ({
    id: p.id,
    status: p.status,
    violated: p.violated,
    applied: p.applied,
    participants: p.participants.map((q) => [q.node, q.boot, q.seq, q.view]).sort(),
  }));
}

Deno.test({
  name: "HTTP end to end: three nodes through httpTransport to Deno.serve, split brain alerted",
  ...opts,
  fn: async () => {
    const collector = createCollector({ specs: [await compiledLease()], windowMs: 20 });
    const log = record(collector);
    const tokens = { a: "ta", b: "tb", c: "tc" };
    const auth = tokenAuth(tokens);
    const app = createCollectorApp(collector, {
      auth,
      readAuth: readAuth(["read-token"], { ingest: auth }),
      store: memoryStore(),
    });
    app.service.start();
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    try {
      const sent = await runNodes((id) =>
        httpTransport(`${base}/ingest`, { token: tokens[id as keyof typeof tokens] })
      );
      const read = { headers: { authorization: "Bearer read-token" } };
      const json = async <T>(path: string) =>
        (await fetch(`${base}${path}`, read)).json() as Promise<T>;
      const anonymous = await fetch(`${base}/api/partitions`);
      await anonymous.body?.cancel();
      assert.equal(anonymous.status, 401, "the read side needs the read token");
      const vs = await until(
        "the violation",
        () => json<Violation[]>("/api/violations"),
        (v) => v.length > 0,
      );
      assert.equal(vs.length, 1);
      assert.equal(vs[0]!.property.name, "OneHolder");
      assert.equal(vs[0]!.partition, "lock:split");
      assert.deepEqual([...vs[0]!.nodes].sort(), ["a", "b"]);
      const parts = await until(
        "every event applied",
        () => json<PartitionInfo[]>("/api/partitions"),
        (ps) => ps.reduce((n, p) => n + p.applied, 0) === sent.events,
      );
      assert.equal(parts.filter((p) => p.status === "violated").length, 1);
      assert.equal(parts.filter((p) => p.status === "ok").length, 30);
      const expected = expectedOf(sent);
      assert.equal(expected.events, sent.events);
      assert.deepEqual(apiView(parts), expectedApiView(expected));
      assertLikeOracle(collector, log, expected);
    } finally {
      await app.service.stop();
      await server.shutdown();
    }
  },
});

Deno.test({
  name:
    "JetStream end to end: SDK batches consumed by a durable consumer, malformed terminated, all acked",
  ...opts,
  fn: async () => {
    const nats = await startNatsServer();
    const collectorConn = await connect({ servers: nats.url });
    const sdkConn = await connect({ servers: nats.url });
    const collector = createCollector({ specs: [await compiledLease()], windowMs: 20 });
    const log = record(collector);
    const service = createCollectorService(collector, { store: memoryStore(), persistMs: 20 });
    service.start();
    const app = createCollectorApp(service);
    const ingest = await startNatsIngest(collectorConn, service, { infoMs: 0 });
    try {
      const js = jetstream(sdkConn);
      await js.publish("vigil.events.Lease", new Uint8Array([0xc1, 0xff]));
      const sent = await runNodes(() => jetstreamTransport(js));
      await until(
        "every event applied",
        () => Promise.resolve(collector.metrics().applied),
        (n) => n === sent.events,
      );
      const expected = expectedOf(sent);
      const parts = await (await app.request("/api/partitions")).json() as PartitionInfo[];
      assert.deepEqual(apiView(parts), expectedApiView(expected));
      assertLikeOracle(collector, log, expected);
      const vs = await (await app.request("/api/violations")).json() as Violation[];
      assert.deepEqual(vs.map((v) => [v.property.name, [...v.nodes].sort()]), [
        ["OneHolder", ["a", "b"]],
      ]);
      const jsm = await jetstreamManager(sdkConn);
      const info = await until(
        "every message acked",
        () => jsm.consumers.info(EVENT_STREAM, "vigil-collector"),
        (i) => i.num_ack_pending === 0 && i.num_pending === 0,
      );
      assert.equal(info.num_redelivered, 0, "the malformed batch is not redelivered");
      const text = await (await app.request("/metrics")).text();
      const rejected = parsePrometheus(text).find((s) =>
        s.name === "vigil_batches_rejected_total" && s.labels.reason === "malformed"
      );
      assert.equal(rejected?.labels.source, "jetstream");
      assert.equal(rejected?.value, 1);
    } finally {
      await ingest.stop();
      await service.stop();
      await collectorConn.drain();
      await sdkConn.drain();
      await nats.stop();
    }
  },
});
