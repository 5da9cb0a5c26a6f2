/**
 * Integration against a real nats-server (started here on a free loopback
 * port with its own JetStream store; these tests FAIL when the binary is
 * missing): batcher -> core NATS / JetStream -> reader, including a server
 * restart in the middle of a run. Every loop is bounded.
 */
import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { jetstream, type JetStreamClient, jetstreamManager } from "@nats-io/jetstream";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { decodeBatch } from "../lib/wire/decode.ts";
import type { DecodedBatch, StepEvent } from "../lib/wire/event.ts";
import { ensureStream, EVENT_STREAM, jetstreamTransport } from "../runtime/transports/jetstream.ts";
import { natsTransport } from "../runtime/transports/nats.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { waitFor } from "../tools/harness/wait.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const SPEC = "ab".repeat(32);

function event(node: string, i: number): StepEvent {
  return {
    spec: SPEC,
    specName: "Lease",
    node,
    boot: "boot-1",
    key: `lock:${i % 10}`,
    wall: 1_700_000_000_000 + i,
    logical: 0,
    action: i % 3,
    args: [i],
    state: new Uint8Array(16).fill(i & 255),
    verdict: 0,
  };
}

/** Reads every message of the stream, in stream order. */
async function readStream(js: JetStreamClient, expected: number): Promise<DecodedBatch[]> {
  const out: DecodedBatch[] = [];
  if (expected === 0) return out;
  const consumer = await js.consumers.get(EVENT_STREAM);
  const messages = await consumer.consume();
  const deadline = setTimeout(() => messages.close(), 20_000);
  for await (const m of messages) {
    out.push(decodeBatch(m.data));
    if (out.length >= expected) break;
  }
  clearTimeout(deadline);
  await messages.close();
  return out;
}

function seqsOf(batches: readonly DecodedBatch[], node: string) {
  const events: number[] = [];
  const dropped: number[] = [];
  for (const b of batches.filter((b) => b.node === node)) {
    for (const e of b.events) events.push(e.seq);
    for (const [x, y] of b.dropped) for (let s = x; s <= y; s++) dropped.push(s);
  }
  return { events, dropped };
}

Deno.test({
  name: "Events from a batcher over core NATS arrive complete and in order",
  ...opts,
  fn: async () => {
    const server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    const sub = await connect({ servers: server.url });
    try {
      const got: DecodedBatch[] = [];
      sub.subscribe("vigil.events.Lease", {
        callback: (_e, m) => void got.push(decodeBatch(m.data)),
      });
      await sub.flush();
      const batcher = createBatcher(natsTransport(nc), { maxEvents: 256, policy: "block" });
      for (let i = 0; i < 20_000; i++) await batcher.push(event(i % 2 === 0 ? "a" : "b", i));
      await batcher.close();
      const received = () => got.reduce((n, b) => n + b.events.length, 0);
      await waitFor(() => received() >= 20_000, {
        what: "20000 events",
        detail: () => `received ${received()}`,
      });
      for (const node of ["a", "b"]) {
        const s = seqsOf(got, node);
        assert.deepEqual(s.events, Array.from({ length: 10_000 }, (_, i) => i), node);
        assert.deepEqual(s.dropped, []);
      }
    } finally {
      await nc.close();
      await sub.close();
      await server.stop();
    }
  },
});

Deno.test({
  name: "Events from a batcher over JetStream arrive complete and in order",
  ...opts,
  fn: async () => {
    const server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    try {
      await ensureStream(await jetstreamManager(nc));
      const js = jetstream(nc);
      const batcher = createBatcher(jetstreamTransport(js), { maxEvents: 128, policy: "block" });
      for (let i = 0; i < 10_000; i++) await batcher.push(event(i % 2 === 0 ? "a" : "b", i));
      await batcher.close();
      const stats = batcher.stats();
      assert.equal(stats.sent, 10_000);
      const batches = await readStream(js, stats.batches);
      assert.equal(batches.length, stats.batches);
      for (const node of ["a", "b"]) {
        assert.deepEqual(
          seqsOf(batches, node).events,
          Array.from({ length: 5_000 }, (_, i) => i),
          node,
        );
      }
    } finally {
      await nc.close();
      await server.stop();
    }
  },
});

Deno.test({
  name:
    "A JetStream server restart mid-run loses nothing within the buffer and reports the overflow exactly",
  ...opts,
  fn: async () => {
    const server = await startNatsServer();
    const nc = await connect({
      servers: server.url,
      reconnectTimeWait: 50,
      maxReconnectAttempts: -1,
    });
    try {
      await ensureStream(await jetstreamManager(nc));
      const js = jetstream(nc);
      const transport = jetstreamTransport(js, { timeoutMs: 300, retries: 1, backoffMs: 20 });
      const batcher = createBatcher(transport, {
        maxEvents: 50,
        maxDelayMs: 10,
        maxBuffered: 1_000,
        policy: "dropOldest",
        retryDelayMs: 50,
      });
      const errors: unknown[] = [];
      const watching = (async () => {
        for await (const s of batcher.status()) if (s.type === "error") errors.push(s.error);
      })();
      let pushed = 0;
      for (let round = 0; round < 60; round++) {
        if (round === 10) {
          // Everything before the outage is stored, so what follows is the outage's doing.
          await batcher.flush();
          await server.halt();
        }
        if (round === 40) {
          await waitFor(() => errors.length > 0, { what: "a send error during the outage" });
          await server.start();
        }
        for (let i = 0; i < 100; i++) batcher.push(event("n1", pushed++));
        // Outside the outage, each round is handed to the transport before the next.
        if (round < 10 || round >= 40) {
          await waitFor(() => batcher.stats().buffered === 0, { what: `round ${round} sent` });
        }
      }
      await batcher.close();
      await watching;
      const stats = batcher.stats();
      assert.ok(errors.length > 0, "the outage produced no send error");
      assert.ok(stats.dropped > 0, "the outage did not overflow the buffer");
      assert.equal(stats.abandoned, 0);
      assert.equal(stats.pushed, pushed);
      assert.equal(stats.sent + stats.dropped, pushed);

      const info = await (await jetstreamManager(nc)).streams.info(EVENT_STREAM);
      const batches = await readStream(js, info.state.messages);
      const { events, dropped } = seqsOf(batches, "n1");
      const delivered = new Set(events);
      assert.equal(dropped.length, stats.dropped, "declared drops differ from the count");
      for (const s of dropped) assert.ok(!delivered.has(s), `seq ${s} both delivered and dropped`);
      assert.equal(delivered.size, stats.sent, "events lost within the buffer");
      const all = [...delivered, ...dropped].sort((a, b) => a - b);
      assert.deepEqual(all, Array.from({ length: pushed }, (_, i) => i));
    } finally {
      await nc.close();
      await server.stop();
    }
  },
});

Deno.test("startNatsServer fails with a clear message when nats-server is missing", async () => {
  const before = Deno.env.get("NATS_SERVER");
  Deno.env.set("NATS_SERVER", "/nonexistent/nats-server");
  try {
    await assert.rejects(
      startNatsServer(),
      /nats-server not found.*apt-get install -y nats-server/,
    );
  } finally {
    if (before === undefined) Deno.env.delete("NATS_SERVER");
    else Deno.env.set("NATS_SERVER", before);
  }
});
