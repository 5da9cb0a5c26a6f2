/**
 * The batcher's bookkeeping: streams (with their next sequence number and
 * drops not yet declared) and pending batches (the encoded events of one
 * stream waiting to be sent, being sent, or waiting for a retry).
 *
 * @module
 */
import type { SeqRange, StreamId } from "./event.ts";
import type { MsgpackWriter } from "./msgpack_writer.ts";

/** Where a pending batch is in its life. */
export type State = "open" | "ready" | "sending" | "waiting" | "done";

/** One stream's numbering state. */
export class Stream implements StreamId {
  nextSeq = 0;
  open: Pending | null = null;
  dropped: [number, number][] = [];
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
 * `i`. Dropping the oldest event moves `head` past it.
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
  readonly ends: number[] = [];
  constructor(
    readonly stream: Stream,
    public firstSeq: number,
    readonly dropped: [number, number][],
    readonly w: MsgpackWriter,
  ) {}
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
    this.ends.push(end);
    this.count++;
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

/** Estimated encoded size of an event in bytes (decides where batches split). */
export function estimate(key: string, stateBytes: number, args: number): number {
  return 24 + key.length + stateBytes + 9 * args;
}

/** Merges two ascending lists of inclusive ranges into one ascending, coalesced list. */
export function mergeRanges(
  a: readonly SeqRange[],
  b: readonly SeqRange[],
): [number, number][] {
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [first, last] of all) {
    const tail = out[out.length - 1];
    if (tail !== undefined && first <= tail[1] + 1) tail[1] = Math.max(tail[1], last);
    else out.push([first, last]);
  }
  return out;
}
