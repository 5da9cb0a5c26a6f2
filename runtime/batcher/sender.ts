/**
 * The batcher's sending side: ready batches go to the transport in queue
 * order, at most `maxInFlight` at a time. A batch's bytes are its header
 * followed by its events as encoded on entry. A failed send is retried
 * with backoff (doubling from `retryDelayMs`, capped at 5 s) unless the
 * transport is closed, the batch could not be encoded, or retries were
 * stopped (`close()` ran out of time); then the batch is handed back as
 * failed. A batch the transport says was refused for good
 * (`BatchRefusedError`) is never retried: it is handed back as refused,
 * for the batcher to report. Every outcome is counted; every one but a
 * refusal is reported here on the status channel (the batcher reports
 * refusals).
 *
 * @module
 */
import { writeHeader } from "../../lib/wire/encode.ts";
import { type BatchMeta, type StreamId, WIRE_VERSION_DEPS } from "../../lib/wire/event.ts";
import { MsgpackWriter } from "../../lib/wire/msgpack_writer.ts";
import type { Pending, PendingQueue, Stream } from "./queue.ts";
import type { StatusChannel } from "./status.ts";
import type { Timers } from "./batcher_types.ts";
import {
  BatchRefusedError,
  type Transport,
  TransportClosedError,
} from "../transports/transport.ts";

/** What the batcher does when a batch is settled. */
export interface SendOutcomes {
  /** The transport accepted `p` (`count` events). */
  accepted(p: Pending, count: number): void;
  /** `p` failed for good: its events (`count` from `firstSeq`) are given up. */
  failed(p: Pending, firstSeq: number, count: number): void;
  /** The transport refused `p` for good (`error`) at attempt `attempt`. */
  refused(p: Pending, meta: BatchMeta, error: BatchRefusedError, attempt: number): void;
}

/** Options of {@link Sender}. */
export interface SenderOptions {
  readonly maxInFlight: number;
  readonly retryDelayMs: number;
  readonly timers: Timers;
  readonly status: StatusChannel;
  readonly outcomes: SendOutcomes;
}

function headerOf(s: Stream): StreamId {
  return { spec: s.spec, specName: s.specName, node: s.node, boot: s.boot };
}

/**
 * Sends the ready batches of a queue over a transport, retrying failures.
 *
 * @example Send what is ready
 * ```ts ignore
 * import { Sender } from "./sender.ts";
 * const sender = new Sender(transport, queue, { maxInFlight: 16, retryDelayMs: 100, timers, status, outcomes });
 * sender.pump();
 * ```
 */
export class Sender {
  readonly #transport: Transport;
  readonly #queue: PendingQueue;
  readonly #options: SenderOptions;
  readonly #header = new MsgpackWriter(1024);
  #stopped = false;
  #sent = 0;
  #batches = 0;
  #errors = 0;
  #inFlight = 0;

  /** A sender of `queue`'s ready batches over `transport`. */
  constructor(transport: Transport, queue: PendingQueue, options: SenderOptions) {
    this.#transport = transport;
    this.#queue = queue;
    this.#options = options;
  }

  /** Events the transport accepted. */
  get sent(): number {
    return this.#sent;
  }
  /** Batches the transport accepted. */
  get batches(): number {
    return this.#batches;
  }
  /** Failed sends (refused ones included). */
  get errors(): number {
    return this.#errors;
  }
  /** Sends in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Sends ready batches in queue order while fewer than `maxInFlight` are in flight. */
  pump(): void {
    for (const p of this.#queue) {
      if (this.#inFlight >= this.#options.maxInFlight) break;
      if (p.state === "ready") this.#send(p);
    }
  }

  /** Failed sends are no longer retried (batches already waiting are the caller's to give up). */
  stopRetrying(): void {
    this.#stopped = true;
  }

  #send(p: Pending): void {
    const last = p.dropped[p.dropped.length - 1];
    const meta: BatchMeta = last === undefined
      ? { ...headerOf(p.stream), firstSeq: p.firstSeq, count: p.live }
      : { ...headerOf(p.stream), firstSeq: p.firstSeq, count: p.live, lastDropped: last[1] };
    p.state = "sending";
    this.#inFlight++;
    let bytes: Uint8Array;
    try {
      bytes = this.#encode(p, meta);
    } catch (error) {
      queueMicrotask(() => this.#failed(p, meta, error, true));
      return;
    }
    this.#transport.send(bytes, meta).then(
      () => this.#done(p, meta, bytes.length),
      (error) => this.#failed(p, meta, error, false),
    );
  }

  /** The batch's bytes: the header, then the events as encoded on entry. */
  #encode(p: Pending, meta: BatchMeta): Uint8Array {
    const h = this.#header;
    h.reset();
    const header = p.deps
      ? { ...meta, dropped: p.dropped, version: WIRE_VERSION_DEPS }
      : { ...meta, dropped: p.dropped };
    writeHeader(h, header, meta.count > 0 ? p.t0 : 0, meta.count);
    const start = p.start, end = p.w.length;
    const bytes = new Uint8Array(h.length + end - start);
    bytes.set(h.view(0, h.length));
    bytes.set(p.w.view(start, end), h.length);
    return bytes;
  }

  #done(p: Pending, meta: BatchMeta, bytes: number): void {
    this.#inFlight--;
    this.#sent += meta.count;
    this.#batches++;
    const status = this.#options.status;
    if (status.active) {
      const { count, firstSeq } = meta;
      const dropped = p.dropped;
      status.emit({ type: "flush", stream: p.stream, firstSeq, count, dropped, bytes });
    }
    this.#options.outcomes.accepted(p, meta.count);
  }

  #failed(p: Pending, meta: BatchMeta, error: unknown, fatal: boolean): void {
    this.#inFlight--;
    this.#errors++;
    const attempt = ++p.attempts;
    if (error instanceof BatchRefusedError) {
      this.#options.outcomes.refused(p, meta, error, attempt);
      return;
    }
    const willRetry = !fatal && !this.#stopped && !(error instanceof TransportClosedError);
    const { status, timers, retryDelayMs } = this.#options;
    if (status.active) {
      const { count, firstSeq } = meta;
      status.emit({ type: "error", stream: p.stream, firstSeq, count, error, attempt, willRetry });
    }
    if (!willRetry) {
      this.#options.outcomes.failed(p, meta.firstSeq, meta.count);
      return;
    }
    p.state = "waiting";
    timers.setTimeout(() => {
      if (p.state !== "waiting") return;
      p.state = "ready";
      this.pump();
    }, Math.min(5_000, retryDelayMs * 2 ** (attempt - 1)));
    this.pump();
  }
}
