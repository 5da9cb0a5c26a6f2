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
 *   Adjacent dropped numbers are declared as one range; a batch declares
 *   at most `MAX_DROP_RANGES` ranges, the oldest first, and the rest are
 *   carried to the following batches (event-less ones if need be).
 * - A failed send is retried with backoff while the events stay buffered
 *   (so a carrier outage loses nothing within `maxBuffered`). On
 *   `TransportClosedError`, or once `close()` has waited `closeTimeoutMs`, a
 *   failed batch is abandoned instead (reported, counted in
 *   `stats().abandoned`, and its numbers declared dropped by a later batch
 *   if one still gets through).
 * - A batch the transport refused for good (`BatchRefusedError`: a wrong
 *   token, an unknown spec version, a batch too large, a publish
 *   permission denied) is never sent again: it is reported (a `refused`
 *   status and the `onRefused` option, with the reason, the status, the
 *   collector's detail and the numbers dropped), counted
 *   (`stats().refused`, `stats().refusals` by reason), logged (`onLog`:
 *   the first of each reason at once, then a count at most once per
 *   `logIntervalMs`), and its numbers are declared dropped by the next
 *   batch of its stream, so the collector counts them dropped, not lost.
 *   No batch is made just to declare them (it would be refused too): the
 *   next event's batch, a delay tick or `close()` carries them.
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
import { writeDependencies, writeEvent, writeStepEvent } from "../../lib/wire/encode.ts";
import { type EventDependency, MAX_DROP_RANGES, type StepEvent } from "../../lib/wire/event.ts";
import { addToRanges } from "../../lib/wire/seq_ranges.ts";
import {
  capDrops,
  estimate,
  type Pending,
  PendingQueue,
  type Stream,
  StreamTable,
} from "./queue.ts";
import { mergeRanges } from "../../lib/wire/seq_ranges.ts";
import { Sender } from "./sender.ts";
import { type BatcherStatus, type RefusedStatus, StatusChannel } from "./status.ts";
import { RefusalLog } from "./refusal_log.ts";
import type { BatchRefusedError, Transport } from "../transports/transport.ts";
import type { BatchMeta } from "../../lib/wire/event.ts";

export type {
  BatcherStatus,
  DropStatus,
  ErrorStatus,
  FlushStatus,
  RefusedStatus,
} from "./status.ts";
export type {
  BackpressurePolicy,
  Batcher,
  BatcherOptions,
  BatcherStats,
  Timers,
} from "./batcher_types.ts";
import {
  type Batcher,
  type BatcherOptions,
  type BatcherStats,
  PUSH_DEPS,
  PUSH_STEP,
  type PushDeps,
  type PushStep,
  resolveOptions,
  type StepSink,
} from "./batcher_types.ts";

/** `held` with `more` laid over it: the latest time per sender node. */
function mergeDeps(
  held: EventDependency[],
  more: readonly EventDependency[],
): EventDependency[] {
  for (const d of more) {
    const i = held.findIndex((h) => h.node === d.node);
    if (i < 0) held.push(d);
    else {
      const h = held[i]!;
      if (d.wall > h.wall || (d.wall === h.wall && d.logical > h.logical)) held[i] = d;
    }
  }
  return held;
}

/**
 * Creates a batcher over a transport.
 *
 * @example Batch events into the memory transport
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBatcher } from "./batcher.ts";
 * import { decodeBatch } from "../../lib/wire/decode.ts";
 * import { memoryTransport } from "../transports/memory.ts";
 * const transport = memoryTransport();
 * const received: Uint8Array[] = [];
 * transport.subscribe((bytes) => void received.push(bytes));
 * const batcher = createBatcher(transport, { maxEvents: 256, maxDelayMs: 50 });
 * batcher.push({
 *   spec: "ab12", specName: "Lease", node: "api-1", boot: "b1", key: "lock:orders",
 *   wall: Date.now(), logical: 0, action: 0, args: [2], state: new Uint8Array(8), verdict: 0,
 * });
 * await batcher.close(); // flushes the partial batch
 * assert.equal(batcher.stats().sent, 1);
 * assert.deepEqual(received.map((b) => decodeBatch(b).events.map((e) => e.key)), [["lock:orders"]]);
 * ```
 */
export function createBatcher(transport: Transport, options: BatcherOptions = {}): Batcher {
  return new BatcherImpl(transport, options);
}

class BatcherImpl implements Batcher, StepSink {
  readonly #transport: Transport;
  readonly #options: Required<BatcherOptions>;
  // The limits the per-event path reads, kept as own fields.
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #maxBuffered: number;
  readonly #streams = new StreamTable();
  readonly #queue = new PendingQueue();
  readonly #sender: Sender;
  readonly #blocked: { s: Stream; e: StepEvent; resolve: () => void }[] = [];
  readonly #status = new StatusChannel();
  #timer: unknown = null;
  #closing = false;
  #pushed = 0;
  #dropped = 0;
  #abandoned = 0;
  #refused = 0;
  readonly #refusals = new Map<string, number>();
  readonly #refusalLog: RefusalLog;
  #buffered = 0;
  #flushes: { targets: Set<Pending>; resolve: () => void }[] = [];
  #closed: Promise<void> | null = null;

  constructor(transport: Transport, options: BatcherOptions) {
    this.#transport = transport;
    const o = this.#options = resolveOptions(options);
    this.#maxEvents = o.maxEvents;
    this.#maxBytes = o.maxBytes;
    this.#maxBuffered = o.maxBuffered;
    this.#refusalLog = new RefusalLog({
      onLog: o.onLog,
      intervalMs: o.logIntervalMs,
      timers: o.timers,
    });
    this.#sender = new Sender(transport, this.#queue, {
      maxInFlight: o.maxInFlight,
      retryDelayMs: o.retryDelayMs,
      timers: o.timers,
      status: this.#status,
      outcomes: {
        accepted: (p, count) => this.#remove(p, count),
        failed: (p, firstSeq, count) => this.#abandon(p, firstSeq, count),
        refused: (p, meta, error, attempt) => this.#refuse(p, meta, error, attempt),
      },
    });
  }

  push(e: StepEvent): void | Promise<void> {
    if (this.#closing) throw new TypeError("Batcher is closed");
    this.#pushed++;
    const s = this.#streams.get(e);
    if (this.#buffered >= this.#maxBuffered) {
      if (this.#options.policy === "block") {
        return new Promise((resolve) => this.#blocked.push({ s, e, resolve }));
      }
      if (this.#options.policy === "dropNewest" || !this.#dropOldest()) {
        this.#dropNewest(s);
        return;
      }
    }
    this.#accept(s, e);
  }

  /** The scalar push (a field typed by {@link PushStep}, so the step's signature is declared once). */
  readonly [PUSH_STEP]: PushStep = (
    stream,
    key,
    wall,
    logical,
    action,
    n,
    x0,
    x1,
    x2,
    x3,
    source,
    inst,
    verdict,
  ) => {
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
    const deps = s.deps;
    const w = p.w;
    const items = deps === null ? 7 : 8;
    writeStepEvent(
      w,
      p.t0,
      key,
      wall,
      logical,
      action,
      n,
      x0,
      x1,
      x2,
      x3,
      source,
      inst,
      verdict,
      items,
    );
    if (deps !== null) {
      writeDependencies(w, p.t0, deps);
      s.deps = null;
      p.deps = true;
    }
    this.#wrote(p, before);
  };

  /** The dependency push: the stream's next written event carries `deps` (see {@link PUSH_DEPS}). */
  readonly [PUSH_DEPS]: PushDeps = (stream, deps) => {
    if (deps.length === 0) return;
    const s = this.#streams.get(stream);
    s.deps = s.deps === null ? [...deps] : mergeDeps(s.deps, deps);
  };

  #accept(s: Stream, e: StepEvent): void {
    const p = this.#open(s, estimate(e.key, e.state.length, e.args.length), e.wall);
    const before = p.w.length;
    const held = s.deps;
    const deps = held === null ? e.deps : mergeDeps(held, e.deps ?? []);
    writeEvent(p.w, p.t0, deps === e.deps || deps === undefined ? e : { ...e, deps });
    if (deps !== undefined && deps.length > 0) p.deps = true;
    s.deps = null;
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
      this.#carryDrops(s);
      p = s.open = this.#queue.add(s, seq, 4096);
      p.t0 = wall;
    }
    return p;
  }

  /**
   * While `s` has more undeclared drops than one batch may declare, queues
   * event-less batches of the oldest `MAX_DROP_RANGES` ranges each, ready
   * to send. Each has for `seq` one past its last range (below the
   * stream's next number, and a message id of its own).
   */
  #carryDrops(s: Stream): void {
    const all = s.dropped;
    if (all.length <= MAX_DROP_RANGES) return;
    let i = 0;
    for (; all.length - i > MAX_DROP_RANGES; i += MAX_DROP_RANGES) {
      s.dropped = all.slice(i, i + MAX_DROP_RANGES);
      this.#ready(this.#queue.add(s, s.dropped[MAX_DROP_RANGES - 1]![1] + 1, 256));
    }
    s.dropped = all.slice(i);
  }

  #wrote(p: Pending, before: number): void {
    p.wrote(before);
    this.#buffered++;
    if (p.live >= this.#maxEvents) this.#ready(p);
    else this.#arm();
  }

  #dropNewest(s: Stream): void {
    const seq = s.nextSeq++;
    if (s.open !== null) this.#ready(s.open);
    addToRanges(s.dropped, seq);
    this.#dropStatus(s, seq, "dropNewest");
    this.#arm();
  }

  #dropOldest(): boolean {
    const p = this.#queue.oldestDroppable();
    if (p === undefined) return false;
    const seq = p.firstSeq;
    p.shift();
    addToRanges(p.dropped, seq);
    const carried = capDrops(p);
    this.#buffered--;
    this.#dropStatus(p.stream, seq, "dropOldest");
    if (p.live === 0 && p.stream.open !== p && this.#queue.absorb(p)) {
      p.state = "done";
      this.#remove(p, 0);
    }
    // Ranges past the cap went back to the stream: a later batch declares them.
    if (carried || p.stream.dropped.length > 0) this.#arm();
    return true;
  }

  #dropStatus(s: Stream, seq: number, policy: "dropOldest" | "dropNewest"): void {
    this.#dropped++;
    if (this.#status.active) this.#status.emit({ type: "drop", stream: s, seq, policy });
  }

  /**
   * Starts the delay timer unless it runs. Called for nearly every event, so
   * it makes no closure: a function holding one allocates its context at
   * every call, taken or not (40 bytes per event, half of a publisher's).
   */
  #arm(): void {
    if (this.#closing) this.#readyAll(true);
    else if (this.#timer === null) {
      this.#timer = this.#options.timers.setTimeout(this.#delayElapsed, this.#options.maxDelayMs);
    }
  }

  /** The delay timer's callback: every open batch is ready. */
  readonly #delayElapsed = (): void => {
    this.#timer = null;
    this.#readyAll(true);
  };

  #ready(p: Pending): void {
    if (p.state !== "open") return;
    p.state = "ready";
    if (p.stream.open === p) p.stream.open = null;
    this.#sender.pump();
  }

  /** Marks every open batch ready; with `drops`, also makes event-less batches for trailing drops. */
  #readyAll(drops: boolean): void {
    for (const p of this.#queue) this.#ready(p);
    if (!drops) return;
    for (const s of this.#streams.all()) {
      this.#carryDrops(s);
      if (s.dropped.length > 0) this.#ready(this.#queue.add(s, s.nextSeq, 256));
    }
  }

  /** Gives a batch up: its numbers become drops to declare, its events count as abandoned. */
  #abandon(p: Pending, firstSeq: number, count: number): void {
    this.#abandoned += count;
    this.#release(p, firstSeq, count);
  }

  /** A refused batch: its numbers become drops to declare; reported, counted and logged. */
  #refuse(p: Pending, meta: BatchMeta, error: BatchRefusedError, attempt: number): void {
    const { firstSeq, count } = meta;
    const declared = p.dropped;
    this.#refused += count;
    this.#refusals.set(error.reason, (this.#refusals.get(error.reason) ?? 0) + 1);
    this.#release(p, firstSeq, count);
    const { spec, specName, node, boot } = p.stream;
    const refusal: RefusedStatus = {
      type: "refused",
      stream: { spec, specName, node, boot },
      transport: error.transport,
      reason: error.reason,
      ...(error.status === undefined ? {} : { status: error.status }),
      detail: error.detail,
      ...(error.problem === undefined ? {} : { problem: error.problem }),
      firstSeq,
      count,
      ranges: count > 0 ? [[firstSeq, firstSeq + count - 1]] : [],
      declared,
      attempt,
      error,
    };
    if (this.#status.active) this.#status.emit(refusal);
    try {
      this.#options.onRefused(refusal);
    } catch (e) {
      this.#refusalLog.callbackFailed(e);
    }
    this.#refusalLog.note(refusal);
  }

  /** Takes a batch out for good: its events' numbers and its declared drops go back to its stream. */
  #release(p: Pending, firstSeq: number, count: number): void {
    const s = p.stream;
    s.dropped = mergeRanges(s.dropped, p.dropped);
    if (count > 0) s.dropped = mergeRanges(s.dropped, [[firstSeq, firstSeq + count - 1]]);
    p.state = "done";
    this.#remove(p, count);
  }

  #giveUp(): void {
    this.#sender.stopRetrying();
    for (const p of [...this.#queue]) {
      if (p.state === "waiting") this.#abandon(p, p.firstSeq, p.live);
    }
  }

  #remove(p: Pending, count: number): void {
    this.#queue.remove(p);
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
    this.#sender.pump();
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
    const timers = this.#options.timers;
    if (this.#timer !== null) timers.clearTimeout(this.#timer);
    this.#timer = null;
    const deadline = timers.setTimeout(() => this.#giveUp(), this.#options.closeTimeoutMs);
    for (let round = 0; round < 3 && this.#unfinished(); round++) await this.flush();
    timers.clearTimeout(deadline);
    for (const p of this.#queue.clear()) this.#abandoned += p.live;
    this.#abandoned += this.#blocked.length;
    this.#buffered = 0;
    for (const b of this.#blocked.splice(0)) b.resolve();
    for (const w of this.#flushes.splice(0)) w.resolve();
    try {
      await this.#transport.close();
    } finally {
      this.#refusalLog.close();
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
    const sender = this.#sender;
    return {
      pushed: this.#pushed,
      sent: sender.sent,
      batches: sender.batches,
      dropped: this.#dropped,
      abandoned: this.#abandoned,
      errors: sender.errors,
      refused: this.#refused,
      refusals: Object.fromEntries(this.#refusals),
      buffered: this.#buffered,
      inFlight: sender.inFlight,
    };
  }
}
