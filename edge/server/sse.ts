/**
 * Server-Sent Events: a hub that fans messages out to every open stream
 * and lets a client that reconnects resume where it stopped.
 *
 * Each stream is a web-standard `ReadableStream` response
 * (`text/event-stream`). It opens with `: connected` and `retry: <ms>`
 * (how long a client waits before reconnecting). Every message has an
 * `id:`: the one the publisher gives (a violation's stable id), else
 * `<stream>-<n>` with `<stream>` drawn once per hub (so once per process)
 * and `n` counting the hub's messages from 1. A message that supersedes the
 * ones before it (a snapshot such as the periodic summary) is published
 * with `replay: false`: it carries the id of the newest message before it.
 *
 * The hub keeps the newest `replayMessages` messages (default 256, and at
 * most `replayBytes`, default 4 MiB). A client that reconnects with
 * `Last-Event-ID` (an `EventSource` sends it by itself) gets every kept
 * message after that id, in order, then the live ones: nothing is missed
 * and nothing is sent twice. When the id is older than what is kept, or
 * unknown (sent by an earlier run of the collector), the client gets an
 * `event: reset` message instead (`{"reason":"too_old"|"unknown",
 * "lastEventId":...}`), never silence: it must refetch the state it
 * shows. Ids are percent-encoded where they have a character outside
 * printable ASCII, a space or a `%`, so each one is a valid header value
 * when the client sends it back.
 *
 * A slow client whose queue exceeds `maxQueued` messages is disconnected
 * rather than buffered without bound, and so is one whose stream can no
 * longer take a message (it errored).
 *
 * @module
 */

/**
 * Options of {@link createSseHub}.
 *
 * @example Keep the last 16 messages for clients that reconnect
 * ```ts
 * import assert from "node:assert/strict";
 * import { createSseHub, type SseHubOptions } from "./sse.ts";
 * const options: SseHubOptions = { keepAliveMs: 0, replayMessages: 16, streamId: "alerts" };
 * const hub = createSseHub(options);
 * assert.equal(hub.publish("alert", { n: 1 }), "alerts-1");
 * hub.close();
 * ```
 */
export interface SseHubOptions {
  /** Send a `: keep-alive` comment this often, ms (0: never). Default 15 000. */
  readonly keepAliveMs?: number;
  /** Messages queued per client before it is dropped. Default 1024. */
  readonly maxQueued?: number;
  /** The `retry:` sent on connect: ms a client waits before reconnecting. Default 3000. */
  readonly retryMs?: number;
  /** Messages kept for clients that reconnect. Default 256 (0: none, every resume is a reset). */
  readonly replayMessages?: number;
  /** Bytes of messages kept for clients that reconnect (the oldest go first). Default 4 MiB. */
  readonly replayBytes?: number;
  /** Prefix of the generated ids (letters, digits, `_`). Default 8 random hex digits. */
  readonly streamId?: string;
  /**
   * Called with an unexpected exception of the keep-alive timer (which never
   * lets one out). Default `console.error`.
   */
  readonly onError?: (error: unknown) => void;
}

/**
 * Options of {@link SseHub.publish}.
 *
 * @example A message with its own id
 * ```ts
 * import assert from "node:assert/strict";
 * import { createSseHub, type SsePublishOptions } from "./sse.ts";
 * const hub = createSseHub({ keepAliveMs: 0 });
 * const options: SsePublishOptions = { id: "ab12:lock:1:1" };
 * assert.equal(hub.publish("alert", {}, options), "ab12:lock:1:1");
 * hub.close();
 * ```
 */
export interface SsePublishOptions {
  /**
   * The message's id (unique within the hub, such as a violation's id).
   * Default `<stream>-<n>`.
   */
  readonly id?: string;
  /**
   * Keep the message for clients that reconnect. Default true; false for a
   * snapshot that the next one supersedes (it then carries the id of the
   * newest kept message and cannot take its own).
   */
  readonly replay?: boolean;
}

