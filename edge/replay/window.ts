/**
 * The reorder window of one log file: lines are trusted to be in time order
 * only within `windowMs`. When a line is read, every held event at least
 * `windowMs` older than the newest line read so far is released, in
 * (wall, logical, line) order; so lines displaced by up to the window come
 * out sorted. A line ordered before an event already released is
 * out-of-window: it is flagged `late` and released at once (processed out
 * of order, never dropped). Release depends only on the file's lines, not
 * on how they were read or merged, so results are reproducible.
 *
 * In-order input costs O(1) per event (FIFOs); only lines that arrive
 * before an earlier-timed line go through a min-heap.
 *
 * @module
 */
import type { ReplayEvent } from "./extract.ts";

/** Orders two events by wall, logical, then line: negative when `a` comes first. */
export function compareEvents(a: ReplayEvent, b: ReplayEvent): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  if (a.file !== b.file) return a.file - b.file;
  return a.line - b.line;
}

/**
 * One step of the k-way merge of sources by their head events (the files'
 * windows, or their records): {@link MergeLeader.pick} finds the source
 * whose head comes first, and the head that bounds its run (the earliest
 * head of the others; `undefined` with one source). The leader's events go
 * next while they come no later than `second`. One instance per merge,
 * reused at every step.
 */
export class MergeLeader<S> {
  /** The source whose head comes first (after {@link pick}). */
  best!: S;
  /** The earliest head of the other sources, if any (after {@link pick}). */
  second: ReplayEvent | undefined;
  readonly #head: (s: S) => ReplayEvent;

  constructor(head: (s: S) => ReplayEvent) {
    this.#head = head;
  }

  /** Picks among `live` (at least one, each with a head). */
  pick(live: readonly S[]): void {
    const head = this.#head;
    let best = live[0]!;
    let second: ReplayEvent | undefined;
    for (let i = 1; i < live.length; i++) {
      const h = head(live[i]!);
      const b = head(best);
      if (compareEvents(h, b) < 0) {
        second = b;
        best = live[i]!;
      } else if (second === undefined || compareEvents(h, second) < 0) second = h;
    }
    this.best = best;
    this.second = second;
  }
}

/** How {@link mergeByHeads} reads its sources. */
export interface MergeReading<S> {
  /** The source's next ready event, without removing it (undefined: none ready). */
  head(s: S): ReplayEvent | undefined;
  /** Reads `s` further (it has no head); false when it can give no more events. */
  refill(s: S): Promise<boolean>;
  /** Removes the source's head and handles it (it goes next in the merge). */
  take(s: S): void;
}

/**
 * The k-way merge of sources by their head events: repeatedly releases,
 * from the source whose head comes first ({@link MergeLeader}), every event
 * not later than the other sources' heads; a source without a head is read
 * further first (until it shows one or has no more), so every source that
 * can still give events shows a head before a choice is made. `replay`
 * merges the files' windows so, `replayRecords` the files' records.
 *
 * @example Two sorted lists merged
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeByHeads } from "./window.ts";
 * import type { ReplayEvent } from "./extract.ts";
 * const ev = (file: number, wall: number) => ({ file, wall, logical: 0, line: wall }) as ReplayEvent;
 * const lists = [[ev(0, 1), ev(0, 4)], [ev(1, 2), ev(1, 3)]];
 * const out: number[] = [];
 * await mergeByHeads(lists, {
 *   head: (l) => l[0],
 *   refill: () => Promise.resolve(false),
 *   take: (l) => void out.push(l.shift()!.wall),
 * });
 * assert.deepEqual(out, [1, 2, 3, 4]);
 * ```
 */
export async function mergeByHeads<S>(
  sources: readonly S[],
  reading: MergeReading<S>,
): Promise<void> {
  const live = [...sources];
  const leader = new MergeLeader((s: S) => reading.head(s)!);
  for (;;) {
    for (let i = 0; i < live.length; i++) {
      const s = live[i]!;
      while (reading.head(s) === undefined && await reading.refill(s)) {
        // read on until a head shows or the source has no more
      }
      if (reading.head(s) === undefined) live.splice(i--, 1);
    }
    if (live.length === 0) return;
    leader.pick(live);
    const best = leader.best;
    const second = leader.second;
    for (let e = reading.head(best); e !== undefined; e = reading.head(best)) {
      if (second !== undefined && compareEvents(e, second) > 0) break;
      reading.take(best);
    }
  }
}

