import assert from "node:assert/strict";
import { createSseHub, formatSse, type SseHub, sseId } from "./sse.ts";
import { waitFor } from "../../tools/harness/wait.ts";

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

/** One message as an SSE client sees it. */
interface Message {
  readonly event: string;
  readonly id: string;
  readonly data: string;
}

/**
 * A Server-Sent Events client reading the raw bytes of a response body:
 * fields split at the first colon (one leading space dropped), `data`
 * lines joined with LF, comments ignored, a message dispatched at a blank
 * line; the last id and `retry` kept as an EventSource keeps them.
 */
class SseClient {
  readonly messages: Message[] = [];
  lastEventId = "";
  retry: number | null = null;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";
  readonly #abort: AbortController | null;

  constructor(body: ReadableStream<Uint8Array>, abort: AbortController | null = null) {
    this.#reader = body.getReader();
    this.#abort = abort;
  }

  /** Opens `url` over HTTP, sending `Last-Event-ID` when given. */
  static async open(url: string, lastEventId?: string): Promise<SseClient> {
    const abort = new AbortController();
    const res = await fetch(url, {
      headers: lastEventId === undefined ? {} : { "last-event-id": lastEventId },
      signal: abort.signal,
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    return new SseClient(res.body!, abort);
  }

  /** Reads until `n` messages have arrived in all; fails after 200 reads or 10 s. */
  async until(n: number): Promise<Message[]> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), 10_000));
    try {
      for (let i = 0; i < 200 && this.messages.length < n; i++) {
        const read = await Promise.race([this.#reader.read(), timeout]);
        if (read === "timeout" || read.done) break;
        this.#feed(this.#decoder.decode(read.value, { stream: true }));
      }
    } finally {
      clearTimeout(timer);
    }
    assert.ok(
      this.messages.length >= n,
      `${this.messages.length} of ${n} messages: ${JSON.stringify(this.messages)}`,
    );
    return this.messages;
  }

  #feed(text: string): void {
    this.#buffer += text.replaceAll("\r\n", "\n");
    let end: number;
    while ((end = this.#buffer.indexOf("\n\n")) >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let event = "message";
      let id: string | null = null;
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
        else if (field === "id") id = value;
        else if (field === "retry") this.retry = Number(value);
      }
      if (id !== null) this.lastEventId = id;
      if (data.length > 0) {
        this.messages.push({ event, id: this.lastEventId, data: data.join("\n") });
      }
    }
  }

  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
    this.#abort?.abort();
  }
}

