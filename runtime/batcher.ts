/**
 * The batcher: takes step events for any number of streams (spec hash, node,
 * boot), numbers them per stream as they enter (0, 1, 2, ... from boot),
 * groups them into batches of one stream, encodes and sends them.
 *
 * - Flush when a batch reaches `maxEvents` or about `maxBytes` (estimated),
 *   or `maxDelayMs` after its first event; `flush()` and `close()` on demand.
 * - Bounded: at most `maxBuffered` events held, counting those waiting,
 *   being sent, and awaiting a retry. When full, the `policy` applies:
 *   `block` (push returns a promise to await), `dropOldest` (the oldest event
 *   not already being sent goes; if all are in flight, the new one goes) or
 *   `dropNewest`.
 * - Drops are exact: a dropped event's number is declared by the next batch
 *   of its stream (an event-less batch when nothing follows, at the next
 *   delay tick or on close), so every number is accounted for downstream.
 * - A failed send is retried with backoff while the events stay buffered
 *   (so a carrier outage loses nothing within `maxBuffered`). On
 *   `TransportClosedError`, or once `close()` has waited `closeTimeoutMs`, a
 *   failed batch is abandoned instead (reported, counted in
 *   `stats().abandoned`, and its numbers declared dropped by a later batch
 *   if one still gets through).
 * - Batches are started in creation order; with `maxInFlight` > 1 a retried
 *   batch may arrive after a later one of its stream (the collector orders by
 *   sequence number).
 *
 * Events are encoded as they enter, into their batch's own msgpack writer
 * (writers are reused); sending writes the header and joins it with the
 * encoded events. The hot path (`push`, and the scalar push monitors use)
 * allocates nothing but amortized growth and one batch record per
 * `maxEvents` events, and never blocks unless the policy is `block` and the
 * buffer is full.
 *
 * @module
 */
import { writeEvent, writeHeader, writeStepEvent } from "./codec.ts";
import { addToRanges, type BatchMeta, type StepEvent, type StreamId } from "./event.ts";
import { MsgpackWriter } from "./msgpack_writer.ts";
import { estimate, mergeRanges, Pending, type Stream, StreamTable } from "./batcher_queue.ts";
import { type BatcherStatus, StatusChannel } from "./batcher_status.ts";
import { type Transport, TransportClosedError } from "./transport.ts";

export type { BatcherStatus, DropStatus, ErrorStatus, FlushStatus } from "./batcher_status.ts";
export { mergeRanges } from "./batcher_queue.ts";
export type {
  BackpressurePolicy,
  Batcher,
  BatcherOptions,
  BatcherStats,
  Timers,
} from "./batcher_types.ts";
import {
  type BackpressurePolicy,
  type Batcher,
  type BatcherOptions,
  type BatcherStats,
  PUSH_STEP,
  type StepSink,
  type StepStateSource,
  type Timers,
} from "./batcher_types.ts";

function positive(name: string, v: number): number {
  if (!(v >= 1)) throw new RangeError(`Option '${name}' must be >= 1, got '${v}'`);
  return v;
}

/**
 * Creates a batcher over a transport.
 *
 * @example Batch events into the memory transport
 * ```ts
 * import { createBatcher } from "./batcher.ts";
 * import { memoryTransport } from "./memory_transport.ts";
 * const transport = memoryTransport();
 * const batcher = createBatcher(transport, { maxEvents: 256, maxDelayMs: 50 });
 * batcher.push({
 *   spec: "ab12", specName: "Lease", node: "api-1", boot: "b1", key: "lock:orders",
 *   wall: Date.now(), logical: 0, action: 0, args: [2], state: new Uint8Array(8), verdict: 0,
 * });
 * await batcher.close(); // batcher.stats().sent === 1
 * ```
 */
export function createBatcher(transport: Transport, options: BatcherOptions = {}): Batcher {
  return new BatcherImpl(transport, options);
}

/** Writers kept for reuse, and the largest capacity kept. */
const POOL_SIZE = 8;
const POOL_MAX_BYTES = 256 * 1024;