/**
 * Options of {@link SseHub.response}.
 *
 * @example A reconnecting client gets what it missed
 * ```ts
 * import assert from "node:assert/strict";
 * import { createSseHub, type SseResponseOptions } from "./sse.ts";
 * const hub = createSseHub({ keepAliveMs: 0, streamId: "s" });
 * hub.publish("alert", 1);
 * hub.publish("alert", 2);
 * const options: SseResponseOptions = { lastEventId: "s-1" };
 * const reader = hub.response([], options).body!.getReader();
 * let text = "";
 * while (!text.includes("data: 2")) text += new TextDecoder().decode((await reader.read()).value);
 * assert.ok(!text.includes("data: 1"));
 * await reader.cancel();
 * hub.close();
 * ```
 */
export interface SseResponseOptions {
  /** The client's `Last-Event-ID` request header: resume after that message. */
  readonly lastEventId?: string | null;
}

/**
 * Fans events out to open SSE streams.
 *
 * @example Clients come and go
 * ```ts
 * import assert from "node:assert/strict";
 * import { createSseHub, type SseHub } from "./sse.ts";
 * const hub: SseHub = createSseHub({ keepAliveMs: 0 });
 * const reader = hub.response().body!.getReader();
 * assert.equal(hub.clients, 1);
 * await reader.cancel();
 * hub.close();
 * assert.equal(hub.clients, 0);
 * ```
 */
export interface SseHub {
  /** Sends `data` (JSON-encoded) as event `event` to every open stream and keeps it for replay; returns its id. */
  publish(event: string, data: unknown, options?: SsePublishOptions): string;
  /**
   * A `text/event-stream` response subscribed to the hub until the client
   * goes away: after `retry:`, the messages missed since `lastEventId` (or
   * a `reset`), then `initial` messages (a current snapshot), then live ones.
   */
  response(
    initial?: readonly (readonly [event: string, data: unknown])[],
    options?: SseResponseOptions,
  ): Response;
  /** Open streams now. */
  readonly clients: number;
  /** `<stream>-<n>` with `n` the messages published so far: a client holding it has missed nothing. */
  readonly lastId: string;
  /** Ends every stream and stops the keep-alive timer. */
  close(): void;
}

/**
 * The event a resuming client gets when its `Last-Event-ID` cannot be resumed from.
 *
 * @example A client resuming from an id this hub never sent
 * ```ts
 * import assert from "node:assert/strict";
 * import { createSseHub, SSE_RESET_EVENT } from "./sse.ts";
 * const hub = createSseHub({ keepAliveMs: 0, streamId: "s" });
 * const reader = hub.response([], { lastEventId: "other-9" }).body!.getReader();
 * let text = "";
 * while (!text.includes(`event: ${SSE_RESET_EVENT}`)) text += new TextDecoder().decode((await reader.read()).value);
 * assert.match(text, /"reason":"unknown"/);
 * await reader.cancel();
 * hub.close();
 * ```
 */
export const SSE_RESET_EVENT = "reset";

/**
 * Why a resume became a reset: the id is older than the replay buffer, or not one this hub sent.
 *
 * @example Why a resume became a reset
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SseResetReason } from "./sse.ts";
 * const reasons: SseResetReason[] = ["too_old", "unknown"];
 * assert.ok(reasons.includes("too_old"));
 * ```
 */
export type SseResetReason = "too_old" | "unknown";

const encoder = new TextEncoder();

/**
 * An id made safe for `id:` and for the `Last-Event-ID` header: each
 * character outside printable ASCII, a space or a `%` is percent-encoded
 * (UTF-8).
 *
 * @example A partition key with a space and a non-ASCII letter
 * ```ts
 * import assert from "node:assert/strict";
 * import { sseId } from "./sse.ts";
 * assert.equal(sseId("ab12:lock:1:1"), "ab12:lock:1:1");
 * assert.equal(sseId("ab12:caf\u00e9 1:2"), "ab12:caf%C3%A9%201:2");
 * ```
 */