/** A real HTTP server on 127.0.0.1 serving `hub` at `/stream`, resuming from `Last-Event-ID`. */
function serve(hub: SseHub) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => hub.response([], { lastEventId: req.headers.get("last-event-id") }),
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/stream`,
    async stop() {
      hub.close();
      await server.shutdown();
    },
  };
}

const events = (ms: readonly Message[]) => ms.map((m) => `${m.event} ${m.data}`);

for (
  const [kind, idOf] of [
    ["violation ids", (n: number) => ({ id: `ab12:lock:${n}:1` })],
    ["generated ids", () => ({})],
  ] as const
) {
  Deno.test(`A client reconnecting with Last-Event-ID over HTTP gets exactly the two alerts it missed, in order, then the live ones (${kind})`, async () => {
    const hub = createSseHub({ keepAliveMs: 0 });
    const { url, stop } = serve(hub);
    try {
      const first = await SseClient.open(url);
      await waitFor(() => hub.clients === 1, { what: "the first client" });
      hub.publish("alert", { n: 1 }, idOf(1));
      await first.until(1);
      assert.equal(first.retry, 3000, "retry: sent on connect");
      const seen = first.lastEventId;
      assert.notEqual(seen, "");
      await first.close();
      await waitFor(() => hub.clients === 0, { what: "the server to see the client go" });

      hub.publish("alert", { n: 2 }, idOf(2));
      hub.publish("alert", { n: 3 }, idOf(3));

      const again = await SseClient.open(url, seen);
      await waitFor(() => hub.clients === 1, { what: "the reconnected client" });
      hub.publish("alert", { n: 4 }, idOf(4));
      const got = await again.until(3);
      await again.close();
      assert.deepEqual(events(got), ['alert {"n":2}', 'alert {"n":3}', 'alert {"n":4}']);
      const ids = got.map((m) => m.id);
      assert.equal(new Set([seen, ...ids]).size, 4, "every message has its own id");
      if (kind === "violation ids") {
        assert.deepEqual(ids, ["ab12:lock:2:1", "ab12:lock:3:1", "ab12:lock:4:1"]);
      } else {
        // <stream>-<n>, n counting up.
        const ns = [seen, ...ids].map((id) => Number(id.slice(id.lastIndexOf("-") + 1)));
        assert.deepEqual(ns, [1, 2, 3, 4]);
      }
    } finally {
      await stop();
    }
  });
}

Deno.test("A client whose Last-Event-ID is older than the buffer gets a reset event over HTTP, then the live messages; resuming from the reset's id misses nothing", async () => {
  const hub = createSseHub({ keepAliveMs: 0, replayMessages: 3 });
  const { url, stop } = serve(hub);
  try {
    const first = await SseClient.open(url);
    await waitFor(() => hub.clients === 1, { what: "the first client" });
    hub.publish("alert", { n: 1 });
    await first.until(1);
    const seen = first.lastEventId;
    await first.close();
    await waitFor(() => hub.clients === 0, { what: "the server to see the client go" });
    for (let n = 2; n <= 6; n++) hub.publish("alert", { n }); // 5 missed, 3 kept

    const again = await SseClient.open(url, seen);
    await waitFor(() => hub.clients === 1, { what: "the reconnected client" });
    hub.publish("alert", { n: 7 });
    const got = await again.until(2);
    await again.close();
    assert.equal(got[0]!.event, "reset");
    assert.deepEqual(JSON.parse(got[0]!.data), { reason: "too_old", lastEventId: seen });
    assert.deepEqual(events(got.slice(1)), ['alert {"n":7}']);
    assert.equal(got.length, 2, "nothing replayed after the reset");

    // The reset carries the newest id: a client resuming from it has missed nothing.
    const resetId = got[0]!.id;
    hub.publish("alert", { n: 8 });
    const third = await SseClient.open(url, resetId);
    await waitFor(() => hub.clients === 1, { what: "the third client" });
    const after = await third.until(2);
    await third.close();
    assert.deepEqual(events(after), ['alert {"n":7}', 'alert {"n":8}']);
  } finally {
    await stop();
  }
});

Deno.test("A Last-Event-ID this hub never sent (an earlier run of the collector) gets a reset with reason unknown", async () => {
  const earlier = createSseHub({ keepAliveMs: 0 });
  const earlierId = earlier.publish("alert", { n: 1 });
  const hub = createSseHub({ keepAliveMs: 0 });
  hub.publish("alert", { n: 1 });
  for (const lastEventId of [earlierId, "ab12:lock:9:1", `${hub.lastId}0`]) {
    const reader = hub.response([], { lastEventId }).body!.getReader();
    const text = await readUntil(reader, "\n\n" + "id:");
    await reader.cancel();
    const reset = formatSse("reset", { reason: "unknown", lastEventId }, { id: hub.lastId });
    assert.ok(text.endsWith(reset), `${lastEventId}: ${text}`);
  }
  hub.close();
  earlier.close();
});

Deno.test("A snapshot published with replay false carries the newest kept id and is not replayed", async () => {
  const hub = createSseHub({ keepAliveMs: 0, streamId: "s" });
  const live = hub.response().body!.getReader();
  hub.publish("violation", 1);
  assert.equal(hub.publish("summary", "snap", { replay: false }), "s-1");
  hub.publish("violation", 2);
  const text = await readUntil(live, "data: 2");
  await live.cancel();
  assert.ok(text.includes('id: s-1\nevent: summary\ndata: "snap"'), text);
  const resumed = hub.response([["summary", "now"]], { lastEventId: "s-1" }).body!.getReader();
  const replay = await readUntil(resumed, '"now"');
  await resumed.cancel();
  assert.equal(
    replay,
    ": connected\nretry: 3000\n\n" + "id: s-2\nevent: violation\ndata: 2\n\n" +
      'id: s-2\nevent: summary\ndata: "now"\n\n',
  );
  assert.throws(() => hub.publish("summary", 0, { replay: false, id: "x" }), TypeError);
  hub.close();
});

Deno.test("The replay buffer keeps at most replayBytes: older messages past it become a reset", async () => {
  const hub = createSseHub({ keepAliveMs: 0, streamId: "s", replayBytes: 200 });
  for (let n = 1; n <= 4; n++) hub.publish("alert", "x".repeat(60) + n); // about 90 bytes each
  const resume = async (lastEventId: string) => {
    const reader = hub.response([], { lastEventId }).body!.getReader();
    const text = await readUntil(reader, "data: ");
    await reader.cancel();
    return text;
  };
  assert.match(await resume("s-2"), /event: alert\ndata: "x+3"\n\n$/); // 3 and 4 kept
  assert.match(await resume("s-1"), /event: reset\ndata: \{"reason":"too_old"/);
  hub.close();
});

Deno.test("An id with a space, a percent sign or non-ASCII is percent-encoded, and resuming from the encoded id works", async () => {
  assert.equal(sseId("ab12:caf\u00e9 42%:1"), "ab12:caf%C3%A9%2042%25:1");
  assert.equal(decodeURIComponent(sseId("k\u00e9y \u{1F600}%")), "k\u00e9y \u{1F600}%");
  assert.equal(sseId("ab12:lock:1:1"), "ab12:lock:1:1");
  const hub = createSseHub({ keepAliveMs: 0 });
  const id = hub.publish("alert", 1, { id: "ab12:caf\u00e9 42:1" });
  assert.equal(id, "ab12:caf%C3%A9%2042:1");
  hub.publish("alert", 2);
  const reader = hub.response([], { lastEventId: id }).body!.getReader();
  const text = await readUntil(reader, "data: 2");
  await reader.cancel();
  assert.ok(!text.includes("data: 1") && !text.includes("reset"), text);
  assert.throws(() => formatSse("alert", 1, { id: "a\nb" }), TypeError);
  assert.throws(() => formatSse("a\nb", 1), TypeError);
  hub.close();
});

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

Deno.test("Bad hub options are refused with their name", () => {
  assert.throws(() => createSseHub({ replayMessages: -1 }), /^RangeError: Option 'replayMessages'/);
  assert.throws(() => createSseHub({ retryMs: 1.5 }), /^RangeError: Option 'retryMs'/);
  assert.throws(() => createSseHub({ streamId: "a-b" }), /^TypeError: Option 'streamId'/);
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
  assert.match(new TextDecoder().decode((await reader.read()).value), /^id: \w+-1\nevent: alert/);
  await reader.cancel();
  hub.close();
  assert.deepEqual(errors, []);
});

Deno.test("The collector's alert stream over its real server replays the two violations raised while the client was away; a bad Last-Event-ID on the event stream gets a reset", async () => {
  const { createCollectorApp } = await import("./app.ts");
  const { createCollector } = await import("../engine/collector.ts");
  const { serveCollector } = await import("./http_server.ts");
  const { compiledLease, sdkLease, TestNode } = await import(
    "../../tools/harness/collector_app_fixture.ts"
  );
  const sdk = await sdkLease();
  const collector = createCollector({ specs: [await compiledLease()], windowMs: 0 });
  const app = createCollectorApp(collector, { keepAliveMs: 0, onLog: () => {} });
  const server = await serveCollector(app.fetch, { port: 0, onError: () => {} });
  const base = `http://127.0.0.1:${server.addr.port}`;
  const a = new TestNode(sdk, "a");
  const b = new TestNode(sdk, "b");
  /** Two nodes both acquire `key`: a OneHolder violation. */
  const splitBrain = (key: string) => {
    for (const [node, c] of [[a, 1], [b, 2]] as const) {
      const out = app.service.ingestBytes(node.step(key, "acquire", { c }).take(), "http");
      assert.equal(out.ok, true);
    }
    collector.flush();
  };
  const partitions = (ms: readonly Message[]) =>
    ms.map((m) => `${m.event} ${JSON.parse(m.data).partition ?? JSON.parse(m.data).reason}`);
  try {
    const first = await SseClient.open(`${base}/api/alerts/stream`);
    await waitFor(() => app.service.alertHub.clients === 1, { what: "the first client" });
    splitBrain("lock:1");
    assert.deepEqual(partitions(await first.until(1)), ["alert lock:1"]);
    await first.close();
    await waitFor(() => app.service.alertHub.clients === 0, { what: "the client to go" });
    splitBrain("lock:2");
    splitBrain("lock:3");
    const again = await SseClient.open(`${base}/api/alerts/stream`, first.lastEventId);
    await waitFor(() => app.service.alertHub.clients === 1, { what: "the reconnected client" });
    splitBrain("lock:4");
    const got = await again.until(3);
    await again.close();
    assert.deepEqual(partitions(got), ["alert lock:2", "alert lock:3", "alert lock:4"]);
    assert.ok(got.every((m) => JSON.parse(m.data).property.name === "OneHolder"));

    const events = await SseClient.open(`${base}/api/events/stream`, "from-an-earlier-run");
    const [reset, snapshot] = await events.until(2);
    await events.close();
    assert.deepEqual(JSON.parse(reset!.data), {
      reason: "unknown",
      lastEventId: "from-an-earlier-run",
    });
    assert.equal(snapshot!.event, "summary");
    assert.equal(snapshot!.id, reset!.id, "the snapshot stands at the newest id");
  } finally {
    await server.shutdown(100);
    await app.service.stop();
  }
});
