/**
 * The batcher's bookkeeping: streams (with their next sequence number and
 * drops not yet declared) and pending batches (events of one stream waiting
 * to be sent, being sent, or waiting for a retry).
 *
 * @module
 */
import type { SeqRange, StepEvent, StreamId } from "./event.ts";

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

/** A batch of one stream, not yet accepted by the transport. */
export class Pending {
  head = 0;
  bytes = 0;
  attempts = 0;
  state: State = "open";
  readonly events: StepEvent[] = [];
  constructor(
    readonly stream: Stream,
    public firstSeq: number,
    readonly dropped: [number, number][],
  ) {}
  get live(): number {
    return this.events.length - this.head;
  }
}

/** Streams by (spec, node, boot), with the last one cached so the hot path does no lookup. */
export class StreamTable {
  readonly #streams = new Map<string, Map<string, Map<string, Stream>>>();
  #last: Stream | null = null;

  /** The stream of an event, created at its first event. */
  get(e: StepEvent): Stream {
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

/** Estimated encoded size of an event in bytes. */
export function estimate(e: StepEvent): number {
  return 24 + e.key.length + e.state.length + 9 * e.args.length;
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
