/**
 * The batcher's bookkeeping: streams (with their next sequence number and
 * drops not yet declared) and pending batches (the encoded events of one
 * stream waiting to be sent, being sent, or waiting for a retry), queued
 * in creation order with their writers reused.
 *
 * @module
 */
import { type EventDependency, MAX_DROP_RANGES, type StreamId } from "../../lib/wire/event.ts";
import { mergeRanges } from "../../lib/wire/seq_ranges.ts";
import { MsgpackWriter } from "../../lib/wire/msgpack_writer.ts";

/** Where a pending batch is in its life. */
export type State = "open" | "ready" | "sending" | "waiting" | "done";

/** One stream's numbering state. */
export class Stream implements StreamId {
  nextSeq = 0;
  open: Pending | null = null;
  dropped: [number, number][] = [];
  /** Dependencies the stream's next written event carries; null when none. */
  deps: EventDependency[] | null = null;
  constructor(
    readonly spec: string,
    readonly specName: string,
    readonly node: string,
    readonly boot: string,
  ) {}
}

/**
 * A batch of one stream, not yet accepted by the transport. Its events are
 * encoded as they enter (msgpack, relative to `t0`, the first event's wall
 * time) into the batch's own writer; `ends[i]` is the offset after event
 * `i` (a typed array reused with the writer, so a batch allocates no
 * per-event array). Dropping the oldest event moves `head` past it.
 */
export class Pending {
  /** Events dropped from the front. */
  head = 0;
  /** Events written. */
  count = 0;
  /** Encoded bytes of the live events. */
  bytes = 0;
  attempts = 0;
  state: State = "open";
  /** Wall time the events' deltas are relative to (the first event's). */
  t0 = 0;
  /** True when an event written to it carries dependencies (the batch is then version 2). */
  deps = false;
  /** Offset in `w` after event `i`, for `i < count` (grown by doubling). */
  ends: Int32Array;
  constructor(
    readonly stream: Stream,
    public firstSeq: number,
    /** Numbers this batch declares dropped: ascending, at most `MAX_DROP_RANGES` ranges. */
    public dropped: [number, number][],
    readonly w: MsgpackWriter,
    /** Room for the event ends (a reused array, or a new one). */
    ends: Int32Array = new Int32Array(16),
  ) {
    this.ends = ends;
  }
  /** Events held (written and not dropped). */
  get live(): number {
    return this.count - this.head;
  }
  /** Offset of the first live event in `w`. */
  get start(): number {
    return this.head === 0 ? 0 : this.ends[this.head - 1]!;
  }
  /** Marks the next event as written (after writing it to `w`). */
  wrote(before: number): void {
    const end = this.w.length;
    const i = this.count;
    if (i === this.ends.length) {
      const more = new Int32Array(2 * i);
      more.set(this.ends);
      this.ends = more;
    }
    this.ends[i] = end;
    this.count = i + 1;
    this.bytes += end - before;
  }
  /** Drops the oldest live event. */
  shift(): void {
    const start = this.start;
    this.head++;
    this.bytes -= this.start - start;
    this.firstSeq++;
  }
}

/** Streams by (spec, node, boot), with the last one cached so the hot path does no lookup. */
export class StreamTable {
  readonly #streams = new Map<string, Map<string, Map<string, Stream>>>();
  #last: Stream | null = null;

  /** The stream of an event, created at its first event. */
  get(e: StreamId): Stream {
    const last = this.#last;
    if (last !== null && last.spec === e.spec && last.node === e.node && last.boot === e.boot) {
      return last;
    }
    let byNode = this.#streams.get(e.spec);
    if (byNode === undefined) this.#streams.set(e.spec, byNode = new Map());
    let byBoot = byNode.get(e.node);
    if (byBoot === undefined) byNode.set(e.node, byBoot = new Map());
    let s = byBoot.get(e.boot);
    if (s === undefined) byBoot.set(e.boot, s = new Stream(e.spec, e.specName, e.node, e.boot));
    return this.#last = s;
  }

  /** Every stream seen. */
  *all(): Generator<Stream> {
    for (const byNode of this.#streams.values()) {
      for (const byBoot of byNode.values()) yield* byBoot.values();
    }
  }
}

/** Writers kept for reuse, and the largest capacity kept. */
const POOL_SIZE = 8;
const POOL_MAX_BYTES = 256 * 1024;
/** The most event ends an array kept for reuse holds (a batch of 16k events). */
const POOL_MAX_ENDS = 16 * 1024;

