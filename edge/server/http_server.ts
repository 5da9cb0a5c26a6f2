/**
 * The HTTP server of `vigil collector`: serves a fetch handler (the Hono
 * app) over `node:http`, because `Deno.serve` (Deno 2.9) has no header
 * read deadline: measured here, a connection sending its headers one byte
 * a second, or nothing at all, stays open as long as the client likes.
 * Deno's `node:http` honours `headersTimeout` (checked every
 * `connectionsCheckingInterval`), answering 408 and closing.
 *
 * It is what serves the collector on every runtime: the same module runs
 * unchanged on Deno, Node and Bun (each provides `node:http`), and on Node
 * it is the server an `@hono/node-server` adapter would give, with the
 * deadlines below on top; no runtime-specific server is needed.
 *
 * Deadlines, each closing the connection:
 * - headers: the request line and headers must arrive within
 *   `headerTimeoutMs` of the connection opening, or of the first byte of a
 *   later request on a kept-alive connection (an idle connection that sends
 *   nothing is closed at the same deadline);
 * - idle keep-alive: `keepAliveTimeoutMs` after a response;
 * - whole request: `requestTimeoutMs` (a backstop; the ingest handler's own
 *   body deadline answers 408 problem+json first);
 * - a response sent before its request's body was read (a refusal) closes
 *   the connection, as does a response saying `Connection: close`.
 *
 * Response bodies stream (Server-Sent Events), with backpressure; a client
 * going away cancels its body stream.
 *
 * @module
 */
import http from "node:http";

/**
 * A fetch-style handler (`app.fetch`).
 *
 * @example Any fetch handler can be served
 * ```ts
 * import assert from "node:assert/strict";
 * import { type FetchHandler, serveCollector } from "./http_server.ts";
 * const handler: FetchHandler = (request) => new Response(new URL(request.url).pathname);
 * const server = await serveCollector(handler, { port: 0 });
 * assert.equal(await (await fetch(`http://127.0.0.1:${server.addr.port}/health`)).text(), "/health");
 * await server.shutdown();
 * ```
 */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * Options of {@link serveCollector}.
 *
 * @example A free port, told when listening
 * ```ts
 * import assert from "node:assert/strict";
 * import { serveCollector, type ServeCollectorOptions } from "./http_server.ts";
 * let listening = 0;
 * const options: ServeCollectorOptions = { port: 0, headerTimeoutMs: 2_000, onListen: (a) => void (listening = a.port) };
 * const server = await serveCollector(() => new Response("ok"), options);
 * assert.equal(listening, server.addr.port);
 * await server.shutdown();
 * ```
 */
