/**
 * Refusals over NATS speak: a real `nats-server` whose configuration
 * denies the SDK's user publishing on `vigil.events.Lease`, the SDK as a
 * service uses it (`loadSpec`, monitors, `createBatcher`, the NATS and
 * JetStream transports from their `@vigil/vigil` subpaths).
 *
 * - Core NATS: the denied publish is refused (`permission`), reported once
 *   (callback, counter, one log line), never resent; once the server's
 *   configuration allows it (reloaded), the next batch declares the
 *   refused numbers dropped.
 * - JetStream: the same with the stream's acknowledgement; and a stream
 *   that does not match is refused with the server's error code. Both
 *   through the client's `jetstream(nc)` and through `jetstreamPublisher(nc)`.
 * - Both: a batch over the server's `max_payload` is refused as `too_large`.
 */
import assert from "node:assert/strict";
import { flushed } from "../tools/harness/wait.ts";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import {
  type Batcher,
  createBatcher,
  loadSpec,
  type RefusedStatus,
  type Transport,
} from "@vigil/vigil";
import { natsTransport } from "@vigil/vigil/nats";
import {
  ensureStream,
  EVENT_STREAM,
  type JetStreamPublisher,
  jetstreamPublisher,
  jetstreamTransport,
} from "@vigil/vigil/jetstream";
import { decodeBatch } from "../lib/wire/decode.ts";
import type { DecodedBatch } from "../lib/wire/event.ts";
import { waitFor } from "../tools/harness/wait.ts";
import { startNatsServer } from "../tools/harness/nats_server.ts";

const lease = await loadSpec(new URL("../dist/lease.js", import.meta.url));
const SUBJECT = "vigil.events.Lease";