class BatcherImpl implements Batcher, StepSink {
  readonly #transport: Transport;
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #maxDelayMs: number;
  readonly #maxBuffered: number;
  readonly #policy: BackpressurePolicy;
  readonly #maxInFlight: number;
  readonly #retryDelayMs: number;
  readonly #closeTimeoutMs: number;
  readonly #timers: Timers;
  readonly #streams = new StreamTable();
  readonly #queue: Pending[] = [];
  readonly #blocked: { s: Stream; e: StepEvent; resolve: () => void }[] = [];
  readonly #status = new StatusChannel();
  readonly #pool: MsgpackWriter[] = [];
  readonly #header = new MsgpackWriter(1024);
  #timer: unknown = null;
  #closing = false;
  #pushed = 0;
  #sent = 0;
  #batches = 0;
  #dropped = 0;
  #abandoned = 0;
  #errors = 0;
  #buffered = 0;
  #inFlight = 0;
  #retrying = 0;
  #flushes: { targets: Set<Pending>; resolve: () => void }[] = [];
  #closed: Promise<void> | null = null;
  #gaveUp = false;

  constructor(transport: Transport, o: BatcherOptions) {
    this.#transport = transport;
    this.#maxEvents = positive("maxEvents", o.maxEvents ?? 256);
    this.#maxBytes = positive("maxBytes", o.maxBytes ?? 512 * 1024);
    this.#maxDelayMs = o.maxDelayMs ?? 50;
    if (!(this.#maxDelayMs >= 0)) {
      throw new RangeError(`Option 'maxDelayMs' must be >= 0, got '${o.maxDelayMs}'`);
    }
    this.#maxBuffered = positive("maxBuffered", o.maxBuffered ?? 65_536);
    this.#policy = o.policy ?? "dropOldest";
    if (!["block", "dropOldest", "dropNewest"].includes(this.#policy)) {
      throw new RangeError(`Unknown backpressure policy '${this.#policy}'`);
    }
    this.#maxInFlight = positive("maxInFlight", o.maxInFlight ?? 16);
    this.#retryDelayMs = o.retryDelayMs ?? 100;
    this.#closeTimeoutMs = o.closeTimeoutMs ?? 10_000;
    this.#timers = o.timers ?? globalThis;
  }

  push(e: StepEvent): void | Promise<void> {
    if (this.#closing) throw new TypeError("Batcher is closed");
    this.#pushed++;
    const s = this.#streams.get(e);
    if (this.#buffered >= this.#maxBuffered) {
      if (this.#policy === "block") {
        return new Promise((resolve) => this.#blocked.push({ s, e, resolve }));
      }
      if (this.#policy === "dropNewest" || !this.#dropOldest()) {
        this.#dropNewest(s);
        return;
      }
    }
    this.#accept(s, e);
  }

  [PUSH_STEP](
    stream: StreamId,
    key: string,
    wall: number,
    logical: number,
    action: number,
    n: number,
    x0: number,
    x1: number,
    x2: number,
    x3: number,
    source: StepStateSource,
    inst: number,
    verdict: number,
  ): void | Promise<void> {
    if (this.#closing || this.#buffered >= this.#maxBuffered) {
      // Closed or full: the general path (it throws, waits or drops).
      const args = [x0, x1, x2, x3].slice(0, n);
      const state = source.stateBytes(inst);
      return this.push({ ...stream, key, wall, logical, action, args, state, verdict });
    }
    this.#pushed++;
    const s = this.#streams.get(stream);
    const p = this.#open(s, estimate(key, source.stride, n), wall);
    const before = p.w.length;
    writeStepEvent(p.w, p.t0, key, wall, logical, action, n, x0, x1, x2, x3, source, inst, verdict);
    this.#wrote(p, before);
  }

  #accept(s: Stream, e: StepEvent): void {
    const p = this.#open(s, estimate(e.key, e.state.length, e.args.length), e.wall);
    const before = p.w.length;
    writeEvent(p.w, p.t0, e);
    this.#wrote(p, before);
  }

  /** Numbers the next event of `s`; returns the open batch it goes to. */
  #open(s: Stream, size: number, wall: number): Pending {
    const seq = s.nextSeq++;
    let p = s.open;
    if (p !== null && (p.live >= this.#maxEvents || p.bytes + size > this.#maxBytes)) {
      this.#ready(p);
      p = null;
    }
    if (p === null) {
      const w = this.#pool.pop() ?? new MsgpackWriter(4096);
      w.reset();
      p = s.open = new Pending(s, seq, s.dropped, w);
      p.t0 = wall;
      s.dropped = [];
      this.#queue.push(p);
    }
    return p;
  }

  #wrote(p: Pending, before: number): void {
    p.wrote(before);
    this.#buffered++;
    if (p.live >= this.#maxEvents) this.#ready(p);
    else this.#arm();
  }

  /** Keeps a finished batch's writer for reuse (a few, not too large). */
  #recycle(p: Pending): void {
    if (this.#pool.length < POOL_SIZE && p.w.capacity <= POOL_MAX_BYTES) this.#pool.push(p.w);
  }

  #dropNewest(s: Stream): void {
    const seq = s.nextSeq++;
    if (s.open !== null) this.#ready(s.open);
    addToRanges(s.dropped, seq);
    this.#dropStatus(s, seq, "dropNewest");
    this.#arm();
  }

  #dropOldest(): boolean {
    for (const p of this.#queue) {
      if (p.state === "sending" || p.live === 0) continue;
      const seq = p.firstSeq;
      p.shift();
      addToRanges(p.dropped, seq);
      this.#buffered--;
      this.#dropStatus(p.stream, seq, "dropOldest");
      if (p.live === 0 && p.stream.open !== p) this.#absorb(p);
      return true;
    }
    return false;
  }

  /** Hands the drops of an emptied batch to the next batch of its stream, so overload makes no empty batches. */
  #absorb(p: Pending): void {
    const i = this.#queue.indexOf(p);
    const next = this.#queue.find((q, j) => j > i && q.stream === p.stream);
    if (next?.state === "sending") return;
    if (next === undefined) p.stream.dropped = mergeRanges(p.dropped, p.stream.dropped);
    else next.dropped.splice(0, next.dropped.length, ...mergeRanges(p.dropped, next.dropped));
    p.state = "done";
    this.#remove(p, 0);
  }

