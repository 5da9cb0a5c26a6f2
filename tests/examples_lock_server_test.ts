/**
 * The lock-service example's server (`examples/lock-service/server.ts`)
 * once told to stop: a request handler already running (here the `--bug`
 * path, which sleeps its simulated durable write before stepping the
 * monitor) must finish, and its event be shipped, before `runServer`
 * returns, since `main.ts` closes the batcher right after. Before, the
 * handler stepped a closed batcher: `handler of '...' failed: TypeError:
 * Batcher is closed` on stderr, the grant answered nothing and its event
 * was lost. No NATS here: the connection is a stand-in that hands over the
 * subscriptions' callbacks.
 */
import assert from "node:assert/strict";
import { runServer } from "../examples/lock-service/server.ts";
import { type AcquireReply, decode, encode } from "../examples/lock-service/protocol.ts";
import type { ExampleNode } from "../examples/support/node.ts";
import { createBatcher } from "../runtime/batcher/batcher.ts";
import { memoryTransport } from "../runtime/transports/memory.ts";
import { loadSpec } from "../runtime/monitor/load_spec.ts";
import { LEASE_BINDINGS } from "../tools/harness/collector_limits_fixture.ts";
import { waitFor } from "../tools/harness/wait.ts";

type Msg = { data: Uint8Array; respond(bytes: Uint8Array): boolean };
type Callback = (err: Error | null, msg: Msg) => void;

Deno.test("The lock server stopped while an acquire handler sleeps its durable write ships that grant's event before it returns", async () => {
  const spec = await loadSpec(LEASE_BINDINGS.href);
  const transport = memoryTransport();
  const batcher = createBatcher(transport);
  const callbacks = new Map<string, Callback>();
  const unsubscribed: string[] = [];
  const nc = {
    subscribe: (subject: string, opts: { callback: Callback }) => {
      callbacks.set(subject, opts.callback);
      return { unsubscribe: () => void unsubscribed.push(subject) };
    },
  };
  const node = { nc, spec, batcher } as unknown as ExampleNode;
  let stop = (_reason: string) => {};
  const stopped = new Promise<string>((resolve) => stop = resolve);
  const errors: string[] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.map(String).join(" "));
  const replies: AcquireReply[] = [];
  try {
    const serving = runServer(node, stopped, {
      prefix: "lock.test",
      bug: true,
      mode: "observe",
      ttlMs: 2_000,
      persistMs: 150,
    });
    const client = spec.monitor({ node: "client-1", key: "lock:orders", mode: "observe" });
    callbacks.get("lock.test.acquire")!(null, {
      data: encode({ client: 1, stamp: client.stamp() }),
      respond: (bytes) => (replies.push(decode<AcquireReply>(bytes)), true),
    });
    stop("test"); // the handler is sleeping its 150 ms write
    const stats = await serving;
    await batcher.close(); // as main.ts does once runServer returns
    // Let a handler left running (the bug) reach its step, so a failure says what happened.
    await waitFor(() => replies.length > 0 || errors.length > 0, { timeoutMs: 2_000 })
      .catch(() => {});
    assert.deepEqual(errors, [], "no handler failed after stop");
    assert.deepEqual(unsubscribed.sort(), [
      "lock.test.acquire",
      "lock.test.release",
      "lock.test.write",
    ]);
    assert.equal(stats.grants, 1, "the grant in flight at stop is counted");
    assert.deepEqual(replies.map((r) => r.granted), [true], "the request was answered");
    assert.equal(batcher.stats().sent, 1, "its acquire event was shipped");
  } finally {
    console.error = consoleError;
  }
});