/** A growable FIFO of events (an array with a head index). */
class Fifo {
  #items: ReplayEvent[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  first(): ReplayEvent | undefined {
    return this.#head < this.#items.length ? this.#items[this.#head] : undefined;
  }

  last(): ReplayEvent | undefined {
    return this.#head < this.#items.length ? this.#items[this.#items.length - 1] : undefined;
  }

  push(e: ReplayEvent): void {
    this.#items.push(e);
  }

  shift(): ReplayEvent | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const e = this.#items[this.#head]!;
    this.#items[this.#head++] = undefined as unknown as ReplayEvent;
    if (this.#head === this.#items.length) this.#items.length = this.#head = 0;
    else if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return e;
  }
}

/**
 * A reorder window over one file's events. Release is decided when a line
 * is pushed, so the order in which a file's events come out depends only
 * on the file's lines, never on how they were chunked or merged.
 */
export class ReorderWindow {
  readonly #windowMs: number;
  /** Held events that arrived in order (ascending). */
  readonly #inOrder = new Fifo();
  /** Held events that arrived before an earlier-timed line. */
  readonly #heap: ReplayEvent[] = [];
  /** Released events, in release order. */
  readonly #ready = new Fifo();
  #maxWall = -Infinity;
  #last: ReplayEvent | undefined;

  /**
   * Creates a window of `windowMs` milliseconds.
   *
   * @example Sort lines displaced within the window
   * ```ts ignore
   * const w = new ReorderWindow(100);
   * for (const e of events) w.push(e);
   * w.close();
   * for (let e = w.pop(); e !== undefined; e = w.pop()) console.log(e.wall);
   * ```
   */
  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Wall time of the newest event released in order (`-Infinity` before the first). */
  get lastWall(): number {
    return this.#last?.wall ?? -Infinity;
  }

  /** Events held or ready. */
  get size(): number {
    return this.#inOrder.size + this.#heap.length + this.#ready.size;
  }

  /**
   * Adds an event. An event ordered before one already released is
   * out-of-window: flagged `late`, released at once (after what is already
   * released), and `true` is returned.
   */
  push(e: ReplayEvent): boolean {
    if (this.#last !== undefined && compareEvents(e, this.#last) < 0) {
      e.late = true;
      this.#ready.push(e);
      return true;
    }
    const tail = this.#inOrder.last();
    if (tail === undefined || compareEvents(tail, e) <= 0) this.#inOrder.push(e);
    else heapPush(this.#heap, e);
    if (e.wall > this.#maxWall) {
      this.#maxWall = e.wall;
      this.#release(this.#maxWall - this.#windowMs);
    }
    return false;
  }

  /** No more events: everything held is released. */
  close(): void {
    this.#release(Infinity);
  }

  /** Releases, in order, every held event with wall time up to `limit`. */
  #release(limit: number): void {
    for (;;) {
      const f = this.#inOrder.first();
      const h = this.#heap[0];
      const fromFifo = f !== undefined && (h === undefined || compareEvents(f, h) <= 0);
      const e = fromFifo ? f : h;
      if (e === undefined || e.wall > limit) return;
      if (fromFifo) this.#inOrder.shift();
      else heapPop(this.#heap);
      this.#ready.push(e);
      this.#last = e;
    }
  }

  /** The next released event, without removing it. */
  peek(): ReplayEvent | undefined {
    return this.#ready.first();
  }

  /** Removes and returns the next released event. */
  pop(): ReplayEvent | undefined {
    return this.#ready.shift();
  }
}

function heapPush(h: ReplayEvent[], e: ReplayEvent): void {
  let i = h.length;
  h.push(e);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = h[parent]!;
    if (compareEvents(p, e) <= 0) break;
    h[i] = p;
    i = parent;
  }
  h[i] = e;
}

function heapPop(h: ReplayEvent[]): ReplayEvent | undefined {
  const top = h[0];
  const last = h.pop();
  if (top === undefined || last === undefined || h.length === 0) return top;
  const n = h.length;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && compareEvents(h[r]!, h[l]!) < 0 ? r : l;
    if (compareEvents(h[c]!, last) >= 0) break;
    h[i] = h[c]!;
    i = c;
  }
  h[i] = last;
  return top;
}
