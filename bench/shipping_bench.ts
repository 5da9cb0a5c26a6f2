/**
 * Shipping benchmarks: the codec on a 256-event batch, the batcher's cost per
 * pushed event (memory transport), and events/s from one process through
 * core NATS and JetStream (with acks) to a subscriber, on a nats-server this
 * file starts on a free loopback port.
 *
 * Run: `deno bench -A bench/shipping_bench.ts`
 *
 * @module
 */
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { decodeBatch } from "../lib/wire/decode.ts";
import { encodeBatch } from "../lib/wire/encode.ts";
import type { BatchHeader, StepEvent } from "../lib/wire/event.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import { natsTransport } from "../runtime/transports/nats.ts";
import {
  ALL_EVENT_SUBJECTS,
  ensureStream,
  jetstreamTransport,
} from "../runtime/transports/jetstream.ts";
import type { Transport } from "../runtime/transports/transport.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";

const SPEC = "3f".repeat(32);

/** A lease-like event: 3 keys, one argument, a 24-byte state block. */
function event(i: number): StepEvent {
  return {
    spec: SPEC,
    specName: "Lease",
    node: "api-1",
    boot: "boot-1",
    key: i % 3 === 0 ? "lock:orders" : i % 3 === 1 ? "lock:users" : "lock:carts",
    wall: 1_732_170_000_000 + (i >> 4),
    logical: i & 15,
    action: i % 3,
    args: [i & 7],
    state: new Uint8Array(24).fill(i & 255),
    verdict: 0,
  };
}

const EVENTS = Array.from({ length: 256 }, (_, i) => event(i));
const HEADER: BatchHeader = {
  spec: SPEC,
  specName: "Lease",
  node: "api-1",
  boot: "boot-1",
  firstSeq: 0,
  dropped: [],
};
const ENCODED = encodeBatch(HEADER, EVENTS);
console.log(
  `256-event batch: ${ENCODED.length} bytes (${(ENCODED.length / 256).toFixed(1)} bytes/event)`,
);

Deno.bench({
  name: "encode 256-event batch",
  group: "codec",
  baseline: true,
  fn: () => void encodeBatch(HEADER, EVENTS),
});
Deno.bench({ name: "decode 256-event batch", group: "codec", fn: () => void decodeBatch(ENCODED) });

const POOL = Array.from({ length: 4096 }, (_, i) => event(i));
const sink = memoryTransport();
const batcher = createBatcher(sink, { maxEvents: 256, maxDelayMs: 50 });
let n = 0;
Deno.bench({
  name: "push 256 events + flush (memory transport)",
  group: "batcher",
  baseline: true,
  fn: async () => {
    for (let i = 0; i < 256; i++) batcher.push(POOL[n++ & 4095]!);
    await batcher.flush();
  },
});
Deno.bench({
  name: "encode 256-event batch alone",
  group: "batcher",
  fn: () => void encodeBatch(HEADER, EVENTS),
});

/** ns per pushed event, encode and hand-over included, over `total` events. */
async function pushCost(total: number): Promise<number> {
  const b = createBatcher(memoryTransport(), { maxEvents: 256, maxBuffered: 1 << 20 });
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    b.push(POOL[i & 4095]!);
    if ((i & 4095) === 4095) await b.flush();
  }
  await b.close();
  return ((performance.now() - t0) * 1e6) / total;
}
await pushCost(200_000);
console.log(`batcher push, memory transport: ${(await pushCost(2_000_000)).toFixed(1)} ns/event`);

/** Pushes `total` events through a batcher over `transport` and returns events/s until all were accepted. */
async function pump(transport: Transport, total: number, received: () => number): Promise<number> {
  const b = createBatcher(transport, {
    maxEvents: 256,
    maxBuffered: 1 << 16,
    policy: "block",
    maxInFlight: 64,
  });
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const p = b.push(POOL[i & 4095]!);
    if (p !== undefined) await p;
  }
  await b.close();
  const deadline = Date.now() + 30_000;
  while (received() < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
  const s = (performance.now() - t0) / 1000;
  if (received() < total) throw new Error(`Only ${received()} of ${total} events arrived`);
  return total / s;
}

const server = await startNatsServer();
try {
  const nc = await connect({ servers: server.url });
  const sub = await connect({ servers: server.url });
  let got = 0;
  sub.subscribe(ALL_EVENT_SUBJECTS, {
    callback: (_e, m) => void (got += decodeBatch(m.data).events.length),
  });
  await sub.flush();
  const total = 1_000_000;
  const coreRate = await pump(natsTransport(nc), total, () => got);
  console.log(
    `core NATS, batcher -> subscriber (decoding): ${(coreRate / 1e6).toFixed(2)}M events/s`,
  );

  await ensureStream(await jetstreamManager(nc));
  const js = jetstream(nc);
  const jsRate = await pump(jetstreamTransport(js, { window: 64 }), total, () => total);
  console.log(`JetStream, batcher with acks (window 64): ${(jsRate / 1e6).toFixed(2)}M events/s`);
  await nc.close();
  await sub.close();
} finally {
  await server.stop();
}
