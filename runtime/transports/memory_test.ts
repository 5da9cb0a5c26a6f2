import assert from "node:assert/strict";
import { memoryTransport } from "./memory.ts";
import { DeliveryError } from "./transport.ts";
import type { BatchMeta } from "../../lib/wire/event.ts";
import { nextTurn } from "../../tools/harness/wait.ts";

const META: BatchMeta = { spec: "h", specName: "S", node: "n", boot: "b", firstSeq: 0, count: 1 };

Deno.test("Memory transport discards a batch nobody listens to, like core NATS", async () => {
  const t = memoryTransport();
  await t.send(new Uint8Array([1]), META);
  assert.equal(t.delivered, 1);
});

Deno.test("Memory transport rejects with DeliveryError when a handler throws", async () => {
  const t = memoryTransport();
  t.subscribe(() => {
    throw new Error("boom");
  });
  await assert.rejects(t.send(new Uint8Array([1]), META), (e: unknown) => {
    assert.ok(e instanceof DeliveryError);
    assert.equal((e.cause as Error).message, "boom");
    return true;
  });
});

Deno.test("Memory transport makes send wait while an iterator's queue is full", async () => {
  const t = memoryTransport({ capacity: 1 });
  const it = t[Symbol.asyncIterator]();
  await t.send(new Uint8Array([1]), META);
  let second = false;
  const p = t.send(new Uint8Array([2]), META).then(() => (second = true));
  await nextTurn(); // the send path has no timers: it has finished or is parked
  assert.equal(second, false);
  assert.equal(t.delivered, 1);
  assert.deepEqual((await it.next()).value?.bytes, new Uint8Array([1]));
  await p;
  assert.deepEqual((await it.next()).value?.bytes, new Uint8Array([2]));
  await t.close();
  assert.equal((await it.next()).done, true);
});

Deno.test("Memory transport unsubscribe stops delivery", async () => {
  const t = memoryTransport();
  let n = 0;
  const off = t.subscribe(() => void n++);
  await t.send(new Uint8Array([1]), META);
  off();
  await t.send(new Uint8Array([1]), META);
  assert.equal(n, 1);
});
