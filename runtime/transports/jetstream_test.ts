import assert from "node:assert/strict";
import type { JetStreamClient } from "@nats-io/jetstream";
import { JetStreamApiError } from "@nats-io/jetstream";
import { TimeoutError } from "@nats-io/nats-core";
import { jetstreamTransport, messageId } from "./jetstream.ts";
import { BatchRefusedError, DeliveryError, PublishTimeoutError } from "./transport.ts";
import type { BatchMeta } from "../../lib/wire/event.ts";

const META: BatchMeta = {
  spec: "abc",
  specName: "Lease",
  node: "n1",
  boot: "b1",
  firstSeq: 512,
  count: 256,
};

interface Call {
  subject: string;
  opts: { msgID: string; timeout: number; expect: { streamName: string } };
}

/** A scripted JetStream client (an untyped fake behind this cast). */
function fakeJs(script: (call: number) => Promise<unknown>) {
  const calls: Call[] = [];
  let active = 0;
  let peak = 0;
  const js = {
    async publish(subject: string, _data: Uint8Array, opts: Call["opts"]) {
      calls.push({ subject, opts });
      active++;
      peak = Math.max(peak, active);
      try {
        return await script(calls.length);
      } finally {
        active--;
      }
    },
  } as unknown as JetStreamClient;
  return { js, calls, peak: () => peak };
}

const noSleep = () => Promise.resolve();

Deno.test("JetStream transport publishes with a de-duplication id and the stream expectation", async () => {
  const f = fakeJs(() => Promise.resolve({ seq: 1 }));
  await jetstreamTransport(f.js, { sleep: noSleep }).send(new Uint8Array([1]), META);
  assert.equal(messageId(META), "n1:b1:abc:512:256");
  assert.deepEqual(f.calls[0], {
    subject: "vigil.events.Lease",
    opts: { msgID: "n1:b1:abc:512:256", timeout: 5_000, expect: { streamName: "VIGIL_EVENTS" } },
  });
});

Deno.test("JetStream transport retries timeouts with the same message id", async () => {
  const f = fakeJs((n) => n < 3 ? Promise.reject(new TimeoutError()) : Promise.resolve({ seq: 1 }));
  await jetstreamTransport(f.js, { sleep: noSleep, retries: 3 }).send(new Uint8Array([1]), META);
  assert.equal(f.calls.length, 3);
  assert.ok(f.calls.every((c) => c.opts.msgID === messageId(META)));
});

Deno.test("JetStream transport reports PublishTimeoutError after its retries", async () => {
  const f = fakeJs(() => Promise.reject(new TimeoutError()));
  const t = jetstreamTransport(f.js, { sleep: noSleep, retries: 2, timeoutMs: 250 });
  await assert.rejects(t.send(new Uint8Array([1]), META), (e: unknown) => {
    assert.ok(e instanceof PublishTimeoutError);
    assert.equal(e.attempts, 3);
    assert.equal(e.timeoutMs, 250);
    assert.ok(e.cause instanceof TimeoutError);
    return true;
  });
});

Deno.test("JetStream transport refuses at once on a 4xx API error, carrying its code", async () => {
  const api = new JetStreamApiError({
    code: 400,
    err_code: 10060,
    description: "expected stream does not match",
  });
  const f = fakeJs(() => Promise.reject(api));
  await assert.rejects(
    jetstreamTransport(f.js, { sleep: noSleep }).send(new Uint8Array([1]), META),
    (e: unknown) => {
      assert.ok(e instanceof BatchRefusedError);
      assert.deepEqual([e.reason, e.status, e.detail], [
        "jetstream_10060",
        400,
        "expected stream does not match",
      ]);
      assert.equal(e.problem?.err_code, 10060);
      return true;
    },
  );
  assert.equal(f.calls.length, 1);
});

Deno.test("JetStream transport does not retry a 5xx API error, nor call it a refusal", async () => {
  const api = new JetStreamApiError({
    code: 503,
    err_code: 10039,
    description: "jetstream not enabled for account",
  });
  const f = fakeJs(() => Promise.reject(api));
  await assert.rejects(
    jetstreamTransport(f.js, { sleep: noSleep }).send(new Uint8Array([1]), META),
    (e: unknown) => e instanceof DeliveryError && !(e instanceof BatchRefusedError),
  );
  assert.equal(f.calls.length, 1);
});

Deno.test("JetStream transport keeps at most `window` publishes in flight", async () => {
  const f = fakeJs(() => new Promise((r) => setTimeout(() => r({ seq: 1 }), 2)));
  const t = jetstreamTransport(f.js, { window: 3, sleep: noSleep });
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => t.send(new Uint8Array([i]), { ...META, firstSeq: i })),
  );
  assert.equal(f.calls.length, 20);
  assert.equal(f.peak(), 3);
  await t.close();
});

Deno.test("JetStream transport gives two drop-only batches at one first number distinct ids", () => {
  const dropOnly = { ...META, count: 0 };
  const a = messageId({ ...dropOnly, lastDropped: 100 });
  const b = messageId({ ...dropOnly, lastDropped: 140 });
  assert.notEqual(a, b);
  // An event batch keeps the id it always had, whatever it declares.
  assert.equal(messageId({ ...META, lastDropped: 100 }), messageId(META));
});