/** A nats-server run from a configuration file that can be rewritten and reloaded. */
interface ConfiguredServer {
  readonly url: string;
  /** Rewrites the SDK user's publish permissions and reloads the server. */
  permit(deny: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

/** The users: `admin` may do anything, `sdk` may not publish on `denied`. */
function config(denied: readonly string[], maxPayload: number | undefined): string {
  return `${maxPayload === undefined ? "" : `max_payload: ${maxPayload}`}
authorization {
  users = [
    { user: admin, password: admin }
    { user: sdk, password: sdk, permissions: { publish: { deny: ${JSON.stringify(denied)} } } }
  ]
}`;
}

async function startConfiguredServer(
  deny: readonly string[],
  options: { readonly maxPayload?: number } = {},
): Promise<ConfiguredServer> {
  const server = await startNatsServer({ config: config(deny, options.maxPayload) });
  return {
    url: server.url,
    permit: (denied) => server.reconfigure(config(denied, options.maxPayload)),
    stop: () => server.stop(),
  };
}

interface TestNode {
  readonly batcher: Batcher;
  readonly refusals: RefusedStatus[];
  readonly lines: string[];
  /** Steps acquire then release `n` times (2n events) and flushes. */
  steps(n: number): Promise<void>;
}

function startNode(transport: Transport): TestNode {
  const refusals: RefusedStatus[] = [];
  const lines: string[] = [];
  const batcher = createBatcher(transport, {
    maxDelayMs: 60_000,
    retryDelayMs: 20,
    closeTimeoutMs: 2_000,
    onRefused: (r) => void refusals.push(r),
    onLog: (l) => void lines.push(l),
  });
  const m = lease.monitor({ node: "api-1", key: "lock:a", sink: batcher });
  return {
    batcher,
    refusals,
    lines,
    async steps(n) {
      for (let i = 0; i < n; i++) {
        m.step("acquire", { c: 1 });
        m.step("release", { c: 1 });
      }
      await flushed(batcher);
    },
  };
}

function assertPermissionRefusal(node: TestNode, transport: string): void {
  assert.deepEqual(
    node.refusals.map((r) => [r.reason, r.transport, r.ranges, r.declared, r.status]),
    [["permission", transport, [[0, 3]], [], undefined]],
  );
  assert.match(
    node.refusals[0]!.detail,
    /Permissions Violation for Publish to "vigil\.events\.Lease"/,
  );
  const stats = node.batcher.stats();
  assert.deepEqual([stats.refused, stats.refusals, stats.sent], [4, { permission: 1 }, 0]);
  assert.equal(node.lines.length, 1, node.lines.join("\n"));
  assert.match(node.lines[0]!, /events 0-3.*over '\w+' \(permission\)/);
}

Deno.test("Core NATS: a publish the server denies is refused and reported once; once allowed, the next batch declares the refused numbers dropped", async () => {
  const server = await startConfiguredServer([SUBJECT]);
  let admin: NatsConnection | null = null;
  let nc: NatsConnection | null = null;
  try {
    admin = await connect({ servers: server.url, user: "admin", pass: "admin" });
    const received: DecodedBatch[] = [];
    const sub = admin.subscribe("vigil.events.>", {
      callback: (_err, msg) => void received.push(decodeBatch(msg.data)),
    });
    await admin.flush();
    nc = await connect({ servers: server.url, user: "sdk", pass: "sdk" });
    const node = startNode(natsTransport(nc));
    await node.steps(2); // events 0-3
    assertPermissionRefusal(node, "nats");

    await server.permit([]);
    await node.steps(1); // events 4-5
    const got = await waitFor(() => received.length > 0 && received, {
      what: "the batch after the reload",
    });
    assert.deepEqual(got.map((b) => [b.node, b.firstSeq, b.events.length, b.dropped]), [
      ["api-1", 4, 2, [[0, 3]]],
    ]);
    assert.equal(node.refusals.length, 1);
    await node.batcher.close();
    sub.unsubscribe();
  } finally {
    await nc?.close();
    await admin?.close();
    await server.stop();
  }
});

/** The JetStream publishers the transport is tested over. */
const publishers: [string, (nc: NatsConnection) => JetStreamPublisher][] = [
  ["the client's jetstream()", (nc) => jetstream(nc)],
  ["jetstreamPublisher()", (nc) => jetstreamPublisher(nc)],
];

for (const [via, publisherOf] of publishers) {
  Deno.test(`JetStream over ${via}: a publish the server denies is refused at once and reported once; once allowed, the stream gets the next batch with the refused numbers declared`, async () => {
    const server = await startConfiguredServer([SUBJECT]);
    let admin: NatsConnection | null = null;
    let nc: NatsConnection | null = null;
    try {
      admin = await connect({ servers: server.url, user: "admin", pass: "admin" });
      const jsm = await jetstreamManager(admin);
      await ensureStream(jsm);
      nc = await connect({ servers: server.url, user: "sdk", pass: "sdk" });
      const node = startNode(jetstreamTransport(publisherOf(nc), { timeoutMs: 2_000 }));
      await node.steps(2); // events 0-3
      assertPermissionRefusal(node, "jetstream");
      assert.equal((await jsm.streams.info(EVENT_STREAM)).state.messages, 0);

      await server.permit([]);
      await node.steps(1); // events 4-5
      const stored = await jsm.streams.getMessage(EVENT_STREAM, { last_by_subj: SUBJECT });
      assert.ok(stored !== null);
      const batch = decodeBatch(stored.data);
      assert.deepEqual([batch.firstSeq, batch.events.length, batch.dropped], [4, 2, [[0, 3]]]);
      assert.equal((await jsm.streams.info(EVENT_STREAM)).state.messages, 1);
      await node.batcher.close();
    } finally {
      await nc?.close();
      await admin?.close();
      await server.stop();
    }
  });

  Deno.test(`JetStream over ${via}: a publish into a stream that does not match is refused with the server's error code, never retried`, async () => {
    const server = await startConfiguredServer([]);
    let nc: NatsConnection | null = null;
    try {
      nc = await connect({ servers: server.url, user: "admin", pass: "admin" });
      const jsm = await jetstreamManager(nc);
      await ensureStream(jsm);
      const node = startNode(jetstreamTransport(publisherOf(nc), { stream: "NOT_VIGIL" }));
      await node.steps(1); // events 0-1
      assert.deepEqual(
        node.refusals.map((r) => [r.reason, r.status, r.ranges, r.attempt]),
        [["jetstream_10060", 400, [[0, 1]], 1]],
      );
      assert.match(node.refusals[0]!.detail, /expected stream does not match/);
      assert.equal(node.refusals[0]!.problem?.err_code, 10060);
      assert.deepEqual(node.batcher.stats().refusals, { jetstream_10060: 1 });
      assert.equal(node.lines.length, 1);
      assert.equal((await jsm.streams.info(EVENT_STREAM)).state.messages, 0);
      await node.batcher.close();
    } finally {
      await nc?.close();
      await server.stop();
    }
  });
}

Deno.test("Core NATS and JetStream: a batch over the server's max_payload is refused as too_large, never retried", async () => {
  const server = await startConfiguredServer([], { maxPayload: 1024 });
  let nc: NatsConnection | null = null;
  try {
    nc = await connect({ servers: server.url, user: "admin", pass: "admin" });
    await ensureStream(await jetstreamManager(nc));
    for (const transport of [natsTransport(nc), jetstreamTransport(jetstream(nc))]) {
      const node = startNode(transport);
      await node.steps(40); // events 0-79, over 1 KiB encoded
      assert.deepEqual(
        node.refusals.map((r) => [r.reason, r.transport, r.ranges]),
        [["too_large", transport.name, [[0, 79]]]],
      );
      assert.deepEqual(node.batcher.stats().refusals, { too_large: 1 });
      assert.equal(node.lines.length, 1);
      await node.batcher.close();
    }
  } finally {
    await nc?.close();
    await server.stop();
  }
});
