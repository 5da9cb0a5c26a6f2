import assert from "node:assert/strict";
import { createSseHub, formatSse } from "./sse.ts";

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, needle: string) {
  const dec = new TextDecoder();
  let text = "";
  for (let i = 0; i < 100 && !text.includes(needle); i++) {
    const { value, done } = await reader.read();
    if (done) break;
    text += dec.decode(value);
  }
  return text;
}

Deno.test("The SSE hub delivers initial and published messages to every open stream", async () => {
  const hub = createSseHub({ keepAliveMs: 0 });
  const a = hub.response([["hello", { n: 0 }]]).body!.getReader();
  const b = hub.response().body!.getReader();
  assert.equal(hub.clients, 2);
  hub.publish("alert", { n: 1 });
  const ta = await readUntil(a, '"n":1');
  const tb = await readUntil(b, '"n":1');
  assert.ok(ta.includes('event: hello\ndata: {"n":0}'));
  assert.ok(ta.includes('event: alert\ndata: {"n":1}'));
  assert.ok(tb.includes('event: alert\ndata: {"n":1}'));
  await a.cancel();
  assert.equal(hub.clients, 1);
  hub.close();
  assert.equal(hub.clients, 0);
  assert.equal((await b.read()).done, true);
});

Deno.test("A client that stops reading is dropped once its queue is full", () => {
  const hub = createSseHub({ keepAliveMs: 0, maxQueued: 3 });
  hub.response();
  for (let i = 0; i < 10; i++) hub.publish("x", i);
  assert.equal(hub.clients, 0);
});

Deno.test("formatSse splits multi-line data into data lines", () => {
  assert.equal(formatSse("e", "a\nb"), 'event: e\ndata: "a\\nb"\n\n');
});

Deno.test("A client whose stream can no longer take a message is dropped, the others keep receiving", async () => {
  const errors: unknown[] = [];
  const hub = createSseHub({ keepAliveMs: 0, onError: (e) => errors.push(e) });
  const gone = hub.response();
  const kept = hub.response();
  const reader = kept.body!.getReader();
  await reader.read(); // ": connected"
  // Cancelling the body closes its controller: the hub must drop it, not throw.
  await gone.body!.cancel();
  hub.publish("alert", { n: 1 });
  assert.equal(hub.clients, 1);
  assert.match(new TextDecoder().decode((await reader.read()).value), /^event: alert/);
  await reader.cancel();
  hub.close();
  assert.deepEqual(errors, []);
});