export interface ServeCollectorOptions {
  /** Port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Address. Default `127.0.0.1`. */
  readonly hostname?: string;
  /** Request line and headers deadline, ms. Default 10 000. */
  readonly headerTimeoutMs?: number;
  /** Whole-request deadline (backstop), ms. Default 60 000. */
  readonly requestTimeoutMs?: number;
  /** Idle keep-alive connection deadline, ms. Default 5 000. */
  readonly keepAliveTimeoutMs?: number;
  /** Called once listening, with the address. */
  readonly onListen?: (addr: { readonly hostname: string; readonly port: number }) => void;
  /** Called with an exception of the adapter (never with a handler's: the app answers those). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A running server.
 *
 * @example Its address and a graceful shutdown
 * ```ts
 * import assert from "node:assert/strict";
 * import { type CollectorServer, serveCollector } from "./http_server.ts";
 * const server: CollectorServer = await serveCollector(() => new Response("ok"), { port: 0 });
 * assert.equal(server.addr.hostname, "127.0.0.1");
 * assert.ok(server.addr.port > 0);
 * await server.shutdown(1_000);
 * ```
 */
export interface CollectorServer {
  /** The address listened on. */
  readonly addr: { readonly hostname: string; readonly port: number };
  /** Open connections now. */
  readonly connections: number;
  /** Stops accepting, waits up to `graceMs` (default 2 000) for requests in flight, then closes every connection. */
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * The default header deadline, ms.
 *
 * @example Headers must arrive within ten seconds by default
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_HEADER_TIMEOUT_MS } from "./http_server.ts";
 * assert.equal(DEFAULT_HEADER_TIMEOUT_MS, 10_000);
 * ```
 */
export const DEFAULT_HEADER_TIMEOUT_MS = 10_000;

const NO_BODY = new Set(["GET", "HEAD"]);

function toRequest(req: http.IncomingMessage, origin: string): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // a header value fetch cannot carry: left out
    }
  }
  const method = req.method ?? "GET";
  let body: ReadableStream<Uint8Array> | null = null;
  if (!NO_BODY.has(method)) {
    let open = true;
    body = new ReadableStream<Uint8Array>({
      start(c) {
        req.on("data", (chunk: Uint8Array) => {
          if (!open) return;
          c.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((c.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on("end", () => {
          if (open) c.close();
          open = false;
        });
        req.on("aborted", () => {
          if (open) c.error(new Error("Client closed the connection"));
          open = false;
        });
      },
      pull() {
        req.resume();
      },
      cancel() {
        open = false;
        req.resume(); // drain and forget; the connection closes after the answer
      },
    }, { highWaterMark: 4 });
  }
  const url = `${origin}${req.url?.startsWith("/") ? req.url : "/"}`;
  return new Request(url, { method, headers, body, ...(body === null ? {} : { duplex: "half" }) });
}

async function writeResponse(
  response: Response,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of response.headers) {
    if (k === "set-cookie") continue;
    headers[k] = v;
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  // A refusal answered before its body was read: close rather than read on.
  if (!req.complete) headers["connection"] = "close";
  const streaming = (response.headers.get("content-type") ?? "").startsWith("text/event-stream");
  if (response.body === null || !streaming) {
    const bytes = response.body === null ? null : new Uint8Array(await response.arrayBuffer());
    if (bytes !== null) headers["content-length"] = String(bytes.byteLength);
    res.writeHead(response.status, headers);
    res.end(bytes ?? undefined);
    return;
  }
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = response.body.getReader();
  let gone = false;
  res.on("close", () => {
    gone = true;
    void reader.cancel().catch(() => {});
  });
  try {
    while (!gone) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((r) => res.once("drain", r).once("close", r));
    }
  } catch {
    // the stream failed or was cancelled because the client went away
  }
  if (!gone) res.end();
}

/**
 * Serves `handler` until `shutdown()`.
 *
 * @throws {RangeError} (rejects) When a `...TimeoutMs` option is below 1.
 *
 * @example Serve an app on a free port
 * ```ts
 * import assert from "node:assert/strict";
 * import { serveCollector } from "./http_server.ts";
 * const server = await serveCollector(() => new Response("ok"), { port: 0 });
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
 * assert.equal(await res.text(), "ok");
 * await server.shutdown();
 * ```
 */
export function serveCollector(
  handler: FetchHandler,
  options: ServeCollectorOptions = {},
): Promise<CollectorServer> {
  const headerTimeoutMs = options.headerTimeoutMs ?? DEFAULT_HEADER_TIMEOUT_MS;
  for (const [name, ms] of Object.entries({ headerTimeoutMs, ...options })) {
    if (name.endsWith("TimeoutMs") && !(typeof ms === "number" && ms >= 1)) {
      // node:http reads 0 as "no deadline": refuse it rather than serve without one.
      return Promise.reject(new RangeError(`Option '${name}' must be a number >= 1, got '${ms}'`));
    }
  }
  const requestTimeoutMs = Math.max(options.requestTimeoutMs ?? 60_000, headerTimeoutMs + 1);
  const onError = options.onError ?? ((e: unknown) => console.error("vigil collector http:", e));
  const hostname = options.hostname ?? "127.0.0.1";
  const sockets = new Set<import("node:net").Socket>();
  let inFlight = 0;
  let idle: (() => void) | null = null;

  const server = http.createServer({
    headersTimeout: headerTimeoutMs,
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
    // How often deadlines are checked: a deadline holds to within this.
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headerTimeoutMs / 4))),
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (err: Error & { code?: string }, socket) => {
    // A deadline passed, or the request line or headers were malformed: answer if we can, close.
    const status = err.code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? "408 Request Timeout"
      : err.code === "HPE_HEADER_OVERFLOW"
      ? "431 Request Header Fields Too Large"
      : "400 Bad Request";
    if (socket.writable && err.code !== "ECONNRESET") {
      const answer = `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
      // Destroyed once written: a client still sending must not keep a half-closed socket.
      socket.end(answer, () => socket.destroy());
    } else {
      socket.destroy();
    }
  });

  let origin = "";
  server.on("request", (req, res) => {
    inFlight++;
    const done = () => {
      if (--inFlight === 0) idle?.();
    };
    res.once("close", done);
    void (async () => {
      let request: Request;
      try {
        request = toRequest(req, origin);
      } catch {
        // A request fetch cannot represent (TRACE, TRACK): the client's fault, not ours.
        await writeResponse(
          new Response("Method not allowed", { status: 405, headers: { connection: "close" } }),
          req,
          res,
        );
        return;
      }
      let response: Response;
      try {
        response = await handler(request);
      } catch (e) {
        onError(e);
        response = new Response("Internal error", { status: 500 });
      }
      await writeResponse(response, req, res);
    })().catch((e) => {
      onError(e);
      res.destroy();
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, hostname, () => {
      server.off("error", reject);
      server.on("error", onError);
      const a = server.address() as { address: string; port: number };
      const addr = { hostname: a.address, port: a.port };
      origin = `http://${a.address.includes(":") ? `[${a.address}]` : a.address}:${a.port}`;
      options.onListen?.(addr);
      resolve({
        addr,
        get connections() {
          return sockets.size;
        },
        async shutdown(graceMs = 2_000) {
          const closed = new Promise<void>((r) => server.close(() => r()));
          server.closeIdleConnections();
          if (inFlight > 0) {
            await new Promise<void>((r) => {
              const t = setTimeout(r, graceMs);
              idle = () => {
                clearTimeout(t);
                r();
              };
            });
          }
          server.closeAllConnections();
          for (const s of sockets) s.destroy();
          await closed;
        },
      });
    });
  });
}
