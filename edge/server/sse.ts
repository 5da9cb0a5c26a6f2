/**
 * Server-Sent Events: a hub that fans messages out to every open stream.
 * Each stream is a web-standard `ReadableStream` response
 * (`text/event-stream`); a slow client whose queue exceeds `maxQueued`
 * messages is disconnected rather than buffered without bound, and so is
 * one whose stream can no longer take a message (it errored).
 *
 * @module
 */

/** Options of {@link createSseHub}. */
export interface SseHubOptions {
  /** Send a `: keep-alive` comment this often, ms (0: never). Default 15 000. */
  readonly keepAliveMs?: number;
  /** Messages queued per client before it is dropped. Default 1024. */
  readonly maxQueued?: number;
  /**
   * Called with an unexpected exception of the keep-alive timer (which never
   * lets one out). Default `console.error`.
   */
  readonly onError?: (error: unknown) => void;
}

/** Fans events out to open SSE streams. */
export interface SseHub {
  /** Sends `data` (JSON-encoded) as event `event` to every open stream. */
  publish(event: string, data: unknown): void;
  /** A `text/event-stream` response subscribed to the hub until the client goes away; `initial` messages go first. */
  response(initial?: readonly (readonly [event: string, data: unknown])[]): Response;
  /** Open streams now. */
  readonly clients: number;
  /** Ends every stream and stops the keep-alive timer. */
  close(): void;
}

const encoder = new TextEncoder();

/**
 * Formats one SSE message (`event:` line, `data:` lines, blank line).
 *
 * @example Format an alert
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSse } from "./sse.ts";
 * assert.ok(formatSse("alert", { a: 1 }) === 'event: alert\ndata: {"a":1}\n\n');
 * ```
 */
export function formatSse(event: string, data: unknown): string {
  const body = JSON.stringify(data) ?? "null";
  return `event: ${event}\ndata: ${body.split("\n").join("\ndata: ")}\n\n`;
}

/**
 * Creates an SSE hub.
 *
 * @example Stream alerts
 * ```ts
 * import assert from "node:assert/strict";
 * import { createSseHub } from "./sse.ts";
 * const hub = createSseHub({ keepAliveMs: 0 });
 * const res = hub.response();
 * hub.publish("alert", { invariant: "OneHolder" });
 * const reader = res.body!.getReader();
 * const decode = async () => new TextDecoder().decode((await reader.read()).value);
 * assert.equal(await decode(), ": connected\n\n"); // sent first, so proxies flush headers
 * assert.ok((await decode()).startsWith("event: alert\n"));
 * await reader.cancel();
 * hub.close();
 * ```
 */
export function createSseHub(options: SseHubOptions = {}): SseHub {
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const maxQueued = options.maxQueued ?? 1024;
  const clients = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let timer: ReturnType<typeof setInterval> | undefined;

  const drop = (c: ReadableStreamDefaultController<Uint8Array>) => {
    clients.delete(c);
    try {
      c.close();
    } catch {
      // already closed or errored
    }
    if (clients.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  const onError = options.onError ?? ((e: unknown) => console.error("vigil sse:", e));
  const send = (bytes: Uint8Array) => {
    for (const c of clients) {
      if ((c.desiredSize ?? 0) <= -maxQueued) {
        drop(c);
        continue;
      }
      try {
        c.enqueue(bytes);
      } catch {
        drop(c); // errored or closed under us: this client is gone
      }
    }
  };
  const keepAlive = encoder.encode(": keep-alive\n\n");
  const startTimer = () => {
    if (timer !== undefined || keepAliveMs <= 0) return;
    timer = setInterval(() => {
      try {
        send(keepAlive);
      } catch (e) {
        onError(e);
      }
    }, keepAliveMs);
  };

  return {
    publish(event, data) {
      if (clients.size > 0) send(encoder.encode(formatSse(event, data)));
    },
    response(initial = []) {
      let self: ReadableStreamDefaultController<Uint8Array> | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          self = c;
          c.enqueue(encoder.encode(": connected\n\n"));
          for (const [event, data] of initial) c.enqueue(encoder.encode(formatSse(event, data)));
          clients.add(c);
          startTimer();
        },
        cancel() {
          if (self !== undefined) drop(self);
        },
      }, { highWaterMark: 1 });
      return new Response(body, {
        headers: {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache",
          "x-accel-buffering": "no",
        },
      });
    },
    get clients() {
      return clients.size;
    },
    close() {
      for (const c of [...clients]) drop(c);
    },
  };
}