  #dropStatus(s: Stream, seq: number, policy: "dropOldest" | "dropNewest"): void {
    this.#dropped++;
    if (this.#status.active) this.#status.emit({ type: "drop", stream: s, seq, policy });
  }

  #arm(): void {
    if (this.#closing) this.#readyAll(true);
    else if (this.#timer === null) {
      this.#timer = this.#timers.setTimeout(() => {
        this.#timer = null;
        this.#readyAll(true);
      }, this.#maxDelayMs);
    }
  }

  #ready(p: Pending): void {
    if (p.state !== "open") return;
    p.state = "ready";
    if (p.stream.open === p) p.stream.open = null;
    this.#pump();
  }

  /** Marks every open batch ready; with `drops`, also makes event-less batches for trailing drops. */
  #readyAll(drops: boolean): void {
    for (const p of this.#queue) this.#ready(p);
    if (!drops) return;
    for (const s of this.#streams.all()) {
      if (s.dropped.length === 0) continue;
      const p = new Pending(s, s.nextSeq, s.dropped, this.#pool.pop() ?? new MsgpackWriter(256));
      p.w.reset();
      s.dropped = [];
      this.#queue.push(p);
      this.#ready(p);
    }
  }

  #pump(): void {
    for (let i = 0; i < this.#queue.length && this.#inFlight < this.#maxInFlight; i++) {
      const p = this.#queue[i]!;
      if (p.state === "ready") this.#send(p);
    }
  }

  #send(p: Pending): void {
    const s = p.stream;
    const count = p.live;
    const meta: BatchMeta = { ...headerOf(s), firstSeq: p.firstSeq, count };
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
    writeHeader(h, { ...meta, dropped: p.dropped }, meta.count > 0 ? p.t0 : 0, meta.count);
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
    if (this.#status.active) {
      const { count, firstSeq } = meta;
      this.#status.emit({
        type: "flush",
        stream: p.stream,
        firstSeq,
        count,
        dropped: p.dropped,
        bytes,
      });
    }
    this.#remove(p, meta.count);
  }

  #failed(p: Pending, meta: BatchMeta, error: unknown, fatal: boolean): void {
    this.#inFlight--;
    this.#errors++;
    p.attempts++;
    const willRetry = !fatal && !this.#gaveUp && !(error instanceof TransportClosedError);
    if (this.#status.active) {
      const { count, firstSeq } = meta;
      this.#status.emit({
        type: "error",
        stream: p.stream,
        firstSeq,
        count,
        error,
        attempt: p.attempts,
        willRetry,
      });
    }
    if (willRetry) {
      p.state = "waiting";
      this.#retrying++;
      const delay = Math.min(5_000, this.#retryDelayMs * 2 ** (p.attempts - 1));
      this.#timers.setTimeout(() => {
        this.#retrying--;
        if (p.state !== "waiting") return;
        p.state = "ready";
        this.#pump();
      }, delay);
      this.#pump();
      return;
    }
    this.#abandon(p, meta.firstSeq, meta.count);
  }

  /** Gives a batch up: its numbers become drops to declare, its events count as abandoned. */
  #abandon(p: Pending, firstSeq: number, count: number): void {
    this.#abandoned += count;
    const s = p.stream;
    s.dropped = mergeRanges(s.dropped, p.dropped);
    if (count > 0) s.dropped = mergeRanges(s.dropped, [[firstSeq, firstSeq + count - 1]]);
    p.state = "done";
    this.#remove(p, count);
  }

  #giveUp(): void {
    this.#gaveUp = true;
    for (const p of [...this.#queue]) {
      if (p.state === "waiting") this.#abandon(p, p.firstSeq, p.live);
    }
  }

  #remove(p: Pending, count: number): void {
    const i = this.#queue.indexOf(p);
    if (i >= 0) {
      this.#queue.splice(i, 1);
      this.#recycle(p);
    }
    this.#buffered -= count;
    for (const w of this.#flushes) {
      w.targets.delete(p);
      if (w.targets.size === 0) w.resolve();
    }
    this.#flushes = this.#flushes.filter((w) => w.targets.size > 0);
    while (this.#blocked.length > 0 && this.#buffered < this.#maxBuffered) {
      const b = this.#blocked.shift()!;
      this.#accept(b.s, b.e);
      b.resolve();
    }
    this.#pump();
  }

  flush(): Promise<void> {
    this.#readyAll(true);
    if (this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#flushes.push({ targets: new Set(this.#queue), resolve }));
  }

  close(): Promise<void> {
    return this.#closed ??= this.#close();
  }

  async #close(): Promise<void> {
    this.#closing = true;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    const deadline = this.#timers.setTimeout(() => this.#giveUp(), this.#closeTimeoutMs);
    for (let round = 0; round < 3 && this.#unfinished(); round++) await this.flush();
    this.#timers.clearTimeout(deadline);
    for (const p of this.#queue.splice(0)) this.#abandoned += p.live;
    this.#abandoned += this.#blocked.length;
    this.#buffered = 0;
    for (const b of this.#blocked.splice(0)) b.resolve();
    for (const w of this.#flushes.splice(0)) w.resolve();
    try {
      await this.#transport.close();
    } finally {
      this.#status.end();
    }
  }

  #unfinished(): boolean {
    if (this.#queue.length > 0 || this.#blocked.length > 0) return true;
    for (const s of this.#streams.all()) if (s.dropped.length > 0) return true;
    return false;
  }

  status(): AsyncIterable<BatcherStatus> {
    return this.#status.iterable();
  }

  stats(): BatcherStats {
    return {
      pushed: this.#pushed,
      sent: this.#sent,
      batches: this.#batches,
      dropped: this.#dropped,
      abandoned: this.#abandoned,
      errors: this.#errors,
      buffered: this.#buffered,
      inFlight: this.#inFlight,
    };
  }
}

function headerOf(s: Stream): StreamId {
  return { spec: s.spec, specName: s.specName, node: s.node, boot: s.boot };
}
