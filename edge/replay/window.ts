/**
 * The reorder window of one log file: lines are trusted to be in time order
 * only within `windowMs`. An event is held until a line at least `windowMs`
 * later has been read (or the file ended), so lines displaced by up to the
 * window come out sorted by (wall, logical, line). A line older than
 * something already released is out-of-window: it is flagged `late` and
 * released at once (processed out of order, never dropped).
 *
 * In-order input costs O(1) per event (a FIFO); only lines that arrive
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

/** A reorder window over one file's events. */
export class ReorderWindow {
  readonly #windowMs: number;
  #fifo: ReplayEvent[] = [];
  #head = 0;
  readonly #heap: ReplayEvent[] = [];
  readonly #late: ReplayEvent[] = [];
  #lateHead = 0;
  #maxWall = -Infinity;
  #lastWall = -Infinity;
  #lastLogical = 0;
  #closed = false;
  #size = 0;

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
    return this.#lastWall;
  }

  /** Events held. */
  get size(): number {
    return this.#size;
  }

  /** Adds an event; returns true when it is out-of-window (flagged `late`). */
  push(e: ReplayEvent): boolean {
    this.#size++;
    if (e.wall < this.#lastWall || (e.wall === this.#lastWall && e.logical < this.#lastLogical)) {
      e.late = true;
      this.#late.push(e);
      return true;
    }
    if (e.wall > this.#maxWall) this.#maxWall = e.wall;
    const tail = this.#fifo.length > this.#head ? this.#fifo[this.#fifo.length - 1]! : undefined;
    if (tail === undefined || compareEvents(tail, e) <= 0) this.#fifo.push(e);
    else heapPush(this.#heap, e);
    return false;
  }

  /** No more events: everything held becomes ready. */
  close(): void {
    this.#closed = true;
  }

  /** The next event if it is ready, without removing it. */
  peek(): ReplayEvent | undefined {
    if (this.#lateHead < this.#late.length) return this.#late[this.#lateHead];
    const f = this.#head < this.#fifo.length ? this.#fifo[this.#head] : undefined;
    const h = this.#heap[0];
    const e = f === undefined ? h : h === undefined || compareEvents(f, h) <= 0 ? f : h;
    if (e === undefined) return undefined;
    return this.#closed || e.wall + this.#windowMs <= this.#maxWall ? e : undefined;
  }

  /** Removes and returns the next ready event. */
  pop(): ReplayEvent | undefined {
    const e = this.peek();
    if (e === undefined) return undefined;
    this.#size--;
    if (this.#lateHead < this.#late.length && this.#late[this.#lateHead] === e) {
      this.#late[this.#lateHead++] = undefined as unknown as ReplayEvent;
      if (this.#lateHead === this.#late.length) this.#late.length = this.#lateHead = 0;
      return e;
    }
    if (this.#head < this.#fifo.length && this.#fifo[this.#head] === e) {
      this.#fifo[this.#head++] = undefined as unknown as ReplayEvent;
      if (this.#head === this.#fifo.length) this.#fifo.length = this.#head = 0;
      else if (this.#head > 4096 && this.#head * 2 > this.#fifo.length) {
        this.#fifo = this.#fifo.slice(this.#head);
        this.#head = 0;
      }
    } else heapPop(this.#heap);
    this.#lastWall = e.wall;
    this.#lastLogical = e.logical;
    return e;
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
