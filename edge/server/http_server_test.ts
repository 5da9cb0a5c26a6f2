/**
 * The `vigil collector` server (`serveCollector` over the real collector
 * app) against real sockets from `Deno.connect`: header and body deadlines,
 * connections closed after refusals, keep-alive and streaming still
 * working.
 */
import assert from "node:assert/strict";
import { type CollectorServer, serveCollector } from "./http_server.ts";
import { createCollectorApp } from "./app.ts";
import { readAuth, tokenAuth } from "./auth.ts";
import { createCollector } from "../engine/collector.ts";
import { parsePrometheus } from "./metrics.ts";
import { compiledLease, sdkLease, TestNode } from "../../tools/harness/collector_app_fixture.ts";
import { waitFor } from "../../tools/harness/wait.ts";

const sdk = await sdkLease();
const HEADER_TIMEOUT_MS = 1_000;
const BODY_TIMEOUT_MS = 1_000;
const READ = "read-token";

async function start(): Promise<{ server: CollectorServer; stop(): Promise<void>; port: number }> {
  const auth = tokenAuth({ a: "token-a" });
  const app = createCollectorApp(createCollector({ specs: [await compiledLease()] }), {
    auth,
    readAuth: readAuth([READ], { ingest: auth }),
    bodyTimeoutMs: BODY_TIMEOUT_MS,
    keepAliveMs: 0,
    onLog: () => {},
  });
  app.service.start();
  const server = await serveCollector(app.fetch, {
    port: 0,
    headerTimeoutMs: HEADER_TIMEOUT_MS,
    onError: () => {},
  });
  return {
    server,
    port: server.addr.port,
    async stop() {
      await server.shutdown(100);
      await app.service.stop();
    },
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw client connection: what it read, and whether the server closed it. */
class RawClient {
  readonly conn: Deno.TcpConn;
  text = "";
  closed = false;
  readonly #done: Promise<void>;

  constructor(conn: Deno.TcpConn) {
    this.conn = conn;
    this.#done = (async () => {
      const buf = new Uint8Array(4096);
      try {
        for (;;) {
          const n = await conn.read(buf);
          if (n === null) break;
          this.text += decoder.decode(buf.subarray(0, n));
        }
      } catch {
        // reset by the server: closed too
      }
      this.closed = true;
    })();
  }

  static async open(port: number): Promise<RawClient> {
    return new RawClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Writes; false when the server has closed the connection. */
  async write(text: string | Uint8Array): Promise<boolean> {
    if (this.closed) return false;
    try {
      await this.conn.write(typeof text === "string" ? encoder.encode(text) : text);
      return true;
    } catch {
      return false;
    }
  }

  /** Waits until the server closes the connection (at most `ms`); true when it did. */
  async closedWithin(ms: number): Promise<boolean> {
    const timeout = sleep(ms).then(() => false);
    const closed = await Promise.race([this.#done.then(() => true), timeout]);
    return closed;
  }

  close(): void {
    try {
      this.conn.close();
    } catch {
      // already closed
    }
  }
}

Deno.test({
  name:
    "100 connections sending their headers one byte a second are answered 408 and closed at the header deadline",
  fn: async () => {
    const { port, server, stop } = await start();
    const header = `POST /ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token-a\r\nX-Pad: ${
      "a".repeat(200)
    }\r\n\r\n`;
    const clients = await Promise.all(Array.from({ length: 100 }, () => RawClient.open(port)));
    try {
      await waitFor(() => server.connections === 100, {
        what: "100 open connections",
        detail: () => `${server.connections} open`,
      });
      // One byte a second, for at most 20 s: a deadline of 1 s must close each one long before.
      const sent = await Promise.all(clients.map(async (c) => {
        let n = 0;
        while (n < 20 && await c.write(header.slice(n, n + 1))) {
          n++;
          await Promise.race([sleep(1_000), c.closedWithin(1_000)]);
        }
        return n;
      }));
      for (const c of clients) assert.ok(await c.closedWithin(5_000), "closed by the server");
      assert.ok(Math.max(...sent) < 6, `bytes sent before the close: ${Math.max(...sent)}`);
      assert.ok(clients.every((c) => c.text.startsWith("HTTP/1.1 408")), clients[0]!.text);
      await waitFor(() => server.connections === 0, {
        what: "every connection closed",
        timeoutMs: 2_000,
        detail: () => `${server.connections} open`,
      });
    } finally {
      for (const c of clients) c.close();
      await stop();
    }
  },
});

Deno.test("A connection that sends nothing is closed at the header deadline", async () => {
  const { port, stop } = await start();
  const c = await RawClient.open(port);
  try {
    assert.ok(await c.closedWithin(HEADER_TIMEOUT_MS * 5), "closed by the server");
  } finally {
    c.close();
    await stop();
  }
});

Deno.test("A body sent one byte a second gets 408 problem+json reason timeout, counted, and the connection closes", async () => {
  const { port, stop } = await start();
  const body = new TestNode(sdk, "a").step("lock:1", "acquire", { c: 1 }).take();
  const c = await RawClient.open(port);
  try {
    await c.write(
      `POST /ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token-a\r\n` +
        `Content-Type: application/x-msgpack\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    for (let i = 0; i < body.length && i < 20; i++) {
      if (!await c.write(body.subarray(i, i + 1))) break;
      await Promise.race([sleep(1_000), c.closedWithin(1_000)]);
    }
    assert.ok(await c.closedWithin(5_000), "closed by the server");
    assert.match(c.text, /^HTTP\/1\.1 408 /);
    const problem = JSON.parse(c.text.slice(c.text.indexOf("\r\n\r\n") + 4));
    assert.equal(problem.reason, "timeout");
    assert.equal(problem.status, 408);
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { authorization: `Bearer ${READ}` },
    });
    const rejected = parsePrometheus(await metrics.text()).find((s) =>
      s.name === "vigil_batches_rejected_total" && s.labels.reason === "timeout"
    );
    assert.equal(rejected?.value, 1);
  } finally {
    c.close();
    await stop();
  }
});

for (
  const [what, request] of [
    [
      "POST /ingest without a token",
      "POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-msgpack\r\nContent-Length: 5\r\n\r\nhello",
    ],
    [
      "POST /ingest with a token but an unread body",
      "POST /ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\nContent-Length: 100\r\n\r\nabc",
    ],
    [
      "GET /api/nodes with an ingest token",
      "GET /api/nodes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token-a\r\n\r\n",
    ],
  ] as const
) {
  Deno.test(`A 401 answer to ${what} closes the connection`, async () => {
    const { port, stop } = await start();
    const c = await RawClient.open(port);
    try {
      await c.write(request);
      assert.ok(await c.closedWithin(5_000), "closed by the server after its answer");
      assert.match(c.text, /^HTTP\/1\.1 401 /);
    } finally {
      c.close();
      await stop();
    }
  });
}

Deno.test("A kept-alive connection serves one request after another", async () => {
  const { port, stop } = await start();
  const c = await RawClient.open(port);
  try {
    for (let i = 0; i < 3; i++) {
      await c.write(`GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
      await waitFor(() => c.text.split("HTTP/1.1 200").length - 1 > i, {
        what: `answer ${i + 1}`,
        timeoutMs: 5_000,
        detail: () => c.text,
      });
    }
    assert.equal(c.text.split("HTTP/1.1 200").length - 1, 3, c.text);
    assert.equal(c.closed, false);
  } finally {
    c.close();
    await stop();
  }
});

Deno.test("Valid batches posted through the server are accepted and the event stream streams", async () => {
  const { port, stop } = await start();
  const base = `http://127.0.0.1:${port}`;
  const events = await fetch(`${base}/api/events/stream`, {
    headers: { authorization: `Bearer ${READ}` },
  });
  const reader = events.body!.getReader();
  try {
    const node = new TestNode(sdk, "a");
    for (const n of [100, 129, 200]) {
      for (let i = 0; i < n; i++) {
        node.step(`lock:${i % 7}`, i % 2 === 0 ? "acquire" : "release", { c: 1 });
      }
      const res = await fetch(`${base}/ingest`, {
        method: "POST",
        headers: { authorization: "Bearer token-a", "content-type": "application/x-msgpack" },
        body: node.take() as Uint8Array<ArrayBuffer>,
      });
      assert.equal(res.status, 202, await res.clone().text());
      assert.equal((await res.json()).accepted, n);
    }
    let text = "";
    for (let i = 0; i < 10 && !text.includes("event: summary"); i++) {
      text += decoder.decode((await reader.read()).value);
    }
    assert.ok(text.startsWith(": connected"), text);
    assert.ok(text.includes("event: summary"), text);
  } finally {
    await reader.cancel();
    await stop();
  }
});

Deno.test("A deadline below 1 ms is refused (node:http would read 0 as none)", async () => {
  for (
    const options of [{ headerTimeoutMs: 0 }, { keepAliveTimeoutMs: 0 }, { requestTimeoutMs: -1 }]
  ) {
    await assert.rejects(
      serveCollector(() => new Response("ok"), { port: 0, ...options }),
      RangeError,
      JSON.stringify(options),
    );
  }
});

Deno.test("A method fetch cannot carry (TRACE) gets 405 and a closed connection, not an internal error", async () => {
  const { port, stop } = await start();
  const c = await RawClient.open(port);
  try {
    await c.write("TRACE / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert.ok(await c.closedWithin(5_000), "closed by the server");
    assert.match(c.text, /^HTTP\/1\.1 405 /);
  } finally {
    c.close();
    await stop();
  }
});
