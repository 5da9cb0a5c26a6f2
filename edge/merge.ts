/**
 * The per-partition reorder buffer: a binary min-heap of buffered events in
 * merge order. Merge order is HLC wall, then HLC logical, then node id, then
 * boot id, then sequence number, so it is total and the same on every
 * collector whatever the arrival order.
 *
 * @module
 */
import type { StreamState } from "./streams.ts";
import type { Partition } from "./partition.ts";
import type { EventSnapshot } from "./types.ts";

/**
 * A received event waiting in (or released from) a reorder buffer. It is
 * also the applied event's record in histories (an `EventSnapshot`) and its
 * merge position, so each event costs one allocation.
 */
export interface Buffered extends EventSnapshot {
  /**
   * The post-state block; emptied once applied (it is then in the
   * participant's instance), so histories do not keep batch buffers alive.
   */
  state: Uint8Array;
  readonly stream: StreamState;
  readonly partition: Partition;
  /** Collector time by which it must be applied (arrival + window). */
  readonly readyAt: number;
  /** Set when applied. */
  done: boolean;
  /** Set when applied late. */
  late: boolean;
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
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  return compareMerge(a, b);
}

/** One stream's buffered events in a partition, in merge order. */
interface Lane {
  readonly items: Buffered[];
  head: number;
  /** Position in the heap, -1 when not in it (empty). */
  pos: number;
}

/**
 * A partition's buffered events in merge order: one lane per stream (a
 * node's events arrive in its own order, so appending is the common case;
 * an out-of-order arrival is inserted in place) and a binary min-heap of
 * the lanes by their first event, so each push or pop costs O(log streams)
 * comparisons rather than O(log events).
 */
export class ReorderBuffer {
  /** Lanes by the stream's collector-wide index. */
  readonly #lanes: (Lane | undefined)[] = [];
  readonly #heap: Lane[] = [];
  #size = 0;

  /** Number of buffered events. */
  get size(): number {
    return this.#size;
  }

  /** The first event in merge order, if any. */
  peek(): Buffered | undefined {
    const lane = this.#heap[0];
    return lane === undefined ? undefined : lane.items[lane.head];
  }

  /**
   * Adds an event.
   *
   * @example Events come out in merge order
   * ```ts
   * import { ReorderBuffer, type Buffered } from "./merge.ts";
   * const buf = new ReorderBuffer();
   * const stream = { index: 0 } as Buffered["stream"];
   * const partition = {} as Buffered["partition"];
   * const ev = (wall: number): Buffered => ({
   *   node: "n", boot: "b", seq: wall, wall, logical: 0, action: 0, args: [], verdict: 0,
   *   late: false, state: new Uint8Array(0), stream, partition, readyAt: 0, done: false,
   * });
   * for (const w of [3, 1, 2]) buf.push(ev(w));
   * buf.pop()!.wall; // 1
   * ```
   */
  push(b: Buffered): void {
    let lane = this.#lanes[b.stream.index];
    if (lane === undefined) this.#lanes[b.stream.index] = lane = { items: [], head: 0, pos: -1 };
    const items = lane.items;
    if (lane.head === items.length) {
      items.length = 0;
      lane.head = 0;
    }
    let i = items.length;
    while (i > lane.head && compareBuffered(items[i - 1]!, b) > 0) i--;
    if (i === items.length) items.push(b);
    else items.splice(i, 0, b);
    this.#size++;
    if (lane.pos < 0) {
      lane.pos = this.#heap.length;
      this.#heap.push(lane);
      this.#up(lane.pos);
    } else if (i === lane.head) {
      this.#up(lane.pos);
    }
  }

  /** Removes and returns the first event in merge order. */
  pop(): Buffered | undefined {
    const lane = this.#heap[0];
    if (lane === undefined) return undefined;
    const b = lane.items[lane.head]!;
    lane.items[lane.head++] = undefined as unknown as Buffered;
    this.#size--;
    if (lane.head < lane.items.length) {
      this.#down(0);
    } else {
      lane.items.length = 0;
      lane.head = 0;
      lane.pos = -1;
      const last = this.#heap.pop()!;
      if (last !== lane) {
        this.#heap[0] = last;
        last.pos = 0;
        this.#down(0);
      }
    }
    return b;
  }

  #less(a: Lane, b: Lane): boolean {
    const x = a.items[a.head]!;
    const y = b.items[b.head]!;
    if (x.wall !== y.wall) return x.wall < y.wall;
    if (x.logical !== y.logical) return x.logical < y.logical;
    return compareMerge(x, y) < 0;
  }

  #up(i: number): void {
    const h = this.#heap;
    const x = h[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (!this.#less(x, p)) break;
      h[i] = p;
      p.pos = i;
      i = parent;
    }
    h[i] = x;
    x.pos = i;
  }

  #down(i: number): void {
    const h = this.#heap;
    const n = h.length;
    const x = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.#less(h[r]!, h[l]!) ? r : l;
      const child = h[c]!;
      if (!this.#less(child, x)) break;
      h[i] = child;
      child.pos = i;
      i = c;
    }
    h[i] = x;
    x.pos = i;
  }
}
