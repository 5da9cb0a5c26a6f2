import assert from "node:assert/strict";
import type { NatsConnection } from "@nats-io/nats-core";
import { startClusterNode } from "./cluster_node.ts";

Deno.test("startClusterNode refuses a hand-over wait that is not a positive number of ms, before it touches NATS", async () => {
  // Any use of the connection would fail differently: the refusal comes first.
  const nc = new Proxy({}, {
    get: () => {
      throw new Error("NATS touched");
    },
  }) as NatsConnection;
  for (const handoverWaitMs of [0, -5, Number.NaN, Infinity]) {
    await assert.rejects(
      startClusterNode(nc, {
        cluster: "t",
        instance: "c1",
        partitions: 2,
        core: { specs: [] },
        handoverWaitMs,
      }),
      (e) =>
        e instanceof RangeError &&
        e.message === `Hand-over wait must be a positive number of ms, got '${handoverWaitMs}'`,
    );
  }
});
