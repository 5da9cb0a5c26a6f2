/**
 * The per-partition reorder buffer: a binary min-heap of buffered events in
 * merge order. Merge order is HLC wall, then HLC logical, then node id, then
 * boot id, then sequence number, so it is total and the same on every
 * collector whatever the arrival order.
 *
 * @module
 */
import type { DecodedEvent } from "../runtime/event.ts";
import type { StreamState } from "./streams.ts";
import type { Partition } from "./partition.ts";

/** A received event waiting in (or released from) a reorder buffer. */
export interface Buffered {
  readonly ev: DecodedEvent;
  readonly stream: StreamState;
  readonly partition: Partition;
  /** Collector time by which it must be applied (arrival + window). */
  readonly readyAt: number;
  /** Set when applied. */
  done: boolean;
}

/** A position in merge order. */
export interface MergePos {
  readonly wall: number;
  readonly logical: number;
  readonly node: string;
  readonly boot: string;
  readonly seq: number;
}

/**
 * Compares two merge positions: negative when `a` is applied first.
 *
 * @example Node id breaks HLC ties
 * ```ts
 * import { compareMerge } from "./merge.ts";
 * const a = { wall: 5, logical: 0, node: "a", boot: "x", seq: 9 };
 * const b = { wall: 5, logical: 0, node: "b", boot: "x", seq: 1 };
 * compareMerge(a, b) < 0; // true
 * ```
 */
export function compareMerge(a: MergePos, b: MergePos): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  if (a.node !== b.node) return a.node < b.node ? -1 : 1;
  if (a.boot !== b.boot) return a.boot < b.boot ? -1 : 1;
  return a.seq - b.seq;
}

/** Compares two buffered events in merge order. */
export function compareBuffered(a: Buffered, b: Buffered): number {
  const x = a.ev;
  const y = b.ev;
  if (x.wall !== y.wall) return x.wall < y.wall ? -1 : 1;
  if (x.logical !== y.logical) return x.logical < y.logical ? -1 : 1;
  const s = a.stream.id;
  const t = b.stream.id;
  if (s.node !== t.node) return s.node < t.node ? -1 : 1;
  if (s.boot !== t.boot) return s.boot < t.boot ? -1 : 1;
  return x.seq - y.seq;
}

/** Compares a buffered event with a merge position. */
export function compareToPos(a: Buffered, p: MergePos): number {
  const x = a.ev;
  if (x.wall !== p.wall) return x.wall < p.wall ? -1 : 1;
  if (x.logical !== p.logical) return x.logical < p.logical ? -1 : 1;
  const s = a.stream.id;
  if (s.node !== p.node) return s.node < p.node ? -1 : 1;
  if (s.boot !== p.boot) return s.boot < p.boot ? -1 : 1;
  return x.seq - p.seq;
}

/** A min-heap of buffered events in merge order. */
export class ReorderBuffer {
  readonly #heap: Buffered[] = [];

  /** Number of buffered events. */
  get size(): number {
    return this.#heap.length;
  }

  /** The first event in merge order, if any. */
  peek(): Buffered | undefined {
    return this.#heap[0];
  }

  /**
   * Adds an event.
   *
   * @example Events come out in merge order
   * ```ts
   * import { ReorderBuffer, type Buffered } from "./merge.ts";
   * const buf = new ReorderBuffer();
   * const ev = (wall: number) => ({ wall, logical: 0, seq: 0 }) as Buffered["ev"];
   * const stream = { id: { node: "n", boot: "b" } } as Buffered["stream"];
   * const partition = {} as Buffered["partition"];
   * for (const w of [3, 1, 2]) buf.push({ ev: ev(w), stream, partition, readyAt: 0, done: false });
   * buf.pop()!.ev.wall; // 1
   * ```
   */
  push(b: Buffered): void {
    const h = this.#heap;
    let i = h.length;
    h.push(b);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (compareBuffered(p, b) <= 0) break;
      h[i] = p;
      i = parent;
    }
    h[i] = b;
  }

  /** Removes and returns the first event in merge order. */
  pop(): Buffered | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    const n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && compareBuffered(h[r]!, h[l]!) < 0 ? r : l;
      if (compareBuffered(h[c]!, last) >= 0) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
    return top;
  }

  /** Oldest arrival deadline among buffered events (Infinity when empty). */
  minReadyAt(): number {
    let m = Infinity;
    for (const b of this.#heap) if (b.readyAt < m) m = b.readyAt;
    return m;
  }
}