export function sseId(id: string): string {
  if (/^[\x21-\x24\x26-\x7e]*$/.test(id)) return id;
  let out = "";
  for (const ch of id) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x21 && c <= 0x7e && c !== 0x25) {
      out += ch;
      continue;
    }
    try {
      out += encodeURIComponent(ch);
    } catch {
      out += "%EF%BF%BD"; // a lone surrogate: the replacement character
    }
  }
  return out;
}

/**
 * Options of {@link formatSse}.
 *
 * @example A message with an id
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSse, type FormatSseOptions } from "./sse.ts";
 * const options: FormatSseOptions = { id: "s-7" };
 * assert.equal(formatSse("alert", 1, options), "id: s-7\nevent: alert\ndata: 1\n\n");
 * ```
 */
export interface FormatSseOptions {
  /** The `id:` line (no CR, LF or NUL). */
  readonly id?: string;
}

/**
 * Formats one SSE message (`id:` line when given, `event:` line, `data:`
 * lines, blank line).
 *
 * @example Format an alert
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSse } from "./sse.ts";
 * assert.equal(formatSse("alert", { a: 1 }), 'event: alert\ndata: {"a":1}\n\n');
 * assert.equal(formatSse("alert", 1, { id: "s-7" }), "id: s-7\nevent: alert\ndata: 1\n\n");
 * ```
 */
export function formatSse(event: string, data: unknown, options: FormatSseOptions = {}): string {
  if (/[\r\n]/.test(event) || event === "") {
    throw new TypeError(`SSE event name must be non-empty without line breaks, got '${event}'`);
  }
  const body = JSON.stringify(data) ?? "null";
  const id = options.id;
  if (id !== undefined && /[\r\n\0]/.test(id)) {
    throw new TypeError(`SSE id must have no CR, LF or NUL, got '${JSON.stringify(id)}'`);
  }
  const head = id === undefined ? "" : `id: ${id}\n`;
  return `${head}event: ${event}\ndata: ${body.split("\n").join("\ndata: ")}\n\n`;
}

/** A kept message. */
interface Kept {
  readonly seq: number;
  readonly id: string;
  readonly bytes: Uint8Array;
}

function randomStreamId(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(4)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

function nonNegativeInt(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`Option '${name}' must be an integer >= 0, got '${v}'`);
  }
  return v;
}

/**
 * Creates an SSE hub.
 *
 * @example Stream alerts
 * ```ts
 * import assert from "node:assert/strict";
 * import { createSseHub } from "./sse.ts";
 * const hub = createSseHub({ keepAliveMs: 0, streamId: "s" });
 * const res = hub.response();
 * hub.publish("alert", { invariant: "OneHolder" });
 * const reader = res.body!.getReader();
 * const decode = async () => new TextDecoder().decode((await reader.read()).value);
 * assert.equal(await decode(), ": connected\nretry: 3000\n\n"); // sent first, so proxies flush headers
 * assert.equal(await decode(), 'id: s-1\nevent: alert\ndata: {"invariant":"OneHolder"}\n\n');
 * await reader.cancel();
 * hub.close();
 * ```
 *
 * @example Resume after a reconnect
 * ```ts
 * import assert from "node:assert/strict";
 * import { createSseHub } from "./sse.ts";
 * const hub = createSseHub({ keepAliveMs: 0, streamId: "s" });
 * hub.publish("alert", 1, { id: "seen" });
 * hub.publish("alert", 2, { id: "missed" });
 * const reader = hub.response([], { lastEventId: "seen" }).body!.getReader();
 * const chunks: string[] = [];
 * for (let i = 0; i < 2; i++) chunks.push(new TextDecoder().decode((await reader.read()).value));
 * assert.equal(chunks[1], "id: missed\nevent: alert\ndata: 2\n\n");
 * await reader.cancel();
 * hub.close();
 * ```
 */
