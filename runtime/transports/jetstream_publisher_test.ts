import assert from "node:assert/strict";
import { connect } from "@nats-io/transport-node";
import { JetStreamApiError, jetstreamManager } from "@nats-io/jetstream";
import {
  ClosedConnectionError,
  type NatsConnection,
  NoRespondersError,
  TimeoutError,
} from "@nats-io/nats-core";
import { jetstreamPublisher } from "./jetstream_publisher.ts";
import { ensureStream, jetstreamTransport } from "./jetstream.ts";
import { BatchRefusedError, DeliveryError, PublishTimeoutError } from "./transport.ts";
import { EVENT_STREAM } from "../../lib/wire/subjects.ts";
import { startNatsServer } from "../../tools/harness/nats_server.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const SUBJECT = "vigil.events.Lease";
const META = { spec: "ab", specName: "Lease", node: "n1", boot: "b1", firstSeq: 0, count: 1 };

/** A nats-server with the event stream and a connection to it, stopped after `fn`. */
async function withServer(fn: (nc: NatsConnection) => Promise<void>): Promise<void> {
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  try {
    await ensureStream(await jetstreamManager(nc));
    await fn(nc);
  } finally {
    await nc.close().catch(() => {});
    await server.stop();
  }
}

const options = (msgID: string, streamName = EVENT_STREAM, timeout = 10_000) => ({
  msgID,
  timeout,
  expect: { streamName },
});

Deno.test({
  name:
    "jetstreamPublisher stores each message once and resolves with the stream's ack; a repeated id is acked as a duplicate",
  ...opts,
  fn: () =>
    withServer(async (nc) => {
      const js = jetstreamPublisher(nc);
      const acks = await Promise.all(
        ["a", "b", "c"].map((id) => js.publish(SUBJECT, new Uint8Array([1, 2]), options(id))),
      ) as { stream: string; seq: number; duplicate?: boolean }[];
      assert.deepEqual(acks.map((a) => [a.stream, a.seq]), [
        [EVENT_STREAM, 1],
        [EVENT_STREAM, 2],
        [EVENT_STREAM, 3],
      ]);
      const again = await js.publish(SUBJECT, new Uint8Array([1, 2]), options("b")) as {
        seq: number;
        duplicate?: boolean;
      };
      assert.deepEqual([again.seq, again.duplicate], [2, true]);
      const info = await (await jetstreamManager(nc)).streams.info(EVENT_STREAM);
      assert.equal(info.state.messages, 3);
      js.close();
    }),
});

Deno.test({
  name:
    "jetstreamPublisher rejects with the server's JetStreamApiError, which the transport refuses for good",
  ...opts,
  fn: () =>
    withServer(async (nc) => {
      const js = jetstreamPublisher(nc);
      const e = await js.publish(SUBJECT, new Uint8Array([1]), options("x", "NOT_VIGIL")).then(
        () => assert.fail("published into a stream it did not expect"),
        (e) => e,
      );
      assert.ok(e instanceof JetStreamApiError);
      assert.equal(e.code, 10060);
      const transport = jetstreamTransport(js, { stream: "NOT_VIGIL" });
      await assert.rejects(transport.send(new Uint8Array([1]), META), (err: unknown) => {
        assert.ok(err instanceof BatchRefusedError);
        assert.equal(err.reason, "jetstream_10060");
        return true;
      });
      js.close();
    }),
});

Deno.test({
  name:
    "jetstreamPublisher: no stream on the subject is NoRespondersError, no answer is TimeoutError (the transport retries both)",
  ...opts,
  fn: () =>
    withServer(async (nc) => {
      const js = jetstreamPublisher(nc);
      await assert.rejects(
        js.publish("nostream.here", new Uint8Array([1]), options("n")),
        NoRespondersError,
      );
      // A subscriber that never answers: a responder, so no 503, and no ack.
      nc.subscribe("silent.here");
      await nc.flush();
      const t0 = Date.now();
      await assert.rejects(
        js.publish("silent.here", new Uint8Array([1]), options("s", EVENT_STREAM, 300)),
        TimeoutError,
      );
      assert.ok(Date.now() - t0 >= 300, "not before its timeout");
      const transport = jetstreamTransport(js, {
        subject: "silent.here",
        timeoutMs: 50,
        retries: 1,
        sleep: () => Promise.resolve(),
      });
      await assert.rejects(transport.send(new Uint8Array([1]), META), PublishTimeoutError);
      const none = jetstreamTransport(js, {
        subject: "nostream.here",
        retries: 1,
        sleep: () => Promise.resolve(),
      });
      await assert.rejects(none.send(new Uint8Array([1]), META), (err: unknown) => {
        assert.ok(err instanceof DeliveryError && err.attempts === 2);
        return true;
      });
      js.close();
    }),
});

Deno.test({
  name:
    "jetstreamPublisher: a closed connection fails the publishes waiting and every later one with ClosedConnectionError",
  ...opts,
  fn: () =>
    withServer(async (nc) => {
      const js = jetstreamPublisher(nc);
      nc.subscribe("silent.here");
      await nc.flush();
      const waiting = js.publish("silent.here", new Uint8Array([1]), options("w", EVENT_STREAM));
      await nc.close();
      await assert.rejects(waiting, ClosedConnectionError);
      await assert.rejects(
        js.publish(SUBJECT, new Uint8Array([1]), options("later")),
        ClosedConnectionError,
      );
    }),
});
