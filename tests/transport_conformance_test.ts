/**
 * Runs the shared conformance suite for every transport: memory, HTTP (a
 * `Deno.serve` receiver on loopback), and core NATS and JetStream (a real
 * `nats-server` started on a free loopback port; these FAIL when the
 * binary is missing).
 */
import { memoryTransport } from "../runtime/transports/memory.ts";
import { httpTransport } from "../runtime/transports/http.ts";
import { natsTransport } from "../runtime/transports/nats.ts";
import {
  ALL_EVENT_SUBJECTS,
  ensureStream,
  EVENT_STREAM,
  jetstreamTransport,
} from "../runtime/transports/jetstream.ts";
import { transportConformance } from "./transport_conformance.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";

transportConformance("memory", () => {
  const t = memoryTransport();
  const got: Uint8Array[] = [];
  t.subscribe((bytes) => void got.push(bytes));
  return Promise.resolve({ transport: t, arrived: () => got, dispose: () => Promise.resolve() });
});

transportConformance("memory (async iterator)", () => {
  const t = memoryTransport({ capacity: 4 });
  const got: Uint8Array[] = [];
  const reading = (async () => {
    for await (const b of t) got.push(b.bytes);
  })();
  return Promise.resolve({
    transport: t,
    arrived: () => got,
    dispose: async () => {
      await t.close();
      await reading;
    },
  });
});

transportConformance("http", () => {
  const got: Uint8Array[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    if (req.headers.get("authorization") !== "Bearer s3cret") {
      return new Response(null, { status: 401 });
    }
    if (req.headers.get("content-type") !== "application/x-msgpack") {
      return new Response(null, { status: 415 });
    }
    got.push(new Uint8Array(await req.arrayBuffer()));
    return new Response(null, { status: 204 });
  });
  const url = `http://127.0.0.1:${server.addr.port}/ingest`;
  return Promise.resolve({
    transport: httpTransport(url, { token: "s3cret" }),
    arrived: () => got,
    dispose: () => server.shutdown(),
  });
});

transportConformance("nats", async () => {
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  const sub = await connect({ servers: server.url });
  const got: Uint8Array[] = [];
  sub.subscribe(ALL_EVENT_SUBJECTS, { callback: (_err, msg) => void got.push(msg.data) });
  await sub.flush();
  return {
    transport: natsTransport(nc),
    arrived: () => got,
    dispose: async () => {
      await nc.close();
      await sub.close();
      await server.stop();
    },
  };
});

transportConformance("jetstream", async () => {
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  await ensureStream(await jetstreamManager(nc));
  const js = jetstream(nc);
  const got: Uint8Array[] = [];
  // Reads the stream back, in stream order, with an ordered consumer.
  const consumer = await js.consumers.get(EVENT_STREAM);
  const messages = await consumer.consume();
  const reading = (async () => {
    for await (const m of messages) got.push(m.data);
  })();
  return {
    transport: jetstreamTransport(js, { window: 8 }),
    arrived: () => got,
    dispose: async () => {
      await messages.close();
      await reading;
      await nc.close();
      await server.stop();
    },
  };
});