export function createSseHub(options: SseHubOptions = {}): SseHub {
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const maxQueued = options.maxQueued ?? 1024;
  const retryMs = nonNegativeInt("retryMs", options.retryMs ?? 3_000);
  const replayMessages = nonNegativeInt("replayMessages", options.replayMessages ?? 256);
  const replayBytes = nonNegativeInt("replayBytes", options.replayBytes ?? 4 * 1024 * 1024);
  const streamId = options.streamId ?? randomStreamId();
  if (!/^\w{1,64}$/.test(streamId)) {
    throw new TypeError(
      `Option 'streamId' must be 1 to 64 letters, digits or '_', got '${streamId}'`,
    );
  }
  const clients = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let timer: ReturnType<typeof setInterval> | undefined;
  /** Kept messages, oldest first, from `head`. */
  let kept: Kept[] = [];
  let head = 0;
  let keptBytes = 0;
  /** Explicit id -> seq of its newest kept message. */
  const byId = new Map<string, number>();
  /** Messages published so far (the newest one's seq). */
  let seq = 0;
  /** Highest seq no longer kept (0: none dropped yet). */
  let droppedThrough = 0;
  const position = () => `${streamId}-${seq}`;
  const generated = new RegExp(`^${streamId}-(\\d{1,15})$`);

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
  const keep = (m: Kept) => {
    kept.push(m);
    keptBytes += m.bytes.length;
    while (kept.length - head > replayMessages || (keptBytes > replayBytes && kept.length > head)) {
      const old = kept[head++]!;
      keptBytes -= old.bytes.length;
      droppedThrough = old.seq;
      if (byId.get(old.id) === old.seq) byId.delete(old.id);
    }
    if (head > 1024 && head * 2 > kept.length) {
      kept = kept.slice(head);
      head = 0;
    }
  };
  /** The seq a client holding `lastEventId` has seen everything up to, or why it cannot resume. */
  const resumeFrom = (lastEventId: string): number | SseResetReason => {
    const explicit = byId.get(lastEventId);
    if (explicit !== undefined) return explicit;
    const m = generated.exec(lastEventId);
    if (m === null) return "unknown";
    const n = Number(m[1]);
    if (n > seq) return "unknown";
    return n < droppedThrough ? "too_old" : n;
  };
  const catchUp = (lastEventId: string): Uint8Array[] => {
    const from = resumeFrom(lastEventId);
    if (typeof from !== "number") {
      const data = { reason: from, lastEventId: lastEventId.slice(0, 256) };
      return [encoder.encode(formatSse(SSE_RESET_EVENT, data, { id: position() }))];
    }
    const out: Uint8Array[] = [];
    for (let i = head; i < kept.length; i++) if (kept[i]!.seq > from) out.push(kept[i]!.bytes);
    return out;
  };

  return {
    publish(event, data, publishOptions = {}) {
      const replay = publishOptions.replay ?? true;
      if (!replay) {
        if (publishOptions.id !== undefined) {
          throw new TypeError(
            `A message published with 'replay: false' carries the newest kept id and cannot take its own, got '${publishOptions.id}'`,
          );
        }
        const id = position();
        if (clients.size > 0) send(encoder.encode(formatSse(event, data, { id })));
        return id;
      }
      seq++;
      const id = publishOptions.id === undefined ? position() : sseId(publishOptions.id);
      const bytes = encoder.encode(formatSse(event, data, { id }));
      if (publishOptions.id !== undefined) byId.set(id, seq);
      keep({ seq, id, bytes });
      if (clients.size > 0) send(bytes);
      return id;
    },
    response(initial = [], responseOptions = {}) {
      let self: ReadableStreamDefaultController<Uint8Array> | undefined;
      const last = responseOptions.lastEventId?.trim() ?? "";
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          self = c;
          c.enqueue(encoder.encode(`: connected\nretry: ${retryMs}\n\n`));
          const missed = last === "" ? [] : catchUp(last);
          for (const bytes of missed) c.enqueue(bytes);
          for (const [event, data] of initial) {
            c.enqueue(encoder.encode(formatSse(event, data, { id: position() })));
          }
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
    get lastId() {
      return position();
    },
    close() {
      for (const c of [...clients]) drop(c);
    },
  };
}