/** The pending batches in creation order (the order they are sent in), and writers for reuse. */
export class PendingQueue {
  readonly #items: Pending[] = [];
  readonly #pool: MsgpackWriter[] = [];
  /** Event-end arrays kept for reuse (see {@link Pending.ends}). */
  readonly #endsPool: Int32Array[] = [];
  /**
   * The most bytes a batch taken out lately held (at most
   * `POOL_MAX_BYTES`): a new writer starts that large, so a full batch
   * does not grow its writer by doubling (a copy and a garbage buffer per
   * step) when the pool is empty.
   */
  #sizeHint = 0;

  /** Batches queued. */
  get length(): number {
    return this.#items.length;
  }

  [Symbol.iterator](): Iterator<Pending> {
    return this.#items[Symbol.iterator]();
  }

  /**
   * Queues a new batch of `s` from `firstSeq`, declaring the stream's
   * undeclared drops, the oldest `MAX_DROP_RANGES` of them when there are
   * more (the rest stay with the stream for a later batch); its writer is
   * a reused one or a new one of `capacity` bytes, or as many as a recent
   * batch took when that is more.
   */
  add(s: Stream, firstSeq: number, capacity: number): Pending {
    const w = this.#pool.pop() ?? new MsgpackWriter(Math.max(capacity, this.#sizeHint));
    w.reset();
    let dropped = s.dropped;
    if (dropped.length <= MAX_DROP_RANGES) s.dropped = [];
    else {
      s.dropped = dropped.slice(MAX_DROP_RANGES);
      dropped = dropped.slice(0, MAX_DROP_RANGES);
    }
    const p = new Pending(s, firstSeq, dropped, w, this.#endsPool.pop());
    this.#items.push(p);
    return p;
  }

  /** The oldest batch with an event that may still be dropped (not being sent). */
  oldestDroppable(): Pending | undefined {
    return this.#items.find((p) => p.state !== "sending" && p.live > 0);
  }

  /**
   * Hands the drops of emptied batch `p` to the next batch of its stream
   * (or back to the stream when none follows), so overload makes no empty
   * batches. False when the next batch is being sent (then `p` stays).
   */
  absorb(p: Pending): boolean {
    const i = this.#items.indexOf(p);
    const next = this.#items.find((q, j) => j > i && q.stream === p.stream);
    if (next?.state === "sending") return false;
    if (next === undefined) p.stream.dropped = mergeRanges(p.dropped, p.stream.dropped);
    else {
      next.dropped = mergeRanges(p.dropped, next.dropped);
      capDrops(next);
    }
    return true;
  }

  /** Takes `p` out of the queue and keeps its writer for reuse (a few, not too large). */
  remove(p: Pending): void {
    const i = this.#items.indexOf(p);
    if (i < 0) return;
    this.#items.splice(i, 1);
    const used = p.w.length;
    if (used > this.#sizeHint && used <= POOL_MAX_BYTES) this.#sizeHint = used + (used >> 3);
    if (this.#pool.length < POOL_SIZE && p.w.capacity <= POOL_MAX_BYTES) this.#pool.push(p.w);
    if (this.#endsPool.length < POOL_SIZE && p.ends.length <= POOL_MAX_ENDS) {
      this.#endsPool.push(p.ends);
    }
  }

  /** Takes every batch out of the queue. */
  clear(): Pending[] {
    return this.#items.splice(0);
  }
}

/** Estimated encoded size of an event in bytes (decides where batches split). */
export function estimate(key: string, stateBytes: number, args: number): number {
  return 24 + key.length + stateBytes + 9 * args;
}

/**
 * Keeps the oldest `MAX_DROP_RANGES` ranges of `p`'s declaration and hands
 * the rest back to its stream, for a later batch to declare. True when
 * any were handed back.
 *
 * @example Cap a declaration
 * ```ts
 * import assert from "node:assert/strict";
 * import { capDrops, PendingQueue, Stream } from "./queue.ts";
 * import { MAX_DROP_RANGES } from "../../lib/wire/event.ts";
 * const s = new Stream("ab", "Lease", "n1", "b1");
 * const p = new PendingQueue().add(s, 10_000, 64);
 * p.dropped = Array.from({ length: MAX_DROP_RANGES + 2 }, (_, i): [number, number] => [2 * i, 2 * i]);
 * assert.equal(capDrops(p), true);
 * assert.equal(p.dropped.length, MAX_DROP_RANGES);
 * assert.deepEqual(s.dropped, [[2 * MAX_DROP_RANGES, 2 * MAX_DROP_RANGES], [2 * MAX_DROP_RANGES + 2, 2 * MAX_DROP_RANGES + 2]]);
 * ```
 */
export function capDrops(p: Pending): boolean {
  if (p.dropped.length <= MAX_DROP_RANGES) return false;
  const s = p.stream;
  s.dropped = mergeRanges(s.dropped, p.dropped.splice(MAX_DROP_RANGES));
  return true;
}
